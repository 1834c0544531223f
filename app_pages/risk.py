"""Risk: a Monte Carlo simulation of what the district may pay and the provider may earn (docs/risk.md)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import obc_calc.core.simulate as sim
from obc_calc.core.scenarios import expected
from obc_calc.io.dealfile import deal_from_json, deal_to_json
from ui import converters, messages, risk_runs, risk_tables, state, tables, widgets

TRIAL_CHOICES = (10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)
DEFAULT_TRIALS = 100_000
DEFAULT_SEED = 1
DEFAULT_EARNINGS_SHARE = 50.0
LOW, HIGH = converters.LOW, converters.HIGH
MONTE_CARLO_HELP = (
    "Monte Carlo simulation: the school year is played many times over (each play is a trial), with "
    "every uncertain quantity drawn at random within its plausible range, and each trial paid exactly "
    "by the rate card. The spread of the trials shows what could happen and how likely it is."
)
RANGE_HELP = (
    "A low but plausible achievement rate and a high but plausible one: about 1 year in 10 would come "
    "out below the low end, and 1 in 10 above the high end (the 10th and 90th percentiles). Leave both "
    "blank to hold the outcome at its expected rate in every trial. In a deal with student groups the rate "
    "is all groups' overall rate, and each group's rate moves with it; for a banded outcome it is the share "
    "of its students in bands that pay, and as it moves the paying bands keep their proportions among the "
    "paying students and the other bands theirs among the rest (docs/risk.md)."
)
CORRELATION_HELP = (
    "A bad year for one outcome is often a bad year for the others: a year with poor attendance tends to "
    "be a year with poor growth too. 0 means the outcomes are unrelated; 0.95 means they move almost "
    "together. Higher means wider swings in what the district pays, good years and bad, with the same "
    "average (statisticians call this the correlation)."
)
PERCENTILE_HELP = (
    "How far what the district pays can swing. Each row is an amount and how often the simulated years "
    "come out below or above it: the high row is exceeded in only 1 year in 20, a sensible amount to "
    "plan a reserve against (statisticians call these percentiles)."
)
SEED_HELP = ("Any whole number. The same number gives the same simulated years, so everyone in a room sees "
             "the same figures; another number gives another set of years, and shows how much the figures "
             "move by chance alone (this number is called the seed of the random draws).")
DRAWN_HELP = ("The range the simulated years really use: 1 year in 10 comes out below its low end and 1 in "
              "10 above its high end. It can sit a little off the range you typed, so that the average "
              "stays at the expected rate.")
EXPECTED_HELP = ("The rate card at the expected rates, with every planned student served and the commitments "
                 "kept.")


# ---- edits to the deal's risk fields ---------------------------------------------------------

def set_risk(values: dict, where: str) -> None:
    candidate = state.deal_data()
    risk = candidate.setdefault("risk", {})
    # Two inputs changed at once call this twice: after the first is refused and taken back, the
    # second finds nothing new and must leave the refusal on show.
    if all(risk.get(field) == value for field, value in values.items()):
        return
    risk.update(values)
    lines = state.apply(candidate)
    state.set_problems(where, lines)
    if lines:
        show_kept_risk()


def show_kept_risk() -> None:
    """After a refused edit the inputs show the deal's values again, not the refused ones."""
    deal = state.current()
    low, high = sim.served_range(deal)
    kept = {state.RISK_CORRELATION: deal.risk.correlation, state.RISK_SERVED_LOW: low,
            state.RISK_SERVED_HIGH: high,
            state.RISK_MISS: converters.percent(deal.risk.commitments_miss_probability)}
    for key, value in kept.items():
        if key in st.session_state:
            st.session_state[key] = value


def correlation_changed() -> None:
    # Rounded: a float slider can hand back 0.9500000000000001, which is above the 0.95 allowed.
    set_risk({"correlation": round(st.session_state[state.RISK_CORRELATION], 10)}, state.RISK_CORRELATION)


