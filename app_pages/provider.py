"""Provider view: the deal from the provider's side (margin, break-even, cash flow) and per-pupil pricing."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from obc_calc.core.pricing import (
    PerPupilPrice,
    per_pupil_price,
    pool_for,
    priced_deal,
    prices_match,
    total_and_share,
)
from obc_calc.core.provider import (
    DeliveryCost,
    break_even_rate,
    cash_flow,
    max_shortfall,
    provider_scenarios,
    revenue_at_rate,
    starting_cost,
    worst_month,
)
from ui import charts, messages, state, widgets

COSTS = (state.PROVIDER_FIXED, state.PROVIDER_PER_STUDENT)  # kept together while moving between pages
FIXED_HELP = ("What delivering the program costs the provider whatever the enrollment: program management, "
              "training, software, recruiting tutors.")
PER_STUDENT_HELP = ("What each student served costs the provider: tutor hours, materials. Fewer students "
                    "served lowers the cost along with any per-student base.")
BREAK_EVEN_HELP = ("The one achievement rate, applied to every outcome, at which the base plus the outcome "
                   "payments cover the provider's cost, with every planned student served.")
SHORTFALL_HELP = ("Costs paid so far minus payments received so far, at its largest month, in the expected "
                  "case: what the provider must finance (credit line, reserves) while outcome payments "
                  "are pending. $0 when payments always keep up with costs.")


# ---- delivery cost ---------------------------------------------------------------------------

def costs_entered() -> bool:
    return COSTS[0] in state.kept_values()  # the two are kept together


def cost_inputs() -> DeliveryCost:
    start = starting_cost(state.current())  # until the user enters the provider's figures
    kept = state.kept_values()  # the figures entered, kept while moving between pages
    left, right = st.columns(2)
    fixed = widgets.money_input(left, "Fixed delivery cost ($)", COSTS[0], kept.get(COSTS[0], start.fixed),
                                state.keep, COSTS, FIXED_HELP)
    per_student = widgets.money_input(right, "Delivery cost per student served ($)", COSTS[1],
                                      kept.get(COSTS[1], start.per_student), state.keep, COSTS,
                                      PER_STUDENT_HELP)
    messages.show_problems(state.problems(COSTS[0]) + state.problems(COSTS[1]))
    if not costs_entered():
        st.caption("Starting figures: no fixed cost and a cost per student halfway between the base and the "
                   "full price per pupil. Enter the provider's own costs.")
    return DeliveryCost(fixed, per_student)


# ---- figures ---------------------------------------------------------------------------------

def margin_table(cost: DeliveryCost) -> None:
    rows = []
    for scenario in provider_scenarios(state.current(), cost):
        rows.append({"Scenario": scenario.name, "Revenue": widgets.money(scenario.revenue),
                     "Cost": widgets.money(scenario.cost), "Margin": widgets.money(scenario.margin),
                     "Margin (% of revenue)": widgets.percent(scenario.margin_share)})
    help_texts = {
        "Revenue": "What the district pays the provider: base plus outcome payments.",
        "Cost": "Fixed cost plus the cost per student served.",
        "Margin": "Revenue minus cost; negative is a loss.",
        "Margin (% of revenue)": "Margin divided by revenue.",
    }
    columns = {name: st.column_config.TextColumn(name, help=text, alignment="right")
               for name, text in help_texts.items()}
    st.dataframe(rows, hide_index=True, width="stretch", column_config=columns)
    st.caption("Expected: every outcome at its expected rate. The other rows are the deal's scenarios "
               "(Scenarios page).")


def break_even(cost: DeliveryCost) -> None:
    deal = state.current()
    rate = break_even_rate(deal, cost)
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.metric("Break-even achievement rate", "None" if rate is None else widgets.percent(rate),
                help=BREAK_EVEN_HELP, border=True)
    need = cost.for_students(deal.students)
    if rate is None:
        right.warning(f"No break-even: even with every outcome fully achieved the deal pays "
                      f"{widgets.money(revenue_at_rate(deal, 1.0))}, less than the {widgets.money(need)} "
                      f"it costs to serve {deal.students:,} students.", icon=":material/warning:")
    elif rate == 0:
        right.info(f"The base alone ({widgets.money(revenue_at_rate(deal, 0.0))}) covers the "
                   f"{widgets.money(need)} it costs to serve {deal.students:,} students: the provider breaks "
                   "even with no outcome achieved.", icon=":material/info:")
    else:
        right.info(f"With every outcome at {widgets.percent(rate)} or more, base and outcome payments cover "
                   f"the {widgets.money(need)} it costs to serve all {deal.students:,} students.",
                   icon=":material/info:")


def cash_flow_chart(cost: DeliveryCost) -> None:
    deal = state.current()
    flow = cash_flow(deal, cost)
    largest = max_shortfall(deal, cost)
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.metric("Largest shortfall to finance", widgets.money(largest), help=SHORTFALL_HELP, border=True)
    if largest > 0:
        right.caption(f"In the expected case the provider is furthest behind in {worst_month(flow)}: it has "
                      f"paid {widgets.money(largest)} more in costs than it has received.")
    else:
        right.caption("In the expected case payments keep up with costs every month: nothing to finance.")
    fig = go.Figure()
    fig.add_trace(go.Bar(x=flow["Month"], y=flow["Payments received"], name="Payments received",
                         marker_color=charts.PALETTE[0], hovertemplate="$%{y:,.0f}"))
    fig.add_trace(go.Bar(x=flow["Month"], y=flow["Costs paid"], name="Costs paid",
                         marker_color=charts.PALETTE[1], hovertemplate="$%{y:,.0f}"))
    fig.add_trace(go.Scatter(x=flow["Month"], y=flow["Shortfall"], name="Cumulative shortfall",
                             mode="lines+markers", line={"color": charts.ALERT_RED, "width": 3},
                             hovertemplate="$%{y:,.0f}"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    charts.show_chart(fig, "Expected case, month by month: what the provider receives and spends", "Month",
                      "Dollars ($)", key=state.PROVIDER_CASH_FLOW)
    st.caption("Costs are spread evenly over the term's months; payments follow the deal's schedule (Budget "
               "page). The shortfall is costs paid to date minus payments received to date, never below $0.")


# ---- per-pupil pricing -----------------------------------------------------------------------


def apply_pricing() -> None:
    """Set students, total cost and share from the entered prices (obc_calc.core.pricing.priced_deal),
    through the validated edit path."""
    students, price = quoted()
    candidate, notices = priced_deal(state.deal_data(), price, students)
    lines = state.apply(candidate)
    state.set_problems(state.PP_APPLY, lines)
    if not lines:
        if not costs_entered():  # the starting costs follow the new price
            for key in COSTS:
                st.session_state.pop(key, None)
        deal = state.current()  # the applied deal: its figures are the ones to confirm
        followed = messages.bullets([messages.markdown_text(notice) for notice in notices])
        state.flash(f"The deal is now {widgets.money(deal.total_cost)} for {deal.students:,} students, "
                    f"{widgets.percent(deal.performance_share)} on outcomes."
                    + (f"\n\n{followed}" if notices else ""))


def quoted() -> tuple[int, PerPupilPrice]:
    """The students and the per-pupil prices entered in the quote."""
    return (st.session_state[state.PP_STUDENTS],
            PerPupilPrice(st.session_state[state.PP_BASE], st.session_state[state.PP_OUTCOMES]))


def pricing_section() -> None:
    st.header("Per-pupil pricing")
    st.caption("Districts and providers often quote a deal per student: a base price plus up to an outcome "
               "price (Duval County: $670 + up to $750). Enter such a quote to see the total and the split, "
               "and apply it to the deal.")
    price = per_pupil_price(state.current())  # the quote starts from the deal's own prices
    state.seed(state.PP_STUDENTS, state.current().students)
    columns = st.columns(3)
    widgets.money_input(columns[0], "Base price per student ($)", state.PP_BASE, price.base,
                        help_text="Paid per student whatever the outcomes.")
    widgets.money_input(columns[1], "Outcome price per student, at most ($)", state.PP_OUTCOMES,
                        price.outcomes, help_text="The most paid per student when every outcome is met.")
    messages.show_problems(state.problems(state.PP_BASE) + state.problems(state.PP_OUTCOMES))
    columns[2].number_input("Students", min_value=1, max_value=widgets.STUDENTS_INPUT_MAX, step=1,
                            key=state.PP_STUDENTS,
                            help="Students the contract plans to serve. When applied, the other counts of "
                                 "students keep their share of them, as on the Deal & split page.")
    students, price = quoted()
    total, share = total_and_share(price, students)
    columns = st.columns(3, vertical_alignment="bottom")
    columns[0].metric("Total cost", widgets.money(total),
                      f"{widgets.money(price.total, cents=True)} per student",
                      delta_color="off", delta_arrow="off", border=True)
    columns[1].metric("Performance share", widgets.percent(share),
                      f"pool {widgets.money(pool_for(price, students))}",
                      delta_color="off", delta_arrow="off", border=True)
    applied = prices_match(state.current(), price, students)
    columns[2].button("Apply to the current deal", on_click=apply_pricing, type="primary",
                      disabled=applied or total <= 0, icon=":material/check:",
                      help="Sets the deal's students, total cost and performance share from these prices.")
    if applied:
        columns[2].caption("These prices are the current deal's.")
    messages.show_problems(state.problems(state.PP_APPLY))
    state.show_flash()
    current_prices()


def current_prices() -> None:
    deal = state.current()
    price = per_pupil_price(deal)
    st.markdown(f"**The current deal per pupil** ({deal.name})")
    columns = st.columns(3)
    columns[0].metric("Base per pupil", widgets.money(price.base, cents=True), border=True)
    columns[1].metric("Outcomes per pupil, at most", widgets.money(price.outcomes, cents=True), border=True)
    columns[2].metric("Price per pupil", widgets.money(price.total, cents=True),
                      f"{widgets.money(deal.total_cost)} for {deal.students:,} students", delta_color="off",
                      delta_arrow="off", border=True)


# ---- the page --------------------------------------------------------------------------------

st.title("Provider view")
st.caption(f"{state.current().name}, seen from the provider's side: what it earns against what delivery "
           "costs, the achievement it needs to break even, and the cash it must carry until outcome "
           "payments arrive.")
st.header("The provider's delivery cost")
delivery = cost_inputs()
st.header("Margin by scenario")
margin_table(delivery)
st.header("Break-even")
break_even(delivery)
st.header("Cash flow")
cash_flow_chart(delivery)
pricing_section()
