"""Accessibility in a real browser: axe-core scans every page for WCAG 2.1 A and AA (what Section 508
asks of software a public agency buys) and the best-practice rules, and fails on any serious or
critical violation, colour contrast included. Streamlit's own chrome (menu, toolbar, sidebar) is
scanned with the page: its colours come from the theme in .streamlit/config.toml.

axe-core comes inside axe-playwright-python (axe.min.js in the package): nothing is downloaded.
Each page is scanned with its expanders open (every chart's data table shows) and the window as tall
as the page, so nothing is skipped for being out of sight. The full results go to
test-artifacts/accessibility/<page>.json, and a screenshot of what was scanned to
test-artifacts/screenshots/a11y__<page>.png.

axe cannot tell the colours of text drawn in a chart (SVG over a canvas): it marks them "incomplete".
Their contrast is checked here directly.

Nothing is let through: the share link, once a box scrolling sideways that a keyboard could not
reach, is shown cut short (its copy button takes it whole).
"""

from __future__ import annotations

import json

import pytest

import app
from tests import browser_support
from tests.browser_support import go_to, open_expanders, screenshot, settle, slug, whole_page

browser_support.require_chromium()
expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

RESULTS = browser_support.ARTIFACTS / "accessibility"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
BLOCKING = {"serious", "critical"}
# Moderate in axe, but a screen reader moves by headings: each page's sections are h2 under its h1 title.
ALSO_BLOCKING = {"heading-order"}
SAMPLE_RESULTS = browser_support.ROOT / "sample_data" / "math_tutoring_results.csv"
# The contrast of each text in the charts against the white page (WCAG 1.4.3: 4.5:1, or 3:1 for text
# of 24px, or bold 18.66px, and up). Partly see-through text is blended onto white first.
CHART_TEXT_CONTRAST = """() => {
    const channels = colour => colour.match(/[\\d.]+/g).map(Number);
    const linear = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const low = [];
    for (const text of document.querySelectorAll('.js-plotly-plot svg text')) {
        const words = text.textContent.trim();
        if (!words || !text.getBBox().width) continue;
        const style = getComputedStyle(text);
        const [r, g, b, a = 1] = channels(style.fill);
        const alpha = a * parseFloat(style.fillOpacity || 1) * parseFloat(style.opacity || 1);
        const [R, G, B] = [r, g, b].map(v => linear(255 * (1 - alpha) + v * alpha));
        const ratio = 1.05 / (0.2126 * R + 0.7152 * G + 0.0722 * B + 0.05);
        const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
        const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        if (ratio < needed) low.push(`"${words}" ${ratio.toFixed(2)}:1 (${style.fill}, ${size}px)`);
    }
    return low;
}"""


def scan(page, name: str) -> list[str]:
    """Scan the page as it is, with its expanders open; save the results; its blocking problems."""
    open_expanders(page)
    screenshot(page, f"a11y__{name}")
    with whole_page(page):
        results = Axe().run(page, options=RULES).response
        low_contrast = page.evaluate(CHART_TEXT_CONTRAST)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=1))
    problems = [f"{name}: {v['id']} [{v['impact']}] {v['help']} at "
                + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
                for v in results["violations"] if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING]
    problems += [f"{name}: chart text below the contrast WCAG asks: {text}" for text in low_contrast]
    return problems


def test_every_page_has_no_serious_accessibility_problem(page):
    problems = []
    for _, title, _ in app.PAGES:
        go_to(page, title)
        problems += scan(page, slug(title))
    assert not problems, "\n".join(problems)


def test_the_settle_up_invoice_has_no_serious_accessibility_problem(page):
    go_to(page, "Settle-up")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLE_RESULTS))
    page.locator('[data-testid="stMetric"]:has-text("Total due")').wait_for(timeout=30000)
    settle(page)
    assert not (problems := scan(page, "settle_up_with_results")), "\n".join(problems)


def test_every_view_of_presentation_mode_has_no_serious_accessibility_problem(page):
    go_to(page, "Scenarios")
    page.locator('[data-testid="stSidebar"] label:has-text("Presentation mode")').click()
    settle(page)
    problems = scan(page, "presentation_view_1")
    for view in (2, 3):  # the headline figures, then the two charts, one a view (no heading)
        page.get_by_role("button", name="Next").click()
        expect(page.get_by_text(f"View {view} of 3")).to_be_visible()
        expect(page.locator('[data-testid="stMain"] .js-plotly-plot')).to_have_count(1)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
        problems += scan(page, f"presentation_view_{view}")
    assert not problems, "\n".join(problems)
