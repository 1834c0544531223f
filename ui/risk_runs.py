"""The Risk page's runs (app_pages/risk.py): which run to show, and the caches that keep a rerun from
simulating, copying trial arrays or building plotly figures again. A run's inputs are the deal's
JSON, the number of trials and the seed; the results follow from them alone."""

from __future__ import annotations

import hashlib

import streamlit as st

import obc_calc.core.simulate as sim
from obc_calc.io.dealfile import deal_from_json, deal_to_json
from ui import risk_charts, risk_keys, risk_tables, state

AUTO_RUN_TRIALS = 100_000  # at most this many trials run by themselves (well under a second)
HISTOGRAM_BINS = 60

Inputs = tuple[str, int, int]  # (deal JSON, trials, seed)


@st.cache_resource(max_entries=8, show_spinner=False)
def simulated(deal_json: str, trials: int, seed: int) -> sim.SimulationResult:
    """The run itself, with its two numbers a trial, kept as it is and shared, never copied:
    st.cache_data would unpickle 16 MB on every rerun at a million trials. Nothing changes a result.

    The progress bar is made here, not passed in: the cache replays what a cached function drew,
    which works only for elements the function made itself.
    """
    bar = st.progress(0.0, text=f"Simulating {trials:,} trials")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Simulating: {done:,} of {total:,} trials")

    result = sim.simulate(deal_from_json(deal_json), trials, seed, progress=progress)
    bar.empty()
    # Shared by every session: read-only, so that no caller can change another's figures.
    result.totals.flags.writeable = result.earnings.flags.writeable = False
    return result


@st.cache_data(max_entries=32, show_spinner=False)
def figures(deal_json: str, trials: int, seed: int) -> risk_tables.RunFigures:
    """The run's chart data, tables and the reasons for its average, worked out once: kilobytes."""
    result = simulated(deal_json, trials, seed)
    return risk_tables.run_figures(deal_from_json(deal_json), result, HISTOGRAM_BINS)


# The charts are drawn once for each set of inputs and then replayed: building plotly figures was
# half of a rerun's time. Arguments starting with "_" are not hashed: the others determine them.
@st.cache_data(max_entries=32, show_spinner=False)
def histogram(deal_json: str, trials: int, seed: int, budget: float, _deal, _result, _bars) -> None:
    risk_charts.histogram_chart(_deal, _result, _bars, budget)


@st.cache_data(max_entries=32, show_spinner=False)
def cumulative(deal_json: str, trials: int, seed: int, budget: float, at_most: float, _deal, _curve) -> None:
    risk_charts.cumulative_chart(_deal, _curve, budget, at_most)


@st.cache_data(max_entries=16, show_spinner=False)
def sensitivity(deal_json: str, _deal) -> None:
    risk_charts.tornado_chart(_deal)
    risk_charts.sweep_chart(_deal)


def run_id(inputs: Inputs) -> str:
    deal_json, trials, seed = inputs
    return hashlib.sha256(f"{trials}:{seed}:{deal_json}".encode()).hexdigest()


def last_run() -> Inputs | None:
    """The inputs of the run shown last, if it was of the deal open now (edits and all)."""
    version, inputs = st.session_state.get(risk_keys.RISK_LAST_RUN, (None, None))
    return inputs if version == st.session_state[state.DEAL_VERSION] else None


def run_to_show(trials: int, seed: int) -> tuple[Inputs, str | None] | None:
    """The inputs of the run to show and, when it is not the current settings' run, a note saying so.

    Up to AUTO_RUN_TRIALS trials run by themselves; a larger run waits for its button, and meanwhile
    the last results stay, marked as out of date. None when there is nothing to show yet.
    """
    wanted = (deal_to_json(state.current()), trials, seed)
    runs = st.session_state.setdefault(state.RISK_RUNS, set())
    button = st.empty()  # so that the button goes once pressed
    if trials <= AUTO_RUN_TRIALS or run_id(wanted) in runs or button.button(
            f"Run {trials:,} trials", type="primary", icon=":material/play_arrow:"):
        button.empty()
        runs.add(run_id(wanted))
        st.session_state[risk_keys.RISK_LAST_RUN] = (st.session_state[state.DEAL_VERSION], wanted)
        return wanted, None
    st.info(f"Press Run to simulate {trials:,} trials. Runs of up to {AUTO_RUN_TRIALS:,} trials "
            "start by themselves whenever the deal or the inputs change.", icon=":material/info:")
    shown = last_run()
    return None if shown is None else (shown, out_of_date_note(shown, wanted))


def out_of_date_note(shown: Inputs, wanted: Inputs) -> str:
    deal_json, trials, seed = shown
    before = ", and the deal as it was before your edits" if deal_json != wanted[0] else ""
    return (f"These results are for the settings before your change: {trials:,} simulated school years, "
            f"seed {seed}{before}. Press Run {wanted[1]:,} trials to update them.")
