"""The budget workbook: a deal as an .xlsx whose figures are live formulas over input cells.

Sheets: Summary (deal inputs, headline figures, flags), Rate Card (one row per outcome),
Scenarios (the expected case, then the deal's scenarios), Schedule (monthly and fiscal-year
payments of a chosen scenario) and Notes (how each basis pays, commitments, provenance; its text,
and the writing of user text, are in obc_calc.io.workbook_notes).

Conventions a budget office knows: inputs in blue on a light fill; cells that follow another
cell until someone types over them (a scenario rate left at the expected rate, eligible students
left at all students) in green on the same fill; everything else is a formula. Formulas refer
to cells and defined names only, never to user text, so a name can hold any characters.
The import (obc_calc.io.workbook_import) reads the same labels and headers, defined here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from obc_calc.core.flags import deal_flags
from obc_calc.core.model import BASES, DATA_SOURCES, Deal
from obc_calc.core.rules import RATE_TOLERANCE
from obc_calc.io.workbook_notes import COMMITMENT_HEADER as COMMITMENT_HEADER  # workbook_import reads it here
from obc_calc.io.workbook_notes import (
    HEADER_FONT,
    INPUT_FILL,
    INPUT_FONT,
    LINK_FONT,
    SUMMARY_MEANINGS,
    TITLE_FONT,
    header_row,
    notes_sheet,
    put_input_text,
    put_text,
    set_widths,
    text_width,
)

SUMMARY, RATE_CARD, SCENARIOS, SCHEDULE, NOTES = "Summary", "Rate Card", "Scenarios", "Schedule", "Notes"
RC = "'Rate Card'"  # the sheet name as a formula writes it

MONEY = '"$"#,##0.00'
RATE = "0.0%"
COUNT = "#,##0"
FISCAL_YEAR = '"FY"0'
TOL = f"{RATE_TOLERANCE:.0E}".replace("E-0", "E-")  # 1E-9, as Excel writes it

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
)
SUMMARY_FIRST_INPUT_ROW = 5
BASE_BASES = ("fixed", "per_student")

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


SCENARIO, SERVED, COMMITTED = "Scenario", "Students served", "Commitments met"
SCENARIO_TOTALS = ("Base", "Performance", "Total", "Savings", "Cost per student served")
EXPECTED = "Expected"
YES, NO = "Yes", "No"

SCHEDULE_MONTHS = 60  # the longest term a deal may have; rows past the term stay blank
SCHEDULE_FISCAL_YEARS = 6  # 60 months touch at most six fiscal years
SCHEDULE_HEADER_ROW = 6


def payment_header(outcome_name: str) -> str:
    return f"{outcome_name} payment"


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


def validate(ws, cells: str, kind: str, values: tuple[str, ...] = (), minimum: int = 0,
             maximum: int | None = None) -> None:
    """Excel's data validation: rates stay in [0, 1], counts are whole, choices come from a list."""
    if not cells:
        return
    if kind == "rate":
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="1",
                              error="Enter a rate between 0% and 100%.")
    elif kind == "whole" and maximum is not None:
        rule = DataValidation(type="whole", operator="between", formula1=str(minimum), formula2=str(maximum),
                              error=f"Enter a whole number from {minimum} to {maximum}.")
    elif kind == "whole":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(minimum),
                              error=f"Enter a whole number of at least {minimum}.")
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


# ---------------------------------------------------------------- layout


