"""The Excel invoice's counts and payments by student group and by band, as formulas.

Written below the invoice's totals: the groups as inputs (students, price multiplier), then for each
per-student outcome of a deal with groups its price, served students, achievers and payment by group,
and for each banded outcome its students by band (and by group) with COUNTIFS over the Students
sheet, each band's payment, and each group's. The outcome's row reads its price and payment from
here. Every sum is written term by term in the order obc_calc.core.settle_groups adds, so the
workbook agrees with the invoice before rounding.

The Students sheet holds each student's group as a name and as a number (1 = the first group here):
COUNTIFS matches the number, since a name could hold a wildcard (* or ?) or start like a comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from obc_calc.core.bases import BASES
from obc_calc.core.groups import groups
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.money import excel_number
from obc_calc.core.settle_groups import band_label

MONEY = '"$"#,##0.00'
PRICE = '"$"#,##0.00##'  # a price over a head count is often not whole cents: show up to 4 places
PERCENT = "0.0%"
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Place:
    """Where the formulas find the data: the served test, each outcome's values and row, the groups."""

    served_test: str  # COUNTIFS range and criterion picking the served students
    values: dict[str, str]  # outcome name -> its Students range
    rows: dict[str, int]  # outcome name -> its row on the Invoice sheet
    group_numbers: str | None  # the Students range of group numbers; None without groups
    groups: tuple[str, ...] = ()  # the groups' names, numbered from 1 in this order


@dataclass(frozen=True)
class Refs:
    """What an outcome's row reads from its detail block (expressions, without '=')."""

    earned: str  # what the students counted earn, before the cap at the allocation
    weighted: str | None = None  # Σ multiplier × students, the price's divisor with groups
    achievers: str | None = None  # banded: the students in bands that pay


def needs_detail(deal: Deal, outcome: Outcome) -> bool:
    record = BASES[outcome.basis]
    return record.banded or (record.per_head and bool(deal.student_groups))


def write_detail(sheet, deal: Deal, row: int, place: Place) -> tuple[dict[str, Refs], int]:
    """Write the blocks from `row`; return each detailed outcome's Refs and the next free row."""
    refs: dict[str, Refs] = {}
    weighted, multipliers = None, []
    if deal.student_groups:
        weighted, multipliers, row = _write_groups(sheet, deal, row)
    for outcome in deal.outcomes:
        if not needs_detail(deal, outcome):
            continue
        write = _write_bands if outcome.bands is not None else _write_per_student
        found, row = write(sheet, outcome, (row, multipliers), place)
        refs[outcome.name] = Refs(found.earned, weighted, found.achievers)
    return refs, row


def _header(sheet, row: int, title: str, names: list[str]) -> None:
    sheet.put(f"A{row}", title).font = BOLD
    for column, name in enumerate(names, start=1):
        cell = sheet.put(f"{get_column_letter(column)}{row + 1}", name)
        cell.font, cell.alignment = BOLD, Alignment(wrap_text=True, vertical="top")


def _write_groups(sheet, deal: Deal, row: int) -> tuple[str, list[str], int]:
    """The groups as inputs; returns the weighted sum's expression, each group's multiplier cell
    and the next free row."""
    _header(sheet, row, "Student groups (inputs)", ["Group", "No.", "Students in deal", "Price multiplier",
                                                    "Multiplier x students"])
    weighted, multipliers = [], []
    for number, group in enumerate(groups(deal), start=1):
        at = row + 1 + number
        sheet.put(f"A{at}", group.name)
        sheet.put(f"B{at}", number)
        sheet.put(f"C{at}", group.students, "#,##0")
        sheet.put(f"D{at}", group.multiplier)
        sheet.formula(f"E{at}", f"=D{at}*C{at}", "#,##0.##")
        weighted.append(f"$E${at}")
        multipliers.append(f"$D${at}")
    return "+".join(weighted), multipliers, row + len(weighted) + 3


def _count(place: Place, outcome: Outcome, number: int | None, criteria: list[str]) -> str:
    """COUNTIFS over the served students (of group `number`, when given) with the value criteria."""
    parts = [place.served_test]
    if number is not None:
        parts.append(f"{place.group_numbers},{number}")
    parts += [f"{place.values[outcome.name]},{criterion}" for criterion in criteria]
    return f"COUNTIFS({','.join(parts)})"


def _write_per_student(sheet, outcome: Outcome, at_row: tuple[int, list[str]], place: Place,
                       ) -> tuple[Refs, int]:
    row, multipliers = at_row
    _header(sheet, row, f"{outcome.name}: by student group",
            ["Group", "Price per achiever", "Served", "Achievers", "Payment"])
    measured = outcome.threshold_value is not None
    achieved = f'">="&{excel_number(outcome.threshold_value)!r}' if measured else "1"
    price = f"$G${place.rows[outcome.name]}"
    payments = []
    for number, (group, multiplier) in enumerate(zip(place.groups, multipliers, strict=True), start=1):
        at = row + 1 + number
        sheet.put(f"A{at}", group)
        sheet.formula(f"B{at}", f"={price}*{multiplier}", PRICE)
        sheet.formula(f"C{at}", f"={_count(place, outcome, number, [])}", "#,##0")
        sheet.formula(f"D{at}", f"={_count(place, outcome, number, [achieved])}", "#,##0")
        sheet.formula(f"E{at}", f"=B{at}*D{at}", MONEY)
        payments.append(f"E{at}")
    return Refs("+".join(payments)), row + len(payments) + 3