def miss_changed() -> None:
    # Rounded as the slider is: 33.3% is 0.333 in the deal, not 0.33299999999999996.
    share = round(converters.share(st.session_state[state.RISK_MISS]), 10)
    set_risk({"commitments_miss_probability": share}, state.RISK_MISS)


def served_toggled() -> None:
    """Switched on: start from 90% to 100% of the planned students; off: back to the default."""
    students = state.current().students
    if st.session_state[state.RISK_VARY_SERVED]:
        low, high = sim.starting_served_range(students)
        st.session_state[state.RISK_SERVED_LOW], st.session_state[state.RISK_SERVED_HIGH] = low, high
    else:
        low = high = None
        st.session_state.pop(state.RISK_SERVED_LOW, None)
        st.session_state.pop(state.RISK_SERVED_HIGH, None)
    set_risk({"students_served_low": low, "students_served_high": high}, state.RISK_SERVED_LOW)


def served_changed() -> None:
    low, high = st.session_state[state.RISK_SERVED_LOW], st.session_state[state.RISK_SERVED_HIGH]
    set_risk({"students_served_low": low, "students_served_high": high}, state.RISK_SERVED_LOW)


def apply_ranges(edited: pd.DataFrame) -> None:
    deal = state.deal_data()
    candidate = converters.ranges_from_frame(edited, deal)
    unchanged = converters.ranges_of(candidate) == converters.ranges_of(deal)
    state.set_problems(state.RISK_RANGES, [] if unchanged else state.apply(candidate))


def ranges_editor() -> None:
    st.markdown("**Achievement rate ranges**", help=RANGE_HELP)
    left, right = st.columns([3, 2])
    frame = tables.base_frame(state.RISK_RANGES, lambda: converters.ranges_frame(
        state.deal_data(), [o.rate for o in expected(state.current()).outcomes]))
    percent_column = {"min_value": 0.0, "max_value": 100.0, "step": 0.1, "format": "%.1f%%"}
    with left:
        edited = st.data_editor(
            frame, key=tables.editor_key(state.RISK_RANGES), hide_index=True, num_rows="fixed",
            disabled=["Outcome", "Expected (%)"],
            column_config={
                "Expected (%)": st.column_config.NumberColumn(
                    "Expected (%)", format="%.1f%%", help="Set on the Rate card page."),
                LOW: st.column_config.NumberColumn(LOW, help=RANGE_HELP, **percent_column),
                HIGH: st.column_config.NumberColumn(HIGH, help=RANGE_HELP, **percent_column),
            },
        )
    apply_ranges(edited)
    with right:
        drawn = st.column_config.TextColumn("Range drawn", help=DRAWN_HELP)
        st.dataframe(risk_tables.drawn_ranges(state.current()), hide_index=True,
                     column_config={"Range drawn": drawn})
    st.caption("Each simulated year draws every rate from a smooth curve that averages the expected rate and "
               "puts 8 years in 10 inside a range as wide as yours (a Beta distribution). Near 0% or 100% "
               "the ends shift a little to keep that average: the right-hand table shows the range used.")
    messages.show_problems(state.problems(state.RISK_RANGES))


def risk_settings_inputs() -> None:
    deal = state.current()
    st.markdown("**Deal-wide settings**")
    left, right = st.columns(2, gap="large")
    with left:
        correlation_input(deal)
        miss_input(deal)
    with right:
        served_inputs(deal)
    for where in (state.RISK_CORRELATION, state.RISK_MISS, state.RISK_SERVED_LOW):
        messages.show_problems(state.problems(where))


def correlation_input(deal) -> None:
    state.seed(state.RISK_CORRELATION, deal.risk.correlation)
    st.slider("How closely the outcomes move together (correlation)", 0.0, 0.95, step=0.05,
              key=state.RISK_CORRELATION, on_change=correlation_changed, help=CORRELATION_HELP)
    if deal.risk.correlation == 0:
        st.caption("0, the default: the outcomes are unrelated; a bad year for one says nothing about the "
                   "others.")
    else:
        st.caption(f"{deal.risk.correlation:.2f}: a bad year for one outcome is often a bad year for the "
                   "others, so what the district pays swings more widely than at 0, with the same average.")