class Layout:
    """Where everything goes, so that each sheet's formulas can point at the others."""

    def __init__(self, deal: Deal):
        self.deal = deal
        n = len(deal.outcomes)
        self.tier_slots = max([TIER_SLOTS] + [len(o.tiers or []) for o in deal.outcomes])
        # Rate Card
        self.rc_headers = [h for h, _ in RATE_CARD_INPUTS]
        for slot in range(1, self.tier_slots + 1):
            self.rc_headers += list(tier_headers(slot))
        self.rc_headers += ["Allocation", "Price per achieving student"]
        self.rc_col = {h: col(i + 1) for i, h in enumerate(self.rc_headers)}
        self.rc_first, self.rc_last = 2, 1 + n
        self.rc_total_row = self.rc_last + 1
        # Scenarios
        names = [o.name for o in deal.outcomes]
        self.sc_rate = [col(2 + j) for j in range(n)]
        self.sc_served, self.sc_committed = col(2 + n), col(3 + n)
        self.sc_pay = [col(4 + n + j) for j in range(n)]
        totals = {h: col(4 + 2 * n + i) for i, h in enumerate(SCENARIO_TOTALS)}
        self.sc_base, self.sc_perf, self.sc_total = totals["Base"], totals["Performance"], totals["Total"]
        self.sc_headers = ([SCENARIO] + names + [SERVED, COMMITTED] + [payment_header(m) for m in names]
                           + list(SCENARIO_TOTALS))
        self.sc_last = 2 + len(deal.scenarios)

    def rc(self, header: str, outcome_index: int) -> str:
        """A Rate Card cell of one outcome, as another sheet's formula refers to it."""
        return f"{RC}!${self.rc_col[header]}${self.rc_first + outcome_index}"


# ---------------------------------------------------------------- sheets


def _summary(wb: Workbook, ws, lay: Layout) -> None:
    deal = lay.deal
    ws.title = SUMMARY
    put_text(ws, 1, 1, "Outcomes-based contract budget").font = TITLE_FONT
    put_text(ws, 2, 1, "Blue cells on a light fill are inputs: change one and every figure recalculates. "
                       "Green cells follow another cell until you type over them.")
    header_row(ws, 4, ["Input", "Value", "What it means"])
    values = [deal.name, deal.district, deal.provider, deal.program, deal.students, deal.total_cost,
              deal.performance_share, deal.base_basis, deal.term.start_year, deal.term.start_month,
              deal.term.months, deal.term.fiscal_year_start_month, deal.term.base_upfront_share,
              deal.risk.correlation, deal.risk.students_served_low, deal.risk.students_served_high,
              deal.risk.commitments_miss_probability]
    for i, ((label, name, number_format), value) in enumerate(zip(SUMMARY_INPUTS, values, strict=True)):
        row = SUMMARY_FIRST_INPUT_ROW + i
        put_text(ws, row, 1, label)
        if isinstance(value, str):
            put_input_text(ws, row, 2, value)
        else:
            put(ws, row, 2, value, number_format, "input")
        put_text(ws, row, 3, SUMMARY_MEANINGS[i])
        if name:
            define(wb, name, SUMMARY, f"B{row}")
    rows = {label: SUMMARY_FIRST_INPUT_ROW + i for i, (label, _, _) in enumerate(SUMMARY_INPUTS)}
    validate(ws, f"B{rows['Students']}", "whole", minimum=1)
    rates = ("Performance share", "Base paid upfront", "Chance commitments are missed (simulation)")
    validate(ws, " ".join(f"B{rows[label]}" for label in rates), "rate")
    validate(ws, f"B{rows['Base basis']}", "list", BASE_BASES)
    validate(ws, f"B{rows['Term starts: month']} B{rows['Fiscal year starts in month']}", "list",
             tuple(str(m) for m in range(1, 13)))
    validate(ws, f"B{rows['Term months']}", "whole", minimum=1, maximum=SCHEDULE_MONTHS)
    _summary_figures(wb, ws, lay, SUMMARY_FIRST_INPUT_ROW + len(SUMMARY_INPUTS) + 1)
    set_widths(ws, {1: 34, 2: text_width(deal.name, deal.district, deal.provider, low=18, high=50), 3: 70})
    ws.freeze_panes = "A5"


