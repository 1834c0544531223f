"""The Monitor page's state and actions: which library deal is monitored, the results file kept in
session state, and the on_click recordings (a snapshot, with an invoice in the ledger if asked; a
commitment's status).

A snapshot keeps aggregates only (core.forecast.counts_from_invoice): the file is checked and settled
exactly as on the Settle-up page, and a file with problems records nothing. Each action says what it
did once, above the page (state.APP); refused recordings keep their sentences in keys.MON_PROBLEMS.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from obc_calc.core.errors import DealError
from obc_calc.core.forecast import CommitmentStatus, Snapshot, counts_from_invoice
from obc_calc.core.ledger import true_up
from obc_calc.core.model import Deal
from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.results_file import ID, ReadOptions, check_results
from obc_calc.store.library import LibraryError, VersionInfo, Workspace
from obc_calc.store.monitor import Monitor
from ui import library_state, results_upload, state
from ui import monitor_keys as keys


def monitored(ws: Workspace) -> tuple[Deal, VersionInfo] | None:
    """The library deal of the deal being edited's name: its signed version, else its latest; None when
    the workspace holds no deal by that name."""
    name = state.current().name
    if library_state.latest_version(ws, name) is None:
        return None
    return Monitor(ws).deal(name)


# ---- the results file in session state -------------------------------------------------------

def take_upload() -> None:
    upload = st.session_state.get(state.uploader_key(keys.MON_UPLOADER))
    if upload is None:
        return
    st.session_state[keys.MON_TOKEN] = token = st.session_state.get(keys.MON_TOKEN, 0) + 1
    st.session_state[keys.MON_FILE] = {"name": upload.name, "data": upload.getvalue(), "token": token}
    st.session_state[keys.MON_PROBLEMS] = []


def clear_file() -> None:
    st.session_state.pop(keys.MON_FILE, None)
    state.empty_uploader(keys.MON_UPLOADER)


# ---- recording -------------------------------------------------------------------------------

class FileProblems(Exception):
    """The results file's problems, one sentence each: nothing is recorded."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def _settled(deal: Deal, current: dict | None, options: ReadOptions, as_of: date, commitments_met: bool):
    """The file checked and settled as Settle-up does; FileProblems when it cannot be."""
    if current is None:
        raise FileProblems(["Upload a results file first."])
    id_header = next((column for column, role in options.columns.items() if role == ID), ID)
    raw, problems = results_upload.read_file(current["data"], current["name"], id_header)
    if raw is None:
        raise FileProblems(problems)
    period = (st.session_state.get(keys.MON_PERIOD) or "").strip() or f"As of {as_of.isoformat()}"
    try:
        results = check_results(raw, deal, options)
        return settle(deal, results, SettleOptions(
            period=period, invoice_date=as_of, missing=st.session_state.get(keys.MON_MISSING, "excluded"),
            commitments_met=commitments_met))
    except DealError as error:
        raise FileProblems(error.lines()) from error


def record_snapshot(name: str, options: ReadOptions) -> None:
    """on_click: check and settle the kept file against the monitored deal and store its aggregates
    (and the invoice, when asked); nothing is stored when the file has a problem."""
    current = st.session_state.get(keys.MON_FILE)
    as_of = st.session_state.get(keys.MON_AS_OF) or date.today()
    final = bool(st.session_state.get(keys.MON_FINAL, False))
    try:
        monitor = Monitor(library_state.workspace())
        deal, info = monitor.deal(name)
        met = not any(record.status == "missed" for record in monitor.commitments(info.deal))
        invoice = _settled(deal, current, options, as_of, met)
    except FileProblems as problems:
        st.session_state[keys.MON_PROBLEMS] = problems.lines
        return
    except LibraryError as error:
        library_state.refused(error)
        return
    snapshot = Snapshot(as_of=as_of, final=final, outcomes=tuple(counts_from_invoice(invoice)),
                        students_served=invoice.students_served)
    try:
        monitor.record_snapshot(info.deal, snapshot)
        done = _record_invoice(monitor, deal, info.deal, invoice)
    except (LibraryError, DealError) as error:
        library_state.refused(LibraryError(str(error)))
        return
    clear_file()
    st.session_state[keys.MON_PROBLEMS] = []
    kind = "end-of-term" if final else "interim"
    library_state.tell(f"Recorded the {kind} results as of {as_of.isoformat()} for {info.deal} (version "
                       f"{info.version}): {invoice.students_in_file:,} students in the file, "
                       f"{invoice.students_served:,} served. Only the counts are kept, no student's row."
                       + done, icon=":material/monitoring:")


def _record_invoice(monitor: Monitor, deal: Deal, name: str, invoice) -> str:
    """Record the settled invoice in the ledger when asked; the sentence saying so."""
    if not st.session_state.get(keys.MON_INVOICE, False):
        return ""
    outcomes = list(st.session_state.get(keys.MON_INVOICE_OUTCOMES) or []) or None
    recorded = monitor.record_true_up(name, lambda previous: true_up(deal, invoice, previous, outcomes))
    st.session_state[keys.MON_INVOICE] = False
    return f" Invoice {recorded.period} recorded in the ledger: {recorded.total:,.2f} dollars due now."


def record_commitment(name: str) -> None:
    """on_click: record a commitment's status (met, at risk, missed) with its date and note."""
    title = (st.session_state.get(keys.MON_COMMITMENT_NEW) or "").strip() or st.session_state.get(
        keys.MON_COMMITMENT) or ""
    status = st.session_state.get(keys.MON_STATUS, "met")
    record = CommitmentStatus(name=title, status=status, as_of=st.session_state.get(keys.MON_STATUS_DATE)
                              or date.today(), note=(st.session_state.get(keys.MON_NOTE) or "").strip())
    try:
        Monitor(library_state.workspace()).record_commitment(name, record)
    except LibraryError as error:
        library_state.refused(error)
        return
    st.session_state[keys.MON_NOTE] = ""
    st.session_state[keys.MON_COMMITMENT_NEW] = ""
    words = {"met": "met", "at_risk": "at risk", "missed": "missed"}[status]
    if status == "missed":
        library_state.tell(f'Recorded "{title}" as missed on {record.as_of.isoformat()}. A missed commitment '
                           "means the full contract value is due, whatever the results.", "warning",
                           ":material/error:")
    else:
        library_state.tell(f'Recorded "{title}" as {words} on {record.as_of.isoformat()}.')


@st.cache_data(max_entries=8, show_spinner="Checking every row...")
def check_file(data: bytes, filename: str, id_header: str, deal: Deal, options: ReadOptions) -> list[str]:
    """The file's problems under the deal (none: it can be recorded)."""
    raw, problems = results_upload.read_file(data, filename, id_header)
    if raw is None:
        return problems
    try:
        check_results(raw, deal, options)
    except DealError as error:
        return error.lines()
    return []
