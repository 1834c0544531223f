"""Settle-up: from a verified student-level results file to the invoice due for the period.

The file is kept in session state (`settle_file`), not only in the uploader, so it survives visits
to other pages and so the "Use the sample results" button can supply it. Reading and checking a
file are cached on its bytes and the options, so a large file is read once, not on every click.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from obc_calc.core.errors import DealError
from obc_calc.core.limits import MAX_UPLOAD_MB
from obc_calc.core.model import Deal
from obc_calc.core.settle import Invoice, SettleOptions, default_period, file_stem, settle
from obc_calc.io.invoice_csv import invoice_csv
from obc_calc.io.invoice_excel import invoice_workbook
from obc_calc.io.results_file import (
    ID,
    RawTable,
    ReadOptions,
    ResultsTable,
    check_results,
    find_column,
)
from obc_calc.io.results_template import columns_chosen_twice, file_covers_outcomes, joined, template_csv
from obc_calc.io.user_file import sniff
from ui import messages, results_upload, settle_table, state, widgets

SAMPLE_RESULTS = state.ROOT / "sample_data" / "math_tutoring_results.csv"
PREVIEW_ROWS = 10
MISSING_LABELS = {
    "excluded": "Leave them out of the rate",
    "not_achieved": "Count them as not achieved",
}
MISSING_HELP = (
    "A served student with a blank (or NA) value for an outcome.\n\n"
    "**Leave them out of the rate**: the student is left out of that outcome's rate; the rate of the "
    "students with a value stands for them (a per-student outcome pays only for the achievers counted). "
    "Fair when data are missing for reasons unrelated to the outcome (a student moved before the test).\n\n"
    "**Count them as not achieved**: the student stays in the rate as a non-achiever, so missing data cost "
    "the provider. The invoice says how many students each rule touched."
)
COMMITMENTS_HELP = (
    "The district's side of the deal: scheduling students, monitoring attendance, sharing data on time. "
    "If the district missed its commitments, the full contract value is due, whatever the results."
)
SESSIONS_HELP = (
    "Switch on when the served column holds the number of sessions each student attended rather "
    "than 1/0 or yes/no. Students with at least the minimum count as served."
)


# ---- the file in session state --------------------------------------------------------------

def set_file(name: str, data: bytes) -> None:
    st.session_state[state.SETTLE_TOKEN] = token = st.session_state.get(state.SETTLE_TOKEN, 0) + 1
    st.session_state[state.SETTLE_FILE] = {"name": name, "data": data, "token": token}
    kept = state.kept_values()
    for key in [k for k in kept if k.startswith(f"{state.SETTLE_COLUMN}_")]:  # the old file's column choices
        del kept[key]


def take_upload() -> None:
    upload = st.session_state.get(state.uploader_key(state.SETTLE_UPLOADER))
    if upload is not None:
        set_file(upload.name, upload.getvalue())


def use_sample() -> None:
    set_file(SAMPLE_RESULTS.name, SAMPLE_RESULTS.read_bytes())
    state.empty_uploader(state.SETTLE_UPLOADER)


def clear_file() -> None:
    st.session_state.pop(state.SETTLE_FILE, None)
    state.empty_uploader(state.SETTLE_UPLOADER)


# ---- cached steps: pure functions of the bytes and the options -------------------------------


@st.cache_data(max_entries=8, show_spinner="Checking every row...")
def check_file(data: bytes, filename: str, id_header: str, deal: Deal,
               options: ReadOptions) -> tuple[ResultsTable | None, list[str]]:
    raw, problems = results_upload.read_file(data, filename, id_header)
    if raw is None:
        return None, problems
    try:
        return check_results(raw, deal, options), []
    except DealError as error:
        return None, error.lines()


# ---- page sections --------------------------------------------------------------------------

def file_section(deal: Deal) -> dict | None:
    st.header("1. Results file")
    left, right = st.columns([3, 2])
    left.file_uploader(
        "Upload the verified results (CSV or Excel .xlsx)", type=["csv", "txt", "xlsx"],
        key=state.uploader_key(state.SETTLE_UPLOADER),
        on_change=take_upload,
        help="One row per student, a header row naming the columns. In a workbook, the table may be on "
             f"any sheet. Up to {MAX_UPLOAD_MB} MB.",
    )
    fits = file_covers_outcomes(SAMPLE_RESULTS, deal)  # reads only the header: cheap on every run
    with right:
        if fits:
            st.button("Use the sample results", key=state.SETTLE_SAMPLE, on_click=use_sample,
                      icon=":material/science:",
                      help=f"Load {SAMPLE_RESULTS.name}: made-up end-of-year results for 1,200 students "
                           "of the math tutoring sample deal.")
        st.download_button(
            "Download a blank template for this deal", template_csv(deal),
            file_name=f"{widgets.slug(deal.name, 'invoice')}_results.csv", mime="text/csv",
            icon=":material/download:",
            key=state.SETTLE_TEMPLATE, on_click="ignore",
            help="A CSV with this deal's column names: fill in one row per student.",
        )
    current = st.session_state.get(state.SETTLE_FILE)
    if current is None:
        empty_state(deal, fits)
        return None
    size = len(current["data"])
    note, clear = st.columns([5, 1], vertical_alignment="center")
    note.caption(f"Settling **{messages.markdown_text(current['name'])}** ({size:,} bytes).")
    clear.button("Clear", key=state.SETTLE_CLEAR, on_click=clear_file, icon=":material/close:",
                 help="Forget this file and start again.")
    return current


def empty_state(deal: Deal, fits: bool) -> None:
    sample_hint = (
        "To try it, press **Use the sample results** above."
        if fits else
        f"To try it, open the math tutoring sample deal on the Home page: its sample results file "
        f"(`sample_data/{SAMPLE_RESULTS.name}`) can then be loaded here with one click."
    )
    st.info(
        "No results file yet. Upload the verified results for the period: a CSV or Excel (.xlsx) file, "
        "one row per student, with a header row. For this deal the columns are:\n\n"
        f"{settle_table.describe_columns(deal)}\n\n"
        "Other columns (names, grades, schools) are ignored, and other column names can be matched to "
        "these after upload. A blank cell, NA or N/A is a missing value. **Download a blank template "
        "for this deal** gives a file with these headers to fill in.\n\n" + sample_hint,
        icon=":material/upload_file:",
    )


def id_header_input(current: dict) -> str:
    """An .xlsx table is found by its id column; a different id header can be typed in."""
    if sniff(current["data"]) != "xlsx":
        return ID
    return st.text_input(
        "Student id column (to find the table in the workbook)", **state.kept(state.SETTLE_ID_HEADER, ID),
        help="The workbook's first sheet with this header in its first 10 rows is read.",
    ).strip() or ID


def map_columns(deal: Deal, raw: RawTable, token: int) -> tuple[dict[str, str], list[str], list[str]]:
    """The user's choice of column for each role: ({file column: role}, problems, labels left unchosen)."""
    roles = settle_table.column_roles(deal)
    chosen: dict[str, str | None] = {}
    unmatched = any(find_column(raw.header, role) is None for role, _ in roles)
    with st.expander("Columns: which column holds what", expanded=unmatched):
        st.caption("Matched by name; choose another column where your file uses other names.")
        columns = st.columns(min(len(roles), 4))
        for index, (role, label) in enumerate(roles):
            key = f"{state.SETTLE_COLUMN}_{token}_{role}"
            chosen[role] = columns[index % len(columns)].selectbox(
                label, raw.header, **state.kept(key, find_column(raw.header, role)),
                placeholder="Choose a column",
            )
    columns, problems = columns_chosen_twice(chosen)
    unchosen = [label for role, label in roles if chosen[role] is None]
    return columns, problems, unchosen