def _band_criteria(edges: tuple[str | None, str | None]) -> list[str]:
    low, high = edges
    return ([f'">="&{low}'] if low else []) + ([f'"<"&{high}'] if high else [])


def _write_bands(sheet, outcome: Outcome, at_row: tuple[int, list[str]], place: Place) -> tuple[Refs, int]:
    row, multipliers = at_row
    count_columns = [get_column_letter(5 + i) for i in range(len(multipliers))]
    total, pay = get_column_letter(5 + len(multipliers)), get_column_letter(6 + len(multipliers))
    names = list(place.groups)  # each group's column counts its students in the band
    _header(sheet, row, f"{outcome.name}: by band", ["Band", "From", "Below", "Payout", *names, "Students",
                                                     "Payment"])
    outcome_row = place.rows[outcome.name]
    prices = [f"$G${outcome_row}"]
    if multipliers:  # each group's price per student, above its column of counts
        sheet.put(f"D{row + 2}", "Price per student")
        for column, multiplier in zip(count_columns, multipliers, strict=True):
            sheet.formula(f"{column}{row + 2}", f"=$G${outcome_row}*{multiplier}", PRICE)
        prices = [f"{column}${row + 2}" for column in count_columns]
        row += 1
    first = row + 2
    uppers = [band.min_value for band in outcome.bands[1:]] + [None]
    for b, (band, upper) in enumerate(zip(outcome.bands, uppers, strict=True)):
        at = first + b
        sheet.put(f"A{at}", band_label(band.min_value, upper))
        if band.min_value is not None:
            sheet.put(f"B{at}", excel_number(band.min_value))
        if upper is not None:
            sheet.put(f"C{at}", excel_number(upper))
        sheet.put(f"D{at}", band.payout, PERCENT)
        low, high = (None if band.min_value is None else f"B{at}"), (None if upper is None else f"C{at}")
        criteria = _band_criteria((low, high))
        _band_counts(sheet, place, outcome, (at, criteria), count_columns, total)
        counts = [f"{column}{at}" for column in count_columns] or [f"{total}{at}"]
        terms = "+".join(f"{price}*{count}" for price, count in zip(prices, counts, strict=True))
        sheet.formula(f"{pay}{at}", f"=({terms})*D{at}", MONEY)
    last = first + len(outcome.bands) - 1
    row = last + 1
    if outcome.bands[0].min_value is not None:
        sheet.put(f"A{row}", "Below the first band (pays nothing)")
        below = _count(place, outcome, None, _band_criteria((None, f"B{first}")))
        sheet.formula(f"{total}{row}", f"={below}", "#,##0")
        row += 1
    paying = [first + b for b, band in enumerate(outcome.bands) if band.payout > 0]
    if multipliers:
        row = _group_totals(sheet, row, (first, last), paying, count_columns, prices)
    refs = Refs("+".join(f"{pay}{first + b}" for b in range(len(outcome.bands))),
                achievers="+".join(f"{total}{at}" for at in paying))
    return refs, row + 1


def _band_counts(sheet, place: Place, outcome: Outcome, where: tuple[int, list[str]],
                 count_columns: list[str], total: str) -> None:
    at, criteria = where
    for number, column in enumerate(count_columns, start=1):
        sheet.formula(f"{column}{at}", f"={_count(place, outcome, number, criteria)}", "#,##0")
    if count_columns:
        sheet.formula(f"{total}{at}", f"={'+'.join(f'{c}{at}' for c in count_columns)}", "#,##0")
    else:
        sheet.formula(f"{total}{at}", f"={_count(place, outcome, None, criteria)}", "#,##0")


def _group_totals(sheet, row: int, bands: tuple[int, int], paying: list[int], count_columns: list[str],
                  prices: list[str]) -> int:
    """Per group: the students in bands that pay, and the group's payment, Σ payout × students × price."""
    first, last = bands
    sheet.put(f"D{row}", "In a band that pays")
    sheet.put(f"D{row + 1}", "Payment by group")
    for column, price in zip(count_columns, prices, strict=True):
        sheet.formula(f"{column}{row}", f"={'+'.join(f'{column}{at}' for at in paying)}", "#,##0")
        terms = "+".join(f"$D{at}*{column}{at}" for at in range(first, last + 1))
        sheet.formula(f"{column}{row + 1}", f"={price}*({terms})", MONEY)
    return row + 2
