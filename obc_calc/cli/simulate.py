"""`simulate DEAL.json --trials N --seed S [--format table|json] [--budget-line X] [--earnings-share F]`."""

from __future__ import annotations

import argparse

from obc_calc.cli import number_option, print_json
from obc_calc.core.limits import MAX_MONEY, shown, terminal_safe
from obc_calc.core.model import Deal
from obc_calc.core.report import money, percent
from obc_calc.core.scenarios import expected
from obc_calc.core.simulate import (
    MAX_TRIALS,
    SimulationResult,
    probability_earnings_below,
    probability_total_exceeds,
    risk_settings,
    simulate,
)
from obc_calc.io.dealfile import load_deal

DEFAULT_TRIALS = 100_000
DEFAULT_EARNINGS_SHARE = 0.5
_ROWS = (
    ("mean", "mean"), ("std", "standard deviation"), ("p5", "5th percentile"), ("p25", "25th percentile"),
    ("p50", "median"), ("p75", "75th percentile"), ("p95", "95th percentile"),
)


def figures(deal: Deal, result: SimulationResult, budget_line: float, earnings_share: float) -> dict:
    """Everything the command prints, as JSON-ready data."""
    return {"deal": deal.name} | result.to_dict() | {
        "risk": risk_settings(deal),
        "budget_line": budget_line,
        "probability_total_exceeds_budget_line": probability_total_exceeds(result, budget_line),
        "earnings_share": earnings_share,
        "earnings_line": earnings_share * deal.performance_pool,
        "probability_earnings_below_share": probability_earnings_below(result, earnings_share),
    }


def figures_text(data: dict) -> str:
    """The figures for a terminal: the deal's and outcomes' names are user text, so control codes go."""
    risk = data["risk"]
    low, high = risk["students_served_low"], risk["students_served_high"]
    served = f"{low:,}" if low == high else f"{low:,} to {high:,}"
    lines = [
        f"{data['deal']}: {data['trials']:,} trials, seed {data['seed']}",
        f"Correlation between outcomes {risk['correlation']:.2f}; students served {served}; "
        f"chance the district misses its commitments {percent(risk['commitments_miss_probability'])}",
        "",
        f"{'':20}  {'District total':>16}  {'Provider earnings':>17}",
    ]
    if data["total"]["std"] == 0 and data["provider_earnings"]["std"] == 0:
        lines.insert(2, "Nothing in this deal varies, so every trial is the expected case: add rate ranges "
                        "or risk settings (docs/risk.md).")
    for key, label in _ROWS:
        lines.append(
            f"{label:20}  {money(data['total'][key]):>16}  {money(data['provider_earnings'][key]):>17}"
        )
    lines += [
        "",
        f"Chance the total exceeds {money(data['budget_line'])}: "
        f"{percent(data['probability_total_exceeds_budget_line'])}",
        f"Chance the provider earns less than {percent(data['earnings_share'])} of the pool "
        f"({money(data['earnings_line'])}): {percent(data['probability_earnings_below_share'])}",
        "",
        "Expected payment by outcome",
    ]
    width = max(len(name) for name in data["expected_payments"])
    lines += [f"  {name:{width}}  {money(value):>14}" for name, value in data["expected_payments"].items()]
    return terminal_safe("\n".join(lines))


def run(args: argparse.Namespace) -> None:
    deal = load_deal(args.deal)
    result = simulate(deal, args.trials, args.seed)
    budget_line = expected(deal).total if args.budget_line is None else args.budget_line
    data = figures(deal, result, budget_line, args.earnings_share)
    if args.format == "json":
        print_json(data)
    else:
        print(figures_text(data))


def _whole_number(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also an integer too long for Python to read
            raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{shown(text)} is not between {low:,} and {high:,}")
        return value
    return parse


def add_command(commands) -> None:
    command = commands.add_parser(
        "simulate", help="Monte Carlo risk: the spread of what the district pays and the provider earns"
    )
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument(
        "--trials", type=_whole_number(1, MAX_TRIALS), default=DEFAULT_TRIALS,
        help=f"how many school years to play (default {DEFAULT_TRIALS:,}; at most {MAX_TRIALS:,})",
    )
    command.add_argument(
        "--seed", type=_whole_number(0, 2**63 - 1), default=0,
        help="the same seed gives the same figures (default 0)",
    )
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.add_argument(
        "--budget-line", type=number_option("the budget line", 0.0, MAX_MONEY), default=None,
        help="dollars; the chance the total exceeds it is printed (default: the expected total)",
    )
    command.add_argument(
        "--earnings-share", type=number_option("the earnings share", 0.0, 1.0),
        default=DEFAULT_EARNINGS_SHARE,
        help="share of the pool; the chance the provider earns less is printed (default 0.5)",
    )
    command.set_defaults(run=run)
