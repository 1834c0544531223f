"""In a real browser (the file name is only visible on a download): the Settle-up invoices are named
after the deal and the period as a safe slug, not after the results file or the period verbatim."""

from __future__ import annotations

import pytest

from tests.browser_support import ROOT, go_to, require_chromium, settle

require_chromium()
expect = pytest.importorskip("playwright.sync_api").expect

RESULTS = ROOT / "sample_data" / "math_tutoring_results.csv"


def download_name(page, label: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name=label).click()
    return download.value.suggested_filename


def test_invoice_files_are_named_after_the_deal_and_period(page):
    go_to(page, "Settle-up")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(RESULTS))
    expect(page.get_by_text("Total due").first).to_be_visible(timeout=30000)
    settle(page)
    # The default period of the math sample, "Middle-school math tutoring 2026-27: settle-up".
    csv_name = download_name(page, "Download the invoice (CSV)")
    assert csv_name == "middle-school-math-tutoring-2026-27-settle-up.csv"
    # A period typed with slashes and dots: letters, digits and hyphens only, the deal's name first.
    period = page.get_by_label("Period", exact=True)
    period.fill("../Q1 / end of year")
    period.press("Enter")
    settle(page)
    assert download_name(page, "Download the invoice (Excel)") == (
        "middle-school-math-tutoring-2026-27-q1-end-of-year.xlsx")
