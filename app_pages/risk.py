"""Risk: a Monte Carlo simulation of what the district may pay and the provider may earn (docs/risk.md)."""

from __future__ import annotations

import hashlib

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import streamlit as st

import obc_calc.core.simulate as sim
from obc_calc.core.beta import fitted_range
from obc_calc.core.scenarios import expected, floor, maximum
from obc_calc.core.sensitivity import payment_sweep, tornado
from obc_calc.io.dealfile import deal_from_json, deal_to_json
from ui import charts, messages, state, tables, widgets

TRIAL_CHOICES = (10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)
DEFAULT_TRIALS = 100_000
AUTO_RUN_TRIALS = 100_000  # at most this many trials run by themselves (well under a second)
DEFAULT_SEED = 1
DEFAULT_EARNINGS_SHARE = 50.0
HISTOGRAM_BINS = 60
RANGES = "risk_ranges"
LOW, HIGH = "Low (%)", "High (%)"
SUMMARY_ROWS = (("Mean", "mean"), ("Standard deviation", "std"), ("5th percentile", "p5"),
                ("25th percentile", "p25"), ("Median (50th percentile)", "p50"), ("75th percentile", "p75"),
                ("95th percentile", "p95"))
MONTE_CARLO_HELP = (
    "Monte Carlo simulation: the school year is played many times over (each play is a trial), with "
    "every uncertain quantity drawn at random within its plausible range, and each trial paid exactly "
    "by the rate card. The spread of the trials shows what could happen and how likely it is."
)
RANGE_HELP = (
    "A low but plausible achievement rate and a high but plausible one: about 1 year in 10 would come "
    "out below the low end, and 1 in 10 above the high end (the 10th and 90th percentiles). Leave both "
    "blank to hold the outcome at its expected rate in every trial."
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
    kept = {"risk_correlation": deal.risk.correlation, "risk_served_low": low, "risk_served_high": high,
            "risk_miss": deal.risk.commitments_miss_probability * 100}
    for key, value in kept.items():
        if key in st.session_state:
            st.session_state[key] = value


def risk_changed(key: str, field: str, scale: float = 1.0) -> None:
    # Rounded: a float slider can hand back 0.9500000000000001, which is above the 0.95 allowed.
    set_risk({field: round(st.session_state[key] / scale, 10)}, key)


def served_toggled() -> None:
    """Switched on: start from 90% to 100% of the planned students; off: back to the default."""
    students = state.current().students
    if st.session_state["risk_vary_served"]:
        low, high = sim.starting_served_range(students)
        st.session_state["risk_served_low"], st.session_state["risk_served_high"] = low, high
    else:
        low = high = None
        st.session_state.pop("risk_served_low", None)
        st.session_state.pop("risk_served_high", None)
    set_risk({"students_served_low": low, "students_served_high": high}, "risk_served_low")


def served_changed() -> None:
    low, high = st.session_state["risk_served_low"], st.session_state["risk_served_high"]
    set_risk({"students_served_low": low, "students_served_high": high}, "risk_served_low")


def ranges_frame() -> pd.DataFrame:
    rows = [{"Outcome": o.name, "Expected (%)": o.expected_rate * 100,
             LOW: None if o.rate_low is None else o.rate_low * 100,
             HIGH: None if o.rate_high is None else o.rate_high * 100} for o in state.current().outcomes]
    return pd.DataFrame(rows, columns=["Outcome", "Expected (%)", LOW, HIGH]).astype(
        {"Expected (%)": "float64", LOW: "float64", HIGH: "float64"})


def edited_rate(edited: pd.DataFrame, frame: pd.DataFrame, row: int, column: str, original):
    """The edited cell as a rate; an untouched cell keeps the deal's value exactly (no % round trip)."""
    new, old = edited.at[row, column], frame.at[row, column]
    if tables.blank(new):
        return None
    return original if not tables.blank(old) and new == old else float(new) / 100


def apply_ranges(edited: pd.DataFrame, frame: pd.DataFrame) -> None:
    candidate = state.deal_data()
    for row, outcome in enumerate(candidate["outcomes"]):
        outcome["rate_low"] = edited_rate(edited, frame, row, LOW, outcome.get("rate_low"))
        outcome["rate_high"] = edited_rate(edited, frame, row, HIGH, outcome.get("rate_high"))
    current = [(o.get("rate_low"), o.get("rate_high")) for o in state.deal_data()["outcomes"]]
    unchanged = [(o["rate_low"], o["rate_high"]) for o in candidate["outcomes"]] == current
    state.set_problems(RANGES, [] if unchanged else state.apply(candidate))


def drawn_ranges() -> pd.DataFrame:
    """The range each outcome is really drawn from (see obc_calc.core.beta.fitted_range)."""
    rows = []
    for o in state.current().outcomes:
        if o.rate_low is None or o.rate_high is None:
            drawn = f"Not set: always {widgets.percent(o.expected_rate)}"
        else:
            low, high = fitted_range(o.expected_rate, o.rate_high - o.rate_low)
            drawn = f"{widgets.percent(low)} to {widgets.percent(high)}"
        rows.append({"Outcome": o.name, "Range drawn": drawn})
    return pd.DataFrame(rows)


def ranges_editor() -> None:
    st.markdown("**Achievement rate ranges**", help=RANGE_HELP)
    left, right = st.columns([3, 2])
    frame = tables.base_frame(RANGES, ranges_frame)
    percent_column = {"min_value": 0.0, "max_value": 100.0, "step": 0.1, "format": "%.1f%%"}
    with left:
        edited = st.data_editor(
            frame, key=tables.editor_key(RANGES), hide_index=True, num_rows="fixed",
            disabled=["Outcome", "Expected (%)"],
            column_config={
                "Expected (%)": st.column_config.NumberColumn(
                    "Expected (%)", format="%.1f%%", help="Set on the Rate card page."),
                LOW: st.column_config.NumberColumn(LOW, help=RANGE_HELP, **percent_column),
                HIGH: st.column_config.NumberColumn(HIGH, help=RANGE_HELP, **percent_column),
            },
        )
    apply_ranges(edited, frame)
    with right:
        drawn = st.column_config.TextColumn(
            "Range drawn", help="The 10th to 90th percentile of the Beta distribution the trials draw from.")
        st.dataframe(drawn_ranges(), hide_index=True, column_config={"Range drawn": drawn})
    st.caption("A range becomes a Beta distribution with the expected rate as its average and the range's "
               "width between its 10th and 90th percentiles; the ends can shift a little, as shown on the "
               "right.")
    messages.show_problems(state.problems(RANGES))


def risk_settings_inputs() -> None:
    deal = state.current()
    st.markdown("**Deal-wide settings**")
    left, right = st.columns(2, gap="large")
    with left:
        correlation_input(deal)
        miss_input(deal)
    with right:
        served_inputs(deal)
    for where in ("risk_correlation", "risk_miss", "risk_served_low"):
        messages.show_problems(state.problems(where))


def correlation_input(deal) -> None:
    state.seed("risk_correlation", deal.risk.correlation)
    st.slider("Correlation between outcomes", 0.0, 0.95, step=0.05, key="risk_correlation",
              on_change=risk_changed, args=("risk_correlation", "correlation"), help=CORRELATION_HELP)
    if deal.risk.correlation == 0:
        st.caption("0, the default: the outcomes vary independently of each other.")


def miss_input(deal) -> None:
    state.seed("risk_miss", deal.risk.commitments_miss_probability * 100)
    st.number_input("Chance the district misses its commitments (%)", 0.0, 100.0, step=1.0, format="%.1f",
                    key="risk_miss", on_change=risk_changed,
                    args=("risk_miss", "commitments_miss_probability", 100.0),
                    help="In a trial where the district misses its own commitments (scheduling, attendance, "
                         "data), it pays the full contract value whatever the outcomes.")
    if deal.risk.commitments_miss_probability == 0:
        st.caption("0%, the default: the district always keeps its commitments.")


def served_inputs(deal) -> None:
    state.seed("risk_vary_served", deal.risk.students_served_low is not None)
    st.toggle("Vary the number of students served", key="risk_vary_served", on_change=served_toggled,
              help="Enrollment and attendance rarely go to plan. When on, each trial serves a whole "
                   "number of students drawn evenly between the two ends below.")
    if not st.session_state["risk_vary_served"]:
        st.caption(f"Not set, the default: every planned student ({deal.students:,}) is served in every "
                   "trial.")
        return
    low, high = sim.served_range(deal)
    state.seed("risk_served_low", low)
    state.seed("risk_served_high", high)
    columns = st.columns(2)
    for column, key, label in ((columns[0], "risk_served_low", "Fewest students served"),
                               (columns[1], "risk_served_high", "Most students served")):
        column.number_input(label, min_value=0, max_value=deal.students, step=10, key=key,
                            on_change=served_changed, help=f"At most the {deal.students:,} planned students.")


def assumptions_text() -> str:
    deal = state.current()
    settings = sim.risk_settings(deal)
    ranged = [o.name for o in deal.outcomes if o.rate_low is not None and o.rate_high is not None]
    rates = (f"{', '.join(ranged)} drawn from {'its range' if len(ranged) == 1 else 'their ranges'}"
             if ranged else "every outcome at its expected rate")
    others = [o.name for o in deal.outcomes if o.name not in ranged]
    if ranged and others:
        rates += f"; {', '.join(others)} at the expected rate"
    low, high = settings["students_served_low"], settings["students_served_high"]
    served = (f"all {low:,} planned students served" if low == high == deal.students
              else f"{low:,} students served" if low == high else f"{low:,} to {high:,} students served")
    return (f"Each trial: {rates}; correlation {settings['correlation']:.2f}; {served}; the district "
            f"misses its commitments in {widgets.percent(settings['commitments_miss_probability'])} of trials.")


# ---- running ---------------------------------------------------------------------------------

def run_inputs() -> tuple[int, int]:
    left, right = st.columns([3, 1])
    left.select_slider("Trials", TRIAL_CHOICES, format_func="{:,}".format,
                       **state.kept("risk_trials", DEFAULT_TRIALS),
                       help=f"How many school years to play. More trials give steadier figures (with 100,000 "
                            f"a probability is within about 0.3 percentage points) but take longer. Up to "
                            f"{AUTO_RUN_TRIALS:,} trials run by themselves; more wait for the Run button.")
    right.number_input("Seed", min_value=0, step=1, **state.kept("risk_seed", DEFAULT_SEED), help=SEED_HELP)
    return st.session_state["risk_trials"], st.session_state["risk_seed"]


def run_id(deal_json: str, trials: int, seed: int) -> str:
    return hashlib.sha256(f"{trials}:{seed}:{deal_json}".encode()).hexdigest()


def simulation(trials: int, seed: int) -> RiskRun | None:
    """The cached run for the current inputs; None while a large run waits for its button."""
    deal_json = deal_to_json(state.current())
    runs = st.session_state.setdefault("risk_runs", set())
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

def mark_lines(fig: go.Figure, budget: float | None = None) -> None:
    """The floor, the expected total, the maximum (and the budget line) as labelled vertical lines.

    Added as plain layout shapes in one update: plotly's add_vline costs 10 ms a line, a third
    of the page's rerun time.
    """
    deal = state.current()
    # (dollars, label, colour, dash, label on the line's right, label height as a share of the plot)
    lines = [(floor(deal).total, "Floor", "#6b7280", "dash", True, 0.99),
             (expected(deal).total, "Expected", "#1f6f8b", "dash", False, 0.99),
             (maximum(deal).total, "Maximum", "#b91c1c", "dash", False, 0.91)]
    if budget is not None:
        lines.append((budget, "Budget line", "#111827", "dot", True, 0.83))
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
               "line": {"color": color, "dash": dash, "width": 2}} for x, _, color, dash, _, _ in lines]
    labels = [{"xref": "x", "yref": "paper", "x": x, "y": y, "yanchor": "top", "showarrow": False,
               "xanchor": "left" if right else "right", "text": f" {label} {widgets.money(x)} ",
               "font": {"color": color}, "bgcolor": "rgba(255,255,255,0.8)"}
              for x, label, color, _, right, y in lines]
    fig.update_layout(shapes=shapes, annotations=labels)