def _summary_figures(wb: Workbook, ws, lay: Layout, top: int) -> None:
    allocations = f"{RC}!${lay.rc_col['Allocation']}${lay.rc_first}:${lay.rc_col['Allocation']}${lay.rc_last}"
    expected = f"{SCENARIOS}!${lay.sc_total}$2"
    figures = [  # label, formula, defined name, per pupil?
        ("Performance pool", "=TotalCost*PerformanceShare", "Pool", False),
        ("Base (maximum)", "=TotalCost-Pool", "BaseMax", False),
        ("Maximum (contract value)", f"=BaseMax+SUM({allocations})", "MaximumCost", True),
        ("Expected cost", f"={expected}", "ExpectedCost", True),
        ("Floor (base only)", "=BaseMax", "FloorCost", True),
        ("Expected savings against the maximum", "=TotalCost-ExpectedCost", None, False),
    ]
    header_row(ws, top, ["Figure", "Amount", "Per pupil (planned students)"])
    for i, (label, formula, name, per_pupil) in enumerate(figures):
        row = top + 1 + i
        put_text(ws, row, 1, label)
        put(ws, row, 2, formula, MONEY)
        if per_pupil:
            put(ws, row, 3, f"=B{row}/Students", MONEY)
        if name:
            define(wb, name, SUMMARY, f"B{row}")
    row = top + len(figures) + 2
    put_text(ws, row, 1, "Flags when the workbook was made").font = HEADER_FONT
    flags = deal_flags(lay.deal)
    if not flags:
        put_text(ws, row + 1, 1, "No flags.")
    for i, flag in enumerate(flags):
        put_text(ws, row + 1 + i, 1, flag.level.capitalize())
        put_text(ws, row + 1 + i, 2, flag.message)


def _rate_card(ws, lay: Layout) -> None:
    deal = lay.deal
    header_row(ws, 1, lay.rc_headers)
    c = lay.rc_col
    for j, outcome in enumerate(deal.outcomes):
        r = lay.rc_first + j
        for i, (_, field) in enumerate(RATE_CARD_INPUTS):
            value = getattr(outcome, field)
            if field in ("name", "metric", "threshold", "data_source", "basis"):
                put_input_text(ws, r, i + 1, value)
            elif field == "eligible_students" and value is None:
                put(ws, r, i + 1, "=Students", COUNT, "link")
            elif field == "paid_in_month" and value is None:
                put(ws, r, i + 1, "=TermMonths", "0", "link")
            else:
                put(ws, r, i + 1, value, RATE_CARD_FORMATS.get(field), "input")
        for slot in range(1, lay.tier_slots + 1):
            tier = (outcome.tiers or [])[slot - 1] if slot <= len(outcome.tiers or []) else None
            start, pays = tier_headers(slot)
            put(ws, r, lay.rc_headers.index(start) + 1, tier.min_rate if tier else None, RATE, "input")
            put(ws, r, lay.rc_headers.index(pays) + 1, tier.payout if tier else None, RATE, "input")
        # As Deal.allocation splits the pool: by weight over the weights' sum, which is 1 only within
        # a tolerance, so the allocations never add up to more than the pool.
        weights = f"${c['Weight']}${lay.rc_first}:${c['Weight']}${lay.rc_last}"
        put(ws, r, lay.rc_headers.index("Allocation") + 1, f"=Pool*{c['Weight']}{r}/SUM({weights})", MONEY)
        put(ws, r, lay.rc_headers.index("Price per achieving student") + 1,
            f'=IF({c["Basis"]}{r}="per_student",{c["Allocation"]}{r}/{c["Eligible students"]}{r},"")', MONEY)
    total = lay.rc_total_row
    put_text(ws, total, 1, TOTAL_ROW_LABEL).font = HEADER_FONT
    for header, number_format in (("Weight", RATE), ("Allocation", MONEY)):
        letter = c[header]
        put(ws, total, lay.rc_headers.index(header) + 1,
            f"=SUM({letter}{lay.rc_first}:{letter}{lay.rc_last})", number_format).font = HEADER_FONT
    first, last = lay.rc_first, lay.rc_last
    rate_columns = [c[h] for h, field in RATE_CARD_INPUTS if field in RATE_FIELDS]
    rate_columns += [c[h] for slot in range(1, lay.tier_slots + 1) for h in tier_headers(slot)]
    validate(ws, " ".join(f"{x}{first}:{x}{last}" for x in rate_columns), "rate")
    validate(ws, f"{c['Data source']}{first}:{c['Data source']}{last}", "list", DATA_SOURCES)
    validate(ws, f"{c['Basis']}{first}:{c['Basis']}{last}", "list", BASES)
    validate(ws, f"{c['Eligible students']}{first}:{c['Eligible students']}{last}", "whole", minimum=1)
    validate(ws, f"{c['Paid in month']}{first}:{c['Paid in month']}{last}", "whole", minimum=1)
    widths = {i + 1: text_width(h, low=11, high=16) for i, h in enumerate(lay.rc_headers)}
    for i, field in enumerate(("name", "metric", "threshold")):
        widths[i + 1] = text_width(*(getattr(o, field) for o in deal.outcomes), low=14, high=45)
    widths[lay.rc_headers.index("Allocation") + 1] = 16
    set_widths(ws, widths)
    ws.freeze_panes = "B2"