def miss_input(deal) -> None:
    state.seed(state.RISK_MISS, converters.percent(deal.risk.commitments_miss_probability))
    st.number_input("Chance the district misses its commitments (%)", 0.0, 100.0, step=1.0, format="%.1f",
                    key=state.RISK_MISS, on_change=miss_changed,
                    help="In a trial where the district misses its own commitments (scheduling, attendance, "
                         "data), it pays the full contract value whatever the outcomes.")
    if deal.risk.commitments_miss_probability == 0:
        st.caption("0%, the default: the district always keeps its commitments.")


def served_inputs(deal) -> None:
    state.seed(state.RISK_VARY_SERVED, deal.risk.students_served_low is not None)
    st.toggle("Vary the number of students served", key=state.RISK_VARY_SERVED, on_change=served_toggled,
              help="Enrollment and attendance rarely go to plan. When on, each trial serves a whole "
                   "number of students drawn evenly between the two ends below.")
    if not st.session_state[state.RISK_VARY_SERVED]:
        st.caption(f"Not set, the default: every planned student ({deal.students:,}) is served in every "
                   "trial.")
        return
    low, high = sim.served_range(deal)
    state.seed(state.RISK_SERVED_LOW, low)
    state.seed(state.RISK_SERVED_HIGH, high)
    columns = st.columns(2)
    for column, key, label in ((columns[0], state.RISK_SERVED_LOW, "Fewest students served"),
                               (columns[1], state.RISK_SERVED_HIGH, "Most students served")):
        column.number_input(label, min_value=0, max_value=deal.students, step=10, key=key,
                            on_change=served_changed, help=f"At most the {deal.students:,} planned students.")


# ---- running ---------------------------------------------------------------------------------

def run_inputs() -> tuple[int, int]:
    left, right = st.columns([3, 1])
    left.select_slider("Simulated school years (trials)", TRIAL_CHOICES, format_func="{:,}".format,
                       **state.kept(state.RISK_TRIALS, DEFAULT_TRIALS),
                       help=f"How many school years to play. More trials give steadier figures (with 100,000 "
                            f"a probability is within about 0.3 percentage points) but take longer. Up to "
                            f"{risk_runs.AUTO_RUN_TRIALS:,} trials run by themselves; more wait for the Run "
                            "button.")
    right.number_input("Seed (same number, same figures)", min_value=0, step=1,
                       **state.kept(state.RISK_SEED, DEFAULT_SEED), help=SEED_HELP)
    return st.session_state[state.RISK_TRIALS], st.session_state[state.RISK_SEED]


# ---- results ---------------------------------------------------------------------------------

def probability_inputs(result: sim.SimulationResult) -> tuple[float, float]:
    """The budget line and earnings share the user asks about; shows the two probabilities."""
    deal = state.current()
    budget_key = f"{state.RISK_BUDGET}_{st.session_state[state.DEAL_VERSION]}"
    left, right = st.columns(2)
    widgets.money_input(left, "Budget line ($)", budget_key,
                        state.kept_values().get(budget_key, float(round(expected(deal).total))), state.keep,
                        (budget_key,), "An amount the district has budgeted; starts at the expected total.")
    messages.show_problems(state.problems(budget_key))  # typed text that is not an amount
    right.number_input("Provider's earnings share (% of the pool)", 0.0, 100.0, step=5.0, format="%.0f",
                       **state.kept(state.RISK_SHARE, DEFAULT_EARNINGS_SHARE),
                       help="A share of the performance pool the provider needs to earn, such as half.")
    budget, share = st.session_state[budget_key], converters.share(st.session_state[state.RISK_SHARE])
    over = sim.probability_total_exceeds(result, budget)
    under = sim.probability_earnings_below(result, share)
    left.metric(f"Probability the district pays more than {widgets.money(budget)}", widgets.percent(over),
                border=True)
    right.metric(f"Probability the provider earns less than {widgets.percent(share, 0)} of the pool "
                 f"({widgets.money(sim.earnings_line(result, share))})", widgets.percent(under), border=True)
    return budget, 1 - over


