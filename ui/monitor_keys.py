"""The Monitor page's session keys (app_pages/monitor.py, ui/monitor_state.py), each a constant; all
start with state.MON, so that ui/state.py, the session's one owner, names the page's keys as a whole.
See docs/monitoring.md."""

from ui.state import MON

MON_FILE = MON + "file"  # {"name", "data", "token"}: the results file being recorded as a snapshot
MON_TOKEN = MON + "token"  # counts the files taken, so each file's column choices are its own
MON_UPLOADER = MON + "upload"
MON_COLUMN = MON + "column"  # + "_<file token>_<role>": the column chosen for a role
MON_AS_OF, MON_FINAL, MON_MISSING = MON + "as_of", MON + "final", MON + "missing"
MON_MIN_SESSIONS, MON_SESSIONS = MON + "min_sessions", MON + "sessions"
MON_INVOICE, MON_INVOICE_OUTCOMES, MON_PERIOD = MON + "invoice", MON + "invoice_outcomes", MON + "period"
MON_RECORD, MON_CLEAR = MON + "record", MON + "clear"
MON_PROBLEMS = MON + "problems"  # the last refused recording's sentences, shown once
MON_COMMITMENT, MON_COMMITMENT_NEW = MON + "commitment", MON + "commitment_new"
MON_STATUS, MON_STATUS_DATE, MON_NOTE = MON + "status", MON + "status_date", MON + "note"
MON_SAVE_COMMITMENT = MON + "save_commitment"
MON_RATES_CHART, MON_FORECAST_CHART = MON + "rates_chart", MON + "forecast_chart"
MON_REPORT = MON + "report"  # the status report's download button
