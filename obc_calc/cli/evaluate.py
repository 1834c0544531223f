"""`evaluate DEAL.json [--format table|json]`: a deal's headline figures and scenarios."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, print_json
from obc_calc.core.report import deal_report, report_text
from obc_calc.io.dealfile import load_deal


def run(args: argparse.Namespace) -> None:
    report = deal_report(load_deal(args.deal))
    if args.format == "json":
        print_json(report.to_dict())
    else:
        print(report_text(report))


def add_command(commands) -> None:
    command = commands.add_parser("evaluate", help=COMMANDS["evaluate"].help)
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=run)
