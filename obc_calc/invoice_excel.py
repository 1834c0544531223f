"""The invoice as an Excel workbook an auditor can trace: every count and dollar is a formula.

Sheet "Students" holds a copy of the checked student data (served as 1/0 or sessions attended;
measured values or 1/0 flags; blank where missing). Sheet "Invoice" holds the deal's terms as
plain inputs and computes students served, missing values, eligible students, achievers, rates,
payments, the base and the total with COUNTIFS over the Students sheet. Each payment and the base
are rounded to the cent with ROUND, as `obc_calc.settle` rounds them, so the workbook matches the
invoice to the cent. The arithmetic is written in the same order as the Python rules, so the
floating-point results agree before rounding too.
"""

from __future__ import annotations

import io

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from obc_calc.model import Deal, Outcome
from obc_calc.results_file import ResultsTable
from obc_calc.rules import RATE_TOLERANCE, describe_basis
from obc_calc.settle import FORMULA_STARTS, Invoice, excel_threshold

MONEY = '"$"#,##0.00'
PERCENT = "0.0%"
BOLD = Font(bold=True)
STUDENTS = "Students"

# Input cells on the Invoice sheet (column B), referred to by the formulas below.
ROW = {
    "students": 10, "total_cost": 11, "share": 12, "pool": 13, "base_max": 14, "base_basis": 15,
    "commitments": 16, "missing": 17, "min_sessions": 18, "in_file": 20, "served": 21,
}
B = {name: f"$B${row}" for name, row in ROW.items()}
OUTCOME_HEADER_ROW = 23
OUTCOME_COLUMNS = [
    "Outcome", "Basis", "Threshold", "Weight", "Allocation", "Missing", "Eligible", "Achievers", "Rate",
    "Target rate", "Floor rate", "Payment", "How it pays",
]


