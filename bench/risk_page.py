"""Benchmark: the Risk page's rerun time with cached results (goal: under 300 ms).

Run `python bench/risk_page.py`. AppTest runs app.py with the largest sample deal and opens the
Risk page, which simulates and caches the default 100,000 trials; then it times reruns with the
same inputs (what a user sees after touching a widget the simulation does not depend on) and
coming back to the page from Home. The same again with 1,000,000 trials, the largest choice,
whose trial arrays (16 MB) a rerun must neither copy nor unpickle: the run is held by
st.cache_resource, its tables and chart data by st.cache_data, and its charts are replayed
rather than built again (ui/risk_runs.py). Each figure is the median of REPEATS runs. Times
include AppTest's own overhead (it polls the script's thread every few milliseconds), so a
browser session's rerun is a little faster. Exits 1 when the goal is missed.
"""

from __future__ import annotations

import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

# Warnings Streamlit logs when driven without a server; they say nothing about the figures.
QUIET_LOGGERS = ("streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context")
for name in QUIET_LOGGERS:  # a filter, not a level: Streamlit resets its loggers' levels
    logging.getLogger(name).addFilter(lambda record: record.levelno >= logging.ERROR)

from obc_calc.io.dealfile import load_deal  # noqa: E402
from ui import risk_runs, state  # noqa: E402  (its caches warn when made, hence the filter first)

RISK = "app_pages/risk.py"
REPEATS = 5
GOAL_SECONDS = 0.3


def largest_sample() -> str:
    """The sample with the most outcomes, then the largest contract value (as bench/simulate.py)."""
    deals = {label: load_deal(path) for label, path in state.SAMPLES.items()}
    return max(deals, key=lambda label: (len(deals[label].outcomes), deals[label].total_cost))


def timed(run) -> tuple[float, float]:
    """(wall-clock, processor) seconds of one run. The processor time, of all the process's threads,
    is the steadier figure on a machine busy with other work."""
    start, start_cpu = time.perf_counter(), time.process_time()
    at = run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if at.exception:
        raise RuntimeError(f"the Risk page failed: {at.exception[0].message}")
    return seconds, cpu


def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def first_run(at: AppTest, trials: int) -> tuple[float, float]:
    """Open the page at `trials` trials with nothing cached: the simulation and the page."""
    st.cache_data.clear()
    st.cache_resource.clear()
    if trials <= risk_runs.AUTO_RUN_TRIALS:
        at.switch_page("app_pages/home.py").run()
        return timed(lambda: at.switch_page(RISK).run())
    at.select_slider(key="risk_trials").set_value(trials).run()
    next(b for b in at.button if b.label == f"Run {trials:,} trials").click()
    return timed(at.run)


def measure(at: AppTest, trials: int) -> tuple[tuple[float, float], ...]:
    """(first run with the simulation, median cached rerun, median return from Home), each
    (wall-clock, processor) seconds."""
    first = first_run(at, trials)
    rerun = medians([timed(at.run) for _ in range(REPEATS)])
    back = medians([back_from_home(at) for _ in range(REPEATS)])
    return first, rerun, back


def back_from_home(at: AppTest) -> tuple[float, float]:
    at.switch_page("app_pages/home.py").run()
    return timed(lambda: at.switch_page(RISK).run())


def main() -> int:
    sample = largest_sample()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    next(b for b in at.button if b.label == sample).click().run()
    met = True
    print(f"Risk page, {sample} (median of {REPEATS}; AppTest overhead included)")
    for trials in (100_000, 1_000_000):
        first, rerun, back = measure(at, trials)
        met = met and rerun[0] < GOAL_SECONDS and back[0] < GOAL_SECONDS
        print(f"  {trials:>9,} trials: first run {first[0]:.2f} s; cached rerun {rerun[0] * 1000:,.0f} ms "
              f"(processor {rerun[1] * 1000:,.0f} ms), back from Home {back[0] * 1000:,.0f} ms (processor "
              f"{back[1] * 1000:,.0f} ms); goal < {GOAL_SECONDS * 1000:.0f} ms")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