def expected_and_average(deal, run: risk_tables.RunFigures, trials: int) -> None:
    """The Expected total and the simulated average side by side, and why they differ."""
    left, right = st.columns(2)
    left.metric("Expected total", widgets.money(run.gap.expected), help=EXPECTED_HELP, border=True)
    difference = run.gap.simulated - run.gap.expected
    right.metric("Simulated average total", widgets.money(run.gap.simulated), border=True,
                 delta=f"{widgets.money(difference)} against Expected", delta_color="off")
    st.caption(risk_tables.gap_sentence(run.gap, deal, trials))


@st.fragment
def results(inputs: risk_runs.Inputs, out_of_date: str | None) -> None:
    """A fragment: a new budget line or earnings share redraws this part of the page alone."""
    deal_json, trials, seed = inputs
    deal = deal_from_json(deal_json) if out_of_date else state.current()
    result, run = risk_runs.simulated(*inputs), risk_runs.figures(*inputs)
    st.header("What the district may pay", help=MONTE_CARLO_HELP)
    if out_of_date:
        st.warning(out_of_date, icon=":material/history:")
    expected_and_average(deal, run, trials)
    budget, at_most = probability_inputs(result)
    risk_runs.histogram(*inputs, budget, deal, result, run.bars)
    if deal.risk.commitments_miss_probability > 0:
        st.caption("The bar at the maximum is the trials in which the district missed its commitments and so "
                   "pays the full contract value.")
    risk_runs.cumulative(*inputs, budget, at_most, deal, run.curve)
    st.markdown("**The spread, in dollars**", help=PERCENTILE_HELP)
    st.caption(f"{trials:,} simulated school years (trials), seed {seed}: the same seed always gives the "
               "same figures. The district total is the base plus outcome payments; the provider's outcome "
               "earnings are the outcome payments alone, the part of its revenue at risk.")
    st.dataframe(run.spread, hide_index=True, column_config=widgets.right_aligned(
        ["District total", "Provider's outcome earnings", "Earnings as share of the pool"]))
    st.markdown("**Each outcome's expected payment**")
    st.caption("An outcome that pays unevenly (a threshold, steps or a cap) averages a different payment "
               "from its payment at the expected rate; fewer students served or missed commitments change "
               "it too.")
    st.dataframe(run.payments, hide_index=True, column_config=widgets.right_aligned(
        ["Allocation", "Expected payment (simulated average)", "Share of allocation",
         "Payment at the expected rate"]))


st.title("Risk")
st.caption("Nobody knows next spring's achievement rates. This page plays the school year many times over "
           "with the rates, enrollment and the district's own commitments drawn at random within what you "
           "say is plausible, and pays every trial by the rate card.", help=MONTE_CARLO_HELP)
st.header("What is uncertain")
ranges_editor()
risk_settings_inputs()
st.info(risk_tables.assumptions_text(state.current()), icon=":material/casino:")
if sim.nothing_uncertain(state.current()):
    st.warning("Nothing in this deal is uncertain yet, so every trial is the expected case. Give outcomes a "
               "low and a high rate above, vary the students served, or set a chance that the district "
               "misses its commitments.", icon=":material/info:")

st.header("Run")
trials, seed = run_inputs()
shown = risk_runs.run_to_show(trials, seed)
if shown is not None:
    results(*shown)

st.header("Sensitivity")
st.caption("Each bar moves one outcome across its range with every other outcome at its expected rate, all "
           "planned students served and the commitments kept: orange and hatched is the total with the "
           "outcome at the low end of its range, blue and plain at the high end. The widest swing is on top.")
risk_runs.sensitivity(deal_to_json(state.current()), state.current())