def invoice_workbook(deal: Deal, invoice: Invoice, results: ResultsTable) -> bytes:
    """The .xlsx bytes: an Invoice sheet of formulas over a Students sheet of the data."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Invoice"
    students = book.create_sheet(STUDENTS)
    last_row = _write_students(students, deal, results)
    _write_invoice(sheet, deal, invoice, results, last_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(sheet, ref: str, value, number_format: str | None = None) -> Cell:
    """Write a cell; user text that looks like a formula stays text."""
    cell = sheet[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not isinstance(value, _Formula):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


class _Formula(str):
    """A formula this module wrote, as opposed to user text that happens to start with '='."""


# --- Students sheet --------------------------------------------------------------------------


def _write_students(sheet, deal: Deal, results: ResultsTable) -> int:
    served_header = "Sessions attended" if results.sessions is not None else "Served (1 = yes)"
    header = ["Student ID", served_header] + [o.name for o in deal.outcomes]
    for column, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        if name.startswith(FORMULA_STARTS):
            cell.data_type = "s"
        cell.font = BOLD
    served = results.sessions if results.sessions is not None else results.served.astype(int)
    columns = [_cells(served)] + [_cells(results.values[o.name].to_numpy()) for o in deal.outcomes]
    ids = results.student_ids.tolist()
    for row in zip(ids, *columns, strict=True):
        sheet.append(row)
    # Ids are text: one that starts like a formula must not run as one.
    for index in np.flatnonzero(results.student_ids.str.startswith(FORMULA_STARTS).to_numpy()):
        sheet.cell(row=int(index) + 2, column=1).data_type = "s"
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 18
    sheet.freeze_panes = "A2"
    return len(results) + 1


def _cells(values: np.ndarray) -> list:
    """Numbers as Excel cells: whole numbers as int, missing (NaN) as a blank cell."""
    whole = np.isfinite(values) & (values == np.round(values))
    return [
        None if np.isnan(v) else int(v) if w else float(v)
        for v, w in zip(values.tolist(), whole.tolist(), strict=True)
    ]


def _students_range(column: int, last_row: int) -> str:
    letter = get_column_letter(column)
    return f"{STUDENTS}!${letter}$2:${letter}${last_row}"


def _served_test(results: ResultsTable, last_row: int) -> str:
    """The COUNTIFS range and criterion that pick the served students."""
    criterion = f'">="&{B["min_sessions"]}' if results.sessions is not None else "1"
    return f"{_students_range(2, last_row)},{criterion}"


# --- Invoice sheet ---------------------------------------------------------------------------


def _write_invoice(sheet, deal: Deal, invoice: Invoice, results: ResultsTable, last_row: int) -> None:
    _write_heading(sheet, deal, invoice)
    _write_terms(sheet, deal, invoice, results, last_row)
    served_test = _served_test(results, last_row)
    first, last = OUTCOME_HEADER_ROW + 1, OUTCOME_HEADER_ROW + len(deal.outcomes)
    for column, name in enumerate(OUTCOME_COLUMNS, start=1):
        sheet.cell(row=OUTCOME_HEADER_ROW, column=column, value=name).font = BOLD
    for index, outcome in enumerate(deal.outcomes):
        values_range = _students_range(index + 3, last_row)
        _write_outcome(sheet, first + index, deal, outcome, served_test, values_range)
    _write_totals(sheet, deal, first, last)
    _write_notes(sheet, invoice, last + 6)
    for letter, width in zip("ABCDEFGHIJKLM", [34, 20, 16, 9, 15, 9, 9, 10, 9, 11, 10, 15, 60], strict=True):
        sheet.column_dimensions[letter].width = width


def _write_heading(sheet, deal: Deal, invoice: Invoice) -> None:
    _put(sheet, "A1", f"Invoice: {deal.name}").font = Font(bold=True, size=14)
    rows = [
        ("Period", invoice.period),
        ("Invoice date", invoice.invoice_date),
        ("District", deal.district),
        ("Provider", deal.provider),
        ("Results file", invoice.source),
    ]
    for offset, (label, value) in enumerate(rows, start=2):
        _put(sheet, f"A{offset}", label)
        _put(sheet, f"B{offset}", value, "yyyy-mm-dd" if label == "Invoice date" else None)
    _put(sheet, "A9", "Deal terms (inputs)").font = BOLD


def _write_terms(sheet, deal: Deal, invoice: Invoice, results: ResultsTable, last_row: int) -> None:
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
        ("missing", "Missing values (excluded/not_achieved)", invoice.missing_rule, None),
        ("min_sessions", "Minimum sessions to count as served",
         results.min_sessions if results.min_sessions is not None else "n/a (served is a 1/0 flag)", None),
        ("in_file", "Students in the file", _Formula(f"=ROWS({_students_range(1, last_row)})"), "#,##0"),
        ("served", "Students served", _Formula(f"=COUNTIFS({_served_test(results, last_row)})"), "#,##0"),
    ]
    for key, label, value, number_format in terms:
        _put(sheet, f"A{ROW[key]}", label)
        _put(sheet, f"B{ROW[key]}", value, number_format)
    _put(sheet, f"A{ROW['in_file'] - 1}", "Counts from the Students sheet").font = BOLD


def _write_outcome(sheet, row: int, deal: Deal, outcome: Outcome, served_test: str, values: str) -> None:
    measured = outcome.threshold_value is not None
    achieved = f'">="&C{row}' if measured else "1"
    cells = {
        "A": (outcome.name, None),
        "B": (outcome.basis, None),
        "C": (excel_threshold(outcome.threshold_value) if measured else "flag 1 = achieved", None),
        "D": (outcome.weight, PERCENT),
        "E": (_Formula(f"={B['pool']}*D{row}"), MONEY),
        "F": (_Formula(f'=COUNTIFS({served_test},{values},"")'), "#,##0"),
        "G": (_Formula(f'={B["served"]}-IF({B["missing"]}="excluded",F{row},0)'), "#,##0"),
        "H": (_Formula(f"=COUNTIFS({served_test},{values},{achieved})"), "#,##0"),
        "I": (_Formula(f"=IF(G{row}=0,0,H{row}/G{row})"), PERCENT),
        "J": (outcome.target_rate, PERCENT),
        "K": (outcome.floor_rate or 0.0 if outcome.basis == "linear" else None, PERCENT),
        "L": (_Formula(f'=ROUND(IF({B["commitments"]}="yes",{_pay(outcome, row)},E{row}),2)'), MONEY),
        "M": (describe_basis(outcome), None),
    }
    for letter, (value, number_format) in cells.items():
        _put(sheet, f"{letter}{row}", value, number_format)


def _pay(outcome: Outcome, row: int) -> str:
    """The basis rule as an Excel expression, in the same operation order as obc_calc.rules."""
    allocation, rate, target, floor = f"E{row}", f"I{row}", f"J{row}", f"K{row}"
    edge = f"-{RATE_TOLERANCE:.0E}"  # a rate at a target or tier edge counts as reaching it
    if outcome.basis == "per_student":
        return f"{allocation}*{rate}*({B['served']}/{B['students']})"
    if outcome.basis == "cohort_threshold":
        return f"IF({rate}>={target}{edge},{allocation},0)"
    if outcome.basis == "tiered":
        level = "0"
        for tier in outcome.tiers or []:
            level = f"IF({rate}>={tier.min_rate!r}{edge},{tier.payout!r},{level})"
        return f"{allocation}*{level}"
    return f"{allocation}*MAX(0,MIN(1,({rate}-{floor})/({target}-{floor})))"


def _write_totals(sheet, deal: Deal, first: int, last: int) -> None:
    per_student = f'{B["base_max"]}/{B["students"]}*{B["served"]}'
    base = f'IF({B["base_basis"]}="per student served",{per_student},{B["base_max"]})'
    rows = [
        ("Base due", _Formula(f'=ROUND(IF({B["commitments"]}="yes",{base},{B["base_max"]}),2)')),
        ("Outcome payments due", _Formula(f"=ROUND(SUM(L{first}:L{last}),2)")),
        ("Total due", _Formula(f"=ROUND(B{last + 2}+B{last + 3},2)")),
    ]
    for offset, (label, formula) in enumerate(rows, start=2):
        _put(sheet, f"A{last + offset}", label).font = BOLD
        _put(sheet, f"B{last + offset}", formula, MONEY).font = BOLD


def _write_notes(sheet, invoice: Invoice, row: int) -> None:
    _put(sheet, f"A{row}", "Notes").font = BOLD
    for offset, note in enumerate(invoice.notes, start=1):
        cell = _put(sheet, f"A{row + offset}", note)
        cell.alignment = Alignment(wrap_text=False)
