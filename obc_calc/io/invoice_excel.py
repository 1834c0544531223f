"""The invoice as an Excel workbook an auditor can trace: every count and dollar is a formula.

Sheet "Students" holds a copy of the checked student data (served as 1/0 or sessions attended;
measured values or 1/0 flags; blank where missing). Sheet "Invoice" holds the deal's terms as
plain inputs and computes students served, missing values, eligible students, achievers, rates,
the price per achiever, payments, the base and the total with COUNTIFS over the Students sheet.
Each payment and the base are rounded to the cent with ROUND, as `obc_calc.core.settle` rounds them,
so the workbook matches the invoice to the cent. The arithmetic is written in the same order as
the Python rules, so the floating-point results agree before rounding too.

The workbook is written in openpyxl's write-only mode, and the Students sheet's rows as XML by
obc_calc.io.invoice_excel_students: a million-row sheet streams into the file a block at a time
instead of holding a Python object per cell, and 100,000 students take well under a second.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from obc_calc.core.bases import BASES, Refs
from obc_calc.core.groups import groups
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.money import excel_number
from obc_calc.core.settle import MISSING_RULE_WORDS, Invoice
from obc_calc.io import invoice_excel_detail as detail
from obc_calc.io.invoice_excel_detail import BOLD, MONEY, PERCENT, PRICE
from obc_calc.io.invoice_excel_students import quote_style, student_rows, text_cell, with_rows, write_header
from obc_calc.io.results_file import ResultsTable
from obc_calc.io.workbook_notes import WRAP, print_setup, wrapped_height

STUDENTS = "Students"

# Input cells on the Invoice sheet (column B), referred to by the formulas below.
ROW = {
    "students": 10, "total_cost": 11, "share": 12, "pool": 13, "base_max": 14, "base_basis": 15,
    "commitments": 16, "missing": 17, "min_sessions": 18, "in_file": 20, "served": 21,
    "max_penalty": 22,  # written only for a deal with a penalty band
}
B = {name: f"$B${row}" for name, row in ROW.items()}
OUTCOME_HEADER_ROW = 23
OUTCOME_COLUMNS = [
    "Outcome", "Basis", "Threshold", "Weight", "Allocation", "Eligible in deal", "Price per achiever",
    "Missing", "Eligible", "Achievers", "Rate", "Target rate", "Floor rate", "Payment", "How it pays",
]
# Column letter of each figure in an outcome row, named as in OUTCOME_COLUMNS.
COL = {name: get_column_letter(i) for i, name in enumerate(OUTCOME_COLUMNS, start=1)}
WIDTHS = [30, 18, 13, 9, 14, 11, 12, 10, 10, 10, 9, 9, 9, 14, 34]
WRAPPED = ("Outcome", "Basis", "Threshold", "How it pays")  # text columns that wrap; headers wrap too
FIT = Alignment(shrink_to_fit=True)
FLAG_THRESHOLD = "marked achieved (1 on the Students sheet)"  # a yes/no outcome's threshold, in words


def invoice_workbook(deal: Deal, invoice: Invoice, results: ResultsTable) -> bytes:
    """The .xlsx bytes: an Invoice sheet of formulas over a Students sheet of the data."""
    book = Workbook(write_only=True)
    sheet = _Sheet(book.create_sheet("Invoice"))
    students = book.create_sheet(STUDENTS)
    # Letter, one page wide: the invoice landscape, its heading repeated; the students portrait, their
    # header repeated. Set before any row is written: a write-only sheet writes its properties first.
    print_setup(sheet.ws, "1:1", fit_rows=False)
    print_setup(students, "1:1", landscape=False, fit_rows=False)
    write_header(students, deal, results)
    quoted = quote_style(students)
    _write_invoice(sheet, deal, invoice, results, len(results) + 1)
    sheet.write()
    out = io.BytesIO()
    book.save(out)
    return with_rows(out.getvalue(), students.path.lstrip("/"), student_rows(deal, results, quoted))


class _Formula(str):
    """A formula this module wrote, as opposed to user text that happens to start with '='."""


class _Sheet:
    """Cells placed by reference, then written in row order, as a write-only sheet takes them."""

    def __init__(self, ws):
        self.ws = ws
        self.cells: dict[tuple[int, int], Cell] = {}

    def put(self, ref: str, value, number_format: str | None = None) -> Cell:
        if isinstance(value, str) and not isinstance(value, _Formula):
            cell = text_cell(self.ws, value)
        else:
            cell = WriteOnlyCell(self.ws, value)
        if number_format:
            cell.number_format = number_format
        if number_format in (MONEY, PRICE):  # a large amount in a narrow detail column shrinks, never ###
            cell.alignment = FIT
        letter, row = coordinate_from_string(ref)
        self.cells[row, column_index_from_string(letter)] = cell
        return cell

    def formula(self, ref: str, text: str, number_format: str | None = None) -> Cell:
        return self.put(ref, _Formula(text), number_format)

    def write(self) -> None:
        last_row = max(row for row, _ in self.cells)
        last_column = max(column for _, column in self.cells)
        for (row, column), cell in self.cells.items():  # a write-only sheet takes heights before its rows
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                height = wrapped_height(cell.value, WIDTHS[column - 1] if column <= len(WIDTHS) else 8.43)
                dimension = self.ws.row_dimensions[row]
                dimension.height = max(dimension.height or 15, height)
        for (row, _), cell in self.cells.items():  # a tall row reads from its top, every cell of it
            if (self.ws.row_dimensions[row].height or 15) > 15:
                old = cell.alignment
                cell.alignment = Alignment(horizontal=old.horizontal, wrap_text=old.wrap_text,
                                           shrink_to_fit=old.shrink_to_fit, vertical="top")
        for row in range(1, last_row + 1):
            self.ws.append([self.cells.get((row, column)) for column in range(1, last_column + 1)])


# --- Students sheet ---------------------------------------------------------------------------


def _students_range(column: int, last_row: int) -> str:
    letter = get_column_letter(column)
    return f"{STUDENTS}!${letter}$2:${letter}${last_row}"


def _served_test(results: ResultsTable, last_row: int) -> str:
    """The COUNTIFS range and criterion that pick the served students."""
    criterion = f'">="&{B["min_sessions"]}' if results.sessions is not None else "1"
    return f"{_students_range(2, last_row)},{criterion}"


# --- Invoice sheet ---------------------------------------------------------------------------


def _write_invoice(sheet: _Sheet, deal: Deal, invoice: Invoice, results: ResultsTable, last_row: int) -> None:
    for letter, width in zip(COL.values(), WIDTHS, strict=True):
        sheet.ws.column_dimensions[letter].width = width
    _write_heading(sheet, deal, invoice)
    _write_terms(sheet, deal, invoice, results, last_row)
    served_test = _served_test(results, last_row)
    first, last = OUTCOME_HEADER_ROW + 1, OUTCOME_HEADER_ROW + len(deal.outcomes)
    for letter, name in zip(COL.values(), OUTCOME_COLUMNS, strict=True):
        header = sheet.put(f"{letter}{OUTCOME_HEADER_ROW}", name)
        header.font, header.alignment = BOLD, WRAP
    weights = f"${COL['Weight']}${first}:${COL['Weight']}${last}"
    place = detail.Place(
        served_test,
        values={o.name: _students_range(i + 3, last_row) for i, o in enumerate(deal.outcomes)},
        rows={o.name: first + i for i, o in enumerate(deal.outcomes)},
        # The group numbers follow the outcomes and the group names on the Students sheet.
        group_numbers=None if results.groups is None else _students_range(len(deal.outcomes) + 4, last_row),
        groups=tuple(group.name for group in groups(deal)),
    )
    refs, notes_row = detail.write_detail(sheet, deal, last + 6, place)
    for outcome in deal.outcomes:
        _write_outcome(sheet, outcome, place, (weights, refs.get(outcome.name)))
    _write_totals(sheet, deal, first, last)
    _write_notes(sheet, invoice, notes_row)


def _has_penalty(deal: Deal) -> bool:
    return any(band.payout < 0 for outcome in deal.outcomes for band in outcome.bands or [])


def _write_heading(sheet: _Sheet, deal: Deal, invoice: Invoice) -> None:
    sheet.put("A1", f"Invoice: {deal.name}").font = Font(bold=True, size=14)
    rows = [
        ("Period", invoice.period),
        ("Invoice date", invoice.invoice_date),
        ("District", deal.district),
        ("Provider", deal.provider),
        ("Results file", invoice.source),
    ]
    for offset, (label, value) in enumerate(rows, start=2):
        sheet.put(f"A{offset}", label)
        sheet.put(f"B{offset}", value, "yyyy-mm-dd" if label == "Invoice date" else None)
    sheet.put("A9", "Deal terms (inputs)").font = BOLD


def _write_terms(sheet: _Sheet, deal: Deal, invoice: Invoice, results: ResultsTable, last_row: int) -> None:
    terms = [
        ("students", "Students in the deal", deal.students, "#,##0"),
        ("total_cost", "Total cost (contract value)", deal.total_cost, MONEY),
        ("share", "Performance share", deal.performance_share, PERCENT),
        ("pool", "Performance pool", _Formula(f"={B['total_cost']}*{B['share']}"), MONEY),
        ("base_max", "Base (maximum)", _Formula(f"={B['total_cost']}-{B['pool']}"), MONEY),
        ("base_basis", "Base paid", "per student served" if deal.base_basis == "per_student" else "in full",
         None),
        ("commitments", "District commitments met (yes/no)", "yes" if invoice.commitments_met else "no",
         None),
        ("missing", "Missing values: " + ", or ".join(MISSING_RULE_WORDS.values()),
         MISSING_RULE_WORDS[invoice.missing_rule], None),
        ("min_sessions", "Minimum sessions to count as served",
         results.min_sessions if results.min_sessions is not None else "n/a (served is a 1/0 flag)", None),
        ("in_file", "Students in the file", _Formula(f"=ROWS({_students_range(1, last_row)})"), "#,##0"),
        ("served", "Students served", _Formula(f"=COUNTIFS({_served_test(results, last_row)})"), "#,##0"),
    ]
    if _has_penalty(deal):
        label = "Max penalty (the most outcome payments may take back)"
        terms.append(("max_penalty", label, deal.max_penalty, MONEY))
    for key, label, value, number_format in terms:
        sheet.put(f"A{ROW[key]}", label).alignment = WRAP
        sheet.put(f"B{ROW[key]}", value, number_format)
    sheet.put(f"A{ROW['in_file'] - 1}", "Counts from the Students sheet").font = BOLD


def _write_outcome(sheet: _Sheet, outcome: Outcome, place: detail.Place, given: tuple) -> None:
    weights, refs = given  # every outcome's weight, as Deal.allocation; the detail block's Refs or None
    row, values, served_test = place.rows[outcome.name], place.values[outcome.name], place.served_test
    ref = {name: f"{letter}{row}" for name, letter in COL.items()}
    # The deal's own count; left to follow the students input when the outcome is open to all.
    in_deal = outcome.eligible_students or _Formula(f"={B['students']}")
    record = BASES[outcome.basis]
    missing_rule = f'IF({B["missing"]}="{MISSING_RULE_WORDS["excluded"]}",{ref["Missing"]},0)'
    earned = f'ROUND(IF({B["commitments"]}="yes",{_pay(outcome, ref, refs)},{ref["Allocation"]}),2)'
    payment = f'=MIN({earned},ROUNDDOWN({ref["Allocation"]},2))'
    divisor = f"({refs.weighted})" if refs and refs.weighted else ref["Eligible in deal"]
    cells = {
        "Outcome": (outcome.name, None),
        "Basis": (record.label, None),
        "Threshold": (_threshold(outcome), None),
        "Weight": (outcome.weight, PERCENT),
        "Allocation": (_Formula(f"={B['pool']}*{ref['Weight']}/SUM({weights})"), MONEY),
        "Eligible in deal": (in_deal, "#,##0"),
        "Price per achiever": (_Formula(f"={ref['Allocation']}/{divisor}") if record.per_head or record.banded
                               else None, PRICE),
        "Missing": (_Formula(f'=COUNTIFS({served_test},{values},"")'), "#,##0"),
        "Eligible": (_Formula(f"={B['served']}-{missing_rule}"), "#,##0"),
        "Achievers": (_Formula(f"={refs.achievers}" if outcome.bands is not None
                               else f"=COUNTIFS({served_test},{values},{_achieved(outcome, ref)})"), "#,##0"),
        "Rate": (_Formula(f"=IF({ref['Eligible']}=0,0,{ref['Achievers']}/{ref['Eligible']})"), PERCENT),
        "Target rate": (outcome.target_rate, PERCENT),
        "Floor rate": (outcome.floor_rate or 0.0 if "floor_rate" in record.fields else None, PERCENT),
        "Payment": (_Formula(payment), MONEY),
        "How it pays": (record.describe(outcome), None),
    }
    for name, (value, number_format) in cells.items():
        if value is not None:
            cell = sheet.put(ref[name], value, number_format)
            if name in WRAPPED:
                cell.alignment = WRAP


def _threshold(outcome: Outcome):
    if outcome.bands is not None:
        return "by band (below)"
    if outcome.threshold_value is None:  # the file's 1, yes or true is 1 on the Students sheet
        return FLAG_THRESHOLD
    return excel_number(outcome.threshold_value)


def _achieved(outcome: Outcome, ref: dict[str, str]) -> str:
    return "1" if outcome.threshold_value is None else f'">="&{ref["Threshold"]}'


def _pay(outcome: Outcome, ref: dict[str, str], detailed: detail.Refs | None) -> str:
    """The basis rule as an Excel expression, in the same operation order as the core's settle and bases."""
    record = BASES[outcome.basis]
    if detailed is not None:  # by group or by band: what the students counted earn, up to the allocation
        return f"MIN({ref['Allocation']},{detailed.earned})"
    if record.per_head:  # settle pays the price for each achiever it counts, up to the allocation
        return f"MIN({ref['Allocation']},{ref['Price per achiever']}*{ref['Achievers']})"
    refs = Refs(
        allocation=ref["Allocation"], rate=ref["Rate"], served=f"({B['served']}/{B['students']})",
        target=ref["Target rate"], floor=ref["Floor rate"],
        tiers=tuple((repr(t.min_rate), repr(t.payout)) for t in outcome.tiers or []),
    )
    return record.formula(refs)


