"""Where the budget workbook puts everything: its sheet names, labels, headers and number formats
(obc_calc.io.workbook_import reads the same ones), the cell helpers the sheets share, and the
Layout that lets each sheet's formulas point at the others' cells."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from obc_calc.core.groups import OTHER_STUDENTS
from obc_calc.core.model import Deal
from obc_calc.io.workbook_notes import BASE_BASIS_LABELS, INPUT_FILL, INPUT_FONT, LINK_FONT

SUMMARY, RATE_CARD, SCENARIOS, SCHEDULE, NOTES = "Summary", "Rate Card", "Scenarios", "Schedule", "Notes"
GROUPS = "Student Groups"  # only in the workbook of a deal with student groups
RC, GR = "'Rate Card'", "'Student Groups'"  # the sheet names as a formula writes them

MONEY = '"$"#,##0.00'
RATE = "0.0%"
COUNT = "#,##0"
FISCAL_YEAR = '"FY"0'

# Summary inputs: (label in column A, defined name of the value cell in column B, number format).
SUMMARY_INPUTS: tuple[tuple[str, str | None, str | None], ...] = (
    ("Deal name", None, None),
    ("District", None, None),
    ("Provider", None, None),
    ("Program", None, None),
    ("Students", "Students", COUNT),
    ("Total cost (not-to-exceed)", "TotalCost", MONEY),
    ("Performance share", "PerformanceShare", RATE),
    ("Base basis", "BaseBasis", None),
    ("Term starts: year", "TermStartYear", "0"),
    ("Term starts: month", "TermStartMonth", "0"),
    ("Term months", "TermMonths", "0"),
    ("Fiscal year starts in month", "FYStartMonth", "0"),
    ("Base paid upfront", "BaseUpfrontShare", RATE),
    # What the simulation varies; no formula here reads them.
    ("Rate correlation (simulation)", None, "0.00"),
    ("Students served, low (simulation)", None, COUNT),
    ("Students served, high (simulation)", None, COUNT),
    ("Chance commitments are missed (simulation)", None, RATE),
    ("Most penalties can take back", "MaxPenalty", MONEY),
)
OPTIONAL_SUMMARY_INPUTS = ("Most penalties can take back",)  # workbooks made before it read as 0
SUMMARY_FIRST_INPUT_ROW = 5
BASE_BASES = tuple(BASE_BASIS_LABELS.values())  # the Base basis cell's choices, as plain labels

# Rate Card input columns (header, deal field); tier pairs and formula columns follow them.
RATE_CARD_INPUTS: tuple[tuple[str, str], ...] = (
    ("Outcome", "name"),
    ("Metric", "metric"),
    ("Threshold", "threshold"),
    ("Threshold value", "threshold_value"),
    ("Data source", "data_source"),
    ("Basis", "basis"),
    ("Weight", "weight"),
    ("Expected rate", "expected_rate"),
    ("Eligible students", "eligible_students"),
    ("Target rate", "target_rate"),
    ("Floor rate", "floor_rate"),
    ("Paid in month", "paid_in_month"),
    ("Rate low", "rate_low"),
    ("Rate high", "rate_high"),
)
RATE_FIELDS = ("weight", "expected_rate", "target_rate", "floor_rate", "rate_low", "rate_high")
RATE_CARD_FORMATS = {f: RATE for f in RATE_FIELDS} | {"eligible_students": COUNT, "paid_in_month": "0"}
TIER_SLOTS = 3  # tier columns written even when no outcome needs them, so tiers can be added in Excel
TOTAL_ROW_LABEL = "Total"  # reserved as an outcome name, so it cannot clash


def tier_headers(slot: int) -> tuple[str, str]:
    return f"Tier {slot} from", f"Tier {slot} pays"


def group_rate_header(group: str) -> str:
    return f"Expected rate: {group}"


def band_headers(slot: int) -> tuple[str, str, str]:
    return f"Band {slot} from", f"Band {slot} pays", f"Band {slot} share"


def group_share_header(slot: int, group: str) -> str:
    return f"Band {slot} share: {group}"


def scenario_header(outcome: str, group: str | None = None, band: int | None = None) -> str:
    """A Scenarios input column: an outcome's rate, a group's rate, or a share of a band (of a group)."""
    parts = [outcome] + ([group] if group is not None else []) + ([f"band {band} share"] if band else [])
    return ": ".join(parts)


def follow_unless_given(own: str, fallback: str) -> str:
    """A scenario cell that shows `fallback` while the scenario's overall cell `own` is blank."""
    return f'=IF({own}="",{fallback},{own})'