def payment_formula(lay: Layout, j: int, row: int) -> str:
    """One outcome's payment in one Scenarios row, the four bases exactly as obc_calc.core.rules pays them."""
    rate, served = f"{lay.sc_rate[j]}{row}", f"${lay.sc_served}{row}"
    alloc, basis = lay.rc("Allocation", j), lay.rc("Basis", j)
    target, floor = lay.rc("Target rate", j), lay.rc("Floor rate", j)
    tiers = ",".join(
        f"IF({rate}>={lay.rc(start, j)}-{TOL},{lay.rc(pays, j)},0)"
        for start, pays in (tier_headers(slot) for slot in range(1, lay.tier_slots + 1))
    )
    # Payouts never fall from tier to tier, so the highest tier reached pays the largest payout.
    return (
        f'=IF(${lay.sc_committed}{row}="{NO}",{alloc},'
        f'IF({basis}="per_student",{alloc}*{rate}*({served}/Students),'
        f'IF({basis}="cohort_threshold",IF({rate}>={target}-{TOL},{alloc},0),'
        f'IF({basis}="tiered",{alloc}*MAX(0,{tiers}),'
        f"{alloc}*MIN(1,MAX(0,({rate}-{floor})/({target}-{floor})))))))"
    )


def _scenario_row(ws, lay: Layout, row: int, name: str, rates: dict | None, served, committed) -> None:
    deal = lay.deal
    if rates is None:
        put_text(ws, row, 1, name)
    else:
        put_input_text(ws, row, 1, name)
    for j, outcome in enumerate(deal.outcomes):
        column = 2 + j
        if rates is not None and outcome.name in rates:
            put(ws, row, column, rates[outcome.name], RATE, "input")
        else:
            style = "derived" if rates is None else "link"
            put(ws, row, column, f"={lay.rc('Expected rate', j)}", RATE, style)
        put(ws, row, 4 + len(deal.outcomes) + j, payment_formula(lay, j, row), MONEY)
    n = len(deal.outcomes)
    if served is None:
        put(ws, row, 2 + n, "=Students", COUNT, "derived" if rates is None else "link")
    else:
        put(ws, row, 2 + n, served, COUNT, "input")
    put_text(ws, row, 3 + n, YES if committed else NO)
    if rates is not None:
        ws.cell(row, 3 + n).font, ws.cell(row, 3 + n).fill = INPUT_FONT, INPUT_FILL
    base, perf, total = lay.sc_base, lay.sc_perf, lay.sc_total
    put(ws, row, 4 + 2 * n,
        f'=IF(${lay.sc_committed}{row}="{NO}",BaseMax,'
        f'IF(BaseBasis="per_student",BaseMax/Students*${lay.sc_served}{row},BaseMax))', MONEY)
    put(ws, row, 5 + 2 * n, f"=SUM({lay.sc_pay[0]}{row}:{lay.sc_pay[-1]}{row})", MONEY)
    put(ws, row, 6 + 2 * n, f"={base}{row}+{perf}{row}", MONEY)
    put(ws, row, 7 + 2 * n, f"=TotalCost-{total}{row}", MONEY)
    put(ws, row, 8 + 2 * n, f'=IF(${lay.sc_served}{row}>0,{total}{row}/${lay.sc_served}{row},"")', MONEY)


