"""`monitor ...`: a library deal over its term: record results, commitments, status, the invoice ledger.

The deal is the library deal NAME's signed version, else its latest. Only aggregates are stored.
`--db URL`, `--workspace NAME` and `--code CODE` choose the library and workspace as `library` does.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from obc_calc.cli import (
    COMMANDS,
    column_map,
    database_options,
    print_json,
    results_options,
    whole_number_option,
)
from obc_calc.core.forecast_types import COMMITMENT_STATUSES
from obc_calc.core.limits import terminal_safe
from obc_calc.core.money import money
from obc_calc.core.report import text_table

if TYPE_CHECKING:
    from obc_calc.store.monitor import Monitor

SEED = whole_number_option(0, 2**32 - 1)


def say(text: str) -> None:
    print(terminal_safe(text))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def in_monitor(action: Callable[[argparse.Namespace, Monitor], None]):
    """A subcommand's `run`: opens the library, the workspace and its monitoring records."""
    def run(args: argparse.Namespace) -> None:
        # Imported here, so the other commands start without loading the database drivers.
        from obc_calc.store.library import Library
        from obc_calc.store.monitor import Monitor

        with Library(args.db) as library:
            action(args, Monitor(library.workspace(args.workspace, args.code)))
    return run


# --- the subcommands ---------------------------------------------------------------------------


def record(args: argparse.Namespace, monitor: Monitor) -> None:
    """Check the results file as settle-up does; store its aggregates, or nothing (exit 2)."""
    from obc_calc.core.forecast import Snapshot, counts_from_invoice
    from obc_calc.core.settle import SettleOptions, settle
    from obc_calc.io.results_file import ReadOptions, read_results
    from obc_calc.io.user_file import read_file

    deal, info = monitor.deal(args.name)
    options = ReadOptions(min_sessions=args.min_sessions, columns=column_map(args.map))
    results = read_results(read_file(args.results, args.results), args.results, deal, options)
    invoice = settle(deal, results, SettleOptions(period=f"As of {args.as_of.isoformat()}",
                                                  invoice_date=args.as_of, missing=args.missing))
    snapshot = Snapshot(as_of=args.as_of, final=args.final, outcomes=tuple(counts_from_invoice(invoice)),
                        students_served=invoice.students_served)
    monitor.record_snapshot(info.deal, snapshot)
    kind = "final" if args.final else "interim"
    say(f'Recorded the {kind} results of {args.as_of.isoformat()} for "{info.deal}" version '
        f"{info.version}: {invoice.students_in_file:,} students in the file, "
        f"{invoice.students_served:,} served (aggregates only).")


def commitment(args: argparse.Namespace, monitor: Monitor) -> None:
    from obc_calc.core.forecast import CommitmentStatus

    _deal, info = monitor.deal(args.name)
    monitor.record_commitment(info.deal, CommitmentStatus(name=args.commitment, status=args.status,
                                                          as_of=args.as_of, note=args.note))
    say(f'Recorded "{args.commitment}" as {args.status.replace("_", " ")} on {args.as_of.isoformat()} '
        f'for "{info.deal}".')
    if args.status == "missed":
        say("COMMITMENT MISSED: the district owes the full contract value.")


def status(args: argparse.Namespace, monitor: Monitor) -> None:
    from obc_calc.core.forecast import forecast_status

    deal, info = monitor.deal(args.name)
    found = forecast_status(deal, info.version, monitor.snapshots(info.deal),
                            monitor.commitments(info.deal), seed=args.seed)
    if args.format == "json":
        print_json(found.to_dict())
        return
    say("\n".join(status_lines(found.to_dict())))


def _percent(rate) -> str:
    return "" if rate is None else f"{rate:.1%}"


