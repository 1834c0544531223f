"""Two app processes on one deal library, as replicas behind a load balancer (docs/deploy.md): a deal
saved through the Library page of one process opens from the Library page of the other.

Both are `streamlit run app.py` on ports of their own, with the same OBC_DATABASE_URL, each driven by
its own browser session (headless chromium); they share nothing but the database. The database is
the `library_url` fixture's (tests/conftest.py): a fresh SQLite file both processes open, so the test
runs anywhere, and a fresh PostgreSQL database when OBC_TEST_POSTGRES_URL names a server (skipped
without it, except in CI, where it fails).

Figures by hand: the literacy sample is $1,200,000 for 500 students; saved at a 30% performance share
its pool is 1,200,000 x 30% = $360,000 and its base 1,200,000 - 360,000 = $840,000, the floor.
Expected: Tutoring hours gets 30% of the pool, 108,000 / 500 = $216 a student, and 75% of 500 = 375
students achieve it: 81,000; Literacy growth 50%, 180,000 / 500 = $360 a student, 50% of 500 = 250:
90,000; Reading at benchmark 20% = 72,000, all of it since the expected 45% reaches the 40% target.
840,000 + 81,000 + 90,000 + 72,000 = $1,083,000.
"""

from __future__ import annotations

import pytest

from tests import browser_support
from tests.browser_support import go_to, no_errors_shown, require_chromium, settle

require_chromium()
expect = pytest.importorskip("playwright.sync_api").expect

LITERACY = "K-3 literacy tutoring 2026-27"
# Each metric's label and value on the page, as a user reads them.
METRICS = """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(
    metric => [metric.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
               metric.querySelector('[data-testid="stMetricValue"]').innerText.trim()]))"""


@pytest.fixture
def two_processes(library_url, monkeypatch):
    """The URLs of two app processes on one fresh deal library, each with a server log of its own."""
    monkeypatch.setenv("OBC_DATABASE_URL", library_url)  # both processes inherit it
    log_a, log_b = (browser_support.ARTIFACTS / f"streamlit-process-{which}.log" for which in "ab")
    with browser_support.streamlit_server(log_a) as first, browser_support.streamlit_server(log_b) as second:
        yield first, second


@pytest.fixture
def open_session(browser):
    """Opens a fresh browser session (its own cookies) on an app URL; closes them all at the end."""
    contexts = []

    def open_at(url: str):
        context = browser.new_context(viewport=browser_support.VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(url)
        settle(page)
        return page

    yield open_at
    for context in contexts:
        context.close()


def type_into(page, role: str, name: str, text: str) -> None:
    box = page.get_by_role(role, name=name, exact=True)
    box.fill(text)
    box.press("Enter")
    settle(page)


def sidebar_text(page) -> str:
    return " ".join(page.evaluate(browser_support.SIDEBAR_LINES))


def save_literacy_at_30_percent(page) -> None:
    page.get_by_role("button", name="Literacy tutoring").click()
    settle(page)
    go_to(page, "Deal & split")
    type_into(page, "spinbutton", "Exact share (%)", "30")
    go_to(page, "Library")
    type_into(page, "textbox", "Your name", "Ana")
    type_into(page, "textbox", "Note", "board draft")
    page.get_by_role("button", name="Save as a new version").click()
    settle(page)
    no_errors_shown(page, "the Library page after saving")
    assert "version 1" in sidebar_text(page)


def test_a_deal_saved_in_one_process_opens_in_the_other(two_processes, open_session):
    first, second = two_processes
    save_literacy_at_30_percent(open_session(first))

    page = open_session(second)
    go_to(page, "Library")
    no_errors_shown(page, "the second process's Library page")
    # The only deal in the library is the one the first process saved, so it is the one picked.
    expect(page.get_by_role("combobox", name="Deal", exact=True)).to_have_value(LITERACY)
    page.get_by_role("button", name="Open version 1").click()
    settle(page)
    assert LITERACY in sidebar_text(page) and "version 1" in sidebar_text(page)
    go_to(page, "Home")
    expect(page.get_by_role("heading", name=LITERACY)).to_be_visible()
    metrics = page.evaluate(METRICS)
    assert metrics["Maximum (encumber)"] == "$1,200,000"
    assert metrics["Expected"] == "$1,083,000"
    assert metrics["Floor (nothing achieved)"] == "$840,000"
    assert metrics["Performance share"] == "30.0%"
