"""Risk: a Monte Carlo simulation of what the district may pay and the provider may earn (docs/risk.md)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

import obc_calc.core.simulate as sim
from obc_calc.core.scenarios import expected
from obc_calc.io.dealfile import deal_from_json, deal_to_json
from ui import converters, messages, risk_charts, risk_tables, state, tables, widgets

TRIAL_CHOICES = (10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)
DEFAULT_TRIALS = 100_000
AUTO_RUN_TRIALS = 100_000  # at most this many trials run by themselves (well under a second)
DEFAULT_SEED = 1
DEFAULT_EARNINGS_SHARE = 50.0
HISTOGRAM_BINS = 60
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
    "How strongly the outcomes rise and fall together, from 0 (independently) to 0.95 (almost in step). "
    "Dosage and growth usually move together: a year with good attendance tends to be a year with good "
    "growth. Correlation leaves each outcome's average unchanged but widens the spread of the total."
)
PERCENTILE_HELP = (
    "The Nth percentile is the amount that N% of trials come out at or below: the 95th percentile of the "
    "total is exceeded in only 1 trial in 20."
)
SEED_HELP = ("The starting point of the random draws: the same deal, trials and seed always give the same "
             "figures.")


# (result, histogram bars, cumulative curve). A plain tuple: the cache pickles it, and a class
# defined in a page script cannot be pickled.
RiskRun = tuple[sim.SimulationResult, pd.DataFrame, pd.DataFrame]


@st.cache_data(max_entries=8, show_spinner=False)
def run_simulation(deal_json: str, trials: int, seed: int) -> RiskRun:
    """Keyed on the deal's JSON, the trials and the seed: moving between pages reruns nothing.

    The chart data is cached with the result, so that a rerun only draws the page. The progress
    bar is made here, not passed in: the cache replays what a cached function drew, which works
    only for elements the function made itself.
    """
    bar = st.progress(0.0, text=f"Simulating {trials:,} trials")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Simulating: {done:,} of {total:,} trials")

    result = sim.simulate(deal_from_json(deal_json), trials, seed, progress=progress)
    bar.empty()
    return result, sim.histogram(result.totals, HISTOGRAM_BINS), sim.cumulative(result.totals)


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
        drawn = st.column_config.TextColumn(
            "Range drawn", help="The 10th to 90th percentile of the Beta distribution the trials draw from.")
        st.dataframe(risk_tables.drawn_ranges(state.current()), hide_index=True,
                     column_config={"Range drawn": drawn})
    st.caption("A range becomes a Beta distribution with the expected rate as its average and the range's "
               "width between its 10th and 90th percentiles; the ends can shift a little, as shown on the "
               "right.")
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
    st.slider("Correlation between outcomes", 0.0, 0.95, step=0.05, key=state.RISK_CORRELATION,
              on_change=correlation_changed, help=CORRELATION_HELP)
    if deal.risk.correlation == 0:
        st.caption("0, the default: the outcomes vary independently of each other.")


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
    left.select_slider("Trials", TRIAL_CHOICES, format_func="{:,}".format,
                       **state.kept(state.RISK_TRIALS, DEFAULT_TRIALS),
                       help=f"How many school years to play. More trials give steadier figures (with 100,000 "
                            f"a probability is within about 0.3 percentage points) but take longer. Up to "
                            f"{AUTO_RUN_TRIALS:,} trials run by themselves; more wait for the Run button.")
    right.number_input("Seed", min_value=0, step=1, **state.kept(state.RISK_SEED, DEFAULT_SEED),
                       help=SEED_HELP)
    return st.session_state[state.RISK_TRIALS], st.session_state[state.RISK_SEED]


def run_id(deal_json: str, trials: int, seed: int) -> str:
    return hashlib.sha256(f"{trials}:{seed}:{deal_json}".encode()).hexdigest()


def simulation(trials: int, seed: int) -> RiskRun | None:
    """The cached run for the current inputs; None while a large run waits for its button."""
    deal_json = deal_to_json(state.current())
    runs = st.session_state.setdefault(state.RISK_RUNS, set())
    this_run = run_id(deal_json, trials, seed)
    waiting = trials > AUTO_RUN_TRIALS and this_run not in runs
    button = st.empty()  # so the button can go once its run is done
    if waiting and not button.button(f"Run {trials:,} trials", type="primary", icon=":material/play_arrow:"):
        st.info(f"Press Run to simulate {trials:,} trials. Runs of up to {AUTO_RUN_TRIALS:,} trials "
                "start by themselves whenever the deal or the inputs change.", icon=":material/info:")
        return None
    run = run_simulation(deal_json, trials, seed)
    button.empty()
    runs.add(this_run)
    return run


# ---- results ---------------------------------------------------------------------------------

def probability_inputs(result: sim.SimulationResult) -> tuple[float, float]:
    """The budget line and earnings share the user asks about; shows the two probabilities."""
    deal = state.current()
    budget_key = f"{state.RISK_BUDGET}_{st.session_state[state.DEAL_VERSION]}"
    left, right = st.columns(2)
    left.number_input("Budget line ($)", min_value=0.0, max_value=widgets.MONEY_INPUT_MAX, step=10_000.0,
                      format="%.0f", **state.kept(budget_key, float(round(expected(deal).total))),
                      help="An amount the district has budgeted; starts at the expected total.")
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


def results(run: RiskRun) -> None:
    result, bars, curve = run
    st.subheader("What the district may pay", help=MONTE_CARLO_HELP)
    budget, at_most = probability_inputs(result)
    risk_charts.histogram_chart(state.current(), result, bars, budget)
    if state.current().risk.commitments_miss_probability > 0:
        st.caption("The bar at the maximum is the trials in which the district missed its commitments and so "
                   "pays the full contract value.")
    risk_charts.cumulative_chart(state.current(), curve, budget, at_most)
    st.markdown("**The spread, in dollars**", help=PERCENTILE_HELP)
    st.caption(f"{result.trials:,} trials, seed {result.seed}. The district total is the base plus outcome "
               "payments; the provider's outcome earnings are the outcome payments alone, the part of its "
               "revenue at risk.")
    st.dataframe(risk_tables.summary_table(result), hide_index=True, column_config=widgets.right_aligned(
        ["District total", "Provider's outcome earnings", "Earnings as share of the pool"]))
    st.markdown("**Each outcome's expected payment**")
    st.caption("The simulated average can differ from the payment at the expected rate: a threshold, "
               "tiers or a capped ramp pay unevenly, and fewer students served or missed commitments change "
               "it too.")
    payments = risk_tables.expected_payments_table(state.current(), result)
    st.dataframe(payments, hide_index=True, column_config=widgets.right_aligned(
        ["Allocation", "Expected payment (simulated average)", "Share of allocation",
         "Payment at the expected rate"]))


st.title("Risk")
st.caption("Nobody knows next spring's achievement rates. This page plays the school year many times over "
           "with the rates, enrollment and the district's own commitments drawn at random within what you "
           "say is plausible, and pays every trial by the rate card.", help=MONTE_CARLO_HELP)
st.subheader("What is uncertain")
ranges_editor()
risk_settings_inputs()
st.info(risk_tables.assumptions_text(state.current()), icon=":material/casino:")
if sim.nothing_uncertain(state.current()):
    st.warning("Nothing in this deal is uncertain yet, so every trial is the expected case. Give outcomes a "
               "low and a high rate above, vary the students served, or set a chance that the district "
               "misses its commitments.", icon=":material/info:")

st.subheader("Run")
trials, seed = run_inputs()
run = simulation(trials, seed)
if run is not None:
    results(run)

st.subheader("Sensitivity")
st.caption("Each bar moves one outcome across its range with every other outcome at its expected rate, all "
           "planned students served and the commitments kept: orange is the total with the outcome at the "
           "low end of its range, blue at the high end. The widest swing is on top.")
risk_charts.tornado_chart(state.current())
risk_charts.sweep_chart(state.current())