def _scenarios(ws, lay: Layout) -> None:
    deal = lay.deal
    header_row(ws, 1, lay.sc_headers)
    _scenario_row(ws, lay, 2, EXPECTED, None, None, True)
    for i, scenario in enumerate(deal.scenarios):
        _scenario_row(ws, lay, 3 + i, scenario.name, scenario.rates, scenario.students_served,
                      scenario.commitments_met)
    if deal.scenarios:
        first, last = 3, lay.sc_last
        validate(ws, f"{lay.sc_rate[0]}{first}:{lay.sc_rate[-1]}{last}", "rate")
        validate(ws, f"{lay.sc_served}{first}:{lay.sc_served}{last}", "whole", minimum=0)
        validate(ws, f"{lay.sc_committed}{first}:{lay.sc_committed}{last}", "list", (YES, NO))
    widths = {1: text_width(EXPECTED, *(s.name for s in deal.scenarios), low=14, high=40)}
    widths |= {i + 2: text_width(h, low=12, high=22) for i, h in enumerate(lay.sc_headers[1:])}
    set_widths(ws, widths)
    ws.freeze_panes = "B2"


def _schedule(ws, lay: Layout) -> None:
    deal = lay.deal
    n = len(deal.outcomes)
    names = [o.name for o in deal.outcomes]
    scenario_names = f"{SCENARIOS}!$A$2:$A${lay.sc_last}"
    put_text(ws, 1, 1, "Scenario shown")
    put_input_text(ws, 1, 2, EXPECTED)
    rule = DataValidation(type="list", formula1=scenario_names, showErrorMessage=True,
                          error="Pick a scenario from the Scenarios sheet.")
    rule.add("B1")
    ws.add_data_validation(rule)
    put_text(ws, 2, 1, "Its row among the scenarios")
    put(ws, 2, 2, f"=MATCH($B$1,{scenario_names},0)")
    put_text(ws, 3, 3, "Scenario amount")
    put_text(ws, 4, 3, "Paid in month")
    put(ws, 3, 4, f"=INDEX({SCENARIOS}!${lay.sc_base}$2:${lay.sc_base}${lay.sc_last},$B$2)", MONEY)
    for j in range(n):
        pay = lay.sc_pay[j]
        put(ws, 3, 5 + j, f"=INDEX({SCENARIOS}!${pay}$2:${pay}${lay.sc_last},$B$2)", MONEY)
        put(ws, 4, 5 + j, f"={lay.rc('Paid in month', j)}", "0")
    top = SCHEDULE_HEADER_ROW
    header_row(ws, top, ["Month of term", "Month", "Fiscal year", "Base"] + names + ["Total", "Cumulative"])
    total_col, cum_col = col(5 + n), col(6 + n)
    first, last = top + 1, top + SCHEDULE_MONTHS
    for i in range(1, SCHEDULE_MONTHS + 1):
        r = top + i
        within = f"$A{r}<=TermMonths"
        k = f"(TermStartYear*12+TermStartMonth-2+$A{r})"  # months since year 0, as obc_calc counts them
        put(ws, r, 1, i)
        put(ws, r, 2, f'=IF({within},INT({k}/12)&"-"&TEXT(MOD({k},12)+1,"00"),"")')
        put(ws, r, 3, f'=IF({within},INT({k}/12)+IF(AND(FYStartMonth>1,MOD({k},12)+1>=FYStartMonth),1,0),"")',
            FISCAL_YEAR)
        base = f"$D$3*(1-BaseUpfrontShare)/TermMonths+IF($A{r}=1,$D$3*BaseUpfrontShare,0)"
        put(ws, r, 4, f'=IF({within},{base},"")', MONEY)
        for j in range(n):
            c = col(5 + j)
            put(ws, r, 5 + j, f'=IF({within},IF($A{r}={c}$4,{c}$3,0),"")', MONEY)
        put(ws, r, 5 + n, f'=IF({within},SUM(D{r}:{col(4 + n)}{r}),"")', MONEY)
        previous = f"{cum_col}{r - 1}+" if i > 1 else ""
        put(ws, r, 6 + n, f'=IF({within},{previous}{total_col}{r},"")', MONEY)
    _fiscal_years(ws, lay, 8 + n, first, last)
    widths = {5 + j: text_width(m, low=14, high=24) for j, m in enumerate(names)}
    set_widths(ws, {1: 26, 2: 12, 3: 12, 4: 16, 5 + n: 16, 6 + n: 16, 7 + n: 4} | widths)
    ws.freeze_panes = f"A{first}"