def status_lines(data: dict) -> list[str]:
    as_of = data["as_of"] or "no results recorded yet"
    lines = [f'"{data["deal"]}" version {data["version"]}, as of {as_of}']
    missed = [c for c in data["commitments"] if c["status"] == "missed"]
    if missed:
        names = ", ".join(c["name"] for c in missed)
        lines.append(f"COMMITMENT MISSED ({names}): the district owes the full contract value.")
    rows = [["Outcome", "Measured", "Likely final", "Likely to pay", "As low as", "As high as",
             "Plan", "On track"]]
    rows += [[o["name"], _percent(o["measured_rate"]), _percent(o["forecast_rate"]),
              money(o["payment_expected"]), money(o["payment_p10"]), money(o["payment_p90"]),
              money(o["planned_payment"]), "yes" if o["on_track"] else "AT RISK"]
             for o in data["outcomes"]]
    total = data["total"]
    rows.append(["Total (with the base)", "", "", money(total["expected"]), money(total["p10"]),
                 money(total["p90"]), money(total["planned"]), ""])
    lines += ["", *text_table(rows), ""]
    lines.append("The district is likely to pay {}; it could be as low as {} or as high as {} "
                 "(10th to 90th percentile).".format(money(total["expected"]), money(total["p10"]),
                                                     money(total["p90"])))
    for c in data["commitments"]:
        note = f" ({c['note']})" if c["note"] else ""
        lines.append(f"Commitment \"{c['name']}\": {c['status'].replace('_', ' ')} as of {c['as_of']}{note}")
    bar = "eligible for renewal" if data["renewal_eligible"] else "below the renewal bar"
    lines.append(f"Score {data['score']:.2f} of 100: {bar}.")
    return lines


def invoice_to_dict(recorded) -> dict:
    data = recorded.to_dict()
    return {"period": data["period"], "date": data["date"], "lines": data["lines"],
            "total": data["total_due"]}


def ledger(args: argparse.Namespace, monitor: Monitor) -> None:
    from obc_calc.core.ledger import ledger_summary

    deal, info = monitor.deal(args.name)
    recorded = monitor.invoices(info.deal)
    data = {"deal": info.deal, "version": info.version,
            "invoices": [invoice_to_dict(invoice) for invoice in recorded],
            "lines": ledger_summary(deal, recorded)}
    if args.format == "json":
        print_json(data)
        return
    say("\n".join(ledger_lines(data)))


def ledger_lines(data: dict) -> list[str]:
    lines = [f'"{data["deal"]}": the invoice ledger (version {data["version"]})']
    if not data["invoices"]:
        return [*lines, "No invoices recorded yet."]
    for invoice in data["invoices"]:
        rows = [["Line", "Earned", "Invoiced before", "Due now"]]
        rows += [[line["name"], money(line["earned"]), money(line["invoiced_before"]),
                  money(line["payment"])] for line in invoice["lines"]]
        rows.append(["Total", "", "", money(invoice["total"])])
        lines += ["", f"{invoice['period']} ({invoice['date']})", *text_table(rows)]
    keys = [key for key in data["lines"][0] if key != "name"] if data["lines"] else []
    rows = [["Line", *(key.replace("_", " ").capitalize() for key in keys)]]
    rows += [[line["name"], *(money(line[key]) for key in keys)] for line in data["lines"]]
    return [*lines, "", "Paid so far and what remains to the not-to-exceed", *text_table(rows)]


# --- the parser --------------------------------------------------------------------------------


def _add_record(subcommands, common) -> None:
    command = subcommands.add_parser("record", parents=[common, results_options()],
                                     help="check a results file and store its aggregates")
    command.add_argument("name", help="the library deal's name")
    command.add_argument("results", help="the results file (CSV or XLSX), one row per student")
    command.add_argument("--as-of", type=_date, required=True, metavar="YYYY-MM-DD",
                         help="the date the results were measured")
    command.add_argument("--final", action="store_true", help="the end-of-term measurement")
    command.set_defaults(run=in_monitor(record))


def add_command(commands) -> None:
    monitor = commands.add_parser("monitor", help=COMMANDS["monitor"].help)
    subcommands = monitor.add_subparsers(dest="monitor_command", required=True)
    common = database_options()
    _add_record(subcommands, common)
    command = subcommands.add_parser("commitment", parents=[common],
                                     help="record the status of one of the district's commitments")
    command.add_argument("name", help="the library deal's name")
    command.add_argument("commitment", help="the commitment, in words")
    command.add_argument("--status", choices=COMMITMENT_STATUSES, required=True)
    command.add_argument("--as-of", type=_date, required=True, metavar="YYYY-MM-DD")
    command.add_argument("--note", default="", help="what happened")
    command.set_defaults(run=in_monitor(commitment))
    command = subcommands.add_parser("status", parents=[common],
                                     help="the forecast: likely payments, commitments, score")
    command.add_argument("name", help="the library deal's name")
    command.add_argument("--seed", type=SEED, default=0, help="the random seed (default 0)")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=in_monitor(status))
    command = subcommands.add_parser("ledger", parents=[common],
                                     help="the recorded invoices and what remains to be paid")
    command.add_argument("name", help="the library deal's name")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=in_monitor(ledger))
