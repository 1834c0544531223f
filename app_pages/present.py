"""Presentation: the current deal's headline figures, flags and charts, large, for a projector.

Shown alone while presentation mode is on; it has no editing controls.
"""

import streamlit as st

from obc_calc.core.report import deal_report
from ui import charts, state, widgets

# Larger type than the app's, read from the back of a room; scoped to the main area. A figure
# shrinks with its box (container query units) rather than being cut short on a narrow screen.
LARGE_TYPE = """
<style>
[data-testid="stMain"] h1 { font-size: 3.2rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.5rem; }
[data-testid="stMain"] [data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: min(1.8rem, 8cqw); }
[data-testid="stMain"] [data-testid="stMetricLabel"] * { white-space: normal; overflow: visible; }
[data-testid="stMain"] [data-testid="stMetricValue"] { font-size: min(4.5rem, 15cqw); }
[data-testid="stMain"] [data-testid="stMetricDelta"] { font-size: min(1.6rem, 7cqw); }
[data-testid="stMain"] [data-testid="stAlertContainer"] p { font-size: 1.5rem; }
</style>
"""

st.html(LARGE_TYPE)
deal = state.current()
report = deal_report(deal)
st.title(deal.name)
st.caption(f"{widgets.parties(deal)}{deal.students:,} students, {widgets.money(deal.total_cost)} at most, "
           f"{widgets.percent(deal.performance_share)} paid on outcomes")

headline = [("Maximum to encumber", report.maximum), ("Expected", report.expected),
            ("Floor (nothing achieved)", report.floor)]
cells = [cell for _ in range(2) for cell in st.columns(2)]  # two rows of two: room for big figures
for cell, (label, result) in zip(cells, headline, strict=False):
    widgets.total_metric(cell, label, report, result)
widgets.share_metric(cells[3], deal)

widgets.show_flags(report.flags)
charts.stacked_chart(deal, charts.scenario_results(deal), key=state.PRESENT_STACKED, large=True)
charts.grid_chart(deal, key=state.PRESENT_GRID, large=True)
