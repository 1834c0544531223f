"""Presentation mode under AppTest: the switch shows the current deal's headline figures and flags,
then each chart on a view of its own, stepped through with Previous and Next, with nothing to edit; it
keeps doing so over reruns, and switching off, or the page's own Exit button, returns to the page left.
How it fits a 1280x720 projector is checked in a browser (tests/app/test_projector.py).

Expected dollars are worked out by hand from the sample files in the comments.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

from obc_calc.io.dealfile import load_deal
from obc_calc.io.sharelink import encode_deal
from tests.app_support import LITERACY, act, go, start
from ui import present_keys, state

SWITCH = state.PRESENTING_SWITCH
# The presentation's own buttons: they step between views and leave, editing nothing.
STEPS = {present_keys.PRESENT_PREVIOUS, present_keys.PRESENT_NEXT, present_keys.PRESENT_EXIT}


def switch(at: AppTest, on: bool) -> AppTest:
    return act(at.toggle(key=SWITCH).set_value(on))


def figures(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def editing_controls(at: AppTest) -> list[str]:
    """Every widget, and every table (a data editor shows as one), except the presentation's switch and
    buttons."""
    found = []
    for node in [*walk(at.main), *walk(at.sidebar)]:
        widget = isinstance(node, Widget) and node.key not in {SWITCH, *STEPS}
        if widget or type(node).__name__ == "Dataframe":
            found.append(type(node).__name__)
    return found


def charts(at: AppTest) -> list[str]:
    """The keys of the charts shown."""
    return [n.proto.id.split("-")[-1] for n in walk(at.main) if getattr(n, "type", None) == "plotly_chart"]


def step(at: AppTest, key: str) -> AppTest:
    return act(at.button(key=key).click())


def position(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**View "))


def test_on_shows_the_math_deals_figures_large_with_nothing_to_edit():
    at = start()
    go(at, "app_pages/scenarios.py")
    assert editing_controls(at)  # the scenarios page has a table and buttons to edit
    switch(at, True)
    assert [t.value for t in at.title] == ["Middle-school math tutoring 2026-27"]
    # Math: total 1,775,000 for 1,250 students, pool 937,500 (52.8169%), base 837,500.
    # Expected: 837,500 + 234,375 x 0.70 + 515,625 x 0.53 + 187,500 x (0.75-0.5)/(0.9-0.5)
    #         = 837,500 + 164,062.50 + 273,281.25 + 117,187.50 = 1,392,031.25
    assert figures(at) == {
        "Maximum to encumber": ("$1,775,000", "$1,420.00 per pupil"),  # 1,775,000 / 1,250
        "Expected": ("$1,392,031", "$1,113.63 per pupil"),  # 1,392,031.25 / 1,250 = 1,113.625
        "Floor (nothing achieved)": ("$837,500", "$670.00 per pupil"),  # 837,500 / 1,250
        "Performance share": ("52.8%", "pool $937,500"),
    }
    assert "Math growth carries more weight (55%) than Dosage (25%)" in at.info[0].value
    assert editing_controls(at) == []
    assert position(at) == "**View 1 of 3**"
    assert charts(at) == []  # each chart has a view of its own


def test_next_and_previous_step_through_one_chart_a_view():
    at = switch(start(), True)
    assert at.button(key=present_keys.PRESENT_PREVIOUS).disabled  # the first view
    step(at, present_keys.PRESENT_NEXT)
    assert position(at) == "**View 2 of 3**"
    assert charts(at) == [state.PRESENT_STACKED]  # the scenarios against the maximum
    assert figures(at) == {}  # the headline figures stay on the first view
    step(at, present_keys.PRESENT_NEXT)
    assert position(at) == "**View 3 of 3**"
    assert charts(at) == [state.PRESENT_GRID]  # the cost as achievement rises
    assert at.button(key=present_keys.PRESENT_NEXT).disabled  # the last view
    assert editing_controls(at) == []
    step(at, present_keys.PRESENT_PREVIOUS)
    assert charts(at) == [state.PRESENT_STACKED]
    step(at, present_keys.PRESENT_PREVIOUS)
    assert position(at) == "**View 1 of 3**"
    assert "Expected" in figures(at)


def test_on_shows_a_shared_deal_and_its_warning():
    at = switch(start(link=encode_deal(load_deal(LITERACY))), True)
    assert [t.value for t in at.title] == ["K-3 literacy tutoring 2026-27"]
    # Literacy: 1,200,000 for 500 students, 62.5% on outcomes: pool 750,000, base 450,000.
    # Expected: 450,000 + 225,000 x 0.75 + 375,000 x 0.50 + 150,000 (45% reaches the 40% target) = 956,250
    assert figures(at) == {
        "Maximum to encumber": ("$1,200,000", "$2,400.00 per pupil"),
        "Expected": ("$956,250", "$1,912.50 per pupil"),
        "Floor (nothing achieved)": ("$450,000", "$900.00 per pupil"),
        "Performance share": ("62.5%", "pool $750,000"),
    }
    assert "62.5% of the price depends on outcomes" in at.warning[0].value
    assert at.query_params["deal"] == encode_deal(load_deal(LITERACY))  # the link survives the switch


def test_the_switch_survives_reruns_and_off_returns_to_the_page_left():
    at = start()
    go(at, "app_pages/budget.py")
    switch(at, True)
    at.run()
    at.run()
    assert at.toggle(key=SWITCH).value is True
    assert "Maximum to encumber" in figures(at)
    switch(at, False)
    assert [t.value for t in at.title] == ["Budget"]
    assert "Maximum to encumber" not in figures(at)
    assert any(b.label.startswith("Download the deal") for b in at.get("download_button"))


def test_exit_returns_to_the_page_left_and_the_next_presentation_starts_at_its_first_view():
    at = start()
    go(at, "app_pages/budget.py")
    switch(at, True)
    step(at, present_keys.PRESENT_NEXT)
    step(at, present_keys.PRESENT_EXIT)
    assert [t.value for t in at.title] == ["Budget"]
    assert at.toggle(key=SWITCH).value is False  # the sidebar's switch follows
    switch(at, True)
    assert position(at) == "**View 1 of 3**"
