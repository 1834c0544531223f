"""Home: pick a deal (sample, upload, blank), see its headline figures and flags, learn what OBC is."""

import streamlit as st

from obc_calc.core.errors import DealError
from obc_calc.core.limits import MAX_UPLOAD_MB
from obc_calc.core.model import Deal
from obc_calc.core.report import deal_report
from obc_calc.io.deal_upload import deal_from_upload, is_workbook
from obc_calc.io.dealfile import deal_from_dict, load_deal
from ui import library_state, messages, state, widgets


def open_sample(name: str) -> None:
    state.open_deal(load_deal(state.SAMPLES[name]))
    state.flash(f"Opened the sample deal: {state.current().name}.")


def open_blank() -> None:
    state.open_deal(deal_from_dict(state.BLANK_DEAL))
    state.flash("Started a blank deal with one outcome. Fill it in on the next pages.")


def open_file(deal: Deal, file_name: str) -> None:
    state.open_deal(deal)
    state.flash(f"Opened {file_name}: {deal.name}.")


def open_upload() -> None:
    upload = st.session_state.get(state.UPLOAD)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        deal = deal_from_upload(data, upload.name)
    except DealError as error:
        # Workbook problems already say where (sheet, row, column); JSON ones name a field path.
        describe = (messages.cell_sentence if is_workbook(data, upload.name)
                    else (lambda problem: messages.sentence(problem, {})))
        lines = messages.first_problems([describe(problem) for problem in error.problems])
        state.set_problems(state.UPLOAD, [f"{upload.name} is not a deal this app can open:"] + lines)
        return
    library_state.ask_first(upload.name, open_file, deal, upload.name)  # asks first if unsaved changes


st.title("Outcomes-based contracting calculator")
st.markdown(
    "In an **outcomes-based contract** a school district pays a provider a **base** for running "
    "the service, plus a **performance pool** paid only when agreed student outcomes are met. "
    "The **rate card** lists each outcome, how it is measured, what counts as success and the "
    "dollars tied to it. This calculator shows, for any deal you design, the **maximum** the "
    "district must encumber, the **expected** cost, the **floor** (nothing achieved), the cost per pupil "
    "and when the money goes out."
)
with st.expander("How to use it", expanded=False):
    # One line for each page of the menu (app.PAGES), in its order; tests/app/test_page_home.py checks.
    st.markdown(
        "1. **Home** (this page): start from a sample deal, upload a deal file or budget workbook, or start "
        "blank (below), and see the deal's headline figures and flags.\n"
        "2. **Deal & split**: students, price, and how much of the price depends on outcomes.\n"
        "3. **Rate card**: the outcomes, their weights and how each one pays.\n"
        "4. **Scenarios**: what the district pays if students do better or worse than expected.\n"
        "5. **Budget**: the payments by month and fiscal year, the budget workbook (Excel) and the deal "
        "file to download.\n"
        "6. **Risk**: thousands of simulated school years: how much the district may pay, and how likely "
        "each amount is.\n"
        "7. **Settle-up**: at a measurement point, the verified student results turned into the invoice "
        "due.\n"
        "8. **Monitor**: a deal saved in the library followed over its term, results file by results "
        "file: what it is likely to pay and which outcomes are on track.\n"
        "9. **Compare**: two to four deals side by side (saved variants, samples, files), to choose "
        "which to sign.\n"
        "10. **Provider view**: the deal from the provider's side: margin, break-even, cash flow and "
        "per-pupil pricing.\n"
        "11. **Library**: deals saved with every version in a shared workspace: what changed between "
        "two versions, and the version signed.\n\n"
        "Every change updates the figures at once. A change that would make the deal invalid is "
        "explained in plain words and not applied, so your other work is never lost."
    )

st.header("Choose a deal")
# One row of buttons each as wide as its name, wrapping on a narrow screen: no name is cut short.
with st.container(horizontal=True):
    for name in state.SAMPLES:
        st.button(name, on_click=library_state.ask_first, args=(f"the sample deal {name}", open_sample, name),
                  help=f"{state.SAMPLE_NOTES[name]} Replaces the current deal.")
    st.button("Start blank", on_click=library_state.ask_first, args=("a blank deal", open_blank),
              icon=":material/add:",
              help="Replace the current deal with a minimal one-outcome deal to fill in.")
st.file_uploader(
    "Upload a deal file (JSON) or a budget workbook (Excel .xlsx)", type=["json", "xlsx"], key=state.UPLOAD,
    on_change=open_upload,
    help="A deal saved from this app or written by hand in the deal file format, or a budget workbook "
         "downloaded from the Budget page (edits made to its blue input cells in Excel come back with it). "
         f"Up to {MAX_UPLOAD_MB} MB.",
)
upload_problems = state.problems(state.UPLOAD)
if upload_problems:
    headline, *details = upload_problems
    st.error(f"{headline}\n\n{messages.bullets(details)}\n\nThe current deal is unchanged.")
state.show_flash()

deal = state.current()
report = deal_report(deal)
st.header(deal.name)
st.caption(
    f"{widgets.parties(deal)}{deal.students:,} students, {len(deal.outcomes)} outcomes, "
    f"{len(deal.scenarios)} scenarios"
)
columns = st.columns(4)
headline = [
    ("Maximum (encumber)", report.maximum,
     "The contract's not-to-exceed value: the base plus the whole performance pool. "
     "This is what the district encumbers."),
    ("Expected", report.expected, "What the district pays if every outcome reaches its expected rate."),
    ("Floor (nothing achieved)", report.floor,
     "What the district pays if no outcome is reached: the base, less what penalties may take back "
     "when the deal allows it (the most the penalties may take back, set on the Rate card page)."),
]
for column, (label, result, help_text) in zip(columns, headline, strict=False):
    widgets.total_metric(column, label, report, result, help_text)
widgets.share_metric(columns[3], deal, "The share of the total cost paid only when outcomes are met (the "
                "performance pool). Districts typically put 20% to 60% at risk.")
st.header("Flags")
widgets.show_flags(report.flags)
