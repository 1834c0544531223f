"""Deal & split: who and how many, the price, the base/pool split, the term and the district's side."""

import calendar

import plotly.graph_objects as go
import streamlit as st

from obc_calc.core.flags import SEF_MINIMUM, SHARE_HIGH, SHARE_LOW, TYPICAL_BAND, share_flags
from obc_calc.core.pricing import per_pupil_price, total_for
from obc_calc.core.students import change_students
from ui import charts, converters, documents, messages, state, tables, widgets

SHARE_HELP = (
    "The performance share is the part of the total cost paid only when outcomes are met (the "
    "performance pool); the rest is the base, paid whatever happens. Below 5% the incentive is too "
    "small to matter; above 60% the provider may not be able to run the program. Districts "
    "typically put 20% to 60% at risk; the SEF pilot asked for at least 40%."
)
STUDENTS_HELP = (
    "Students the contract plans to serve. The other counts of students keep their share of them when this "
    "changes: the students served on the Risk page and in each scenario, and each outcome's eligible "
    "students: 1,100 of 1,250 served becomes 684 of 777 (1,100 × 777 ÷ 1,250 = 683.76, rounded)."
)


def per_pupil_now() -> float:
    return per_pupil_price(state.current()).total


def share_changed(source: str, other: str) -> None:
    state.commit(source, ("performance_share",), scale=100.0)
    st.session_state[other] = st.session_state[source]


def total_changed() -> None:
    """Keep the total, show the new per-pupil price."""
    state.commit(state.F_TOTAL_COST, ("total_cost",))
    st.session_state[state.F_PER_PUPIL] = per_pupil_now()


def students_changed() -> None:
    """Keep the total; the other counts of students follow (obc_calc.core.students), and the page says how."""
    students, notices = st.session_state[state.F_STUDENTS], []
    if students is None:  # emptied, or sent out of the box's bounds, which Streamlit turns into empty
        refused = [f"Students: Enter a whole number from 1 to {widgets.STUDENTS_INPUT_MAX:,}."]
    else:
        candidate, notices = change_students(state.deal_data(), students)
        refused = state.apply(candidate)
    state.set_problems(state.F_STUDENTS, refused)
    if refused:
        st.session_state[state.F_STUDENTS] = state.current().students
    elif notices:
        state.flash(students_notice(notices), "info", ":material/group:")
    st.session_state[state.F_PER_PUPIL] = per_pupil_now()


def per_pupil_changed() -> None:
    """The per-pupil price drives the total cost for the current number of students."""
    price = st.session_state[state.F_PER_PUPIL]
    state.set_field(("total_cost",), total_for(price, state.current().students), state.F_PER_PUPIL)
    st.session_state[state.F_TOTAL_COST] = state.current().total_cost
    st.session_state[state.F_PER_PUPIL] = per_pupil_now()  # the kept price, when this one was refused


def students_notice(notices: list[str]) -> str:
    """What followed a change of students: the counts set elsewhere that kept their share."""
    lines = messages.bullets([messages.markdown_text(notice) for notice in notices])
    return (f"The deal is now for {state.current().students:,} students. Each count of students set "
            f"elsewhere keeps its share of them:\n\n{lines}")


def text_field(column, label: str, key: str, field: str, help_text: str | None = None) -> None:
    state.seed(key, getattr(state.current(), field))
    column.text_input(label, key=key, on_change=state.commit, args=(key, (field,)), help=help_text)


