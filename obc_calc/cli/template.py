"""`template DEAL.json -o TEMPLATE.xlsx`: the results data template for the deal, with its data
dictionary; filled in, it settles with `invoice` and no column map."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, write_output
from obc_calc.core.limits import terminal_safe
from obc_calc.io.dealfile import load_deal


def run(args: argparse.Namespace) -> None:
    from obc_calc.io.data_template import save_template

    deal = load_deal(args.deal)
    write_output(args.output, "data template", lambda path: save_template(deal, path))
    print(terminal_safe(f"Wrote {args.output}"))


def add_command(commands) -> None:
    command = commands.add_parser("template", help=COMMANDS["template"].help)
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("-o", "--output", required=True, help="the template to write (.xlsx)")
    command.set_defaults(run=run)