def padded(values: list[float], share: float) -> list[float]:
    """An axis range around the values with `share` of their span to spare at each end."""
    low, high = min(values), max(values)
    spare = (high - low) * share or abs(high) * share or 1.0
    return [low - spare, high + spare]


def money_x(fig: go.Figure) -> None:
    fig.update_xaxes(tickprefix="$", tickformat=",.0f")


def histogram_chart(result: sim.SimulationResult, bars: pd.DataFrame, budget: float) -> None:
    deal = state.current()
    ends = [bars["start"].iloc[0], bars["end"].iloc[-1], floor(deal).total, maximum(deal).total, budget]
    axis = padded(ends, 0.03)
    # At least 1% of the axis wide: when every trial pays the same, numpy's one bin is a dollar wide.
    width = (bars["end"] - bars["start"]).clip(lower=(axis[1] - axis[0]) * 0.01)
    fig = go.Figure(go.Bar(
        x=(bars["start"] + bars["end"]) / 2, y=bars["share"], width=width,
        name="Share of trials", marker_color="#5b8fa8", marker_line_width=0,
        customdata=bars[["start", "end"]],
        hovertemplate="$%{customdata[0]:,.0f} to $%{customdata[1]:,.0f}: %{y:.1%} of trials<extra></extra>",
    ))
    mark_lines(fig, budget)
    fig.update_yaxes(tickformat=".0%")
    money_x(fig)
    fig.update_xaxes(range=axis)
    charts.show_chart(fig, f"What the district pays: {result.trials:,} simulated school years",
                  "District total ($)", "Share of trials (%)", y_money=False, key="risk_histogram")


