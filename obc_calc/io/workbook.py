"""The budget workbook: a deal as an .xlsx whose figures are live formulas over input cells.

Sheets: Summary (deal inputs, headline figures, flags), Rate Card (one row per outcome),
Scenarios (the expected case, then the deal's scenarios), Schedule (monthly and fiscal-year
payments of a chosen scenario) and Notes (how each basis pays, commitments, provenance; its text,
and the writing of user text, are in obc_calc.io.workbook_notes).

Conventions a budget office knows: inputs in blue on a light fill; cells that follow another
cell until someone types over them (a scenario rate left at the expected rate, eligible students
left at all students) in green on the same fill; everything else is a formula. Formulas refer
to cells and defined names only, never to user text, so a name can hold any characters.
The import (obc_calc.io.workbook_import) reads the same labels and headers, defined in
obc_calc.io.workbook_layout; the Schedule sheet is built in obc_calc.io.workbook_schedule.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from obc_calc.core.bases import BASES
from obc_calc.core.flags import deal_flags
from obc_calc.core.model import Deal, Scenario
from obc_calc.io.workbook_formulas import floor_formula, payment_formula, performance_formula
from obc_calc.io.workbook_groups import groups_sheet, rate_card_cells, scenario_inputs, validate_rate_card
from obc_calc.io.workbook_layout import (
    BASE_BASES,
    COMMITTED,
    COUNT,
    EXPECTED,
    GROUPS,
    MONEY,
    NO,
    NOTES,
    RATE,
    RATE_CARD,
    RATE_CARD_FORMATS,
    RATE_CARD_INPUTS,
    RATE_FIELDS,
    RC,
    SCENARIO,
    SCENARIOS,
    SCHEDULE,
    SCHEDULE_HEADER_ROW,
    SCHEDULE_MONTHS,
    SERVED,
    SUMMARY,
    SUMMARY_FIRST_INPUT_ROW,
    SUMMARY_INPUTS,
    TOTAL_ROW_LABEL,
    YES,
    Layout,
    define,
    payment_header,
    put,
    tier_headers,
    validate,
)
from obc_calc.io.workbook_notes import (
    BASE_BASIS_LABELS,
    BASIS_FIRST_ROW,
    COMMITMENT_HEADER,
    DATA_SOURCE_LABELS,
    HEADER_FONT,
    INPUT_FILL,
    INPUT_FONT,
    SUMMARY_MEANINGS,
    TITLE_FONT,
    WRAP,
    fit_row,
    header_row,
    notes_sheet,
    print_setup,
    put_input_text,
    put_text,
    set_widths,
    text_width,
)
from obc_calc.io.workbook_schedule import schedule_sheet

# The names obc_calc.io.workbook_import and the tests read here, wherever they are defined.
__all__ = [
    "COMMITMENT_HEADER", "COMMITTED", "EXPECTED", "NO", "NOTES", "RATE_CARD", "RATE_CARD_INPUTS", "SCENARIO",
    "SCENARIOS", "SCHEDULE_HEADER_ROW", "SCHEDULE_MONTHS", "SERVED", "SUMMARY", "SUMMARY_INPUTS",
    "TOTAL_ROW_LABEL", "YES", "build_workbook", "payment_formula", "payment_header", "save_workbook",
    "tier_headers", "workbook_bytes",
]


SUMMARY_WIDTHS = {1: 40, 2: 40, 3: 64}


def _summary(wb: Workbook, ws, lay: Layout) -> None:
    deal = lay.deal
    ws.title = SUMMARY
    put_text(ws, 1, 1, "Outcomes-based contract budget").font = TITLE_FONT
    put_text(ws, 2, 1, "Blue cells on a light fill are inputs: change one and every figure recalculates. "
                       "Green cells follow another cell until you type over them.")
    header_row(ws, 4, ["Input", "Value", "What it means"])
    values = [deal.name, deal.district, deal.provider, deal.program, deal.students, deal.total_cost,
              deal.performance_share, BASE_BASIS_LABELS[deal.base_basis], deal.term.start_year,
              deal.term.start_month, deal.term.months, deal.term.fiscal_year_start_month,
              deal.term.base_upfront_share,
              deal.risk.correlation, deal.risk.students_served_low, deal.risk.students_served_high,
              deal.risk.commitments_miss_probability, deal.max_penalty]
    for i, ((label, name, number_format), value) in enumerate(zip(SUMMARY_INPUTS, values, strict=True)):
        row = SUMMARY_FIRST_INPUT_ROW + i
        put_text(ws, row, 1, label)
        if isinstance(value, str):
            put_input_text(ws, row, 2, value).alignment = WRAP
            fit_row(ws, row, SUMMARY_WIDTHS[2], value)
        else:
            put(ws, row, 2, value, number_format, "input")
        put_text(ws, row, 3, SUMMARY_MEANINGS[i]).alignment = WRAP
        fit_row(ws, row, SUMMARY_WIDTHS[3], SUMMARY_MEANINGS[i])
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
    set_widths(ws, SUMMARY_WIDTHS)
    ws.freeze_panes = "A5"


def _summary_figures(wb: Workbook, ws, lay: Layout, top: int) -> None:
    allocations = f"{RC}!${lay.rc_col['Allocation']}${lay.rc_first}:${lay.rc_col['Allocation']}${lay.rc_last}"
    expected = f"{SCENARIOS}!${lay.sc_total}$2"
    figures = [  # label, formula, defined name, per pupil?
        ("Performance pool", "=TotalCost*PerformanceShare", "Pool", False),
        ("Base (maximum)", "=TotalCost-Pool", "BaseMax", False),
        ("Maximum (contract value)", f"=BaseMax+SUM({allocations})", "MaximumCost", True),
        ("Expected cost", f"={expected}", "ExpectedCost", True),
        ("Floor (nothing achieved)", floor_formula(lay), "FloorCost", True),
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
    for i, flag in enumerate(flags):  # the message wrapped across the Value and meaning columns
        put_text(ws, row + 1 + i, 1, flag.level.capitalize()).alignment = WRAP
        put_text(ws, row + 1 + i, 2, flag.message).alignment = WRAP
        ws.merge_cells(start_row=row + 1 + i, start_column=2, end_row=row + 1 + i, end_column=3)
        fit_row(ws, row + 1 + i, SUMMARY_WIDTHS[2] + SUMMARY_WIDTHS[3], flag.message)


def _rate_card_row(ws, lay: Layout, j: int) -> None:
    """One outcome's Rate Card row: its inputs, tiers, groups and bands, allocation and unit price."""
    outcome, c, r = lay.deal.outcomes[j], lay.rc_col, lay.rc_first + j
    for i, (_, field) in enumerate(RATE_CARD_INPUTS):
        value = getattr(outcome, field)
        if field == "basis":  # the label the app shows; the formulas compare the label
            put_input_text(ws, r, i + 1, BASES[value].label if value in BASES else value)
        elif field == "data_source":
            put_input_text(ws, r, i + 1, DATA_SOURCE_LABELS.get(value, value))
        elif field in ("name", "metric", "threshold"):
            put_input_text(ws, r, i + 1, value).alignment = WRAP
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
    rate_card_cells(ws, lay, j, r)
    # As Deal.allocation splits the pool: by weight over the weights' sum, which is 1 only within
    # a tolerance, so the allocations never add up to more than the pool.
    weights = f"${c['Weight']}${lay.rc_first}:${c['Weight']}${lay.rc_last}"
    put(ws, r, lay.rc_headers.index("Allocation") + 1, f"=Pool*{c['Weight']}{r}/SUM({weights})", MONEY)
    # A unit price: of an achiever, or of a student for a banded outcome (core.groups.unit_price).
    priced = ",".join(f'{c["Basis"]}{r}="{b.label}"' for b in BASES.values() if b.per_head or b.banded)
    students = "PricedStudents" if lay.groups else f'{c["Eligible students"]}{r}'
    put(ws, r, lay.rc_headers.index("Price per achieving student") + 1,
        f'=IF(OR({priced}),{c["Allocation"]}{r}/{students},"")', MONEY)


