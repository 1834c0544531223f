"""The board summary: one landscape Letter page a school board approves, made from the deal so that
it always agrees with the calculator (fpdf2, pure PyPI; the chart in board_summary_chart).

User text is written as plain text: fpdf2's markdown stays off, the page-count alias is turned
off (a name holding "{nb}" prints as typed), and the font is DejaVu Sans, shipped with matplotlib,
so names beyond Latin-1 print. Long names are cut to fit; flags that do not fit are counted.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from obc_calc.core.flags import SHARE_HIGH, SHARE_LOW
from obc_calc.core.model import Deal
from obc_calc.core.money import money, percent
from obc_calc.core.report import DealReport, deal_report
from obc_calc.io.board_summary_chart import cost_chart_png
from obc_calc.io.board_summary_tables import FONT, INK, fiscal_year_table, fit, scenario_table

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
MARGIN = 12.0
PAGE_W, PAGE_H = 279.4, 215.9  # Letter, landscape, in mm
WIDTH = PAGE_W - 2 * MARGIN
LEFT_W = 150.0
GAP = 6.0
PROGRAM_CHARS = 110  # the program's description in the sentence; the contract holds it all
SOFT, RULE = (100, 100, 100), (190, 190, 190)
GOOD, WARN = (46, 125, 50), (192, 0, 0)


class SummaryPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="landscape", unit="mm", format="letter")
        self.alias_nb_pages(None)  # "{nb}" in a name stays as typed
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_text_color(*INK)

    def text_line(self, text: str, size: float, style: str = "", height: float | None = None,
                  width: float = 0, color=INK, align: str = "L") -> None:
        """One line of plain text (never markdown), cut with an ellipsis to fit its width."""
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        room = (width or (self.w - self.r_margin - self.get_x())) - 2 * self.c_margin
        self.cell(width, height or size * 0.5, fit(self, text, room), align=align, markdown=False,
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, size: float, width: float, height: float, max_lines: int,
                  color=INK) -> None:
        """Wrapped plain text, at most `max_lines` lines: what is cut ends with an ellipsis."""
        self.set_font(FONT, "", size)
        self.set_text_color(*color)
        lines = self.multi_cell(width, height, text, dry_run=True, output="LINES", markdown=False)
        if len(lines) > max_lines:
            last, room = lines[max_lines - 1], width - 2 * self.c_margin
            while last and self.get_string_width(last + "…") > room:
                last = last[:-1]
            text = " ".join(lines[:max_lines - 1] + [last.rstrip() + "…"])
        x = self.get_x()
        self.multi_cell(width, height, text, markdown=False, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_x(x)


def shortened(text: str, most: int) -> str:
    """The text, or its first words within `most` characters and an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def deal_sentence(deal: Deal) -> str:
    """The deal in a sentence, in the board's words."""
    district = deal.district or "The district"
    provider = deal.provider or "the provider"
    program = f" for {shortened(deal.program.rstrip('.'), PROGRAM_CHARS)}" if deal.program else ""
    names = [o.name for o in deal.outcomes]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    base = "paid per student served" if deal.base_basis == "per_student" else "paid in full"
    count = "outcome" if len(names) == 1 else "outcomes"
    return (f"{district} would pay {provider} up to {money(deal.total_cost, False)}{program}, serving "
            f"{deal.students:,} students over {deal.term.months} months from {deal.term.start}: a base of "
            f"{money(deal.base_max)} ({base}) and a performance pool of {money(deal.performance_pool)} paid "
            f"only on results, on {len(names)} {count}: {listed}.")


def split_words(share: float) -> tuple[str, tuple[int, int, int]]:
    if share < SHARE_LOW:
        return "Below the 5% guardrail", WARN
    if share > SHARE_HIGH:
        return "Above the 60% guardrail", WARN
    return "Within the 5% to 60% guardrails", GOOD


def _header(pdf: SummaryPDF, deal: Deal) -> None:
    pdf.set_xy(MARGIN, MARGIN)
    pdf.text_line("Board summary: outcomes-based contract", 8, "B", 4, color=SOFT)
    pdf.text_line(deal.name, 15, "B", 8)
    parties = " · ".join(p for p in (deal.district, deal.provider) if p)
    if parties:
        pdf.text_line(parties, 9, "", 5, color=SOFT)
    pdf.ln(1.5)
    pdf.paragraph(deal_sentence(deal), 9.5, WIDTH, 4.6, 3)
    pdf.ln(2)


def _figures(report: DealReport, result) -> tuple[str, str]:
    return money(result.total), f"{money(report.per_pupil(result))} per pupil"


