"""`simulate DEAL.json --trials N --seed S [--format table|json] [--budget-line X] [--earnings-share F]`."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, number_option, print_json, whole_number_option
from obc_calc.core.errors import DealError
from obc_calc.core.limits import MAX_MONEY
from obc_calc.core.risk_summary import risk_figures, risk_text
from obc_calc.core.simulate import MAX_TRIALS, simulate
from obc_calc.io.dealfile import load_deal

DEFAULT_TRIALS = 100_000
DEFAULT_EARNINGS_SHARE = 0.5


def run(args: argparse.Namespace) -> None:
    deal = load_deal(args.deal)
    try:
        result = simulate(deal, args.trials, args.seed)
    except DealError as error:  # a range that fits no Beta around the figure a run draws
        raise error.with_source(args.deal) from None
    data = risk_figures(deal, result, args.budget_line, args.earnings_share)
    if args.format == "json":
        print_json(data)
    else:
        print(risk_text(data))


def add_command(commands) -> None:
    command = commands.add_parser(
        "simulate", help=COMMANDS["simulate"].help
    )
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument(
        "--trials", type=whole_number_option(1, MAX_TRIALS), default=DEFAULT_TRIALS,
        help=f"how many school years to play (default {DEFAULT_TRIALS:,}; at most {MAX_TRIALS:,})",
    )
    command.add_argument(
        "--seed", type=whole_number_option(0, 2**63 - 1), default=0,
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