def rules_section(deal: Deal) -> tuple[float | None, SettleOptions]:
    left, right = st.columns(2)
    with left:
        sessions = st.toggle("The served column counts sessions attended",
                             **state.kept(state.SETTLE_SESSIONS, False), help=SESSIONS_HELP)
        min_sessions = None
        if sessions:
            min_sessions = st.number_input(
                "Minimum sessions to count as served", min_value=0.0, step=1.0, format="%g",
                **state.kept(state.SETTLE_MIN_SESSIONS, 1.0),
                help="Students who attended at least this many sessions count as served.",
            )
        missing = st.radio("Served students with a missing value", list(MISSING_LABELS),
                           format_func=MISSING_LABELS.get, **state.kept(state.SETTLE_MISSING, "excluded"),
                           help=MISSING_HELP)
        commitments = st.toggle("The district met its commitments",
                                **state.kept(state.SETTLE_COMMITMENTS, True), help=COMMITMENTS_HELP)
    with right:
        period = st.text_input("Period", **state.kept(state.SETTLE_PERIOD, ""),
                               placeholder=default_period(deal),
                               help="The period this invoice settles, e.g. 'Mid-year 2026-27'.")
        invoice_date = st.date_input("Invoice date", **state.kept(state.SETTLE_DATE, date.today()),
                                     format="YYYY-MM-DD")
    options = SettleOptions(
        period=period.strip() or default_period(deal), invoice_date=invoice_date,
        missing=missing, commitments_met=commitments,
    )
    return min_sessions, options


