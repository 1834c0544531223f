"""Rate card: the outcomes, how each pays, its share of the pool, and its payment curve; import a rate card
kept as a spreadsheet."""


import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from obc_calc.core.bases import BASES, LABELS, describe_basis
from obc_calc.core.errors import DealError
from obc_calc.core.grid import achievement_rates, payment_curve
from obc_calc.core.groups import unit_price
from obc_calc.core.limits import MAX_UPLOAD_MB
from obc_calc.core.model import DATA_SOURCES, Deal
from obc_calc.core.pricing import weights_add_up
from obc_calc.core.scenarios import expected, maximum
from obc_calc.io.ratecard import RateCard, deal_with_rate_card, read_rate_card
from obc_calc.io.tiers import TIER_SYNTAX_HELP, tiers_to_text
from ui import charts, converters, group_editors, messages, state, tables, widgets

BASIS_HELP = (
    "How the outcome pays. Per student: a price for each student who meets the threshold. Cohort threshold: "
    "all of its allocation once the target rate is reached. Tiered: a share of it by bands of the rate. "
    "Graduated: rising in a line from the floor to the target. Per student, banded: a share of the price per "
    "student by the band of each student's measured growth, edited under Bands below (a negative band is a "
    "penalty).")
EXAMPLE_CARD = state.ROOT / "sample_data" / "rate_card_example.csv"


def rescale(edited: pd.DataFrame) -> None:
    """on_click: the weights scaled to add up to 100%, keeping their proportions."""
    tables.replace_frame(state.RATE_CARD_TABLE, converters.rescaled(edited))


# The columns up to Month paid fit 1440 px (widths in pixels; labels without '(%)', since the cells show
# it). The name is not required: the browser would hold back a row without one, and say nothing.
def column_config() -> dict:
    percent = dict(min_value=0.0, max_value=100.0, step=0.1, format="%.1f%%")
    new = converters.NEW_ROW
    return {
        "Outcome": st.column_config.TextColumn("Outcome", pinned=True, width=115,
                                               help="A short, unique name for the outcome."),
        "Metric": st.column_config.TextColumn(
            "Metric", width=150,
            help="What is measured and with which instrument, e.g. i-Ready scale-score growth."),
        "Threshold": st.column_config.TextColumn(
            "Threshold", width=115,
            help="The per-student level that counts as success, e.g. one year of growth."),
        "Threshold value": st.column_config.NumberColumn(
            "Threshold value", help="Optional number for the threshold, in the metric's own units."),
        "Basis": st.column_config.SelectboxColumn(
            "Basis", options=list(BASES), required=True, default=new["Basis"], width=135,
            format_func=LABELS.get,
            help=BASIS_HELP),
        "Weight (%)": st.column_config.NumberColumn(
            "Weight", default=new["Weight (%)"], width=80,
            help="Share of the performance pool on this outcome. Weights must add up to 100%; put more on "
                 "outcomes the provider can more readily reach.",
            **percent),
        "Expected rate (%)": st.column_config.NumberColumn(
            "Expected rate", default=new["Expected rate (%)"], width=125,
            help="The share of eligible students you expect to meet the threshold; drives the expected cost. "
                 "A banded outcome reads its expected band shares instead (under Bands).",
            **percent),
        "Target rate (%)": st.column_config.NumberColumn(
            "Target rate", help="Cohort threshold and graduated only: the achievement rate that "
            "earns the whole allocation. Ignored for other bases.", **percent),
        "Floor rate (%)": st.column_config.NumberColumn(
            "Floor rate", help="Graduated only: at or below this rate nothing is paid (blank = 0%). "
            "Ignored for other bases.", **percent),
        "Tiers": st.column_config.TextColumn(
            "Tiers", width="medium",
            help=f"Tiered only, rising: 30%:50%, 40%:100% pays half the allocation from 30% achievement "
            f"and all of it from 40%. {TIER_SYNTAX_HELP} Ignored for other bases."),
        "Eligible students": st.column_config.NumberColumn(
            "Eligible students", min_value=1, step=1, format="%d",
            help="Students this outcome counts; blank means every student in the deal. In a deal with "
                 "student groups, leave it blank for per-student outcomes: the groups say who counts."),
        "Data source": st.column_config.SelectboxColumn(
            "Data source", options=list(DATA_SOURCES), required=True, default=new["Data source"], width=105,
            help="Who supplies the verified data: the district, the provider or a third party."),
        "Month paid": st.column_config.NumberColumn(
            "Month paid", min_value=1, step=1, format="%d", width=110,
            help="Month of the term in which this outcome is settled and paid; blank means the last month."),
    }