def _rate_card(ws, lay: Layout) -> None:
    deal = lay.deal
    header_row(ws, 1, lay.rc_headers)
    c = lay.rc_col
    for j in range(len(deal.outcomes)):
        _rate_card_row(ws, lay, j)
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
    validate_rate_card(ws, lay)
    validate(ws, f"{c['Data source']}{first}:{c['Data source']}{last}", "list",
             tuple(DATA_SOURCE_LABELS.values()))
    labels = f"{NOTES}!$A${BASIS_FIRST_ROW}:$A${BASIS_FIRST_ROW + len(BASES) - 1}"
    validate(ws, f"{c['Basis']}{first}:{c['Basis']}{last}", "list", labels)
    validate(ws, f"{c['Eligible students']}{first}:{c['Eligible students']}{last}", "whole", minimum=1)
    validate(ws, f"{c['Paid in month']}{first}:{c['Paid in month']}{last}", "whole", minimum=1)
    # Headers wrap between words; the tier, group and band columns after the inputs are narrower.
    widths = {i + 1: 10 if i < len(RATE_CARD_INPUTS) else 8 for i in range(len(lay.rc_headers))}
    for i, field in enumerate(("name", "metric", "threshold")):
        widths[i + 1] = text_width(*(getattr(o, field) for o in deal.outcomes), low=14, high=24)
    widths[lay.rc_headers.index("Basis") + 1] = 18
    widths[lay.rc_headers.index("Allocation") + 1] = 15
    widths[lay.rc_headers.index("Price per achieving student") + 1] = 13
    set_widths(ws, widths)
    for j, outcome in enumerate(deal.outcomes):
        for i, field in enumerate(("name", "metric", "threshold")):
            fit_row(ws, lay.rc_first + j, widths[i + 1], getattr(outcome, field))
    ws.freeze_panes = "B2"