def preview_section(raw: RawTable) -> None:
    st.header("3. Preview and checks")
    shown = min(PREVIEW_ROWS, len(raw.rows))
    where = f", sheet {raw.sheet}" if raw.sheet else ""
    st.caption(
        f"The first {shown} of {len(raw.rows):,} student rows{messages.markdown_text(where)}, "
        f"numbered as your spreadsheet numbers them (the header is row {raw.header_row})."
    )
    preview = raw.preview(PREVIEW_ROWS)
    preview.index.name = "Row"
    st.dataframe(preview)


def show_problems(title: str, lines: list[str]) -> None:
    body = messages.bullets([f"{messages.markdown_text(line.rstrip('.'))}." for line in lines])
    st.error(f"{title}\n\n{body}", icon=":material/error:")


def invoice_section(deal: Deal, invoice: Invoice, results: ResultsTable) -> None:
    st.header("4. Invoice")
    provider, district = deal.provider or "the provider", deal.district or "the district"
    st.caption(messages.markdown_text(f"{invoice.period}, dated {invoice.invoice_date.isoformat()}: "
                             f"{provider} invoices {district}."))
    columns = st.columns([1.3, 1, 1, 0.9])  # the total is the longest figure
    columns[0].metric("Total due", widgets.money(invoice.total_due, cents=True), border=True,
                      help="The base due plus every outcome payment, each rounded to the cent.")
    columns[1].metric("Base due", widgets.money(invoice.base_due, cents=True), border=True,
                      help="A fixed base is due in full; a per-student base is the base divided by the "
                           "deal's students, times the students served.")
    columns[2].metric("Outcome payments", widgets.money(invoice.performance_due, cents=True), border=True,
                      help="What the outcomes pay by the rate card at the rates measured in the file.")
    columns[3].metric("Students served", f"{invoice.students_served:,}",
                      f"of {invoice.students_in_file:,} in the file", delta_color="off", delta_arrow="off",
                      border=True, help="Rows marked served (or with at least the minimum sessions). "
                                        "Only served students count for outcomes.")
    config = {name: st.column_config.TextColumn(name, help=text)
              for name, text in settle_table.COLUMN_HELP.items()}
    st.dataframe(settle_table.invoice_frame(invoice), hide_index=True, column_config=config)
    if invoice.notes:
        notes = [messages.markdown_text(note) for note in invoice.notes]
        st.markdown("**Notes**\n\n" + messages.bullets(notes))
    name = file_stem(deal.name, invoice.period)
    left, right, _ = st.columns([2, 2, 3])
    left.download_button(
        "Download the invoice (Excel)", lambda: invoice_workbook(deal, invoice, results),
        file_name=f"{name}.xlsx", icon=":material/download:", key=state.SETTLE_XLSX, on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary",
        help="A workbook whose every count and dollar is a formula over a copy of the student data, "
             "so an auditor can trace each dollar. Built when you click.",
    )
    right.download_button(
        "Download the invoice (CSV)", invoice_csv(invoice), file_name=f"{name}.csv", mime="text/csv",
        icon=":material/download:", key=state.SETTLE_CSV, on_click="ignore",
        help="One row per line of the invoice: each outcome, the base and the total due.",
    )


# ---- the page -------------------------------------------------------------------------------

def main() -> None:
    deal = state.current()
    st.title("Settle-up")
    st.markdown(
        "At a measurement point (mid-year, end of year) turn the verified, student-level results into "
        "the invoice due: who was served, who met each outcome's threshold, what each outcome pays by "
        "the rate card, and the total. The file is checked row by row; a file with problems pays nothing."
    )
    current = file_section(deal)
    if current is None:
        return
    id_header = id_header_input(current)
    raw, problems = results_upload.read_file(current["data"], current["name"], id_header)
    if raw is None:
        show_problems("This file cannot be read:", problems)
        return
    st.header("2. Columns and rules")
    columns, column_problems, unchosen = map_columns(deal, raw, current["token"])
    min_sessions, settle_options = rules_section(deal)
    preview_section(raw)
    if column_problems:
        show_problems("Fix the column choices:", column_problems)
        return
    read_options = ReadOptions(min_sessions=min_sessions, columns=columns)
    results, problems = check_file(current["data"], current["name"], id_header, deal, read_options)
    if results is None:
        title = "The file has problems; nothing is invoiced until they are fixed:"
        if unchosen:
            title = (f"Choose a column for {messages.markdown_text(joined(unchosen))} under "
                     "*Columns* above, or fix the file; nothing is invoiced until then:")
        show_problems(title, problems)
        return
    try:
        invoice = settle(deal, results, settle_options)
    except DealError as error:
        show_problems("This file cannot be invoiced under this deal:", error.lines())
        return
    invoice_section(deal, invoice, results)


main()