def cumulative_chart(curve: pd.DataFrame, budget: float, at_most: float) -> None:
    fig = go.Figure(go.Scatter(x=curve["value"], y=curve["probability"], mode="lines", name="Chance",
                               line={"color": "#1f6f8b", "width": 3},
                               hovertemplate="At most $%{x:,.0f}: %{y:.1%}<extra></extra>"))
    mark_lines(fig)
    fig.add_trace(go.Scatter(x=[budget], y=[at_most], mode="markers+text", name="Budget line",
                             marker={"size": 12, "color": "#111827"}, textposition="middle right",
                             text=[f"  {widgets.percent(at_most)} at most {widgets.money(budget)}"]))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    fig.update_layout(showlegend=False)
    money_x(fig)
    charts.show_chart(fig, "Chance the district pays at most a given amount", "District total ($)",
                  "Chance of paying at most this (%)", y_money=False, key="risk_cumulative")


def summary_table(result: sim.SimulationResult) -> pd.DataFrame:
    rows = []
    for label, name in SUMMARY_ROWS:
        total, earned = getattr(result.total, name), getattr(result.provider_earnings, name)
        rows.append({"Figure": label, "District total": widgets.money(total),
                     "Provider's outcome earnings": widgets.money(earned),
                     "Earnings as share of the pool": widgets.percent_or_dash(sim.share_of_pool(result, earned))})
    return pd.DataFrame(rows)


