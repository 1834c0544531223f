"""`provider DEAL.json --cost-fixed X --cost-per-student Y`: margins, break-even and cash flow."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, number_option, print_json
from obc_calc.core.limits import MAX_MONEY
from obc_calc.core.provider import DeliveryCost, provider_figures, provider_text
from obc_calc.io.dealfile import load_deal


def run(args: argparse.Namespace) -> None:
    figures = provider_figures(load_deal(args.deal), DeliveryCost(args.cost_fixed, args.cost_per_student))
    if args.format == "json":
        print_json(figures)
    else:
        print(provider_text(figures))


def add_command(commands) -> None:
    command = commands.add_parser("provider", help=COMMANDS["provider"].help)
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("--cost-fixed", type=number_option("the fixed delivery cost", 0.0, MAX_MONEY),
                         default=0.0, help="fixed delivery cost, dollars")
    command.add_argument("--cost-per-student", default=0.0,
                         type=number_option("the delivery cost per student", 0.0, MAX_MONEY),
                         help="delivery cost per student served, dollars")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=run)