def _write_totals(sheet: _Sheet, deal: Deal, first: int, last: int) -> None:
    per_student = f'{B["base_max"]}/{B["students"]}*{B["served"]}'
    base = f'IF({B["base_basis"]}="per student served",{per_student},{B["base_max"]})'
    payments = f"{COL['Payment']}{first}:{COL['Payment']}{last}"
    if _has_penalty(deal):  # the relief, a line of its own under the outcomes, joins their sum
        relief = f"{COL['Payment']}{last + 1}"
        label = "Penalty relief (penalties take back at most the max penalty)"
        sheet.put(f"A{last + 1}", label).alignment = WRAP
        sheet.put(relief, _Formula(f"=ROUND(MAX(0,-{B['max_penalty']}-SUM({payments})),2)"), MONEY)
        payments = f"{COL['Payment']}{first}:{relief}"
    rows = [
        ("Base due", _Formula(f'=ROUND(IF({B["commitments"]}="yes",{base},{B["base_max"]}),2)')),
        ("Outcome payments due", _Formula(f"=ROUND(SUM({payments}),2)")),
        ("Total due", _Formula(f"=ROUND(B{last + 2}+B{last + 3},2)")),
    ]
    for offset, (label, formula) in enumerate(rows, start=2):
        sheet.put(f"A{last + offset}", label).font = BOLD
        sheet.put(f"B{last + offset}", formula, MONEY).font = BOLD


def _write_notes(sheet: _Sheet, invoice: Invoice, row: int) -> None:
    sheet.put(f"A{row}", "Notes").font = BOLD
    for offset, note in enumerate(invoice.notes, start=1):
        sheet.put(f"A{row + offset}", note)