SCENARIO, SERVED, COMMITTED = "Scenario", "Students served", "Commitments met"
SCENARIO_TOTALS = ("Base", "Performance", "Total", "Savings", "Cost per student served")
EXPECTED = "Expected"
YES, NO = "Yes", "No"

SCHEDULE_MONTHS = 60  # the longest term a deal may have; rows past the term stay blank
SCHEDULE_FISCAL_YEARS = 6  # 60 months touch at most six fiscal years
SCHEDULE_FY_HEADER_ROW = 6  # the fiscal years' table, above the months' table in the same columns
SCHEDULE_HEADER_ROW = SCHEDULE_FY_HEADER_ROW + SCHEDULE_FISCAL_YEARS + 3  # the months' table


def payment_header(outcome_name: str) -> str:
    return f"{outcome_name} payment"


# The Student Groups sheet: one column per group from B, "Other students" last; one row per figure.
GROUP_ROWS = ("Group", "Students", "Price multiplier", "Priced students (students x multiplier)")
GROUP_NAME_ROW, GROUP_STUDENTS_ROW, GROUP_MULTIPLIER_ROW, GROUP_PRICED_ROW = 1, 2, 3, 4
GROUP_TOTAL_ROW = 6  # the priced students of all groups, named PricedStudents


# ---------------------------------------------------------------- cell helpers


def put(ws, row: int, column: int, value, number_format: str | None = None, style: str = "derived"):
    cell = ws.cell(row, column, value)
    if number_format:
        cell.number_format = number_format
    if style == "input":
        cell.font, cell.fill = INPUT_FONT, INPUT_FILL
    elif style == "link":
        cell.font, cell.fill = LINK_FONT, INPUT_FILL
    return cell


def validate(ws, cells: str, kind: str, values: tuple[str, ...] | str = (), minimum: int = 0,
             maximum: int | None = None) -> None:
    """Excel's data validation: rates stay in [0, 1], payouts in [-1, 1], counts are whole, choices come
    from a list."""
    if not cells:
        return
    if kind == "rate":
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="1",
                              error="Enter a rate between 0% and 100%.")
    elif kind == "payout":
        rule = DataValidation(type="decimal", operator="between", formula1="-1", formula2="1",
                              error="Enter a payout between -100% and 100%.")
    elif kind == "whole" and maximum is not None:
        rule = DataValidation(type="whole", operator="between", formula1=str(minimum), formula2=str(maximum),
                              error=f"Enter a whole number from {minimum} to {maximum}.")
    elif kind == "whole":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(minimum),
                              error=f"Enter a whole number of at least {minimum}.")
    elif isinstance(values, str):  # a range holding the choices (a choice may hold a comma)
        rule = DataValidation(type="list", formula1=values, error="Pick one of the listed choices.")
    else:
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                              error="Pick one of: " + ", ".join(values) + ".")
    rule.allow_blank = True
    rule.showErrorMessage = True
    rule.sqref = MultiCellRange(cells)
    ws.add_data_validation(rule)


def define(wb: Workbook, name: str, sheet: str, cell: str) -> None:
    quoted = f"'{sheet}'" if " " in sheet else sheet
    column, row = cell.rstrip("0123456789"), cell[len(cell.rstrip("0123456789")):]
    wb.defined_names[name] = DefinedName(name, attr_text=f"{quoted}!${column}${row}")


