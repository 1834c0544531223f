"""The status report for the monthly data meeting: an .xlsx of a monitored deal's figures.

Sheets: Status (the headline figures, the score against the renewal bar), Outcomes (each outcome on
track or at risk, what it is likely to pay and could pay as low or as high as: the forecast band's
data), Measurements (each snapshot's measured rates: the chart's data over time), Commitments and
Ledger (each recorded invoice's lines, then per line what was paid so far and what remains). Every
user text (names, notes, periods) is written as text, never a formula (workbook_notes.put_text).
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook

from obc_calc.core.forecast import Snapshot, Status
from obc_calc.core.ledger import RecordedInvoice, ledger_summary
from obc_calc.core.model import Deal
from obc_calc.core.sensitivity import expected_figure
from obc_calc.io.workbook_notes import TITLE_FONT, header_row, put_text, set_widths

MONEY_FORMAT = '"$"#,##0.00'
PERCENT_FORMAT = "0.0%"
COMMITMENT_WORDS = {"met": "Met", "at_risk": "At risk", "missed": "Missed"}
MISSED_WARNING = ("A district commitment is marked missed: the full contract value is due, whatever "
                  "the results.")


def _put(ws, row: int, column: int, value, number_format: str | None = None):
    """A figure (or a blank for None) in a cell, with its number format."""
    cell = ws.cell(row, column)
    cell.value = value
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _rows(ws, first_row: int, rows: list[list], formats: list[str | None]) -> int:
    """Rows of cells: str values as text, others as figures in the column's format; the next free row."""
    for offset, values in enumerate(rows):
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            if isinstance(value, str):
                put_text(ws, first_row + offset, column, value)
            else:
                _put(ws, first_row + offset, column, value, number_format)
    return first_row + len(rows)


def status_sheet(ws, deal: Deal, status: Status, made_at: datetime) -> None:
    ws.title = "Status"
    put_text(ws, 1, 1, "Status report").font = TITLE_FONT
    as_of = status.as_of.isoformat() if status.as_of else "no results recorded yet"
    rows = [
        ["Deal", status.deal], ["Version", f"{status.version}"], ["Results as of", as_of],
        ["Made", made_at.strftime("%Y-%m-%d %H:%M")],
        ["Likely to pay in all", status.total_expected], ["Could be as low as", status.total_p10],
        ["Could be as high as", status.total_p90], ["Planned (at the expected rates)", status.total_planned],
        ["Maximum (total cost)", deal.total_cost],
    ]
    _rows(ws, 3, rows, [None, MONEY_FORMAT])
    score_row = 3 + len(rows)
    put_text(ws, score_row, 1, "Score (outcome payments ÷ performance pool × 100)")
    _put(ws, score_row, 2, round(status.score, 2), "0.00")
    put_text(ws, score_row + 1, 1, "Renewal bar")
    _put(ws, score_row + 1, 2, deal.renewal_score, "0.00")
    put_text(ws, score_row + 2, 1, "Meets the renewal bar")
    put_text(ws, score_row + 2, 2, "Yes" if status.renewal_eligible else "No")
    if status.commitments_missed:
        put_text(ws, score_row + 4, 1, MISSED_WARNING).font = TITLE_FONT
    set_widths(ws, {1: 48, 2: 40})


def outcomes_sheet(ws, deal: Deal, status: Status) -> None:
    headers = ["Outcome", "Measured rate", "Eligible", "Achievers", "Forecast rate", "Plan's expected rate",
               "On track", "Likely to pay", "Could be as low as (10%)", "Could be as high as (90%)",
               "Planned payment", "Measured at the end of term"]
    header_row(ws, 1, headers)
    expected = {outcome.name: expected_figure(deal, outcome) for outcome in deal.outcomes}
    rows = [[o.name, o.measured_rate, o.eligible, o.achievers, o.forecast_rate, expected.get(o.name),
             "On track" if o.on_track else "At risk", o.payment_expected, o.payment_p10, o.payment_p90,
             o.planned_payment, "Yes" if o.final else "No"] for o in status.outcomes]
    rows.append(["Total (base and outcomes)", None, None, None, None, None, "",
                 status.total_expected, status.total_p10, status.total_p90, status.total_planned, ""])
    formats = [None, PERCENT_FORMAT, "#,##0", "#,##0", PERCENT_FORMAT, PERCENT_FORMAT, None,
               MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT, None]
    _rows(ws, 2, rows, formats)
    set_widths(ws, {1: 34} | {column: 16 for column in range(2, len(headers) + 1)})


def measurements_sheet(ws, snapshots: list[Snapshot]) -> None:
    header_row(ws, 1, ["As of", "End of term", "Outcome", "Eligible", "Achievers", "Measured rate", "Missing",
                       "Students served"])
    rows = [[snapshot.as_of.isoformat(), "Yes" if snapshot.final else "No", counts.name, counts.eligible,
             counts.achievers, counts.rate, counts.missing, snapshot.students_served]
            for snapshot in sorted(snapshots, key=lambda s: s.as_of) for counts in snapshot.outcomes]
    _rows(ws, 2, rows, [None, None, None, "#,##0", "#,##0", PERCENT_FORMAT, "#,##0", "#,##0"])
    set_widths(ws, {1: 12, 2: 12, 3: 34, 4: 12, 5: 12, 6: 14, 7: 10, 8: 16})


def commitments_sheet(ws, status: Status) -> None:
    header_row(ws, 1, ["Commitment", "Status", "As of", "Note"])
    rows = [[c.name, COMMITMENT_WORDS.get(c.status, c.status), c.as_of.isoformat(), c.note]
            for c in status.commitments]
    _rows(ws, 2, rows, [None] * 4)
    set_widths(ws, {1: 40, 2: 12, 3: 12, 4: 60})


def ledger_sheet(ws, deal: Deal, invoices: list[RecordedInvoice]) -> None:
    header_row(ws, 1, ["Period", "Date", "Line", "Earned", "Invoiced before", "Payment (due now)"])
    rows = [[invoice.period, invoice.date.isoformat(), line.name, line.earned, line.invoiced_before,
             line.payment] for invoice in invoices for line in invoice.lines]
    money = [None, None, None, MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT]
    row = _rows(ws, 2, rows, money) + 1
    header_row(ws, row, ["Line", "Paid so far", "Not to exceed", "Remaining"])
    summary = [[line["name"], line["paid"], line["not_to_exceed"], line["remaining"]]
               for line in ledger_summary(deal, invoices)]
    _rows(ws, row + 1, summary, [None, MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT])
    set_widths(ws, {1: 34, 2: 14, 3: 34, 4: 16, 5: 16, 6: 18})


def status_report(deal: Deal, status: Status, snapshots: list[Snapshot], invoices: list[RecordedInvoice],
                  made_at: datetime | None = None) -> bytes:
    """The status report as .xlsx bytes."""
    book = Workbook()
    status_sheet(book.active, deal, status, made_at or datetime.now())
    outcomes_sheet(book.create_sheet("Outcomes"), deal, status)
    measurements_sheet(book.create_sheet("Measurements"), snapshots)
    commitments_sheet(book.create_sheet("Commitments"), status)
    ledger_sheet(book.create_sheet("Ledger"), deal, invoices)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
