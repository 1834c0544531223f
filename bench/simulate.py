"""Benchmark: the Monte Carlo simulation on the largest sample deal.

Run `python bench/simulate.py`. It prints trials per second, the time of one million trials
(goal: under 2 s), the ratio of that time to numpy drawing the same Beta variates alone, one per
uncertain outcome and trial (goal: at most 2), and the peak memory of ten million trials (goal:
a few hundred MB). Exits 1 when a goal is missed. It also prints, to compare and without a goal,
the time of one million trials of the same deal with student groups priced apart and its growth
outcome paid by bands with a penalty (docs/risk.md, "Student groups and bands").
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from obc_calc.core.beta import beta_shape  # noqa: E402
from obc_calc.core.simulate import MAX_TRIALS, simulate  # noqa: E402
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal  # noqa: E402

SEED = 2026
MILLION = 1_000_000
REPEATS = 3
GOAL_SECONDS = 2.0
GOAL_RATIO = 2.0
GOAL_PEAK_MB = 400


def largest_sample():
    """The sample deal with the most outcomes, then the largest contract value."""
    deals = [load_deal(path) for path in sorted((ROOT / "sample_data").glob("*.json"))]
    return max(deals, key=lambda deal: (len(deal.outcomes), deal.total_cost))


def with_groups_and_bands(deal):
    """The deal with two groups priced apart and its second outcome banded, paying share 53%."""
    data = deal_to_dict(deal) | {"scenarios": []}  # their rates would not suit a banded outcome
    disabilities, learners = "Students with disabilities", "English learners"
    data["student_groups"] = [{"name": disabilities, "students": 150, "price_multiplier": 1.5},
                              {"name": learners, "students": 250, "price_multiplier": 1.25}]
    data["outcomes"][0]["group_expected_rates"] = {disabilities: 0.6, learners: 0.65}
    data["outcomes"][1] |= {
        "basis": "per_student_banded", "expected_band_shares": [0.12, 0.35, 0.33, 0.2],
        "bands": [{"min_value": None, "payout": -0.25}, {"min_value": 0.0, "payout": 0.0},
                  {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}],
    }
    return deal_from_dict(data)


def best_time(run) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def numpy_beta_draws(deal, trials: int) -> None:
    """What numpy alone takes: one Beta variate per uncertain outcome and trial."""
    rng = np.random.default_rng(SEED)
    for outcome in deal.outcomes:
        if outcome.rate_low is not None and outcome.rate_high is not None:
            shape = beta_shape(outcome.expected_rate, outcome.rate_high - outcome.rate_low)
            if shape is not None:
                rng.beta(*shape, size=trials)


def peak_memory_mb(deal, trials: int) -> tuple[float, float]:
    """(peak of the run's own allocations, traced; the whole process's peak resident size), MB."""
    tracemalloc.start()
    start = time.perf_counter()
    simulate(deal, trials, SEED)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6, seconds


def main() -> int:
    deal = largest_sample()
    simulate(deal, 10_000, SEED)  # warm up: quantile tables and first-call costs
    seconds = best_time(lambda: simulate(deal, MILLION, SEED))
    numpy_seconds = best_time(lambda: numpy_beta_draws(deal, MILLION))
    ratio = seconds / numpy_seconds
    grouped = with_groups_and_bands(deal)
    simulate(grouped, 10_000, SEED)
    grouped_seconds = best_time(lambda: simulate(grouped, MILLION, SEED))
    peak_mb, big_seconds = peak_memory_mb(deal, MAX_TRIALS)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # Linux reports KB
    print(f"simulation of {deal.name!r} ({len(deal.outcomes)} outcomes; best of {REPEATS})")
    print(f"  trials per second:       {MILLION / seconds:,.0f}")
    print(f"  one million trials:      {seconds:.3f} s (goal < {GOAL_SECONDS:g} s)")
    print(f"  with groups and bands:   {grouped_seconds:.3f} s for one million trials")
    print(f"  numpy Beta draws alone:  {numpy_seconds:.3f} s; ratio {ratio:.2f} (goal <= {GOAL_RATIO:g})")
    print(f"  ten million trials:      {big_seconds:.2f} s; peak allocations {peak_mb:,.0f} MB "
          f"(goal < {GOAL_PEAK_MB} MB); process peak resident {rss_mb:,.0f} MB")
    met = seconds < GOAL_SECONDS and ratio <= GOAL_RATIO and peak_mb < GOAL_PEAK_MB
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
