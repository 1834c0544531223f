"""`invoice DEAL.json RESULTS.csv [options]`: settle up a period from student-level results."""

from __future__ import annotations

import argparse
from pathlib import Path

from obc_calc.cli import number_option, print_json
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_MIN_SESSIONS, terminal_safe
from obc_calc.core.report import cents, money, percent
from obc_calc.core.settle import (
    MISSING_RULES,
    Invoice,
    SettleOptions,
    default_period,
    excel_number,
    invoice_csv,
    invoice_to_dict,
    period_problem,
    settle,
)
from obc_calc.io.dealfile import load_deal
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
            problems.append(Problem("--map", f"{pair!r} is not COLUMN=OUTCOME (or COLUMN=student_id/served)"))
        else:
            columns[column.strip()] = role.strip()
    if problems:
        raise DealError(problems)
    return columns


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise DealError([Problem("", f"cannot write the file ({error.strerror})")], path) from None


def _period(text: str) -> str:
    problem = period_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _price(price: float | None) -> str:
    if price is None:
        return ""
    price = excel_number(price)
    # A price that is not whole cents shows 4 places: $13,333.33 x 3 would not make the $40,000 paid.
    return money(price) if cents(price) == price else f"${price:,.4f}"


def invoice_text(invoice: Invoice) -> str:
    """The invoice for a terminal; control codes in user text (names, the period) cannot reach it."""
    commitments = "met" if invoice.commitments_met else "missed"
    lines = [
        f"Invoice: {invoice.deal_name}",
        f"Period {invoice.period}; date {invoice.invoice_date.isoformat()}; results {invoice.source}",
        f"{invoice.students_served:,} of {invoice.students_in_file:,} students in the file served; "
        f"missing values {invoice.missing_rule}; commitments {commitments}",
        "",
    ]
    rows = [["Outcome", "Eligible", "Achievers", "Rate", "Threshold", "Price", "Payment"]]
    for line in invoice.outcomes:
        rows.append([line.name, f"{line.eligible:,}", f"{line.achievers:,}", percent(line.rate),
                     line.threshold, _price(line.price), money(line.payment)])
    rows += [["Base", "", "", "", "", "", money(invoice.base_due)],
             ["Total due", "", "", "", "", "", money(invoice.total_due)]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    if invoice.notes:
        lines += ["", "Notes:"] + [f"- {note}" for note in invoice.notes]
    return terminal_safe("\n".join(lines))


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
                         help="read COLUMN as an outcome (or as student_id or served); repeat as needed")
    command.add_argument("--commitments-missed", action="store_true",
                         help="the district missed its commitments: the full contract value is due")
    command.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the invoice as an Excel workbook")
    command.add_argument("--csv", metavar="OUT.csv", help="also write the invoice as CSV")
    command.set_defaults(run=run)
