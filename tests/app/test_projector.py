"""The projector view in a real browser at 1280x720 (server and browser fixtures in tests/conftest.py).

Presentation mode collapses the sidebar (even for a presenter who once opened or closed it by hand),
keeps the deal's name to one or two lines, shows the headline figures and the flags on the first
screen, gives each chart a screen of its own with its title and legend on it, steps with the arrow keys
and the buttons, never scrolls sideways, and its own button leaves it. Each view's screenshot, as the
projector shows it, goes to test-artifacts/screenshots/projector_*.png.
"""

from __future__ import annotations

import pytest

from obc_calc.io.dealfile import load_deal
from obc_calc.io.sharelink import encode_deal
from tests.app_support import LITERACY
from tests.browser_support import SHOTS, no_errors_shown, require_chromium, settle
from ui import state

require_chromium()
expect = pytest.importorskip("playwright.sync_api").expect

PROJECTOR = {"width": 1280, "height": 720}
MAIN = '[data-testid="stMain"]'
SIDEBAR = '[data-testid="stSidebar"]'
NAV = ".st-key-present_nav"
# The charts' views, in order: words from each chart's title.
CHART_TITLES = ["What the district pays in each scenario", "Total cost as achievement rises"]


@pytest.fixture
def projector(browser, server):
    """A fresh browser session with a 1280x720 window, not yet on the app."""
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page, server
    context.close()


def open_app(page, url: str) -> None:
    page.goto(url)
    settle(page)


def present(page) -> None:
    page.locator(f'{SIDEBAR} label:has-text("Presentation mode")').click()
    settle(page)
    on_view(page, 1)


def on_view(page, number: int) -> None:
    """Wait for view `number` of 3 to be drawn, charts included."""
    expect(page.locator(NAV)).to_contain_text(f"View {number} of 3")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
    if number > 1:
        expect(page.locator(f"{MAIN} .js-plotly-plot .gtitle")).to_contain_text(CHART_TITLES[number - 2])
    page.wait_for_timeout(500)  # plotly settles its layout after the first draw
    no_errors_shown(page, f"view {number}")


def box(locator) -> dict:
    return locator.evaluate("e => e.getBoundingClientRect().toJSON()")


def on_screen(locator, what: str) -> None:
    """Wholly inside the 1280x720 window as it is, with nothing scrolled."""
    found = box(locator)
    inside = (found["top"] >= 0 and found["left"] >= 0 and found["bottom"] <= PROJECTOR["height"]
              and found["right"] <= PROJECTOR["width"])
    assert inside, f"{what} is not wholly on the 1280x720 screen: {found}"


def check_screen(page, name: str) -> None:
    """No sideways scroll, the sidebar collapsed, the main area not scrolled; save what the screen shows."""
    widths = page.evaluate(f"""() => [
        document.documentElement.scrollWidth, document.documentElement.clientWidth,
        document.querySelector('{MAIN}').scrollWidth, document.querySelector('{MAIN}').clientWidth]""")
    assert widths[0] <= widths[1] and widths[2] <= widths[3], f"{name} scrolls sideways: {widths}"
    assert box(page.locator(SIDEBAR))["right"] <= 0, f"{name}: the sidebar is open"
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()  # ...and can still be opened
    assert page.evaluate(f"document.querySelector('{MAIN}').scrollTop") == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"projector_{name}.png"))


def check_first_view(page, name: str) -> None:
    """The name on one or two lines; the four headline figures and every flag on the screen."""
    check_screen(page, name)
    title = page.locator(f"{MAIN} h1")
    lines = title.evaluate("e => e.getBoundingClientRect().height / "
                           "parseFloat(getComputedStyle(e).lineHeight)")
    assert lines <= 2.05, f"the deal's name takes {lines:.1f} lines"
    on_screen(title, "the deal's name")
    metrics = page.locator(f'{MAIN} [data-testid="stMetric"]')
    expect(metrics).to_have_count(4)
    flags = page.locator(f'{MAIN} [data-testid="stAlertContainer"]')
    assert flags.count() >= 1  # every deal here has a flag, or the all-clear box
    for found in [*metrics.all(), *flags.all()]:
        on_screen(found, f"'{found.inner_text()[:40]}'")


def check_chart_view(page, number: int) -> None:
    """The chart, its whole title (not cut off by the plot's edge) and its legend on the screen."""
    check_screen(page, f"view_{number}")
    chart = page.locator(f"{MAIN} .js-plotly-plot")
    expect(chart).to_have_count(1)  # one chart a view
    on_screen(chart.locator(".main-svg").first, "the chart")
    on_screen(chart.locator(".gtitle"), "the chart's title")
    assert box(chart.locator(".gtitle"))["right"] <= box(chart)["right"], "the chart's title is cut off"
    on_screen(chart.locator(".legend"), "the chart's legend")


def test_the_projector_view_steps_through_one_screen_each_and_exits(projector):
    page, url = projector
    open_app(page, url)
    # A presenter who once closed and reopened the sidebar: the browser remembers that choice.
    page.locator(SIDEBAR).hover()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(page.get_by_test_id("stSidebarCollapseButton")).to_be_attached()
    present(page)
    check_first_view(page, "view_1")
    expect(page.locator(f"{MAIN} h1")).to_have_text(load_deal(state.SAMPLES[state.FIRST_SAMPLE]).name)
    page.keyboard.press("ArrowRight")  # straight after the switch: the keys step at once
    on_view(page, 2)
    check_chart_view(page, 2)
    page.get_by_role("button", name="Next").click()
    on_view(page, 3)
    check_chart_view(page, 3)
    expect(page.get_by_role("button", name="Next")).to_be_disabled()  # the last view
    page.keyboard.press("ArrowLeft")
    on_view(page, 2)
    page.get_by_role("button", name="Previous").click()
    on_view(page, 1)
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    page.get_by_role("button", name="Exit presentation").click()
    settle(page)
    assert box(page.locator(SIDEBAR))["width"] >= 200, "leaving presentation did not bring the sidebar back"
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    expect(page.locator(f'{SIDEBAR} input[role="switch"]')).not_to_be_checked()


@pytest.mark.parametrize("name", [None, "K-3 literacy tutoring for every elementary school in the district, "
                                        "with summer bridge sessions and family reading nights, 2026-27 "
                                        "through 2028-29"])
def test_the_first_view_fits_a_long_name_and_three_flags(projector, name):
    """Literacy has three flags (one a warning); a long name still takes at most two lines."""
    page, url = projector
    deal = load_deal(LITERACY)
    if name:
        deal = deal.model_copy(update={"name": name})
    open_app(page, f"{url}/?{state.LINK_PARAM}={encode_deal(deal)}")
    present(page)
    expect(page.locator(f"{MAIN} h1")).to_have_text(deal.name)
    expect(page.locator(f'{MAIN} [data-testid="stAlertContainer"]')).to_have_count(3)
    check_first_view(page, "long_name" if name else "literacy")
