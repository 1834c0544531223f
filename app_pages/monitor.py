"""Monitor: a library deal over its term, from interim results to the end-of-term true-up.

The deal followed is the library deal of the name being edited: its signed version, else its latest.
Each results file is checked and settled as on Settle-up, and only its counts are kept (a snapshot).
The page shows each outcome's measured rate over time against the plan, what the deal is likely to
pay (with how low and how high it could be), each outcome on track or at risk, the district's
commitments, the score against the renewal bar, the invoice ledger and a status report to download.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from obc_calc.core.forecast import COMMITMENT_STATUSES, Status, forecast_status
from obc_calc.core.model import Deal
from obc_calc.io.results_file import ID, RawTable, ReadOptions, find_column
from obc_calc.io.results_template import columns_chosen_twice, joined
from obc_calc.io.status_report import COMMITMENT_WORDS, status_report
from obc_calc.store.library import LibraryError, VersionInfo, Workspace
from obc_calc.store.monitor import Monitor
from ui import (
    library_state,
    messages,
    monitor_state,
    monitor_views,
    results_upload,
    settle_table,
    state,
    widgets,
)
from ui import monitor_keys as keys

MISSING_LABELS = {"excluded": "Leave them out of the rate (excluded)",
                  "not_achieved": "Count them as not achieved"}
SCORE_HELP = ("100 × what the outcomes pay ÷ the performance pool: end-of-term results where measured, "
              "what they are likely to pay otherwise.")


def show_problems(title: str, lines: list[str]) -> None:
    body = messages.bullets([f"{messages.markdown_text(line.rstrip('.'))}." for line in lines])
    st.error(f"{title}\n\n{body}", icon=":material/error:")


def headline(deal: Deal, info: VersionInfo, status: Status) -> None:
    which = "signed version" if info.signed else "version"
    note = "" if info.signed else " (the latest; no version is signed yet)"
    st.markdown(f"Following **{messages.markdown_text(info.deal)}**, {which} {info.version}{note}, "
                + (f"with results as of {status.as_of.isoformat()}." if status.as_of
                   else "with no results recorded yet: the figures are the plan's."))
    if state.current() != deal:
        st.caption("The deal you are editing differs from this library version; this page follows the "
                   "library version.")
    if status.commitments_missed:
        st.error(f"**A district commitment is marked missed: the full contract value, "
                 f"{widgets.money(deal.total_cost)}, is due, whatever the results.**",
                 icon=":material/error:")
    columns = st.columns(5)
    columns[0].metric("Likely to pay", widgets.money(status.total_expected), border=True,
                      help="The base and the outcome payments, averaged over many simulated ends of term.")
    columns[1].metric("Could be as low as", widgets.money(status.total_p10), border=True,
                      help="1 simulated end of term in 10 pays less.")
    columns[2].metric("Could be as high as", widgets.money(status.total_p90), border=True,
                      help="1 simulated end of term in 10 pays more.")
    columns[3].metric("Planned", widgets.money(status.total_planned), border=True,
                      help="Every outcome at the plan's expected rate.")
    columns[4].metric("Score", f"{status.score:.1f}", f"renewal bar {deal.renewal_score:g}",
                      delta_color="off", delta_arrow="off", border=True, help=SCORE_HELP)
    if status.renewal_eligible:
        st.success(f"The score, {status.score:.1f}, meets the renewal bar of {deal.renewal_score:g}.",
                   icon=":material/verified:")
    else:
        st.warning(f"The score, {status.score:.1f}, is below the renewal bar of {deal.renewal_score:g}.",
                   icon=":material/trending_down:")


def map_columns(deal: Deal, raw: RawTable, token: int) -> tuple[dict[str, str], list[str], list[str]]:
    """The column chosen for each role, as on Settle-up: ({file column: role}, problems, unchosen labels)."""
    roles = settle_table.column_roles(deal)
    chosen: dict[str, str | None] = {}
    unmatched = any(find_column(raw.header, role) is None for role, _ in roles)
    with st.expander("Columns: which column holds what", expanded=unmatched):
        columns = st.columns(min(len(roles), 4))
        for index, (role, label) in enumerate(roles):
            key = f"{keys.MON_COLUMN}_{token}_{role}"
            if key not in st.session_state:
                st.session_state[key] = find_column(raw.header, role)
            chosen[role] = columns[index % len(columns)].selectbox(label, raw.header, key=key,
                                                                   placeholder="Choose a column")
    columns, problems = columns_chosen_twice(chosen)
    return columns, problems, [label for role, label in roles if chosen[role] is None]


def rules(deal: Deal) -> float | None:
    left, right = st.columns(2)
    left.date_input("Results as of", value=date.today(), key=keys.MON_AS_OF, format="YYYY-MM-DD")
    left.checkbox("This is the end-of-term measurement", key=keys.MON_FINAL,
                  help="End-of-term results fix each outcome's rate and the students served exactly.")
    left.radio("Served students with a missing value", list(MISSING_LABELS), format_func=MISSING_LABELS.get,
               key=keys.MON_MISSING)
    min_sessions = None
    if left.toggle("The served column counts sessions attended", key=keys.MON_SESSIONS):
        min_sessions = left.number_input("Minimum sessions to count as served", min_value=0.0, step=1.0,
                                         value=1.0, format="%g", key=keys.MON_MIN_SESSIONS)
    right.toggle("Also invoice these results (record the invoice in the ledger)", key=keys.MON_INVOICE,
                 help="The invoice pays what each line is worth now less what the ledger already paid.")
    if st.session_state.get(keys.MON_INVOICE):
        right.multiselect("Outcomes to invoice", [o.name for o in deal.outcomes],
                          key=keys.MON_INVOICE_OUTCOMES,
                          placeholder="All, with the base",
                          help="Pick some outcomes for a mid-year invoice of those only (no base line); "
                               "leave empty for the full invoice.")
        right.text_input("Period", key=keys.MON_PERIOD, placeholder="e.g. Mid-year 2026-27")
    return min_sessions


def record_section(deal: Deal, info: VersionInfo) -> None:
    st.header("Record results")
    st.caption("Upload the results measured so far, as on Settle-up: one row per student. The file is "
               "checked row by row; only the counts per outcome are kept, and a file with problems "
               "records nothing.")
    st.file_uploader("Upload results (CSV or Excel .xlsx)", type=["csv", "txt", "xlsx"],
                     key=state.uploader_key(keys.MON_UPLOADER), on_change=monitor_state.take_upload)
    refused = st.session_state.pop(keys.MON_PROBLEMS, None) or []  # said once
    if refused:
        show_problems("Nothing was recorded: the file has problems.", refused)
    current = st.session_state.get(keys.MON_FILE)
    if current is None:
        return
    note, clear = st.columns([5, 1], vertical_alignment="center")
    note.caption(f"Results file **{messages.markdown_text(current['name'])}** "
                 f"({len(current['data']):,} bytes).")
    clear.button("Clear", key=keys.MON_CLEAR, on_click=monitor_state.clear_file, icon=":material/close:")
    raw, problems = results_upload.read_file(current["data"], current["name"], ID)
    if raw is None:
        show_problems("This file cannot be read; nothing can be recorded from it:", problems)
        return
    columns, column_problems, unchosen = map_columns(deal, raw, current["token"])
    options = ReadOptions(min_sessions=rules(deal), columns=columns)
    if column_problems:
        show_problems("Fix the column choices:", column_problems)
        return
    problems = monitor_state.check_file(current["data"], current["name"], ID, deal, options)
    if problems:
        title = (f"Choose a column for {messages.markdown_text(joined(unchosen))} under *Columns* above, or "
                 "fix the file; nothing is recorded until then:" if unchosen
                 else "The file has problems; nothing is recorded until they are fixed:")
        show_problems(title, problems)
        return
    st.button("Record these results", key=keys.MON_RECORD, type="primary", icon=":material/add_chart:",
              on_click=monitor_state.record_snapshot, args=(info.deal, options))


def progress_section(deal: Deal, snapshots: list, status: Status) -> None:
    st.header("On track or at risk")
    if snapshots:
        monitor_views.rates_chart(deal, snapshots, keys.MON_RATES_CHART)
    else:
        st.info("No results are recorded yet: the forecast below is the plan's. Record the first results "
                "above.", icon=":material/info:")
    monitor_views.forecast_chart(status, keys.MON_FORECAST_CHART)
    config = {name: st.column_config.TextColumn(name, help=text)
              for name, text in monitor_views.TRACK_HELP.items()}
    st.dataframe(monitor_views.track_frame(deal, status), hide_index=True, column_config=config)
    st.caption("The forecast rate blends the plan's expected rate (worth 20 students, or the planning "
               "range when the outcome has one) with the results measured so far. Interim results should "
               "measure the same threshold as the end of term, or the forecast is off.")


def commitments_section(deal: Deal, info: VersionInfo, records: list) -> None:
    st.header("The district's commitments")
    st.dataframe(monitor_views.commitments_frame(deal, records), hide_index=True)
    with st.expander("Record a commitment's status", icon=":material/fact_check:"):
        names = [c.name for c in deal.commitments] or [r.name for r in records]
        left, right = st.columns(2)
        if names:
            left.selectbox("Commitment", names, key=keys.MON_COMMITMENT)
        left.text_input("Or another commitment", key=keys.MON_COMMITMENT_NEW)
        left.radio("Status", list(COMMITMENT_STATUSES), format_func=COMMITMENT_WORDS.get,
                   key=keys.MON_STATUS,
                   horizontal=True, help="Missed: the full contract value is due, whatever the results.")
        right.date_input("As of", value=date.today(), key=keys.MON_STATUS_DATE, format="YYYY-MM-DD")
        right.text_input("Note", key=keys.MON_NOTE, placeholder="What happened, what is being done")
        st.button("Record the status", key=keys.MON_SAVE_COMMITMENT,
                  on_click=monitor_state.record_commitment,
                  args=(info.deal,), icon=":material/save:")


def ledger_section(deal: Deal, invoices: list) -> None:
    st.header("Invoice ledger")
    if not invoices:
        st.caption("No invoice is recorded yet. Switch on *Also invoice these results* when recording "
                   "results.")
        return
    st.dataframe(monitor_views.invoices_frame(invoices), hide_index=True,
                 column_config=widgets.right_aligned(["Earned", "Invoiced before", "Due now"]))
    st.caption("Each invoice pays what a line is worth now less what earlier invoices paid on it; a "
               "negative amount is a credit. The base is paid once.")
    st.dataframe(monitor_views.summary_frame(deal, invoices), hide_index=True,
                 column_config=widgets.right_aligned(["Paid so far", "Not to exceed", "Remaining"]))


def page(ws: Workspace, deal: Deal, info: VersionInfo) -> None:
    monitor = Monitor(ws)
    snapshots, records = monitor.snapshots(info.deal), monitor.commitments(info.deal)
    invoices = monitor.invoices(info.deal)
    status = forecast_status(deal, info.version, snapshots, records, seed=0)
    headline(deal, info, status)
    st.download_button(
        "Download the status report (Excel)", lambda: status_report(deal, status, snapshots, invoices),
        file_name=f"{widgets.slug(info.deal, 'deal')}_status.xlsx", key=keys.MON_REPORT, on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
        help="For the monthly data meeting: the figures, each outcome's table, the measurements, the "
             "commitments and the ledger. Built when you click.")
    record_section(deal, info)
    progress_section(deal, snapshots, status)
    commitments_section(deal, info, records)
    ledger_section(deal, invoices)


def main() -> None:
    st.title("Monitor")
    st.caption("Follow a deal from the library over its term: record results as they come, see what it is "
               "likely to pay and which outcomes are at risk, track the district's commitments and the "
               "invoices paid.")
    try:
        ws = library_state.workspace()
        found = monitor_state.monitored(ws)
        if found is None:
            st.info(f"**{messages.markdown_text(state.current().name)}** is not in the deal library "
                    f"(workspace {messages.markdown_text(ws.name)}). Save it on the **Library** page first, "
                    "and sign the version the parties signed: this page follows the library's deal.",
                    icon=":material/folder_off:")
            return
        page(ws, *found)
    except LibraryError as error:
        st.error(f"The deal library cannot be used right now: {messages.markdown_text(str(error))}",
                 icon=":material/cloud_off:")


main()