def rate_card_headers(tier_slots: int, groups: list[str], band_slots: int) -> list[str]:
    """The Rate Card's columns: the inputs, tiers, group rates, bands and their shares, the formulas."""
    headers = [h for h, _ in RATE_CARD_INPUTS]
    headers += [h for slot in range(1, tier_slots + 1) for h in tier_headers(slot)]
    headers += [group_rate_header(g) for g in groups]
    slots = range(1, band_slots + 1)
    # Each kind of band cell side by side, so a formula reads an outcome's payouts as one range.
    headers += [band_headers(slot)[k] for k in range(3) for slot in slots]
    headers += [group_share_header(slot, g) for g in groups for slot in slots]
    return headers + ["Allocation", "Price per achieving student"]


@dataclass(frozen=True)
class Columns:
    """One outcome's input columns on the Scenarios sheet: a rate or band shares, overall and by group."""

    rate: str | None  # None for a banded outcome, which has shares instead
    group_rates: dict[str, str]
    shares: list[str]
    group_shares: dict[str, list[str]]


class Layout:
    """Where everything goes, so that each sheet's formulas can point at the others."""

    def __init__(self, deal: Deal):
        self.deal = deal
        n = len(deal.outcomes)
        self.tier_slots = max([TIER_SLOTS] + [len(o.tiers or []) for o in deal.outcomes])
        named = [g.name for g in deal.student_groups]
        self.groups = [*named, OTHER_STUDENTS] if named else []
        self.bands = [len(o.bands) if o.bands is not None else 0 for o in deal.outcomes]
        # Rate Card
        self.rc_headers = rate_card_headers(self.tier_slots, self.groups, max(self.bands, default=0))
        self.rc_col = {h: col(i + 1) for i, h in enumerate(self.rc_headers)}
        self.rc_first, self.rc_last = 2, 1 + n
        self.rc_total_row = self.rc_last + 1
        # Scenarios
        names = [o.name for o in deal.outcomes]
        self.sc_headers = [SCENARIO]
        self.sc_inputs = [self._inputs(o.name, b) for o, b in zip(deal.outcomes, self.bands, strict=True)]
        first = len(self.sc_headers) + 1
        self.sc_served, self.sc_committed = col(first), col(first + 1)
        self.sc_pay = [col(first + 2 + j) for j in range(n)]
        totals = {h: col(first + 2 + n + i) for i, h in enumerate(SCENARIO_TOTALS)}
        self.sc_base, self.sc_perf, self.sc_total = totals["Base"], totals["Performance"], totals["Total"]
        self.sc_headers += [SERVED, COMMITTED] + [payment_header(m) for m in names] + list(SCENARIO_TOTALS)
        self.sc_last = 2 + len(deal.scenarios)
        # Student Groups: one column per group, "Other students" last
        self.gr_col = {g: col(2 + i) for i, g in enumerate(self.groups)}

    def _inputs(self, outcome: str, bands: int) -> Columns:
        """Add one outcome's Scenarios input columns to the headers, and say where they are."""
        def column(header: str) -> str:
            self.sc_headers.append(header)
            return col(len(self.sc_headers))
        if not bands:
            rate = column(scenario_header(outcome))
            return Columns(rate, {g: column(scenario_header(outcome, g)) for g in self.groups}, [], {})
        shares = [column(scenario_header(outcome, band=b)) for b in range(1, bands + 1)]
        by_group = {g: [column(scenario_header(outcome, g, b)) for b in range(1, bands + 1)]
                    for g in self.groups}
        return Columns(None, {}, shares, by_group)

    def rc(self, header: str, outcome_index: int) -> str:
        """A Rate Card cell of one outcome, as another sheet's formula refers to it."""
        return f"{RC}!${self.rc_col[header]}${self.rc_first + outcome_index}"

    def rc_range(self, headers: list[str], outcome_index: int) -> str:
        """Rate Card cells of one outcome side by side, as one range."""
        row = self.rc_first + outcome_index
        return f"{RC}!${self.rc_col[headers[0]]}${row}:${self.rc_col[headers[-1]]}${row}"

    def gr(self, row: int, group: str | None = None) -> str:
        """A Student Groups row: one group's cell, or every group's (None) as one range."""
        if group is not None:
            return f"{GR}!${self.gr_col[group]}${row}"
        return f"{GR}!${self.gr_col[self.groups[0]]}${row}:${self.gr_col[self.groups[-1]]}${row}"
