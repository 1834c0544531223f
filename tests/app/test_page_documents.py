"""The documents a deal needs, downloaded from the Budget and Deal & split pages: each button is built
only when clicked, and what it builds is this deal's exhibit, data template and board summary."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from tests.app_support import go, start
from ui import documents, state

PAGES = {"budget": "app_pages/budget.py", "deal": "app_pages/deal_split.py"}


@pytest.mark.parametrize("where", list(PAGES))
def test_every_document_is_a_deferred_download_of_this_deal(where):
    at = go(start(), PAGES[where])
    buttons = {b.proto.id.split("-")[-1]: b for b in at.get("download_button")}
    for key in ("exhibit", "template", "summary"):
        button = next(b for name, b in buttons.items() if name.endswith(f"{state.DOWNLOAD_DOC}{key}_{where}"))
        assert button.proto.deferred_file_id, f"the {key} must be built on click, not on every run"


def test_the_documents_hold_the_math_samples_figures():
    at = go(start(), PAGES["budget"])
    built = {item["key"]: item for item in documents.downloads(at.session_state["deal"])}
    # The math sample: $1,775,000 for 1,250 students, 52.8% on outcomes.
    exhibit = docx.Document(io.BytesIO(built["exhibit"]["data"]()))
    cells = {cell.text for table in exhibit.tables for row in table.rows for cell in row.cells}
    assert "$1,775,000.00" in cells
    template = openpyxl.load_workbook(io.BytesIO(built["template"]["data"]()))
    assert [c.value for c in template.worksheets[0][1]][:2] == ["student_id", "served"]
    summary = PdfReader(io.BytesIO(built["summary"]["data"]()))
    assert len(summary.pages) == 1
    assert "$1,775,000" in summary.pages[0].extract_text()
    assert built["summary"]["file_name"].endswith("_board_summary.pdf")
