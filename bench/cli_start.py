"""Benchmark: how long `python -m obc_calc evaluate` takes on a sample, start to finish (goal: under 0.5 s).

Run `python bench/cli_start.py`. It times RUNS runs of `python -m obc_calc evaluate
sample_data/math_tutoring.json` and RUNS runs of `python -c pass` (the interpreter alone),
interleaved so that a change in the machine's load falls on both, and prints the medians and their
difference: the time the command itself adds. Exits 1 when the evaluate median misses the goal.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "sample_data/math_tutoring.json"
RUNS = 15
GOAL_SECONDS = 0.5
EVALUATE = [sys.executable, "-m", "obc_calc", "evaluate", SAMPLE]
BARE = [sys.executable, "-c", "pass"]


def wall_time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    wall_time(EVALUATE)  # a first run fills the file cache and writes the .pyc files: not counted
    evaluate, bare = [], []
    for _ in range(RUNS):
        evaluate.append(wall_time(EVALUATE))
        bare.append(wall_time(BARE))
    evaluate_median, bare_median = statistics.median(evaluate), statistics.median(bare)
    print(f"`python -m obc_calc evaluate {SAMPLE}`, median of {RUNS} runs: {evaluate_median:.3f} s "
          f"(fastest {min(evaluate):.3f} s; goal < {GOAL_SECONDS:g} s)")
    print(f"`python -c pass`, median of {RUNS} runs: {bare_median:.3f} s")
    print(f"the command adds {evaluate_median - bare_median:.3f} s to the interpreter's start")
    return 0 if evaluate_median < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
