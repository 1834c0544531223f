"""The budget workbook's text: user text written so that it stays text, the styles the sheets
share, what each Summary input means, and the Notes sheet (obc_calc.io.workbook builds the rest).

Text a user typed is never a live formula: it is stored as a string, and one that starts the way
a formula or a CSV injection does (=, +, -, @, tab, carriage return) also gets Excel's quote
prefix, so that it stays text when someone edits the cell or saves the sheet as CSV.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as col

from obc_calc import __version__
from obc_calc.core.bases import BASES
from obc_calc.core.limits import FORMULA_STARTS
from obc_calc.core.model import DATA_SOURCES

INPUT_FONT = Font(color="0000FF")
LINK_FONT = Font(color="008000")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TITLE_FONT = Font(bold=True, size=14)

COMMITMENT_HEADER = ("Commitment", "Description")

# What each Summary input means, in the order of workbook.SUMMARY_INPUTS.
SUMMARY_MEANINGS = (
    "", "", "", "",
    "Students the deal plans to serve.",
    "The most the district can pay: the base plus the whole performance pool.",
    "Share of the total cost paid only when outcomes are met.",
    "in full: the base is paid in full; per student served: in proportion to the students actually served.",
    "", "", "Months the term lasts (1 to 60).",
    "A fiscal year is named by the calendar year it ends in.",
    "Share of the base paid in the first month; the rest is spread evenly over the term.",
    "How strongly the outcomes' rates move together in the simulation (0 to 0.95).",
    "Fewest students the simulation may serve (blank: all planned students).",
    "Most students the simulation may serve (blank: all planned students).",
    "Chance the simulation draws a year in which the district misses its commitments.",
    "The most the outcome payments together may take back (penalties); 0: penalties only offset others.",
)

# The Base basis cell shows a plain label; the deal stores the code.
BASE_BASIS_LABELS = {"fixed": "in full", "per_student": "per student served"}
# A data source as the workbook shows it (the Data source cells), in words: third_party is "third party".
DATA_SOURCE_LABELS = {source: source.replace("_", " ") for source in DATA_SOURCES}
ROW_HEIGHT = 15  # points: one line of the default 11-point font
WRAP = Alignment(wrap_text=True, vertical="top")


def wrapped_height(text: str | None, width: float) -> float:
    """The row height (points) that shows `text` wrapped in a column `width` characters wide: spreadsheet
    programs do not size a row to wrapped text written by openpyxl, so the height is given."""
    per_line = max(8, int(width * 1.12))
    lines = sum(max(1, len(textwrap.wrap(part, per_line))) for part in (text or "").split("\n"))
    return ROW_HEIGHT * lines


def fit_row(ws, row: int, width: float, *texts: str | None) -> None:
    """Make `row` tall enough for the longest of `texts` wrapped in a column `width` wide."""
    height = max((wrapped_height(t, width) for t in texts), default=ROW_HEIGHT)
    current = ws.row_dimensions[row].height or ROW_HEIGHT
    if height > current:
        ws.row_dimensions[row].height = height


def print_setup(ws, title_rows: str | None = None, landscape: bool = True, fit_rows: bool = True) -> None:
    """Letter paper, one page wide and as many pages high as it takes, `title_rows` repeated on every
    page, a footer naming the sheet and the page; each row as tall as its wrapped text (`fit_rows`:
    a write-only sheet sizes its rows as it writes them)."""
    ws.page_setup.paperSize = 1  # Letter
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "&A, page &P of &N"
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows
    if fit_rows:
        _fit_wrapped(ws)


def _fit_wrapped(ws) -> None:
    """Every row as tall as its wrapped text needs (a merged cell's row is sized where it is written)."""
    merged = {c for cells in ws.merged_cells.ranges for c in cells.cells}
    for row in ws.iter_rows():
        for cell in row:
            wrapped = isinstance(cell.value, str) and cell.alignment.wrap_text
            if wrapped and (cell.row, cell.column) not in merged:
                known = ws.column_dimensions.get(cell.column_letter)
                width = known.width if known is not None and known.width else 8.43
                fit_row(ws, cell.row, width, cell.value)
    for number, dimension in list(ws.row_dimensions.items()):
        if (dimension.height or 0) > ROW_HEIGHT:  # a tall row reads from its top, every cell of it
            for cell in ws[number]:
                old = cell.alignment
                cell.alignment = Alignment(horizontal=old.horizontal, wrap_text=old.wrap_text, vertical="top")


def as_text(cell, text: str | None):
    """User text in `cell` (a sheet's cell or a write-only one) as a string: openpyxl would take a
    leading '=' as a formula, and characters a workbook cannot hold are left out."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text or "")
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # the cell style's quotePrefix: Excel keeps it text when edited
    return cell


def put_text(ws, row: int, column: int, text: str | None):
    return as_text(ws.cell(row, column), text)


def put_input_text(ws, row: int, column: int, text: str | None):
    cell = put_text(ws, row, column, text)
    cell.font, cell.fill = INPUT_FONT, INPUT_FILL
    return cell


def header_row(ws, row: int, headers: list[str], first_column: int = 1) -> None:
    for i, title in enumerate(headers):
        cell = put_text(ws, row, first_column + i, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = WRAP


def set_widths(ws, widths: dict[int, float]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[col(column)].width = width


def text_width(*texts: str | None, low: float = 10, high: float = 60) -> float:
    longest = max((len(t or "") for t in texts), default=0)
    return max(low, min(high, longest + 2))


def _notes(made_at: datetime) -> list[tuple[str, str]]:
    return [
        ("Made by", f"obc_calc {__version__} on {made_at:%Y-%m-%d %H:%M} UTC"),
        ("Inputs", "Blue cells on a light fill are inputs. Green cells follow another cell (a scenario "
                   "rate left at the outcome's expected rate, eligible students left at all students, "
                   "payment left in the term's last month) until you type a value over them."),
        ("Rates at an edge", "A rate exactly at a target or tier start counts as reaching it."),
        ("Commitments", "If the district misses its commitments (Commitments met = No), it pays the full "
                        "contract value: the whole base and every full allocation."),
        ("Adding outcomes", "To add or remove outcomes, scenarios, student groups or bands, change the "
                            "deal in the app and export again; the formulas cover the ones the workbook "
                            "was made with."),
        ("Student groups", "A per-student outcome pays each group's achievers its price per achieving "
                           "student times the group's multiplier; other bases read the overall rate. In a "
                           "scenario, a group's rate follows the outcome's rate when one is typed, else the "
                           "group's expected rate, until you type a rate for the group."),
        ("Penalties", "A band with a negative payout takes money back; the performance total never falls "
                      "below minus the Summary's most penalties can take back."),
        ("Printing", "The Schedule prints the months of the term the workbook was made with; after changing "
                     "the term's length, set the print area again."),
    ]


NOTE_LINES = 8
BASIS_FIRST_ROW = 5 + NOTE_LINES  # the payment bases' labels, which the Rate Card's Basis cells pick from
NOTES_WIDTHS = {2: 90, 3: 14}


def notes_sheet(ws, deal, made_at: datetime) -> None:
    """How the workbook works, how each basis pays, each outcome's rule and the commitments."""
    put_text(ws, 1, 1, "Notes").font = TITLE_FONT
    lines = _notes(made_at)
    wide = NOTES_WIDTHS[2]
    for i, (label, text) in enumerate(lines):
        put_text(ws, 3 + i, 1, label).font = HEADER_FONT
        put_text(ws, 3 + i, 2, text).alignment = WRAP
        fit_row(ws, 3 + i, wide, text)
    row = 4 + len(lines)
    header_row(ws, row, ["Payment basis", "How it pays"])
    for i, record in enumerate(BASES.values()):
        put_text(ws, row + 1 + i, 1, record.label)
        put_text(ws, row + 1 + i, 2, record.summary).alignment = WRAP
        fit_row(ws, row + 1 + i, wide, record.summary)
    row += len(BASES) + 2
    header_row(ws, row, ["Outcome", "How it pays (when the workbook was made)", "Data source"])
    names = text_width("Payment basis", *(o.name for o in deal.outcomes), *(c.name for c in deal.commitments),
                       low=20, high=30)
    for i, outcome in enumerate(deal.outcomes):
        put_text(ws, row + 1 + i, 1, outcome.name).alignment = WRAP
        put_text(ws, row + 1 + i, 2, BASES[outcome.basis].describe(outcome)).alignment = WRAP
        put_text(ws, row + 1 + i, 3, DATA_SOURCE_LABELS.get(outcome.data_source, outcome.data_source))
        fit_row(ws, row + 1 + i, wide, BASES[outcome.basis].describe(outcome))
        fit_row(ws, row + 1 + i, names, outcome.name)
    row += len(deal.outcomes) + 2
    header_row(ws, row, list(COMMITMENT_HEADER))
    for i, commitment in enumerate(deal.commitments):
        put_input_text(ws, row + 1 + i, 1, commitment.name).alignment = WRAP
        put_input_text(ws, row + 1 + i, 2, commitment.description).alignment = WRAP
        fit_row(ws, row + 1 + i, wide, commitment.description)
        fit_row(ws, row + 1 + i, names, commitment.name)
    set_widths(ws, {1: names} | NOTES_WIDTHS)
