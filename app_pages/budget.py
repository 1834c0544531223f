"""Budget: what to encumber by fiscal year and the files to download first; then when the money goes out
in one scenario, by fiscal year and by month."""

import plotly.graph_objects as go
import streamlit as st

from obc_calc.core.report import deal_report
from obc_calc.core.schedule import encumbrance_by_fiscal_year, fiscal_year_schedule, monthly_schedule
from obc_calc.io.dealfile import deal_to_json
from ui import charts, documents, state, widgets

LABELS = ("Month", "Fiscal year")  # the schedules' columns that are not dollars


def money_frame(table):
    """The schedule with every dollar column as text, for display."""
    shown = table.copy()
    for column in shown.columns:
        if column not in LABELS:
            shown[column] = [widgets.money(v) for v in shown[column]]
    return shown


def show_table(table) -> None:
    """Every row visible (a term has at most 60 months), dollars right-aligned."""
    shown = money_frame(table)
    st.dataframe(shown, hide_index=True, height=35 * (len(shown) + 1) + 3,
                 column_config=widgets.right_aligned(c for c in shown.columns if c not in LABELS))


def schedule_chart(table, x: str, title: str, x_title: str, key: str) -> None:
    deal = state.current()
    fig = go.Figure()
    for column in ["Base", *(o.name for o in deal.outcomes)]:
        fig.add_trace(go.Bar(x=table[x], y=table[column], name=column))
    if "Cumulative" in table:
        fig.add_trace(go.Scatter(x=table[x], y=table["Cumulative"], name="Cumulative", mode="lines+markers",
                                 line={"color": charts.INK}))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    charts.show_chart(fig, title, x_title, "Payment ($)", key=key)


deal = state.current()
report = deal_report(deal)
st.title("Budget")
columns = st.columns(3)
for column, (label, result, help_text) in zip(columns, [
    ("Maximum (encumber)", report.maximum, "The not-to-exceed contract value the district encumbers."),
    ("Expected", report.expected, "Every outcome at its expected rate."),
    ("Floor (nothing achieved)", report.floor,
     "No outcome reached: the base, less what penalties may take back (max_penalty)."),
], strict=True):
    widgets.total_metric(column, label, report, result, help_text)

st.header("What to encumber, by fiscal year")
st.caption("The maximum is what the district must encumber (the not-to-exceed); expected and floor show "
           "what it is likely to spend and the least it will spend, in the fiscal year each payment falls.")
show_table(encumbrance_by_fiscal_year(deal, [report.maximum, report.expected, report.floor]))

# What a finance office comes for (the encumbrance table and the files) comes first; the schedules
# of one scenario, their charts and the months after.
st.header("Download")
slug = widgets.slug(deal.name, "deal")
buttons = st.container(horizontal=True)
buttons.download_button(
    "Download the budget workbook (Excel)", **documents.workbook_download(deal), icon=":material/download:",
    type="primary", key=state.DOWNLOAD_WORKBOOK, on_click="ignore",
    help="Summary, rate card, scenarios, payment schedule and notes, every figure a live formula. "
         "Open it back as a deal with 'Upload a deal file' on the Home page.",
)
buttons.download_button(
    "Download the deal (JSON)", deal_to_json(deal), file_name=f"{slug}.json", mime="application/json",
    icon=":material/download:", key=state.DOWNLOAD_DEAL,
    help="The whole deal as a deal file. Open it again later with 'Upload a deal file' on the Home page.",
)
st.caption("Every figure in the workbook is a live formula over its inputs (in blue): change a rate in Excel "
           "and every total follows.")
st.markdown("**Documents for the RFP, the contract and the board**")
documents.document_downloads(deal, "budget")

st.header("Payments of one scenario")
results = {r.name: r for r in [report.expected, report.maximum, report.floor, *report.scenarios]}
choice = st.selectbox("Scenario to schedule", list(results), key=state.BUDGET_SCENARIO,
                      help="Expected, Maximum and Floor are always here; the rest are the deal's own "
                           "scenarios.")
result = results.get(choice, report.expected)
monthly = monthly_schedule(deal, result)
by_year = fiscal_year_schedule(deal, result)
st.caption(
    f"{result.name}: {widgets.money(result.total)} in total over {deal.term.months} months "
    f"from {deal.term.start}. "
    f"{widgets.percent(deal.term.base_upfront_share, 0)} of the base is paid in the first month, "
    "the rest evenly; each outcome is paid in its settle-up month."
)

st.header("By fiscal year")
show_table(by_year)
schedule_chart(by_year, "Fiscal year", f"Payments by fiscal year: {result.name}", "Fiscal year",
               state.FY_CHART)

st.header("By month")
schedule_chart(monthly, "Month", f"Payments by month: {result.name}", "Month (YYYY-MM)", state.MONTH_CHART)
show_table(monthly)
