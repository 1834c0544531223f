"""The Word pieces the payment terms exhibit is built from (python-docx): its page and styles, numbered
headings and clauses, tables whose header row repeats on every page, and the page-number footer.

Every piece of user text goes through `plain`: python-docx writes it as the text of a run (escaped
as XML), never as a field or markup, and `plain` replaces what XML cannot hold (control codes, lone
surrogates) with "?", so a name such as "=SUM(A1)" or "@cmd" prints as typed.
"""

from __future__ import annotations

import re

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table

FONT = "Times New Roman"  # LibreOffice prints it with Liberation Serif, whose letters are as wide
BODY_PT = 11
TABLE_PT = 9
HEADER_FILL = "D9D9D9"
KEEP_WHOLE_ROWS = 12  # tables of at most this many rows are kept on one page
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
RIGHT, LEFT, CENTER = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER


def plain(text: object) -> str:
    """User text as a document may hold it: anything XML cannot carry becomes '?'."""
    return _NOT_XML.sub("?", str(text))


def set_up(document: Document) -> None:
    """Letter paper, one-inch margins, a serif body and black headings."""
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((0, 16), (1, 12.5), (2, 11)):
        style = document.styles["Title" if level == 0 else f"Heading {level}"]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = RGBColor(0, 0, 0)
        _drop_theme_fonts(style)
        style.paragraph_format.space_before = Pt(12 if level else 0)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _drop_theme_fonts(style) -> None:
    """Headings name theme fonts (Calibri Light) that override the font set; use the body's."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for name in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(name)) is not None:
            del fonts.attrib[qn(name)]
    fonts.set(qn("w:ascii"), FONT)
    fonts.set(qn("w:hAnsi"), FONT)
    # The title style draws a rule under itself in blue: keep it, in black.
    border = style.element.find(qn("w:pPr") + "/" + qn("w:pBdr"))
    if border is not None:
        for edge in border:
            edge.set(qn("w:color"), "000000")


def title(document: Document, text: str, subtitle: list[str]) -> None:
    heading = document.add_paragraph(plain(text), style="Title")
    heading.alignment = CENTER
    for line in subtitle:
        paragraph = document.add_paragraph(plain(line))
        paragraph.alignment = CENTER
        paragraph.paragraph_format.space_after = Pt(2)
    document.add_paragraph()


def heading(document: Document, number: int, text: str) -> None:
    document.add_heading(f"{number}.  {plain(text)}", level=1)


def clause(document: Document, number: str, text: str, bold_lead: str = "") -> None:
    """A numbered clause ("2.1  ..."), hanging so wrapped lines start under the text."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Inches(0.5)
    paragraph.paragraph_format.first_line_indent = Inches(-0.5)
    paragraph.add_run(f"{number}\t")
    if bold_lead:
        paragraph.add_run(plain(bold_lead) + " ").bold = True
    paragraph.add_run(plain(text))
    paragraph.paragraph_format.tab_stops.add_tab_stop(Inches(0.5))


def note(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(plain(text))
    run.italic, run.font.size = True, Pt(TABLE_PT)


def table(document: Document, header: list[str], rows: list[list[str]], widths: list[float],
          right: set[int] = frozenset(), bold_rows: set[int] = frozenset(), last: bool = False) -> Table:
    """A grid with a shaded header row that repeats on every page; columns in `right` align right
    (figures); rows never split across pages; rows in `bold_rows` (totals) print bold. A space
    follows it; after the `last` table, a tiny one (a full line there could spill onto a blank page)."""
    if len(rows) <= KEEP_WHOLE_ROWS and document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1 + len(rows), cols=len(header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for r, cells in enumerate([header, *rows]):
        row = grid.rows[r]
        _keep_row_whole(row, header_row=r == 0)
        for c, text in enumerate(cells):
            cell = row.cells[c]
            cell.width = Inches(widths[c])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            # A short table stays on one page with what leads into it (Word's keep-with-next rule).
            paragraph.paragraph_format.keep_with_next = r < len(rows) and len(rows) <= KEEP_WHOLE_ROWS
            paragraph.alignment = RIGHT if c in right and r > 0 else LEFT
            run = paragraph.add_run(plain(text))
            run.font.size = Pt(TABLE_PT)
            run.bold = r == 0 or (r - 1) in bold_rows
            if r == 0:
                _shade(cell, HEADER_FILL)
    for c, width in enumerate(widths):
        grid.columns[c].width = Inches(width)
    space = document.add_paragraph()
    space.paragraph_format.space_after = Pt(0 if last else 2)
    if last:  # Word needs a paragraph after the last table; a tiny one, so it cannot spill
        space.paragraph_format.line_spacing = Pt(1)
        space.add_run("").font.size = Pt(1)
    return grid


def _keep_row_whole(row, header_row: bool) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header_row:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def landscape(document: Document, on: bool) -> None:
    """A new section on a new page, landscape (for wide tables) or back to portrait."""
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
    long, short = Inches(11), Inches(8.5)
    section.page_width, section.page_height = (long, short) if on else (short, long)


def running_lines(document: Document, header_text: str) -> None:
    """The header names the exhibit on every page; the footer counts pages ("Page 2 of 5")."""
    section = document.sections[0]
    top = section.header.paragraphs[0]
    top.alignment = RIGHT
    run = top.add_run(plain(header_text))
    run.italic, run.font.size = True, Pt(TABLE_PT)
    document.styles["Footer"].font.size = Pt(TABLE_PT)
    bottom = section.footer.paragraphs[0]
    bottom.alignment = CENTER
    for piece in ("Page ", "PAGE", " of ", "NUMPAGES"):
        if piece.isupper():
            _field(bottom, piece)
        else:
            bottom.add_run(piece).font.size = Pt(TABLE_PT)


def _field(paragraph, code: str) -> None:
    """A page-number field (our own code, never user text)."""
    run = paragraph.add_run()
    run.font.size = Pt(TABLE_PT)
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
