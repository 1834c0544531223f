"""`exhibit DEAL.json -o EXHIBIT.docx`: the contract's payment terms exhibit (Word)."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, write_output
from obc_calc.core.limits import terminal_safe
from obc_calc.io.dealfile import load_deal
from obc_calc.io.exhibit import save_exhibit


def run(args: argparse.Namespace) -> None:
    deal = load_deal(args.deal)
    write_output(args.output, "exhibit", lambda path: save_exhibit(deal, path))
    print(terminal_safe(f"Wrote {args.output}"))


def add_command(commands) -> None:
    command = commands.add_parser("exhibit", help=COMMANDS["exhibit"].help)
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("-o", "--output", required=True, help="the exhibit to write (.docx)")
    command.set_defaults(run=run)