def allocation_table() -> None:
    deal = state.current()
    rows = []
    for outcome in deal.outcomes:
        priced = BASES[outcome.basis].per_head or BASES[outcome.basis].banded
        rows.append({
            "Outcome": outcome.name,
            "Basis": LABELS[outcome.basis],
            "Weight": widgets.percent(outcome.weight),
            "Allocation": widgets.money(deal.allocation(outcome)),
            "Price per student": widgets.money(unit_price(deal, outcome), cents=True) if priced else "—",
        })
    help_text = ("Per student: paid for each achiever; banded: times the payout of the student's band."
                 + (" With student groups, at a multiplier of 1: see Price by group." if deal.student_groups
                    else ""))
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=widgets.right_aligned(
        ["Allocation", "Weight"]) | {"Price per student": st.column_config.TextColumn(
            alignment="right", help=help_text)})
    st.markdown("\n".join(f"- **{o.name}**: {describe_basis(o)}" for o in deal.outcomes))


def curves_chart() -> None:
    deal = state.current()
    rates = achievement_rates(1001)
    fig = go.Figure()
    for outcome, at_expected in zip(deal.outcomes, expected(deal).outcomes, strict=True):
        fig.add_trace(go.Scatter(x=rates, y=payment_curve(deal, outcome, rates), mode="lines",
                                 name=outcome.name, line_shape="linear"))
        # The curve moves a banded outcome's share in paying bands, and a grouped outcome's overall
        # rate with its groups in proportion (docs/risk.md), so it passes through the expected case.
        fig.add_trace(go.Scatter(x=[at_expected.rate], y=[at_expected.payment], mode="markers",
                                 name=f"{outcome.name}: expected", showlegend=False,
                                 marker={"size": 10, "symbol": "circle-open", "line": {"width": 2}}))
    charts.show_chart(fig, "Payment by achievement rate (circles: expected rate)",
                      "Achievement rate (% of eligible students meeting the threshold; for a banded "
                      "outcome, in bands that pay)", "Payment ($)",
                  x_percent=True, key=state.RATE_CARD_CURVES)


# ---- importing a rate card kept as a spreadsheet ----------------------------------------------

def adopt_card(deal: Deal, count: int, file_name: str) -> None:
    """on_click: the checked deal with the card's outcomes replaces the deal; every editor starts again."""
    state.load(deal)
    state.empty_uploader(state.RATE_CARD_UPLOADER)  # its outcomes are in the deal now
    st.session_state[state.RATE_CARD_MESSAGE] = (
        f"Replaced the rate card with the {count} outcomes of {messages.markdown_text(file_name)}.")


def card_preview(card: RateCard, deal: Deal) -> pd.DataFrame:
    """The outcomes as the deal will hold them, each with the row of the file it came from."""
    return pd.DataFrame([{
        "File row": row, "Outcome": o.name, "Basis": LABELS[o.basis], "Weight": widgets.percent(o.weight),
        "Allocation": widgets.money(deal.allocation(o)), "Expected rate": widgets.percent(o.expected_rate),
        "Target rate": widgets.percent_or_dash(o.target_rate),
        "Floor rate": widgets.percent_or_dash(o.floor_rate),
        "Tiers": tiers_to_text([t.model_dump() for t in o.tiers or []]) or "—",
        "Month paid": deal.paid_in_month(o), "Eligible students": f"{deal.eligible(o):,}",
        "Data source": o.data_source, "Metric": o.metric, "Threshold": o.threshold,
    } for row, o in zip(card.rows, deal.outcomes, strict=True)])


def show_card(card: RateCard, deal: Deal, file_name: str) -> None:
    """Preview a readable card, what it changes, and the button that adopts it."""
    where = f" (sheet {card.sheet})" if card.sheet else ""
    st.markdown(f"**{len(card.outcomes)} outcomes found in {messages.markdown_text(file_name)}{where}:**")
    st.dataframe(card_preview(card, deal), hide_index=True, column_config=widgets.right_aligned(
        ["Weight", "Allocation", "Expected rate", "Target rate", "Floor rate", "Eligible students"]))
    now = state.current()
    dropped = [o.name for o in now.outcomes if o.name not in {c.name for c in deal.outcomes}]
    notes = [f"At the expected rates the district would pay **{widgets.money(expected(deal).total)}** "
             f"(now {widgets.money(expected(now).total)}); "
             f"the maximum stays {widgets.money(maximum(deal).total)}."]
    if dropped:
        notes.append("Not on this card, so removed with their scenario rates: "
                     + ", ".join(messages.markdown_text(name) for name in dropped) + ".")
    st.markdown("\n".join(f"- {note}" for note in notes))
    st.button(f"Replace the rate card with these {len(card.outcomes)} outcomes", type="primary",
              icon=":material/published_with_changes:", key=state.RATE_CARD_REPLACE, on_click=adopt_card,
              args=(deal, len(card.outcomes), file_name),
              help="The deal's outcomes become the file's; the price, split, term and scenarios stay.")


