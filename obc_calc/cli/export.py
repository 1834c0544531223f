"""`export DEAL.json -o FILE.xlsx`: the deal's budget workbook, with live formulas."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, write_output
from obc_calc.core.limits import terminal_safe
from obc_calc.io.dealfile import load_deal
from obc_calc.io.workbook import save_workbook


def run(args: argparse.Namespace) -> None:
    deal = load_deal(args.deal)
    write_output(args.output, "workbook", lambda path: save_workbook(deal, path))
    print(terminal_safe(f"Wrote {args.output}"))


def add_command(commands) -> None:
    command = commands.add_parser("export", help=COMMANDS["export"].help)
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("-o", "--output", required=True, help="the workbook to write (.xlsx)")
    command.set_defaults(run=run)
