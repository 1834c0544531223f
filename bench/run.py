"""Run every benchmark in bench/ and print its figures: `python bench/run.py [--strict]` (or `make bench`).

Every other module bench/<name>.py with a main() is loaded by its file path, so this works from
the repository root with nothing installed but the requirements, and its main() is run in turn:
simulate first, so that the process peak memory it prints is its own and not left over from
another benchmark, then the rest in name order. Each benchmark prints its own figures and goals.

bench/cohort.py is left out: it starts the app's server and replays a cohort of participants for
about 6 minutes; run it on its own (`python bench/cohort.py`, see its docstring). Its helper
modules bench/cohort_*.py have no main() and are left out too.

A main() that returns a non-zero number has missed a goal: this prints a "goal missed" line for
it. Exit status: 1 if any benchmark crashed (its traceback is printed, and the others still run).
A missed goal alone exits 0, because timings on a shared 2-core machine swing with its load and
a report should not fail for that; with --strict a missed goal exits 1 too.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FIRST = ("simulate",)
ON_ITS_OWN = "cohort"  # bench/cohort.py and its helpers: minutes long, run by hand


def benchmark_files() -> list[Path]:
    files = [p for p in BENCH.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_")
             and not p.stem.startswith(ON_ITS_OWN)]
    return sorted(files, key=lambda p: (p.stem not in FIRST, p.stem))


def run_one(path: Path) -> str:
    """'ok', 'goal missed' or 'crashed' for the benchmark in `path`."""
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        status = module.main()
    except Exception:  # one broken benchmark must not hide the others' figures
        traceback.print_exc()
        return "crashed"
    return "goal missed" if status else "ok"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark in bench/ and print its figures.")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a benchmark misses a goal")
    strict = parser.parse_args(argv).strict
    outcomes = {}
    for path in benchmark_files():
        print(f"== bench/{path.name}", flush=True)
        start = time.perf_counter()
        outcomes[path.name] = run_one(path)
        seconds = time.perf_counter() - start
        print(f"-- bench/{path.name}: {outcomes[path.name]} ({seconds:.1f} s)\n", flush=True)
    for name, outcome in outcomes.items():
        if outcome != "ok":
            print(f"{outcome}: bench/{name}")
    crashed = "crashed" in outcomes.values()
    missed = "goal missed" in outcomes.values()
    return 1 if crashed or (strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