def import_section() -> None:
    st.file_uploader(
        "Rate card file (CSV or Excel .xlsx)", type=["csv", "txt", "xlsx"],
        key=state.uploader_key(state.RATE_CARD_UPLOADER),
        help="One row per outcome, a header row naming the columns like the deal format's outcome fields: "
             "name (required), metric, threshold, threshold_value, basis, weight, expected_rate, "
             "eligible_students, target_rate, floor_rate, tiers, data_source, paid_in_month. Rates may be "
             "written 0.25 or 25%; tiers as 20%:50%; 30%:100%. See sample_data/rate_card_example.csv. "
             f"Up to {MAX_UPLOAD_MB} MB.",
    )
    st.download_button(
        "Download an example rate card", EXAMPLE_CARD.read_bytes(), file_name=EXAMPLE_CARD.name,
        mime="text/csv", icon=":material/download:", key=state.RATE_CARD_EXAMPLE, on_click="ignore",
        help="sample_data/rate_card_example.csv: the expected columns, filled in with four outcomes "
             "(one of each basis).",
    )
    upload = st.session_state.get(state.uploader_key(state.RATE_CARD_UPLOADER))
    if upload is None:
        return
    try:
        card = read_rate_card(upload.getvalue(), upload.name)
        deal = deal_with_rate_card(state.current(), card)
    except DealError as error:
        lines = messages.first_problems(
            [messages.markdown_text(messages.cell_sentence(p)) for p in error.problems])
        st.error(f"{messages.markdown_text(upload.name)} cannot be used as this deal's rate card:"
                 "\n\n" + messages.bullets(lines) + "\n\nThe deal is unchanged.")
        return
    show_card(card, deal, upload.name)


st.title("Rate card")
# Nothing varies above the expander: moving it would close it in the browser.
with st.expander("Import a rate card from a spreadsheet (CSV or Excel)", icon=":material/upload_file:"):
    import_section()
if state.RATE_CARD_MESSAGE in st.session_state:
    st.success(st.session_state.pop(state.RATE_CARD_MESSAGE))
st.caption(
    "One row per outcome. Edit cells directly. Add an outcome with the + above the table's top right "
    "corner (it shows when the pointer is over the table) or by clicking its empty last row; remove one by "
    "selecting its row at the left edge and pressing the bin there. Scroll the table sideways for the rest "
    "of the columns. Only the fields the chosen basis uses are read."
)
deal_before = state.deal_data()
frame = tables.base_frame(state.RATE_CARD_TABLE, lambda: converters.rate_card_frame(state.deal_data()))
edited = st.data_editor(
    frame, key=tables.editor_key(state.RATE_CARD_TABLE), num_rows="dynamic", hide_index=True, placeholder="",
    column_order=converters.RATE_CARD_COLUMNS, column_config=column_config(),
)
edited.attrs = dict(frame.attrs)
candidate, parse_errors = converters.rate_card_from_frame(edited, state.deal_data())
if parse_errors:
    messages.show_problems(parse_errors)
elif candidate != state.deal_data():
    messages.show_problems(state.apply(candidate))
    weights = converters.weights_of(candidate)
    if weights and not weights_add_up(weights):  # an empty table has no proportions to rescale
        st.button("Rescale weights to 100%", type="primary", icon=":material/balance:",
                  on_click=rescale, args=(edited,),
                  help="Keep the weights' proportions and scale them so they add up to 100%.")

group_names, group_builds = group_editors.groups_section()
band_names, band_builds = group_editors.bands_section()
if state.deal_data() != deal_before:  # a table changed the deal: every editor starts again from it
    group_editors.refresh(group_names + band_names, group_builds + band_builds)

deal = state.current()
st.header("Allocations")
st.caption(
    f"Performance pool {widgets.money(deal.performance_pool)} ({widgets.percent(deal.performance_share)} of "
    f"{widgets.money(deal.total_cost)}), split by weight."
)
allocation_table()
expected_result, maximum_result = expected(deal), maximum(deal)
st.markdown(
    f"At the expected rates the district pays **{widgets.money(expected_result.total)}** of the "
    f"{widgets.money(maximum_result.total)} maximum "
    f"({widgets.percent(expected_result.pool_earned_share)} of the pool)."
)
curves_chart()