def _scenario_row(ws, lay: Layout, row: int, scenario: Scenario | None) -> None:
    """One Scenarios row: the scenario's inputs, each outcome's payment and the totals (None: Expected)."""
    deal = lay.deal
    if scenario is None:
        put_text(ws, row, 1, EXPECTED)
    else:
        put_input_text(ws, row, 1, scenario.name)
    scenario_inputs(ws, lay, row, scenario)
    served = column_index_from_string(lay.sc_served)
    for j in range(len(deal.outcomes)):
        put(ws, row, served + 2 + j, payment_formula(lay, j, row), MONEY)
    if scenario is None or scenario.students_served is None:
        put(ws, row, served, "=Students", COUNT, "derived" if scenario is None else "link")
    else:
        put(ws, row, served, scenario.students_served, COUNT, "input")
    put_text(ws, row, served + 1, YES if scenario is None or scenario.commitments_met else NO)
    if scenario is not None:
        ws.cell(row, served + 1).font, ws.cell(row, served + 1).fill = INPUT_FONT, INPUT_FILL
    base, perf, total = lay.sc_base, lay.sc_perf, lay.sc_total
    column = served + 2 + len(deal.outcomes)
    per_student = BASE_BASIS_LABELS["per_student"]
    put(ws, row, column, f'=IF(${lay.sc_committed}{row}="{NO}",BaseMax,'
        f'IF(BaseBasis="{per_student}",BaseMax/Students*${lay.sc_served}{row},BaseMax))', MONEY)
    put(ws, row, column + 1, performance_formula(lay, row), MONEY)
    put(ws, row, column + 2, f"={base}{row}+{perf}{row}", MONEY)
    put(ws, row, column + 3, f"=TotalCost-{total}{row}", MONEY)
    put(ws, row, column + 4, f'=IF(${lay.sc_served}{row}>0,{total}{row}/${lay.sc_served}{row},"")', MONEY)


def _scenarios(ws, lay: Layout) -> None:
    deal = lay.deal
    header_row(ws, 1, lay.sc_headers)
    _scenario_row(ws, lay, 2, None)
    for i, scenario in enumerate(deal.scenarios):
        _scenario_row(ws, lay, 3 + i, scenario)
    if deal.scenarios:
        first, last = 3, lay.sc_last
        inputs = get_column_letter(column_index_from_string(lay.sc_served) - 1)  # rates and shares
        validate(ws, f"B{first}:{inputs}{last}", "rate")
        validate(ws, f"{lay.sc_served}{first}:{lay.sc_served}{last}", "whole", minimum=0)
        validate(ws, f"{lay.sc_committed}{first}:{lay.sc_committed}{last}", "list", (YES, NO))
    widths = {1: text_width(EXPECTED, *(s.name for s in deal.scenarios), low=14, high=28)}
    widths |= {i + 2: 10 for i in range(len(lay.sc_headers) - 1)}  # rates; headers wrap between words
    money = [column_index_from_string(c) for c in [*lay.sc_pay, lay.sc_base, lay.sc_perf, lay.sc_total]]
    widths |= {c: 14 for c in money} | {len(lay.sc_headers) - 1: 14, len(lay.sc_headers): 12}
    set_widths(ws, widths)
    for i, scenario in enumerate(deal.scenarios):
        fit_row(ws, 3 + i, widths[1], scenario.name)
    ws.freeze_panes = "B2"


def build_workbook(deal: Deal, made_at: datetime | None = None) -> Workbook:
    """The deal's budget workbook (an openpyxl Workbook, not yet saved)."""
    lay = Layout(deal)
    wb = Workbook()
    _summary(wb, wb.active, lay)
    if lay.groups:
        groups_sheet(wb, wb.create_sheet(GROUPS), lay)
    _rate_card(wb.create_sheet(RATE_CARD), lay)
    _scenarios(wb.create_sheet(SCENARIOS), lay)
    schedule_sheet(wb.create_sheet(SCHEDULE), lay)
    notes_sheet(wb.create_sheet(NOTES), deal, made_at or datetime.now(UTC))
    # Each sheet prints landscape on Letter, one page wide, its header row on every page.
    print_setup(wb[SUMMARY], "4:4")
    print_setup(wb[RATE_CARD], "1:1")
    print_setup(wb[SCENARIOS], "1:1")
    print_setup(wb[SCHEDULE], f"{SCHEDULE_HEADER_ROW}:{SCHEDULE_HEADER_ROW}")
    print_setup(wb[NOTES], "1:1")
    if lay.groups:
        print_setup(wb[GROUPS], "1:1")
    return wb


def workbook_bytes(deal: Deal) -> bytes:
    """The .xlsx file as bytes, for a download button."""
    buffer = BytesIO()
    build_workbook(deal).save(buffer)
    return buffer.getvalue()


def save_workbook(deal: Deal, path: str | Path) -> None:
    Path(path).write_bytes(workbook_bytes(deal))