def share_band_chart(share: float) -> None:
    """One bar from 0% to 100% with the warning zones, the typical band and this deal's share."""
    fig = go.Figure()
    zones = [
        (0, SHARE_LOW, charts.PALETTE[1], "Below 5%: too small an incentive"),
        (SHARE_LOW, TYPICAL_BAND[0], "#d0d7de", "5% to 20%: allowed, below typical"),
        (TYPICAL_BAND[0], TYPICAL_BAND[1], charts.PALETTE[2], "20% to 60%: typical"),
        (SHARE_HIGH, 1.0, charts.PALETTE[1], "Above 60%: base may be too small"),
    ]
    for start, end, color, name in zones:
        fig.add_trace(go.Bar(x=[end - start], base=[start], y=["Share"], orientation="h", name=name,
                             marker_color=color, opacity=0.55, hoverinfo="name"))
    fig.add_trace(go.Scatter(x=[share], y=["Share"], mode="markers+text", name="This deal",
                             text=[widgets.percent(share)], textposition="top center",
                             textfont={"size": 14, "color": charts.INK},
                             marker={"size": 16, "color": charts.INK, "symbol": "diamond"}))
    fig.add_vline(x=SEF_MINIMUM, line_dash="dot", annotation_text="SEF pilot: 40%", annotation_position="top")
    fig.update_layout(barmode="overlay", height=240, showlegend=True,
                      yaxis={"visible": False},
                      xaxis={"range": [-0.01, 1.01], "tickvals": [0, 0.05, 0.2, 0.4, 0.6, 0.8, 1.0]})
    charts.show_chart(fig, "Where this split sits among common practice",
                      "Performance share (% of total cost)", "", x_percent=True, y_money=False,
                      key=state.SHARE_BAND_CHART)


deal = state.current()
st.title("Deal & split")
st.caption("Every change is checked at once. A change that would break the deal is explained and not "
           "applied.")

st.header("The deal")
left, right = st.columns(2)
text_field(left, "Deal name", state.F_NAME, "name")
text_field(right, "Program", state.F_PROGRAM, "program",
           "What the provider delivers, for example high-dosage math tutoring.")
text_field(left, "District (LEA)", state.F_DISTRICT, "district",
           "The local education agency buying the service.")
text_field(right, "Provider", state.F_PROVIDER, "provider", "The organization paid to deliver the service.")

st.header("Price")
state.seed(state.F_STUDENTS, deal.students)
columns = st.columns(3)
columns[0].number_input("Students", min_value=1, max_value=widgets.STUDENTS_INPUT_MAX, value=None, step=1,
                        key=state.F_STUDENTS, on_change=students_changed, help=STUDENTS_HELP)
widgets.money_input(
    columns[1], "Total cost ($)", state.F_TOTAL_COST, deal.total_cost, total_changed,
    help_text="The maximum contract value (not-to-exceed): base plus the whole performance pool. "
              "Changing it changes the per-pupil price.",
)
widgets.money_input(
    columns[2], "Price per pupil ($)", state.F_PER_PUPIL, per_pupil_now(), per_pupil_changed,
    help_text="Total cost divided by students. Changing it sets the total cost for the current students.",
)
for key in (state.F_STUDENTS, state.F_TOTAL_COST, state.F_PER_PUPIL):
    messages.show_problems(state.problems(key))
state.show_flash()
# Edits run in callbacks before this script, so `deal` is already the edited deal.
price = per_pupil_price(deal)
st.caption(f"Total cost {widgets.money(deal.total_cost)} for {deal.students:,} students: "
           f"{widgets.money(price.total, cents=True)} per pupil.")

st.header("Split between base and performance pool")
state.seed(state.SHARE_SLIDER, deal.performance_share * 100)
state.seed(state.SHARE_NUMBER, deal.performance_share * 100)
left, right = st.columns([3, 1])
left.slider("Performance share (%)", min_value=0.0, max_value=100.0, step=0.5, format="%.1f%%",
            key=state.SHARE_SLIDER, on_change=share_changed, args=(state.SHARE_SLIDER, state.SHARE_NUMBER),
            help=SHARE_HELP)
right.number_input("Exact share (%)", min_value=0.0, max_value=100.0, step=0.1, format="%.2f",
                   key=state.SHARE_NUMBER, on_change=share_changed,
                   args=(state.SHARE_NUMBER, state.SHARE_SLIDER), help=SHARE_HELP)
messages.show_problems(state.problems(state.SHARE_SLIDER) + state.problems(state.SHARE_NUMBER))
columns = st.columns(2)
columns[0].metric("Base (not tied to outcomes)", widgets.money(deal.base_max),
                  f"{widgets.money(price.base, cents=True)} per pupil",
                  delta_color="off", delta_arrow="off", border=True,
                  help="Total cost minus the performance pool: paid in full (fixed) or per student served.")
