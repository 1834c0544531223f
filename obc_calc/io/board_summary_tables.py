"""The board summary's two tables (what to encumber by fiscal year, and the scenarios) and the text
helpers the page shares: the font's name, the ink and fitting a text to a width."""

from __future__ import annotations

from obc_calc.core.money import money, percent
from obc_calc.core.report import DealReport
from obc_calc.core.schedule import encumbrance_by_fiscal_year

FONT = "DejaVu"
INK = (33, 33, 33)
ROW_H = 4.6
HEAD_FILL = (217, 225, 242)
BAND_FILL = (246, 248, 251)


def fit(pdf, text: str, room: float) -> str:
    """The text on one line, or its start and an ellipsis, within `room` mm in the current font."""
    text = " ".join(text.split())
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _row(pdf, x: float, cells: list[str], widths: list[float], bold: bool = False, fill=None) -> None:
    """One table row of plain text: the first cell left, the others right, each cut to fit."""
    pdf.set_font(FONT, "B" if bold else "", 7.5)
    pdf.set_x(x)
    if fill:
        pdf.set_fill_color(*fill)
    for n, (text, width) in enumerate(zip(cells, widths, strict=True)):
        shown = fit(pdf, text, width - 2 * pdf.c_margin)
        pdf.cell(width, ROW_H, shown, align="L" if n == 0 else "R", fill=bool(fill), markdown=False)
    pdf.ln(ROW_H)


def _title(pdf, x: float, y: float, text: str) -> None:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 10)
    pdf.set_text_color(*INK)
    pdf.cell(0, 6, text, markdown=False)
    pdf.ln(6)


def fiscal_year_table(pdf, report: DealReport, x: float, y: float, width: float) -> float:
    """What the district encumbers and expects to pay in each fiscal year; returns the bottom."""
    results = [report.maximum, report.expected, report.floor]
    table = encumbrance_by_fiscal_year(report.deal, results)
    _title(pdf, x, y, "Payment schedule by fiscal year")
    widths = [width * 0.28] + [width * 0.24] * 3
    _row(pdf, x, ["Fiscal year", "Maximum", "Expected", "Floor"], widths, True, HEAD_FILL)
    for n, row in enumerate(table.itertuples(index=False)):
        _row(pdf, x, [row[0]] + [money(v) for v in row[1:]], widths, fill=BAND_FILL if n % 2 else None)
    _row(pdf, x, ["Total"] + [money(r.total) for r in results], widths, True)
    return pdf.get_y()


def scenario_table(pdf, report: DealReport, x: float, y: float, width: float, bottom: float) -> float:
    """Every scenario's total, per pupil, savings and share of the pool earned; the deal's own
    scenarios past `bottom` are counted in a last row. Returns the bottom."""
    _title(pdf, x, y, "Scenarios")
    widths = [width * w for w in (0.31, 0.09, 0.17, 0.12, 0.17, 0.14)]
    _row(pdf, x, ["Scenario", "Served", "Total cost", "Per pupil", "Savings", "Pool paid"], widths,
         True, HEAD_FILL)
    results = [report.maximum, report.expected, report.floor, *report.scenarios]
    room = max(3, int((bottom - pdf.get_y()) // ROW_H))
    shown = results if len(results) <= room else results[:room - 1]
    for n, result in enumerate(shown):
        _row(pdf, x, [result.name, f"{result.students_served:,}", money(result.total),
                      money(report.per_pupil(result)), money(result.district_savings),
                      percent(result.pool_earned_share)], widths, fill=BAND_FILL if n % 2 else None)
    if len(shown) < len(results):
        more = len(results) - len(shown)
        _row(pdf, x, [f"and {more} more scenarios", "", "", "", "", ""], widths)
    return pdf.get_y()
