"""`summary DEAL.json -o SUMMARY.pdf`: the deal's one-page board summary (landscape Letter)."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, write_output
from obc_calc.core.limits import terminal_safe
from obc_calc.io.dealfile import load_deal


def run(args: argparse.Namespace) -> None:
    from obc_calc.io.board_summary import save_board_summary  # fpdf2 and matplotlib load only here

    deal = load_deal(args.deal)
    write_output(args.output, "board summary", lambda path: save_board_summary(deal, path))
    print(terminal_safe(f"Wrote {args.output}"))


def add_command(commands) -> None:
    command = commands.add_parser("summary", help=COMMANDS["summary"].help)
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("-o", "--output", required=True, help="the summary to write (.pdf)")
    command.set_defaults(run=run)