columns[1].metric("Performance pool (paid on outcomes)", widgets.money(deal.performance_pool),
                  f"up to {widgets.money(price.outcomes, cents=True)} per pupil",
                  delta_color="off", delta_arrow="off", border=True,
                  help="Total cost times the performance share, split among outcomes by weight.")
widgets.show_flags(share_flags(deal.performance_share), "This split is within the usual range: no flags.")
share_band_chart(deal.performance_share)

st.header("Base payments and term")
state.seed(state.F_BASE_BASIS, deal.base_basis)
st.radio(
    "Base basis", ["fixed", "per_student"], horizontal=True, key=state.F_BASE_BASIS,
    format_func={"fixed": "Fixed: paid in full", "per_student": "Per student served"}.get,
    on_change=state.commit, args=(state.F_BASE_BASIS, ("base_basis",)),
    help="Fixed: the whole base is due whatever the enrollment. Per student served: the base is "
         "a price per student, so it shrinks when fewer students are served.",
)
columns = st.columns(4)
state.seed(state.F_START, deal.term.start)
state.seed(state.F_MONTHS, deal.term.months)
state.seed(state.F_FY_START, deal.term.fiscal_year_start_month)
state.seed(state.F_UPFRONT, deal.term.base_upfront_share * 100)
columns[0].text_input("Start month (YYYY-MM)", key=state.F_START, on_change=state.commit,
                      args=(state.F_START, ("term", "start")),
                      help="The first month of service, such as 2026-09.")
columns[1].number_input("Term (months)", min_value=1, max_value=60, step=1, key=state.F_MONTHS,
                        on_change=state.commit, args=(state.F_MONTHS, ("term", "months")),
                        help="How many months the contract runs; the base is spread over them.")
columns[2].selectbox("Fiscal year starts in", list(range(1, 13)), key=state.F_FY_START,
                     format_func=lambda m: calendar.month_name[m], on_change=state.commit,
                     args=(state.F_FY_START, ("term", "fiscal_year_start_month")),
                     help="The district's fiscal year is named by the calendar year it ends in "
                          "(with a July start, July 2026 is in FY2027).")
columns[3].number_input("Base paid up front (%)", min_value=0.0, max_value=100.0, step=5.0, format="%.1f",
                        key=state.F_UPFRONT, on_change=state.commit,
                        args=(state.F_UPFRONT, ("term", "base_upfront_share"), 100.0),
                        help="Share of the base paid in the first month to help the provider's cash "
                             "flow; the rest is paid in equal monthly parts.")
for key in (state.F_BASE_BASIS, state.F_START, state.F_MONTHS, state.F_FY_START, state.F_UPFRONT,
            state.F_NAME, state.F_PROGRAM, state.F_DISTRICT, state.F_PROVIDER):
    messages.show_problems(state.problems(key))

st.header("District commitments")
st.caption(
    "Mutual accountability: what the district promises to do. If it misses these commitments, it pays "
    "the full contract value whatever the outcomes. Add a row with the + above the table's top right "
    "corner (it shows when the pointer is over the table) or by clicking its empty last row; select rows "
    "and press the bin to remove them."
)
frame = tables.base_frame(state.COMMITMENTS, lambda: converters.commitments_frame(state.deal_data()))
edited = st.data_editor(
    frame, key=tables.editor_key(state.COMMITMENTS), num_rows="dynamic", hide_index=True, placeholder="",
    column_config={
        "Commitment": st.column_config.TextColumn("Commitment", width="medium",
                                                  help="A short name, such as 'Monitor attendance'."),
        "Description": st.column_config.TextColumn("Description", width="large",
                                                   help="What exactly the district will do, and by when."),
    },
)
commitments = converters.commitments_from_frame(edited)
if commitments != state.deal_data().get("commitments", []):
    candidate = state.deal_data()
    candidate["commitments"] = commitments
    messages.show_problems(state.apply(candidate))

st.header("Documents")
st.caption("Built from this deal when you click, so they always agree with the calculator.")
documents.document_downloads(state.current(), "deal")