def _boxes(pdf: SummaryPDF, report: DealReport) -> None:
    deal = report.deal
    top, box_w, gap = pdf.get_y(), (WIDTH - 3 * 4) / 4, 4.0
    words, color = split_words(deal.performance_share)
    boxes = [
        ("Maximum to encumber", *_figures(report, report.maximum), None),
        ("Expected cost", *_figures(report, report.expected), None),
        ("Floor (no outcome achieved)", *_figures(report, report.floor), None),
        ("Split: base / performance pool",
         f"{percent(1 - deal.performance_share)} / {percent(deal.performance_share)}", words, color),
    ]
    for n, (label, figure, note, note_color) in enumerate(boxes):
        x = MARGIN + n * (box_w + gap)
        pdf.set_draw_color(*(note_color or RULE))
        pdf.set_fill_color(246, 248, 251)
        pdf.rect(x, top, box_w, 21, style="DF")
        pdf.set_xy(x + 1, top + 1.5)
        pdf.text_line(label, 8, "", 4, box_w - 2, SOFT)
        pdf.set_xy(x + 1, top + 6)
        pdf.text_line(figure, 14, "B", 8, box_w - 2)
        pdf.set_xy(x + 1, top + 14.5)
        pdf.text_line(note, 8, "B" if note_color else "", 4, box_w - 2, note_color or SOFT)
    pdf.set_xy(MARGIN, top + 21 + 5)


def _flags(pdf: SummaryPDF, report: DealReport, top: float, bottom: float) -> None:
    pdf.set_xy(MARGIN, top)
    pdf.text_line("Flags", 10, "B", 6)
    if not report.flags:
        pdf.text_line("None: the deal raises no warning and no advice.", 8, "", 4)
        return
    for n, flag in enumerate(report.flags):
        kind = "Warning" if flag.level == "warning" else "Note"
        pdf.set_font(FONT, "", 8)
        lines = pdf.multi_cell(WIDTH - 4, 3.8, flag.message, dry_run=True, output="LINES", markdown=False)
        left = len(report.flags) - n
        if pdf.get_y() + 3.8 * min(len(lines), 2) + (3.8 if left > 1 else 0) > bottom:
            pdf.text_line(f"and {left} more flags; the calculator lists them all.", 8, "", 4, color=SOFT)
            return
        pdf.text_line(kind, 8, "B", 3.8, 17, WARN if flag.level == "warning" else SOFT)
        pdf.set_xy(MARGIN + 17, pdf.get_y() - 3.8)
        rows = max(1, int((bottom - pdf.get_y()) // 3.8))
        pdf.paragraph(flag.message, 8, WIDTH - 17, 3.8, min(rows, 3))
        pdf.set_x(MARGIN)
        pdf.ln(0.8)


def _footer(pdf: SummaryPDF, deal: Deal) -> None:
    from obc_calc import __version__

    pdf.set_xy(MARGIN, PAGE_H - MARGIN - 3)
    pdf.text_line(f"Per pupil: divided by the {deal.students:,} planned students. Expected: every outcome at "
                  "its expected rate. Floor: no outcome achieved, every student served. Chart: every outcome "
                  f"at the same rate. Calculator {__version__}.", 6.5, "", 3,
                  color=SOFT)


def board_summary(deal: Deal) -> bytes:
    """The one-page board summary as PDF bytes."""
    report = deal_report(deal)
    pdf = SummaryPDF()
    pdf.add_page()
    _header(pdf, deal)
    _boxes(pdf, report)
    columns_top = pdf.get_y()
    left_bottom = fiscal_year_table(pdf, report, MARGIN, columns_top, LEFT_W)
    left_bottom = scenario_table(pdf, report, MARGIN, left_bottom + 4, LEFT_W, PAGE_H - MARGIN - 48)
    chart_x, chart_w = MARGIN + LEFT_W + GAP, WIDTH - LEFT_W - GAP
    pdf.set_xy(chart_x, columns_top)
    pdf.text_line("Total cost against achievement", 10, "B", 6, chart_w)
    chart_h = 78.0
    png = cost_chart_png(deal, report, chart_w / 25.4, chart_h / 25.4)
    pdf.image(io.BytesIO(png), x=chart_x, y=columns_top + 6, w=chart_w, h=chart_h)
    flags_top = max(left_bottom, columns_top + 6 + chart_h) + 3
    _flags(pdf, report, flags_top, PAGE_H - MARGIN - 5)
    _footer(pdf, deal)
    return bytes(pdf.output())


def save_board_summary(deal: Deal, path: str) -> None:
    Path(path).write_bytes(board_summary(deal))
