"""Benchmark: a cohort of participants using one server at once (goal at 40: p95 under 1 s, median
under 150 ms).

Run on its own, not from bench/run.py (the default run takes about 6 minutes):

    .venv/bin/python bench/cohort.py                  # N = 1, 10, 20, 40 for 60 s each
    .venv/bin/python bench/cohort.py --n 40 --seconds 120 --option runner.postScriptGC=true
    .venv/bin/python bench/cohort.py --app /tmp/copy  # the app in another folder (a baseline)

For each N it starts the app's server afresh (`streamlit run app.py`, the library in a temporary
SQLite file), goes once round every page with one participant to load the modules and fill the
caches the whole cohort shares, then replays N participants at once over Streamlit's websocket
protocol (bench/cohort_client.py: no browser, so the server is what is measured). Each opens the
app, then goes round every page in app.PAGES order until the time is up, changing the performance
share on "Deal & split" and running a simulation with a new seed on "Risk", with a think time
drawn (seeded) between interactions. An interaction is timed from the message sent to the end of
the script run it asked for. Printed per N: interactions, median and 95th percentile, the server's
CPU seconds per interaction, its resident memory and the growth per session (peak RSS over the
run less the RSS before it, over N), and the exceptions the app showed; then the slowest
interactions. Exits 1 when a goal is missed at the largest N or the app showed an exception.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.browser_support starts servers

from cohort_client import Plan, Record, Session, one_round, participant  # noqa: E402
from cohort_server import Server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOAL_P95, GOAL_MEDIAN, GOAL_AT = 1.0, 0.150, 40
SAMPLE_SECONDS = 0.25  # how often the server's memory is read during a run


@dataclass
class Figures:
    participants: int
    interactions: int
    median: float
    p95: float
    cpu_per_interaction: float
    rss_mb: float
    mb_per_session: float
    exceptions: list[str]
    by_kind: dict[str, list[float]]

    def line(self) -> str:
        return (f"N={self.participants:>3}: {self.interactions:>5} interactions, median {self.median:.3f} s, "
                f"p95 {self.p95:.3f} s, server CPU {self.cpu_per_interaction:.3f} s per interaction, "
                f"RSS {self.rss_mb:.0f} MB ({self.mb_per_session:+.1f} MB per session), "
                f"exceptions {len(self.exceptions)}")


def page_titles(folder: Path) -> list[str]:
    """The titles in app.PAGES, read from app.py's source (importing it would import Streamlit)."""
    tree = ast.parse((folder / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "PAGES":
            return [title for _, title, _ in ast.literal_eval(node.value)]
    raise RuntimeError("app.py has no PAGES list")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


async def warm_up(plan: Plan, record: Record) -> None:
    session = Session(plan, record)
    await session.open()
    try:
        await session.rerun("open the app")
        await one_round(session, random.Random(0))
    finally:
        await session.close()


async def peak_rss(server: Server, done: asyncio.Event) -> float:
    peak = server.rss_mb()
    while not done.is_set():
        await asyncio.sleep(SAMPLE_SECONDS)
        peak = max(peak, server.rss_mb())
    return peak


async def cohort(server: Server, plan: Plan, participants: int, seed: int) -> tuple[Record, float]:
    """Run the participants at once; their pooled record and the server's peak RSS meanwhile."""
    records = [Record() for _ in range(participants)]
    done = asyncio.Event()
    sampler = asyncio.create_task(peak_rss(server, done))
    try:
        await asyncio.gather(*(participant(plan, record, random.Random(seed * 1000 + i))
                               for i, record in enumerate(records)))
    finally:
        done.set()
    pooled = Record()
    for record in records:
        pooled.exceptions += record.exceptions
        for kind, times in record.times.items():
            pooled.times.setdefault(kind, []).extend(times)
    return pooled, await sampler


def measure(args, titles: list[str], participants: int) -> Figures:
    options = dict(option.split("=", 1) for option in args.option)
    with Server(args.app, options) as server:
        warm = Record()
        asyncio.run(warm_up(Plan(server.address, titles, (0.0, 0.0), float("inf")), warm))
        rss_before, cpu_before = server.rss_mb(), server.cpu_seconds()
        plan = Plan(server.address, titles, tuple(args.think), time.monotonic() + args.seconds)
        record, peak = asyncio.run(cohort(server, plan, participants, args.seed))
        cpu = server.cpu_seconds() - cpu_before
        logged = server.log_lines("Traceback")
    times = [t for kind_times in record.times.values() for t in kind_times]
    return Figures(participants, len(times), statistics.median(times), p95(times), cpu / len(times),
                   peak, (peak - rss_before) / participants, warm.exceptions + record.exceptions + logged,
                   record.times)


def print_slowest(figures: Figures, count: int = 6) -> None:
    medians = {kind: statistics.median(times) for kind, times in figures.by_kind.items()}
    print(f"  slowest at N={figures.participants} (median, p95, count):")
    for kind in sorted(medians, key=medians.get, reverse=True)[:count]:
        times = figures.by_kind[kind]
        spread = f"{p95(times):.3f} s" if len(times) > 1 else "-"
        print(f"    {kind:<24} {medians[kind]:.3f} s  {spread:>8}  {len(times)}")


def parse(argv: list[str] | None):
    parser = argparse.ArgumentParser(description="Replay a cohort of participants against the app's server.")
    parser.add_argument("--n", type=int, nargs="+", default=[1, 10, 20, 40], help="participant counts")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each count's run")
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 8.0], metavar=("MIN", "MAX"),
                        help="think time between interactions, seconds, drawn evenly")
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times and the values chosen")
    parser.add_argument("--app", type=Path, default=ROOT, help="folder holding app.py")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a Streamlit option for the server, e.g. runner.postScriptGC=false")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    titles = page_titles(args.app)
    think = f"{args.think[0]:g}-{args.think[1]:g} s"
    print(f"cohort of {args.n} participants, {args.seconds:g} s each, think {think}, app {args.app}, "
          f"options {args.option or 'none'}", flush=True)
    results = []
    for participants in args.n:
        load = os.getloadavg()[0]  # other work on the machine slows the server too
        figures = measure(args, titles, participants)
        results.append(figures)
        print(f"{figures.line()}; load average before {load:.1f}", flush=True)
        for exception in sorted(set(figures.exceptions))[:5]:
            print(f"  exception: {exception}")
    for figures in {id(r): r for r in (results[0], results[-1])}.values():
        print_slowest(figures)
    largest = results[-1]
    if largest.participants < GOAL_AT:
        print(f"goal at N={GOAL_AT} not measured (largest N={largest.participants})")
        return 1 if largest.exceptions else 0
    met = largest.p95 < GOAL_P95 and largest.median < GOAL_MEDIAN
    print(f"goal at N={largest.participants}: p95 < {GOAL_P95:g} s, median < {GOAL_MEDIAN * 1000:.0f} ms: "
          f"{'met' if met else 'MISSED'}")
    return 0 if met and not any(r.exceptions for r in results) else 1

if __name__ == "__main__":
    sys.exit(main())