def expected_payments_table(result: sim.SimulationResult) -> pd.DataFrame:
    deal = state.current()
    at_expected = expected(deal)
    shares = sim.allocation_shares(deal, result)
    rows = []
    for outcome, fixed in zip(deal.outcomes, at_expected.outcomes, strict=True):
        rows.append({"Outcome": outcome.name, "Allocation": widgets.money(deal.allocation(outcome)),
                     "Expected payment (simulated average)": widgets.money(result.expected_payments[outcome.name]),
                     "Share of allocation": widgets.percent_or_dash(shares[outcome.name]),
                     "Payment at the expected rate": widgets.money(fixed.payment)})
    return pd.DataFrame(rows)


def probability_inputs(result: sim.SimulationResult) -> tuple[float, float]:
    """The budget line and earnings share the user asks about; shows the two probabilities."""
    deal = state.current()
    budget_key = f"risk_budget_{st.session_state['deal_version']}"
    left, right = st.columns(2)
    left.number_input("Budget line ($)", min_value=0.0, max_value=widgets.MONEY_INPUT_MAX, step=10_000.0,
                      format="%.0f", **state.kept(budget_key, float(round(expected(deal).total))),
                      help="An amount the district has budgeted; starts at the expected total.")
    right.number_input("Provider's earnings share (% of the pool)", 0.0, 100.0, step=5.0, format="%.0f",
                       **state.kept("risk_share", DEFAULT_EARNINGS_SHARE),
                       help="A share of the performance pool the provider needs to earn, such as half.")
    budget, share = st.session_state[budget_key], st.session_state["risk_share"] / 100
    over = sim.probability_total_exceeds(result, budget)
    under = sim.probability_earnings_below(result, share)
    left.metric(f"Probability the district pays more than {widgets.money(budget)}", widgets.percent(over), border=True)
    right.metric(f"Probability the provider earns less than {widgets.percent(share, 0)} of the pool "
                 f"({widgets.money(sim.earnings_line(result, share))})", widgets.percent(under), border=True)
    return budget, 1 - over


