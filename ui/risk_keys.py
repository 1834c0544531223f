"""The Risk page's session keys added after ui/state.py filled up (app_pages/risk.py); each starts with
"risk_", as the page's keys in ui/state.py do."""

# (deal version, (deal JSON, trials, seed)) of the run the page showed last: while a large run waits
# for its button, those results stay on the page, marked as out of date. The deal version keeps a
# run of another deal, opened since, from showing.
RISK_LAST_RUN = "risk_last_run"
