"""The app in a real browser: headless Debian chromium driven by Playwright, against `streamlit run`
(server, browser and page fixtures in tests/conftest.py, helpers in tests/browser_support.py).

Visits every page in app.PAGES (for each sample deal), checks that none shows an exception or an
error box, and saves a full-page screenshot of each to test-artifacts/screenshots/; checks that the
first visit after the server starts shows the menu's titles at once; then drives the widgets a user
drives: the share, three edits in a row in the rate-card table, and the deal download.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import app
from obc_calc.io.dealfile import deal_from_json
from tests import browser_support
from tests.browser_support import go_to, no_errors_shown, require_chromium, screenshot, settle, slug
from ui import state

require_chromium()
expect = pytest.importorskip("playwright.sync_api").expect


def test_every_page_of_every_sample_renders(page):
    for sample in state.SAMPLES:
        go_to(page, app.PAGES[0][1])
        page.get_by_role("button", name=sample).click()
        settle(page)
        for _, title, _ in app.PAGES:
            go_to(page, title)
            no_errors_shown(page, f"{title} with the {sample} sample")
            screenshot(page, f"{slug(sample.split(' (')[0])}__{slug(title)}")


def test_the_first_visit_after_the_server_starts_shows_the_menu_titles(browser):
    """Streamlit's legacy pages/ folder listed raw file names ('home', 'deal split') before the app's
    own menu; app_pages/ is not that folder, so the very first page of a fresh server shows only the
    titles of app.PAGES, from its first paint on."""
    titles = [title for _, title, _ in app.PAGES]
    raw_names = {Path(path).stem.replace("_", " ") for path, _, _ in [*app.PAGES, app.PRESENTATION_PAGE]}
    raw_names |= {Path(path).stem for path, _, _ in app.PAGES}
    log = browser_support.ARTIFACTS / "streamlit-first-visit.log"
    with browser_support.streamlit_server(log) as url:
        context = browser.new_context(viewport=browser_support.VIEWPORT)
        try:
            page = context.new_page()
            page.goto(url, wait_until="commit")
            samples = []
            for _ in range(20):  # about 3 s, from the first bytes of the page on
                samples.append((page.evaluate(browser_support.MENU_TEXT),
                                page.evaluate(browser_support.SIDEBAR_LINES)))
                page.wait_for_timeout(150)
            settle(page)
            samples.append((page.evaluate(browser_support.MENU_TEXT),
                            page.evaluate(browser_support.SIDEBAR_LINES)))
        finally:
            context.close()
    for menu, lines in samples:
        assert set(menu) <= set(titles), f"the menu shows {menu}, not the titles {titles}"
        assert not raw_names & set(lines), f"the sidebar shows file names: {sorted(raw_names & set(lines))}"
    assert any(menu for menu, _ in samples[:-1]), "the menu did not appear within the first 3 s"
    assert samples[-1][0] == titles


def test_share_widget_shows_the_warning_at_once(page):
    go_to(page, "Deal & split")
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    assert warnings.count() == 0
    number = page.get_by_role("spinbutton", name="Exact share (%)")
    number.fill("4")
    number.press("Enter")
    settle(page)
    assert "Below 5%" in warnings.first.inner_text()
    page.get_by_role("slider", name="Performance share (%)").focus()
    page.keyboard.press("End")  # the slider to 100%
    settle(page)
    assert "Above 60%" in warnings.first.inner_text()
    screenshot(page, "share_warning")


def edit_cell(page, grid, row: int, column: int, value: str) -> None:
    """Select a cell with the keyboard from the grid's first cell, replace its value, commit with Enter."""
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + 35 + 17)  # first body cell (header row and rows are 35px)
    page.wait_for_timeout(300)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # open the cell editor (a typed first key would only open it)
    page.wait_for_timeout(300)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(value)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")


def test_three_rate_card_edits_in_a_row_are_kept_and_download(page):
    go_to(page, "Rate card")
    grid = page.locator('[data-testid="stDataFrame"]').first
    expected_column = 3  # Outcome, Basis, Weight, Expected rate
    expected_cost = page.get_by_text("At the expected rates")
    for row, value in enumerate(["65", "50", "80"]):
        before = expected_cost.inner_text()
        edit_cell(page, grid, row, expected_column, value)
        # The server has taken the edit once the expected cost under the table changes.
        expect(expected_cost).not_to_have_text(before)
        settle(page)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    # The grid's accessible cells (glide-cell-<column>-<row>, column 0 being the row marker) show all three.
    shown = [grid.locator(f"#glide-cell-{expected_column + 1}-{row}").inner_text() for row in range(3)]
    assert shown == ["65", "50", "80"]
    screenshot(page, "rate_card_after_three_edits")
    go_to(page, "Budget")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download the deal")).click()
    deal = deal_from_json(Path(download.value.path()).read_bytes())
    # The math sample's expected rates were 70%, 53% and 75%; all three edits must survive.
    assert [o.expected_rate for o in deal.outcomes] == [0.65, 0.5, 0.8]
    assert deal.name == "Middle-school math tutoring 2026-27"


def sidebar_text(page) -> str:
    return " ".join(page.evaluate(browser_support.SIDEBAR_LINES))


def save_in_library(page, note: str) -> None:
    note_box = page.get_by_role("textbox", name="Note", exact=True)
    note_box.fill(note)
    note_box.press("Enter")
    settle(page)
    page.get_by_role("button", name="Save as a new version").click()
    settle(page)


def test_library_save_change_save_again_and_open_version_1(page):
    """The session's throwaway library (tests/app/conftest.py) starts empty: the math sample is saved as
    version 1, changed (the sidebar says so), saved as version 2, and version 1 opened again."""
    go_to(page, "Library")
    name = page.get_by_role("textbox", name="Your name")
    name.fill("Ana")
    name.press("Enter")
    settle(page)
    save_in_library(page, "first draft")
    assert "version 1" in sidebar_text(page) and "Unsaved changes" not in sidebar_text(page)
    go_to(page, "Deal & split")
    number = page.get_by_role("spinbutton", name="Exact share (%)")
    number.fill("30")
    number.press("Enter")
    settle(page)
    assert "Unsaved changes" in sidebar_text(page)
    go_to(page, "Library")
    save_in_library(page, "board's ask")
    assert "version 2" in sidebar_text(page) and "Unsaved changes" not in sidebar_text(page)
    screenshot(page, "library_two_versions")
    page.get_by_role("combobox", name="Version", exact=True).click()
    page.keyboard.press("ArrowDown")  # the list of versions opens
    page.get_by_role("option", name=re.compile(r"^Version 1,")).click()
    settle(page)
    page.get_by_role("button", name="Open version 1").click()
    settle(page)
    assert "version 1" in sidebar_text(page) and "Saved" in sidebar_text(page)
    no_errors_shown(page, "the Library page after opening version 1")
    go_to(page, "Home")
    expect(page.get_by_text("52.8%").first).to_be_visible()  # version 1's share, not the 30% of version 2
    screenshot(page, "library_version_1_opened")