def tornado_chart() -> None:
    deal = state.current()
    spread = tornado(deal)
    labels = [f"{b.outcome} ({widgets.percent(b.rate_low, 0)} to {widgets.percent(b.rate_high, 0)}"
              f"{'' if b.range_given else ', no range set: ±10 points'})" for b in spread.bars]
    centre = spread.expected_total
    fig = go.Figure()
    for name, color, field in (("Rate at the low end", "#d97706", "total_low"),
                               ("Rate at the high end", "#1f6f8b", "total_high")):
        totals = [getattr(b, field) for b in spread.bars]
        fig.add_trace(go.Bar(
            y=labels, x=[t - centre for t in totals], base=centre, orientation="h", name=name,
            marker_color=color, text=[widgets.money(t) for t in totals], textposition="outside",
            hovertemplate="%{y}: total %{text}<extra>" + name + "</extra>",
        ))
    fig.update_layout(
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": centre, "x1": centre, "y0": 0, "y1": 1,
                 "line": {"color": "#111827", "width": 2}}],
        annotations=[{"xref": "x", "yref": "paper", "x": centre, "y": 1, "yanchor": "bottom",
                      "showarrow": False, "text": f"Expected {widgets.money(centre)}"}],
        barmode="overlay", height=140 + 70 * len(labels), showlegend=False,  # the caption says the colours
    )
    fig.update_yaxes(autorange="reversed")
    money_x(fig)
    ends = [t for b in spread.bars for t in (b.total_low, b.total_high)]
    fig.update_xaxes(range=padded([*ends, centre], 0.2))  # room for the dollar labels
    charts.show_chart(fig, "Which outcome moves the total most (the others at their expected rates)",
                  "District total ($)", "", y_money=False, key="risk_tornado")


def sweep_chart() -> None:
    deal = state.current()
    fig = go.Figure()
    palette = plotly.colors.qualitative.Plotly
    at_expected = expected(deal).outcomes
    for i, outcome in enumerate(deal.outcomes):
        sweep = payment_sweep(deal, outcome.name)
        color = palette[i % len(palette)]
        fig.add_trace(go.Scatter(x=sweep["rate"], y=sweep["payment"], mode="lines", name=outcome.name,
                                 line={"color": color, "width": 3}))
        fig.add_trace(go.Scatter(x=[outcome.expected_rate], y=[at_expected[i].payment], mode="markers",
                                 name=f"{outcome.name} at expected rate", showlegend=False,
                                 marker={"color": color, "size": 11, "symbol": "diamond"}))
    charts.show_chart(fig, "Each outcome's payment against its achievement rate (diamond: expected rate)",
                  "Achievement rate (%)", "Payment to the provider ($)", x_percent=True, key="risk_sweep")


def results(run: RiskRun) -> None:
    result, bars, curve = run
    st.subheader("What the district may pay", help=MONTE_CARLO_HELP)
    budget, at_most = probability_inputs(result)
    histogram_chart(result, bars, budget)
    if state.current().risk.commitments_miss_probability > 0:
        st.caption("The bar at the maximum is the trials in which the district missed its commitments and so "
                   "pays the full contract value.")
    cumulative_chart(curve, budget, at_most)
    st.markdown("**The spread, in dollars**", help=PERCENTILE_HELP)
    st.caption(f"{result.trials:,} trials, seed {result.seed}. The district total is the base plus outcome "
               "payments; the provider's outcome earnings are the outcome payments alone, the part of its "
               "revenue at risk.")
    st.dataframe(summary_table(result), hide_index=True, column_config=widgets.right_aligned(
        ["District total", "Provider's outcome earnings", "Earnings as share of the pool"]))
    st.markdown("**Each outcome's expected payment**")
    st.caption("The simulated average can differ from the payment at the expected rate: a threshold, "
               "tiers or a capped ramp pay unevenly, and fewer students served or missed commitments change "
               "it too.")
    st.dataframe(expected_payments_table(result), hide_index=True, column_config=widgets.right_aligned(
        ["Allocation", "Expected payment (simulated average)", "Share of allocation",
         "Payment at the expected rate"]))


st.title("Risk")
st.caption("Nobody knows next spring's achievement rates. This page plays the school year many times over "
           "with the rates, enrollment and the district's own commitments drawn at random within what you "
           "say is plausible, and pays every trial by the rate card.", help=MONTE_CARLO_HELP)
st.subheader("What is uncertain")
ranges_editor()
risk_settings_inputs()
st.info(assumptions_text(), icon=":material/casino:")
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
tornado_chart()
sweep_chart()
