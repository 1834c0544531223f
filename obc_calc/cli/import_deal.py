"""`import FILE.xlsx -o DEAL.json` and `import-rate-card DEAL.json RATECARD.csv -o DEAL.json`."""

from __future__ import annotations

import argparse

from obc_calc.cli import COMMANDS, write_output
from obc_calc.core.limits import terminal_safe
from obc_calc.io.dealfile import load_deal, save_deal
from obc_calc.io.ratecard import deal_with_rate_card, read_rate_card
from obc_calc.io.workbook_import import deal_from_workbook


def _save(deal, path: str) -> None:
    write_output(path, "deal", lambda target: save_deal(deal, target))
    print(terminal_safe(f"Wrote {path}"))


def run_import(args: argparse.Namespace) -> None:
    _save(deal_from_workbook(args.workbook, args.workbook), args.output)


def run_rate_card(args: argparse.Namespace) -> None:
    deal = load_deal(args.deal)
    card = read_rate_card(args.rate_card, args.rate_card)
    _save(deal_with_rate_card(deal, card), args.output)


def add_command(commands) -> None:
    command = commands.add_parser("import", help=COMMANDS["import"].help)
    command.add_argument("workbook", help="the budget workbook (.xlsx), as exported and perhaps edited")
    command.add_argument("-o", "--output", required=True, help="the deal file to write (JSON)")
    command.set_defaults(run=run_import)
    command = commands.add_parser(
        "import-rate-card", help=COMMANDS["import-rate-card"].help
    )
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("rate_card", help="the rate card (.csv or .xlsx)")
    command.add_argument("-o", "--output", required=True, help="the deal file to write (JSON)")
    command.set_defaults(run=run_rate_card)
