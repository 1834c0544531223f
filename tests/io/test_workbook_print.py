"""The budget and invoice workbooks as printed: LibreOffice (headless) turns each into a PDF, and the
PDF's text (poppler's pdftotext) shows no '###' cell, each sheet one page wide with its header on
every page, and no internal code where the app shows words.

Each sheet's footer reads "<sheet>, page <n> of <total>", so every PDF page is told apart by sheet.
A sheet printed one page wide and as one page holds all its columns; the invoice's Students sheet,
printed over many pages, repeats its header row, and every page holds the header's last column too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.data_template import template_bytes
from obc_calc.io.dealfile import load_deal
from obc_calc.io.invoice_excel import invoice_workbook
from obc_calc.io.results_file import ReadOptions, read_results
from obc_calc.io.workbook import save_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data"
DEALS = sorted(p.stem for p in SAMPLES.glob("*.json"))
INVOICED = sorted(p.name.removesuffix("_results.csv") for p in SAMPLES.glob("*_results.csv"))
STUDENT_ROWS = {"map_growth_banded": 1_440, "math_tutoring": 1_200, "student_groups_priced": 980}
SOFFICE, PDFTOTEXT = shutil.which("soffice"), shutil.which("pdftotext")
FOOTER = re.compile(r"^\s*(.+?), page (\d+) of (\d+)\s*$", re.MULTILINE)
# Codes the deal file holds where the app shows words; obc_calc is the program's own name.
CODES = re.compile(r"\b(per_student|cohort_threshold|per_student_banded|not_achieved|third_party)\b")
SNAKE = re.compile(r"\b(?!obc_calc\b)[a-z]+_[a-z_]+\b")

if SOFFICE is None or PDFTOTEXT is None:
    if os.environ.get("CI"):
        pytest.fail("soffice or pdftotext is missing; CI must install libreoffice-calc-nogui and "
                    "poppler-utils", pytrace=False)
    pytest.skip("PRINT TEST SKIPPED: soffice or pdftotext is missing", allow_module_level=True)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[str]]:
    """Each workbook's PDF as the text of its pages: every sample's budget workbook and results data
    template, and an invoice workbook settled from each sample's results file (one LibreOffice run)."""
    folder = tmp_path_factory.mktemp("print")
    for stem in DEALS:
        save_workbook(load_deal(SAMPLES / f"{stem}.json"), folder / f"budget_{stem}.xlsx")
        (folder / f"template_{stem}.xlsx").write_bytes(template_bytes(load_deal(SAMPLES / f"{stem}.json")))
    for stem in INVOICED:
        deal = load_deal(SAMPLES / f"{stem}.json")
        results = read_results((SAMPLES / f"{stem}_results.csv").read_bytes(), "results.csv", deal,
                               ReadOptions())
        invoice = settle(deal, results, SettleOptions(period="End of year", invoice_date=date(2027, 6, 30)))
        (folder / f"invoice_{stem}.xlsx").write_bytes(invoice_workbook(deal, invoice, results))
    out, profile = folder / "pdf", folder / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *sorted(str(p) for p in folder.glob("*.xlsx"))],
        check=True, capture_output=True, timeout=300,
    )
    pages = {}
    for pdf in sorted(out.glob("*.pdf")):
        text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        pages[pdf.stem] = [page for page in text.split("\f") if page.strip()]
    return pages


def sheets(pages: list[str]) -> Counter:
    """Pages per sheet, read from each page's footer (every page has one)."""
    found = [FOOTER.findall(page) for page in pages]
    assert all(found), "a page without its footer"
    return Counter(footers[-1][0] for footers in found)


@pytest.mark.parametrize("stem", DEALS)
def test_a_budget_workbook_prints_each_sheet_on_one_page(printed, stem):
    pages = printed[f"budget_{stem}"]
    expected = {"Summary": 1, "Rate Card": 1, "Scenarios": 1, "Schedule": 1, "Notes": 1}
    if stem == "student_groups_priced":
        expected["Student Groups"] = 1
    assert sheets(pages) == expected
    text = "\n".join(pages)
    assert "###" not in text
    assert not CODES.search(text) and not SNAKE.search(text), (CODES.search(text) or SNAKE.search(text))[0]
    # "fixed" is the base basis's code; in print it is only the plain words "a fixed price".
    assert "fixed" not in text.replace("a fixed price", "")


def test_the_budget_workbook_shows_labels_and_the_schedule_the_terms_months(printed):
    """math_tutoring: base paid per student served, outcomes per student and graduated (linear), a
    ten-month term from 2026-08 whose months and fiscal year print, and no month past the term."""
    pages = printed["budget_math_tutoring"]
    summary, rate_card, schedule = (next(p for p in pages if f"{name}, page" in p)
                                    for name in ("Summary", "Rate Card", "Schedule"))
    assert "per student served" in summary
    assert "per student" in rate_card and "graduated (linear)" in rate_card
    months = re.findall(r"^\s*(\d+)\s+(\d{4}-\d{2})\s+FY", schedule, re.MULTILINE)
    assert [m for m, _ in months] == [str(i) for i in range(1, 11)]
    assert months[0][1] == "2026-08" and months[-1][1] == "2027-05"
    # The fiscal year table above: FY2027 holds the whole expected cost, $1,392,031.25.
    assert re.search(r"FY2027\s+\$837,500\.00.*\$1,392,031\.25", schedule)


@pytest.mark.parametrize("stem", INVOICED)
def test_an_invoice_workbook_prints_one_page_wide_with_its_header_repeated(printed, stem):
    pages = printed[f"invoice_{stem}"]
    # The invoice on one landscape page; the students (1,200, 1,440 and 980 rows) portrait, one page
    # wide: about 45 rows a page at full size, more where wider columns scale the page down.
    # The exact count follows the machine's fonts and the columns' width: 30 to 100 students a page.
    counted = sheets(pages)
    assert counted["Invoice"] == 1 and set(counted) == {"Invoice", "Students"}
    assert STUDENT_ROWS[stem] // 100 <= counted["Students"] <= STUDENT_ROWS[stem] // 30 + 1
    invoice = next(p for p in pages if "Invoice, page" in p)
    # The outcome table and its dollars on one page: every column header, the total due.
    for header in ("Outcome", "Basis", "Allocation", "Achievers", "Payment", "How it pays", "Total due"):
        assert header in invoice, header
    deal = load_deal(SAMPLES / f"{stem}.json")
    last = deal.outcomes[-1].name if not deal.student_groups else "Group no."
    for page in pages:
        if "Students, page" in page:
            assert "Student ID" in page and last in page  # the header row, every column of it
    text = "\n".join(pages)
    assert "###" not in text
    assert not CODES.search(text) and not SNAKE.search(text), (CODES.search(text) or SNAKE.search(text))[0]
    assert "fixed" not in text.replace("a fixed price", "")


@pytest.mark.parametrize("stem", DEALS)
def test_a_data_template_prints_its_columns_and_dictionary_in_words(printed, stem):
    pages = printed[f"template_{stem}"]
    text = "\n".join(pages)
    assert "###" not in text
    assert not CODES.search(text), CODES.search(text)
    assert "student_id" in pages[0] and "served" in pages[0]  # the header settle-up reads, on page 1
    assert "Data dictionary" in text or "What it holds" in text

