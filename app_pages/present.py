"""Presentation: the current deal on a projector, one view at a time, with nothing to edit.

The first view is the deal's name, its headline figures and its flags; each chart then has a view of its
own. "Previous" and "Next" (or the left and right arrow keys) step between them from a bar pinned to the
top of the window, which also holds the way out. Sized for a 1280x720 projector: the sidebar starts
collapsed (app.py), the name keeps to one or two lines, and each view fits the screen (a chart's closed
data box, its text alternative, just under it). tests/app/test_projector.py checks it in a browser.
"""

import streamlit as st

from obc_calc.core.model import Deal
from obc_calc.core.report import deal_report
from ui import charts, state, widgets
from ui import present_keys as keys

# Larger type than the app's, read from the back of a room; scoped to the main area. A figure shrinks
# with its box (container query units) rather than being cut short. The main area's top padding is cut
# to the top bar's height (3.75rem) and the step buttons sit in that bar (fixed, centred, above it; their
# empty slot in the page taken out of the flow too), so a view has the whole screen under the bar: a
# large chart (600 px) and its closed data box fit a 720 px screen.
PROJECTOR_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 3.75rem 2rem 1rem; }
.st-key-present_nav { position: fixed; top: 0.6rem; left: 50%; transform: translateX(-50%);
                      width: max-content; z-index: 999991; }
[data-testid="stLayoutWrapper"]:has(> .st-key-present_nav) { position: absolute; }
[data-testid="stMain"] h1 { line-height: 1.2; padding: 0; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.5rem; }
[data-testid="stMain"] [data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: min(1.8rem, 9cqw); }
[data-testid="stMain"] [data-testid="stMetricLabel"] * { white-space: normal; overflow: visible; }
[data-testid="stMain"] [data-testid="stMetricValue"] { font-size: min(4.5rem, 17cqw); }
[data-testid="stMain"] [data-testid="stMetricDelta"] { font-size: min(1.6rem, 8cqw); }
[data-testid="stMain"] [data-testid="stAlertContainer"] p { font-size: 1.3rem; }
</style>
"""

# Run once as a presentation starts. The sidebar starts collapsed (app.py), unless the presenter once
# opened or closed it by hand: the browser then keeps that choice, so close it here and forget the choice,
# letting the sidebar come back when presentation mode ends. And the switch just clicked keeps the
# keyboard, where the arrow keys would go to it, not to the step buttons: let go of it.
START_SCRIPT = """
<script>
document.querySelector('[data-testid="stSidebarCollapseButton"] button[aria-expanded="true"]')?.click();
Object.keys(localStorage).filter(key => key.startsWith("stSidebarCollapsed-"))
    .forEach(key => localStorage.removeItem(key));
document.activeElement?.blur();
</script>
"""


def title_size(name: str) -> str:
    """The name's font size: 3.2rem, or less so that it takes at most two lines of the window.

    A bold character is about 0.55 of the font size wide on average (0.6 allows for wide letters), and
    a line holds about 80% of the window's width once the padding, and the room a word too long for the
    line's end leaves there, are taken off: two lines hold 2 x 80vw.
    """
    fit = 2 * 80 / (0.6 * max(len(name), 1))
    return f"min(3.2rem, {fit:.2f}vw)"


def headline_view(deal: Deal) -> None:
    report = deal_report(deal)
    st.html(f"<style>[data-testid='stMain'] h1 {{ font-size: {title_size(deal.name)}; }}</style>")
    st.title(deal.name, anchor=False)
    st.caption(f"{widgets.parties(deal)}{deal.students:,} students, {widgets.money(deal.total_cost)} "
               f"at most, {widgets.percent(deal.performance_share)} paid on outcomes")
    headline = [("Maximum to encumber", report.maximum), ("Expected", report.expected),
                ("Floor (nothing achieved)", report.floor)]
    cells = st.columns(4)  # one row: room left under it for the flags
    for cell, (label, result) in zip(cells, headline, strict=False):
        widgets.total_metric(cell, label, report, result)
    widgets.share_metric(cells[3], deal)
    widgets.show_flags(report.flags)


def scenarios_view(deal: Deal) -> None:
    charts.stacked_chart(deal, charts.scenario_results(deal), key=state.PRESENT_STACKED, large=True)


def cost_curve_view(deal: Deal) -> None:
    charts.grid_chart(deal, key=state.PRESENT_GRID, large=True)


VIEWS = [headline_view, scenarios_view, cost_curve_view]


def step(by: int) -> None:
    st.session_state[keys.PRESENT_VIEW] = st.session_state.get(keys.PRESENT_VIEW, 0) + by


def leave() -> None:
    st.session_state[state.PRESENTING] = False  # app.py then returns to the page the presenter left


def navigation(view: int) -> None:
    """The bar of buttons: step back or on (also the left and right arrow keys), and leave."""
    last = len(VIEWS) - 1
    with st.container(horizontal=True, vertical_alignment="center", width="content", key=keys.PRESENT_NAV):
        st.button("Previous", icon=":material/arrow_back:", key=keys.PRESENT_PREVIOUS, shortcut="Left",
                  disabled=view == 0, on_click=step, args=(-1,))
        st.markdown(f"**View {view + 1} of {last + 1}**")
        st.button("Next", icon=":material/arrow_forward:", key=keys.PRESENT_NEXT, shortcut="Right",
                  disabled=view == last, on_click=step, args=(1,))
        st.button("Exit presentation", icon=":material/close:", key=keys.PRESENT_EXIT, on_click=leave)


st.html(PROJECTOR_CSS)
if st.session_state.pop(keys.PRESENT_START, False):
    st.sidebar.html(START_SCRIPT, unsafe_allow_javascript=True)  # the sidebar: no room taken from a view
shown = min(max(st.session_state.get(keys.PRESENT_VIEW, 0), 0), len(VIEWS) - 1)
navigation(shown)
VIEWS[shown](state.current())
