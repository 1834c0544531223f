"""Whole flows in a real browser (headless Debian chromium, Playwright, `streamlit run`): opening a
share link, the Compare page, a settle-up from an uploaded results file to the downloaded invoice,
and presentation mode. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from obc_calc.io.dealfile import load_deal
from obc_calc.io.sharelink import encode_deal
from tests.browser_support import ROOT, go_to, require_chromium, screenshot, settle

require_chromium()
expect = pytest.importorskip("playwright.sync_api").expect

MATH = ROOT / "sample_data" / "math_tutoring.json"
LITERACY = ROOT / "sample_data" / "literacy_tutoring.json"
RESULTS = ROOT / "sample_data" / "math_tutoring_results.csv"


def deal_in_address(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("deal", [""])[0]


def alerts(page, kind: str) -> str:
    return "\n".join(page.locator(f'[data-testid="stAlertContent{kind}"]').all_inner_texts())


def test_a_share_link_opens_its_deal_and_follows_the_user(browser_page, server):
    literacy = load_deal(LITERACY)
    link = encode_deal(literacy)
    browser_page.goto(f"{server}/?deal={link}")
    settle(browser_page)
    main = browser_page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name=literacy.name)).to_be_visible()
    assert "62.5% of the price depends on outcomes" in alerts(browser_page, "Warning")
    assert "could not be opened" not in alerts(browser_page, "Warning")
    assert deal_in_address(browser_page) == link
    # The sidebar's box holds the full link to the app's home page.
    browser_page.get_by_text("Share this deal").click()
    code = browser_page.locator('[data-testid="stSidebar"] [data-testid="stCode"]')
    assert code.inner_text().strip() == f"{server}/?deal={link}"
    screenshot(browser_page, "share_link_literacy")
    # Moving to another page keeps the deal in the address, so a link copied there works too.
    go_to(browser_page, "Scenarios")
    expect(browser_page).to_have_url(f"{server}/scenarios?deal={link}")


def test_a_damaged_link_says_so_and_opens_the_sample(browser_page, server):
    cut_short = encode_deal(load_deal(LITERACY))[:200]  # as when a mail program breaks a long line
    browser_page.goto(f"{server}/?deal={cut_short}")
    settle(browser_page)
    message = alerts(browser_page, "Warning")
    assert "The deal in this link could not be opened, so a sample deal is open instead" in message
    assert "This link does not hold a deal; it may have been cut short or changed." in message
    math = load_deal(MATH)
    main = browser_page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name=math.name)).to_be_visible()
    assert deal_in_address(browser_page) == encode_deal(math)  # the damaged value is replaced
    screenshot(browser_page, "share_link_damaged")


def test_b_compare_page(page):
    go_to(page, "Compare")
    expect(page.locator('[data-testid="stMain"] h1').first).to_contain_text("Compare")
    screenshot(page, "compare_page")


# The sample results' invoice by hand (as in tests/app/test_page_settle_up.py): of the 1,200 rows 1,151
# are served, so the per-student base is 1,151 x 670 = 771,170; Dosage 753 achievers x 187.50 =
# 141,187.50; Math growth 554 x 412.50 = 228,525; Same tutor 917 "yes" of 1,137 with a value = 80.651%,
# graduated 50% -> 90% on 187,500: 187,500 x 0.30651 / 0.4 = 143,675.79.
TOTAL_DUE = 1_284_558.29  # 771,170 + 141,187.50 + 228,525 + 143,675.79


def test_c_settle_up_from_an_uploaded_file_to_the_invoice_files(page):
    go_to(page, "Settle-up")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(RESULTS))
    expect(page.locator('[data-testid="stMetric"]:has-text("Total due") [data-testid="stMetricValue"]')
           ).to_have_text("$1,284,558.29", timeout=30000)
    settle(page)
    screenshot(page, "settle_up_invoice")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the invoice (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[-1]["Line"] == "Total due"
    assert float(rows[-1]["Amount"]) == pytest.approx(TOTAL_DUE, abs=0.005)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the invoice (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames  # a real workbook, not an error page saved as .xlsx


def test_d_presentation_mode_shows_the_figures_large(page):
    go_to(page, "Scenarios")
    switch = page.locator('[data-testid="stSidebar"] label:has-text("Presentation mode")')
    switch.click()
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1")).to_have_text(load_deal(MATH).name)
    maximum = main.locator('[data-testid="stMetric"]:has-text("Maximum to encumber")').get_by_test_id(
        "stMetricValue")
    # The math sample: the most the district can pay is its total cost.
    expect(maximum).to_have_text("$1,775,000")
    size = maximum.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 48, f"the headline figures are {size}px high, too small for a projector"
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no menu while presenting
    assert main.locator("input, textarea").count() == 0  # nothing to edit: its buttons step and leave
    expect(main.locator(".js-plotly-plot")).to_have_count(0)  # each chart has a view of its own
    screenshot(page, "presentation_mode")
    page.get_by_role("button", name="Exit presentation").click()  # the sidebar, and its switch, collapsed
    settle(page)
    expect(main.locator("h1").first).to_have_text("Scenarios")  # back where the presenter was
