"""`invoice DEAL.json RESULTS.csv [options]`: settle up a period from student-level results."""

from __future__ import annotations

import argparse
from pathlib import Path

from obc_calc.cli import number_option, print_json, write_output
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_MIN_SESSIONS
from obc_calc.core.report import invoice_text, invoice_to_dict
from obc_calc.core.settle import MISSING_RULES, SettleOptions, default_period, period_problem, settle
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
        period=args.period or default_period(args.results),
        missing=args.missing,
        commitments_met=not args.commitments_missed,
    ))
    if args.xlsx:
        _write(args.xlsx, invoice_workbook(deal, invoice, results))
    if args.csv:
        _write(args.csv, invoice_csv(invoice).encode("utf-8"))
    if args.format == "json":
        print_json(invoice_to_dict(invoice))
    else:
        print(invoice_text(invoice))


def column_map(pairs: list[str]) -> dict[str, str]:
    """['growth=Math growth', ...] -> {'growth': 'Math growth'}; the first '=' splits."""
    columns, problems = {}, []
    for pair in pairs:
        column, sign, role = pair.partition("=")
        if not sign or not column.strip() or not role.strip():
            wanted = "COLUMN=OUTCOME (or COLUMN=student_id/served/group)"
            problems.append(Problem("--map", f"{pair!r} is not {wanted}"))
        else:
            columns[column.strip()] = role.strip()
    if problems:
        raise DealError(problems)
    return columns


def _write(path: str, data: bytes) -> None:
    write_output(path, "file", lambda target: Path(target).write_bytes(data))


def _period(text: str) -> str:
    problem = period_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def add_command(commands) -> None:
    command = commands.add_parser("invoice", help="settle up: the invoice due from student-level results")
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("results", help="the results file (CSV or XLSX), one row per student")
    command.add_argument("--period", type=_period, help="the period's name, such as 'End of year 2026-27'")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.add_argument("--missing", choices=MISSING_RULES, default="excluded",
                         help="students with no value: left out of the rate, or counted as not achieved")
    minimum = number_option("the minimum number of sessions", 0, MAX_MIN_SESSIONS)
    command.add_argument("--min-sessions", type=minimum, metavar="N",
                         help="the served column counts sessions; N or more counts as served")
    command.add_argument("--map", action="append", default=[], metavar="COLUMN=OUTCOME",
                         help="read COLUMN as an outcome (or as student_id, served or group); "
                              "repeat as needed")
    command.add_argument("--commitments-missed", action="store_true",
                         help="the district missed its commitments: the full contract value is due")
    command.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the invoice as an Excel workbook")
    command.add_argument("--csv", metavar="OUT.csv", help="also write the invoice as CSV")
    command.set_defaults(run=run)
