"""`invoice DEAL.json RESULTS.csv [options]`: settle up a period from student-level results.

`--outcomes A,B` invoices only those outcomes (a mid-year invoice: no base line); `--record NAME`
stores the invoice in the library deal NAME's ledger and bills the difference from what the ledger
already holds, line by line (the deal file must be NAME's signed, else latest, version).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from obc_calc.cli import COMMANDS, column_map, database_options, print_json, results_options, write_output
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import terminal_safe
from obc_calc.core.money import money
from obc_calc.core.report import invoice_text, invoice_to_dict, text_table
from obc_calc.core.settle import SettleOptions, default_period, period_problem, settle
from obc_calc.io.dealfile import load_deal
from obc_calc.io.invoice_csv import invoice_csv
from obc_calc.io.invoice_excel import invoice_workbook
from obc_calc.io.results_file import ReadOptions, read_results
from obc_calc.io.user_file import read_file


def run(args: argparse.Namespace) -> None:
    deal = load_deal(args.deal)
    read_options = ReadOptions(min_sessions=args.min_sessions, columns=column_map(args.map))
    results = read_results(read_file(args.results, args.results), args.results, deal, read_options)
    invoice = settle(deal, results, SettleOptions(
        period=args.period or default_period(deal),
        missing=args.missing,
        commitments_met=not args.commitments_missed,
    ))
    ledger = args.outcomes is not None or args.record is not None
    recorded = _true_up(args, deal, invoice) if ledger else None  # a refused record writes nothing
    if args.xlsx:
        _write(args.xlsx, invoice_workbook(deal, invoice, results))
    if args.csv:
        _write(args.csv, invoice_csv(invoice).encode("utf-8"))
    if recorded is not None:
        _print_true_up(args, invoice, recorded)
    elif args.format == "json":
        print_json(invoice_to_dict(invoice))
    else:
        print(invoice_text(invoice))


def _outcome_names(text: str | None) -> list[str] | None:
    return None if text is None else [name.strip() for name in text.split(",") if name.strip()]


def _true_up(args: argparse.Namespace, deal, invoice):
    """The invoice as ledger lines: earned, invoiced before (from NAME's ledger), due now."""
    from obc_calc.core.ledger import true_up

    outcomes = _outcome_names(args.outcomes)
    if args.record is None:
        return true_up(deal, invoice, [], outcomes)
    return _record(args, deal, lambda previous: true_up(deal, invoice, previous, outcomes))


def _print_true_up(args: argparse.Namespace, invoice, recorded) -> None:
    data = {"deal": invoice.deal_name, "recorded": args.record, **recorded.to_dict()}
    lines = data["lines"]
    if args.format == "json":
        print_json(data)
        return
    rows = [["Line", "Earned", "Invoiced before", "Due now"]]
    rows += [[line["name"], money(line["earned"]), money(line["invoiced_before"]), money(line["payment"])]
             for line in lines]
    rows.append(["Total due", "", "", money(data["total_due"])])
    where = f' (recorded in the ledger of "{args.record}")' if args.record else ""
    print(terminal_safe("\n".join([f"{recorded.period}, {data['date']}{where}", *text_table(rows)])))


def _record(args: argparse.Namespace, deal, make):
    from obc_calc.store.library import Library
    from obc_calc.store.monitor import Monitor

    with Library(args.db) as library:
        monitor = Monitor(library.workspace(args.workspace, args.code))
        saved, info = monitor.deal(args.record)
        if saved != deal:
            which = "signed" if info.signed else "latest"
            raise DealError([Problem("", f"{args.deal} is not the {which} version (version {info.version}) "
                                         f'of "{info.deal}" in the library, so nothing was recorded; '
                                         "invoice that version (`library show NAME -o FILE` writes it)")])
        return monitor.record_true_up(info.deal, make)


def _write(path: str, data: bytes) -> None:
    write_output(path, "file", lambda target: Path(target).write_bytes(data))


def _period(text: str) -> str:
    problem = period_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def add_command(commands) -> None:
    command = commands.add_parser("invoice", help=COMMANDS["invoice"].help,
                                  parents=[database_options(), results_options()])
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("results", help="the results file (CSV or XLSX), one row per student")
    command.add_argument("--period", type=_period, help="the period's name, such as 'End of year 2026-27'")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.add_argument("--commitments-missed", action="store_true",
                         help="the district missed its commitments: the full contract value is due")
    command.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the invoice as an Excel workbook")
    command.add_argument("--csv", metavar="OUT.csv", help="also write the invoice as CSV")
    command.add_argument("--outcomes", metavar="A,B", default=None,
                         help="invoice only these outcomes (a mid-year invoice: no base line)")
    command.add_argument("--record", metavar="NAME", default=None,
                         help="store the invoice in the library deal NAME's ledger; bills the "
                              "difference from what it already holds")
    command.set_defaults(run=run)
