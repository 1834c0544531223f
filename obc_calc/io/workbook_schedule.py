"""The budget workbook's Schedule sheet: a chosen scenario's payments added up by fiscal year, and
month by month over the term below, as obc_calc.core.schedule computes them. The two tables share
their columns (Fiscal year, Base, each outcome, Total), so the sheet prints one page wide; the print
area stops at the term's last month."""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter as col
from openpyxl.worksheet.datavalidation import DataValidation

from obc_calc.io.workbook_layout import (
    EXPECTED,
    FISCAL_YEAR,
    MONEY,
    SCENARIOS,
    SCHEDULE_FISCAL_YEARS,
    SCHEDULE_FY_HEADER_ROW,
    SCHEDULE_HEADER_ROW,
    SCHEDULE_MONTHS,
    TOTAL_ROW_LABEL,
    Layout,
    put,
)
from obc_calc.io.workbook_notes import (
    HEADER_FONT,
    header_row,
    put_input_text,
    put_text,
    set_widths,
    text_width,
)

CENTER = Alignment(horizontal="center")


def schedule_sheet(ws, lay: Layout) -> None:
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
    header_row(ws, 2, ["This scenario", "Base", *names], 3)
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
        put(ws, r, 2, f'=IF({within},INT({k}/12)&"-"&TEXT(MOD({k},12)+1,"00"),"")').alignment = CENTER
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
    _fiscal_years(ws, lay, first, last)
    put_text(ws, top - 1, 1, "By month").font = HEADER_FONT
    widths = {5 + j: text_width(m, low=15, high=22) for j, m in enumerate(names)}
    set_widths(ws, {1: 27, 2: 10, 3: 16, 4: 15, 5 + n: 15, 6 + n: 15} | widths)
    ws.freeze_panes = f"A{first}"
    # Print the term's months only (rows past it are blank); a longer term needs the area set again.
    rows = max(top + deal.term.months, SCHEDULE_FY_HEADER_ROW + SCHEDULE_FISCAL_YEARS + 1)
    ws.print_area = f"A1:{cum_col}{rows}"


def _fiscal_years(ws, lay: Layout, first: int, last: int) -> None:
    """The monthly table added up by fiscal year, in a table above it, in the same columns."""
    n = len(lay.deal.outcomes)
    top, left = SCHEDULE_FY_HEADER_ROW, 3
    put_text(ws, top - 1, 1, "By fiscal year").font = HEADER_FONT
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
