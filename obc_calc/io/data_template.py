"""The results data template (.xlsx): the blank sheet the provider and the district fill in each
term, with exactly the columns settle-up reads for the deal, and a data dictionary sheet.

The Results sheet holds the header of obc_calc.io.results_template (student_id, served, one column
per outcome, group in a deal with student groups), a frozen header, lists to pick the flags and the
groups from, and number formats on the measured columns. A filled-in template settles with no
column mapping. Every name a user typed is written as text, never as a formula (workbook_notes).
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter as col
from openpyxl.worksheet.datavalidation import DataValidation

from obc_calc.core.groups import OTHER_STUDENTS, groups
from obc_calc.core.model import Deal, Outcome
from obc_calc.io.results_file import GROUP, ID, SERVED
from obc_calc.io.results_template import template_csv
from obc_calc.io.workbook_notes import HEADER_FILL, HEADER_FONT, put_text

RESULTS_SHEET = "Results"
DICTIONARY_SHEET = "Data dictionary"
LAST_ROW = 1_048_576  # the validations and formats reach the sheet's last row
MEASURED_FORMAT = "0.00"
ID_FORMAT = "@"  # text: ids keep their leading zeros
FLAG_VALUES = "1 (yes) or 0 (no); yes/no and true/false are also read"
MISSING_WORDS = "blank when there is no value (n/a and missing read as blank too)"
SUPPLIERS = {
    "district": "The district (its assessment and student information systems)",
    "provider": "The provider (its program and attendance records)",
    "third_party": "An independent third party (such as an assessment vendor or evaluator)",
}
DICTIONARY_HEADER = ("Column", "What it holds", "Who supplies it", "Allowed values", "Threshold")
DICTIONARY_WIDTHS = (24, 52, 36, 40, 44)
THIN = Side(style="thin", color="A6A6A6")


def template_header(deal: Deal) -> list[str]:
    """The columns settle-up reads for the deal, as results_template writes them."""
    return next(csv.reader(io.StringIO(template_csv(deal))))


def is_measured(outcome: Outcome) -> bool:
    """The column holds a measured value (compared with a threshold or a band), not a 1/0 flag."""
    return outcome.threshold_value is not None or outcome.bands is not None


def template_workbook(deal: Deal) -> Workbook:
    book = Workbook()
    results = book.active
    results.title = RESULTS_SHEET
    dictionary = book.create_sheet(DICTIONARY_SHEET)
    group_range = _dictionary_sheet(dictionary, deal)
    _results_sheet(results, deal, group_range)
    return book


def template_bytes(deal: Deal) -> bytes:
    out = io.BytesIO()
    template_workbook(deal).save(out)
    return out.getvalue()


def save_template(deal: Deal, path: str) -> None:
    template_workbook(deal).save(path)


# --- the Results sheet -----------------------------------------------------------------------


def _results_sheet(ws, deal: Deal, group_range: str | None) -> None:
    header = template_header(deal)
    flags = DataValidation(type="list", formula1='"1,0"', allow_blank=True, showErrorMessage=True,
                           errorTitle="A flag", error="Type 1 (yes) or 0 (no).")
    numbers = DataValidation(type="decimal", operator="between", formula1="-1000000000",
                             formula2="1000000000", allow_blank=True, showErrorMessage=True,
                             errorTitle="A measured value", error="Type a number, or leave the cell blank.")
    for validation in (flags, numbers):
        ws.add_data_validation(validation)
    outcomes = {o.name: o for o in deal.outcomes}
    for number, name in enumerate(header, start=1):
        cell = put_text(ws, 1, number, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = col(number)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        outcome = outcomes.get(name) if number > 2 else None
        if name == ID and number == 1:
            ws.column_dimensions[letter].number_format = ID_FORMAT
        elif number == 2 or (outcome is not None and not is_measured(outcome)):
            flags.add(cells)
        elif outcome is not None:
            numbers.add(cells)
            ws.column_dimensions[letter].number_format = MEASURED_FORMAT
        elif name == GROUP and group_range:
            ws.add_data_validation(_group_validation(group_range, cells))
        ws.column_dimensions[letter].width = max(12, min(40, len(name) + 4))
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    _print_setup(ws)
    ws.print_title_rows = "1:1"


def _group_validation(group_range: str, cells: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=group_range, allow_blank=True, showErrorMessage=True,
                                errorTitle="A student group",
                                error=f"Pick one of the deal's groups; leave blank for {OTHER_STUDENTS}.")
    validation.add(cells)
    return validation


def _print_setup(ws) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# --- the Data dictionary sheet ---------------------------------------------------------------


def dictionary_rows(deal: Deal) -> list[tuple[str, str, str, str, str]]:
    """One row per column of the Results sheet: column, what it holds, who supplies it, allowed
    values, threshold."""
    rows = [
        (ID, "The student's id, one row per student served or enrolled in the program.",
         SUPPLIERS["district"], "Any id, written as text so leading zeros stay; no blanks, no repeats.", ""),
        (SERVED, "Whether the student was served in the period: 1 if served, 0 if not. It may instead "
                 "count the sessions the student attended, when settle-up is given a minimum number of "
                 "sessions.", SUPPLIERS["provider"], f"{FLAG_VALUES}; or a number of sessions (0 or more).",
         "Only served students count for any outcome."),
    ]
    rows += [_outcome_row(o) for o in deal.outcomes]
    if deal.student_groups:
        names = ", ".join(g.name for g in groups(deal))
        rows.append((GROUP, "The student's group, which sets the price paid for the student.",
                     SUPPLIERS["district"], f"One of: {names}. Blank means {OTHER_STUDENTS}.", ""))
    return rows


def _outcome_row(outcome: Outcome) -> tuple[str, str, str, str, str]:
    metric = outcome.metric or outcome.name
    if outcome.bands is not None:
        holds = f"{metric}: the student's measured value."
        allowed = f"A number (such as 0.85 or 85%); {MISSING_WORDS}."
        threshold = _bands(outcome)
    elif outcome.threshold_value is not None:
        holds = f"{metric}: the student's measured value."
        allowed = f"A number (such as 0.85 or 85%); {MISSING_WORDS}."
        words = f"{outcome.threshold}: " if outcome.threshold else ""
        threshold = f"{words}a value of at least {outcome.threshold_value:g} counts as achieved."
    else:
        holds = f"{metric}: 1 if the student met the threshold, 0 if not."
        allowed = f"{FLAG_VALUES}; {MISSING_WORDS}."
        threshold = outcome.threshold or "As the contract defines it."
    return outcome.name, holds, SUPPLIERS[outcome.data_source], allowed, threshold


def _bands(outcome: Outcome) -> str:
    bands = []
    for band in outcome.bands:
        start = "Any value" if band.min_value is None else f"From {band.min_value:g}"
        bands.append(f"{start}: {band.payout:.0%} of the price")
    return "Bands: " + "; ".join(bands) + ". Each band runs up to the next band's start."


def _dictionary_sheet(ws, deal: Deal) -> str | None:
    """Write the dictionary; return the range holding the allowed group names (None without groups)."""
    for number, (name, width) in enumerate(zip(DICTIONARY_HEADER, DICTIONARY_WIDTHS, strict=True), start=1):
        cell = ws.cell(1, number, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[col(number)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    rows = dictionary_rows(deal)
    for row, values in enumerate(rows, start=2):
        for number, text in enumerate(values, start=1):
            cell = put_text(ws, row, number, text)
            cell.alignment, cell.border = wrap, Border(top=THIN, bottom=THIN)
        ws.cell(row, 1).font = HEADER_FONT
        ws.row_dimensions[row].height = _height(values)
    row = len(rows) + 3
    notes = (
        "How settle-up reads the Results sheet: one row per student under the header; the columns are "
        "found by their names, so keep the header as it is. A blank cell has no value: the student "
        "is left out of that outcome's rate, or counted as not achieving it, as the settle-up's "
        "missing-data rule says. Payments are rounded to the cent.",
    )
    for note in notes:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(DICTIONARY_HEADER))
        cell = ws.cell(row, 1, note)
        cell.alignment = wrap
        ws.row_dimensions[row].height = 45
        row += 2
    ws.freeze_panes = "A2"
    _print_setup(ws)
    ws.print_title_rows = "1:1"
    return _group_list(ws, deal, row) if deal.student_groups else None


def _height(values: tuple[str, ...]) -> float:
    """Points for a row whose wrapped text fills its tallest cell (LibreOffice keeps the height
    the file gives): about one character per unit of column width, 15 points a line."""
    pairs = zip(values, DICTIONARY_WIDTHS, strict=True)
    lines = max(-(-len(text) // (width - 2)) or 1 for text, width in pairs)
    return 15.0 * lines + 3


def _group_list(ws, deal: Deal, row: int) -> str:
    ws.cell(row, 1, "Student groups").font = HEADER_FONT
    first = row + 1
    for offset, group in enumerate(groups(deal)):
        put_text(ws, first + offset, 1, group.name)
    last = first + len(groups(deal)) - 1
    return f"'{DICTIONARY_SHEET}'!$A${first}:$A${last}"
