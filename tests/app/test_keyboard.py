"""A whole deal made with the keyboard alone, in a real browser: start a blank deal on Home, fill in the
deal on Deal & split, add an outcome on the Rate card, and read the headline figures on Home. Only
page.keyboard is used (Tab, Shift+Tab, Enter, the arrow keys and typing): no click, no fill.

At every element the keyboard reaches, the focus must show: a solid ring at least 2px wide with 3:1
or more against the white page (WCAG 2.1 2.4.7 and 1.4.11; ui/focus_style.py draws it).
"""

from __future__ import annotations

import pytest

from tests.browser_support import require_chromium, screenshot, settle

require_chromium()
expect = pytest.importorskip("playwright.sync_api").expect

# What the keyboard is on: enough to recognise it and to judge its focus ring.
FOCUSED = """() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    const box = e.closest('[data-testid]');
    return {tag: e.tagName, label: e.getAttribute('aria-label') || '', text: (e.innerText || '').trim(),
            testid: box ? box.getAttribute('data-testid') : '', visible: e.matches(':focus-visible'),
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor};
}"""
# Each cell's text in the table the keyboard is in, by its accessible id "glide-cell-<col>-<row>".
CELLS = """() => Object.fromEntries(Array.from(
    document.activeElement.closest('[data-testid="stDataFrame"]').querySelectorAll('td')
).map(cell => [cell.id, cell.innerText]))"""


def contrast_on_white(colour: str) -> float:
    """WCAG contrast of an rgb()/rgba() colour, blended onto white, against white."""
    r, g, b, *alpha = (float(v) for v in colour[colour.index("(") + 1:-1].split(","))
    a = alpha[0] if alpha else 1.0

    def linear(v: float) -> float:
        v = (255 * (1 - a) + v * a) / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


def focused(page) -> dict:
    """The element with the keyboard focus, after checking that its focus ring shows."""
    info = page.evaluate(FOCUSED)
    if info["tag"] != "BODY":  # between the page's end and its first link the browser itself has focus
        assert info["visible"] and info["outline"] == "solid" and info["width"] >= 2, f"no focus ring: {info}"
        assert contrast_on_white(info["colour"]) >= 3, f"a faint focus ring: {info}"
    return info


def tab_to(page, wanted, backwards: bool = False, presses: int = 150) -> None:
    """Tab (or Shift+Tab) until the focused element is `wanted` (a test on focused()'s dict)."""
    for _ in range(presses):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if wanted(focused(page)):
            return
    raise AssertionError(f"the keyboard did not reach the element wanted in {presses} presses")


def labelled(label: str):
    return lambda info: info["label"] == label


def showing(text: str):
    return lambda info: info["text"].endswith(text)  # a button's or link's icon name comes first


def go_by_keyboard(page, title: str) -> None:
    """The menu link to `title`, reached backwards from the top of the page (the menu comes first)."""
    tab_to(page, lambda info: info["testid"] == "stSidebarNavLink" and showing(title)(info), backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(f'[data-testid="stSidebarNavLink"]:has(span[label="{title}"])')).to_have_attribute(
        "aria-current", "page")
    settle(page)


def type_into(page, label: str, text: str) -> None:
    """Tab to the box labelled `label`, replace what it holds, and press Enter to send it."""
    tab_to(page, labelled(label))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    settle(page)


def edit_cell(page, column: int, row: int, text: str) -> None:
    """In the table the keyboard is in: go to the first cell (Ctrl+Home), then with the arrow keys to
    `column` of `row` (both from 0), open its editor with Enter, type, and keep the value with Enter."""
    page.keyboard.press("ControlOrMeta+Home")
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    page.wait_for_timeout(300)  # the editor takes the typing in before Enter keeps it
    page.keyboard.press("Enter")
    settle(page)
    cell = f"glide-cell-{column + 1}-{row}"  # glide counts the row marker as its column 0
    assert page.evaluate(CELLS).get(cell) == text, f"{cell} does not hold {text}: {page.evaluate(CELLS)}"


def metric(page, label: str) -> str:
    box = page.locator(f'[data-testid="stMetric"]:has-text("{label}")')
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_a_deal_made_with_the_keyboard_alone(page):
    tab_to(page, showing("Start blank"))  # the app opens on Home
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_text("Started a blank deal with one outcome")).to_be_visible()

    go_by_keyboard(page, "Deal & split")
    type_into(page, "Deal name", "Keyboard tutoring 2026-27")
    type_into(page, "Students", "200")
    type_into(page, "Total cost ($)", "300000")
    type_into(page, "Exact share (%)", "40")

    go_by_keyboard(page, "Rate card")
    tab_to(page, labelled("Add row"))  # the table's toolbar: a new row at the end
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, lambda info: info["testid"] == "data-grid-canvas")
    # Columns: Outcome, Basis, Weight (%), Expected rate (%). Row 0 is the blank deal's Outcome 1.
    edit_cell(page, 0, 1, "Attendance")
    edit_cell(page, 3, 1, "80")
    edit_cell(page, 2, 1, "100")  # with Outcome 1's 100%, the weights add up to 200%
    tab_to(page, showing("Rescale weights to 100%"))
    page.keyboard.press("Enter")
    settle(page)
    screenshot(page, "keyboard_rate_card")

    go_by_keyboard(page, "Home")
    expect(page.locator('[data-testid="stMain"] h2', has_text="Keyboard tutoring 2026-27")).to_be_visible()
    # By hand: 40% of $300,000 is the pool, $120,000; the base is the other $180,000. Rescaled, each
    # outcome has half the pool, $60,000, paid per student achieving: Outcome 1 expects 50% (the blank
    # deal's rate), $30,000; Attendance 80%, $48,000. Expected $180,000 + $30,000 + $48,000 = $258,000;
    # the floor, nothing achieved, is the base.
    assert metric(page, "Maximum (encumber)") == "$300,000"
    assert metric(page, "Expected") == "$258,000"
    assert metric(page, "Floor (nothing achieved)") == "$180,000"
    assert metric(page, "Performance share") == "40.0%"
    screenshot(page, "keyboard_home")