def _fiscal_years(ws, lay: Layout, left: int, first: int, last: int) -> None:
    """The monthly table added up by fiscal year, in a table to its right."""
    n = len(lay.deal.outcomes)
    top = SCHEDULE_HEADER_ROW
    header_row(ws, top, ["Fiscal year", "Base"] + [o.name for o in lay.deal.outcomes] + ["Total"], left)
    fy = col(left)
    years = f"$C${first}:$C${last}"
    for k in range(SCHEDULE_FISCAL_YEARS):
        r = top + 1 + k
        label = f"=$C${first}" if k == 0 else f'=IF($C${first}+{k}<=MAX({years}),$C${first}+{k},"")'
        put(ws, r, left, label, FISCAL_YEAR)
        for i in range(n + 2):  # Base, each outcome, Total: monthly columns D onwards, not Cumulative
            source = col(4 + i)
            put(ws, r, left + 1 + i,
                f'=IF(${fy}{r}="","",SUMIF({years},${fy}{r},{source}${first}:{source}${last}))', MONEY)
    total_row = top + 1 + SCHEDULE_FISCAL_YEARS
    put_text(ws, total_row, left, TOTAL_ROW_LABEL).font = HEADER_FONT
    for i in range(n + 2):
        c = col(left + 1 + i)
        put(ws, total_row, left + 1 + i, f"=SUM({c}{top + 1}:{c}{total_row - 1})", MONEY).font = HEADER_FONT
    ws.column_dimensions[fy].width = 12


def build_workbook(deal: Deal, made_at: datetime | None = None) -> Workbook:
    """The deal's budget workbook (an openpyxl Workbook, not yet saved)."""
    lay = Layout(deal)
    wb = Workbook()
    _summary(wb, wb.active, lay)
    _rate_card(wb.create_sheet(RATE_CARD), lay)
    _scenarios(wb.create_sheet(SCENARIOS), lay)
    _schedule(wb.create_sheet(SCHEDULE), lay)
    notes_sheet(wb.create_sheet(NOTES), deal, made_at or datetime.now(UTC))
    for ws in wb.worksheets:
        fit_to_page_width(ws)
    return wb


def fit_to_page_width(ws) -> None:
    """Print each sheet landscape and one page wide, so a printed copy keeps its columns together."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def workbook_bytes(deal: Deal) -> bytes:
    """The .xlsx file as bytes, for a download button."""
    buffer = BytesIO()
    build_workbook(deal).save(buffer)
    return buffer.getvalue()


def save_workbook(deal: Deal, path: str | Path) -> None:
    Path(path).write_bytes(workbook_bytes(deal))
