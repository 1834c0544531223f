"""Charts without the browser: each chart's text alternative (ui/chart_data.py) and how
ui.charts.show_chart tells series apart without colour, titles them and places the legend."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from tests import app_support
from ui import chart_data, charts


def spec_of(fig: go.Figure, x_percent: bool = False, y_money: bool = True) -> dict:
    """The figure as show_chart hands it to the text alternative: plotly's dict with the shared layout."""
    spec = fig.to_dict()
    layout = charts.chart_layout("A chart", "Year", "Paid ($)", x_percent, y_money, large=False)
    charts.merge(spec["layout"], layout)
    return spec


def test_two_bar_series_over_the_same_years_make_one_column_each_in_dollars():
    fig = go.Figure([go.Bar(x=["2026", "2027"], y=[1500, 2250.4], name="Base"),
                     go.Bar(x=["2026", "2027"], y=np.array([0, 1000]), name="Outcomes")])
    table = chart_data.chart_table(spec_of(fig), "Year", "Paid ($)")
    assert table.to_dict("list") == {"Year": ["2026", "2027"], "Base": ["$1,500", "$2,250"],
                                     "Outcomes": ["$0", "$1,000"]}


def test_series_over_different_points_are_listed_one_row_a_point_with_percents():
    fig = go.Figure([go.Scatter(x=[0.0, 0.5], y=[0, 100], name="Curve"),
                     go.Scatter(x=[0.25], y=[40], name="Expected", mode="markers")])
    table = chart_data.chart_table(spec_of(fig, x_percent=True), "Rate", "Paid ($)")
    assert table.to_dict("records") == [
        {"Series": "Curve", "Rate": "0.0%", "Paid ($)": "$0"},
        {"Series": "Curve", "Rate": "50.0%", "Paid ($)": "$100"},
        {"Series": "Expected", "Rate": "25.0%", "Paid ($)": "$40"},
    ]


def test_a_horizontal_bar_from_a_base_is_listed_by_its_category_at_its_end():
    # Tornado bars: drawn from the expected total ($1,000) to each end; the value is where a bar ends.
    fig = go.Figure([go.Bar(y=["Dosage", "Growth"], x=[-200, -50], base=1000, orientation="h", name="Low"),
                     go.Bar(y=["Dosage", "Growth"], x=[300, 25], base=1000, orientation="h", name="High")])
    fig.update_xaxes(tickprefix="$")
    table = chart_data.chart_table(spec_of(fig, y_money=False), "Total ($)", "Outcome")
    # 1,000 - 200 = 800 and 1,000 + 300 = 1,300; 1,000 - 50 = 950 and 1,000 + 25 = 1,025.
    assert table.to_dict("list") == {"Outcome": ["Dosage", "Growth"], "Low": ["$800", "$950"],
                                     "High": ["$1,300", "$1,025"]}


def test_a_long_curve_is_listed_every_five_percent():
    rates = np.linspace(0, 1, 1001)
    fig = go.Figure(go.Scatter(x=rates, y=rates * 2000, name="Paid", mode="lines"))
    spec = spec_of(fig, x_percent=True)
    table = chart_data.chart_table(spec, "Rate", "Paid ($)")
    # 21 points from 0% to 100%: every 50th of the 1,001 rates, 5% apart; $2,000 x 5% = $100 a step.
    assert table["Rate"].tolist() == [f"{5 * i}.0%" for i in range(21)]
    assert table["Paid"].tolist()[:3] == ["$0", "$100", "$200"] and table["Paid"].iloc[-1] == "$2,000"
    assert chart_data.is_thinned(spec)


def test_the_lines_marked_on_a_chart_are_a_sentence():
    fig = go.Figure(go.Bar(x=["A"], y=[1]))
    fig.add_hline(y=5, annotation_text="Maximum $5")
    fig.add_annotation(x=0, y=1, text="Floor<br>$1")
    assert chart_data.marks_sentence(fig.to_dict()) == "Marked on the chart: Maximum $5; Floor $1."
    assert chart_data.marks_sentence(go.Figure(go.Bar(x=["A"], y=[1])).to_dict()) == ""


def test_series_differ_by_more_than_colour_and_a_curves_marker_takes_its_colour():
    traces = [{"type": "scatter", "x": [0, 1], "y": [0, 1], "mode": "lines", "name": "First"},
              {"type": "scatter", "x": [0.5], "y": [0.5], "mode": "markers", "showlegend": False},
              {"type": "scatter", "x": [0, 1], "y": [1, 0], "mode": "lines", "name": "Second"},
              {"type": "bar", "x": ["a"], "y": [1], "name": "Third"},
              {"type": "bar", "x": ["a"], "y": [2], "name": "Page's own", "marker": {"color": "#123456"}}]
    charts.distinguish(traces)
    first, marker, second, third, own = traces
    assert first["line"]["color"] == marker["marker"]["color"] == charts.PALETTE[0]
    assert second["line"]["color"] == charts.PALETTE[1]
    assert (first["line"]["dash"], second["line"]["dash"]) == ("solid", "dash")
    assert third["marker"]["color"] == charts.PALETTE[2] and third["marker"]["pattern"]["shape"] == "."
    assert own["marker"]["color"] == "#123456" and own["marker"]["pattern"]["shape"] == "x"


def test_a_long_title_wraps_and_the_legend_sits_under_the_axis_title():
    title = "What each outcome is likely to pay (whiskers: as low as / as high as, 10-90%), against the plan"
    layout = charts.chart_layout(title, "Outcome", "Payment", False, True, False)
    lines = layout["title"]["text"].split("<br>")
    assert len(lines) == 2 and all(len(line) <= charts.TITLE_CHARACTERS for line in lines)
    assert " ".join(lines) == title
    # The legend at the foot of the whole figure (container), below the axis title, left-aligned.
    assert {k: layout["legend"][k] for k in ("orientation", "yref", "y", "yanchor")} == {
        "orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}


def test_the_scenarios_chart_has_its_data_in_a_table():
    at = app_support.go(app_support.start(), "app_pages/scenarios.py")
    box = next(e for e in at.expander if e.label == "Chart data: What the district pays in each scenario, "
                                                   "against the maximum")
    rows = box.table[0].value.set_index("Scenario")
    # The math sample: $1,775,000 in all, a $937,500 pool, so a $837,500 base; weights 25%, 55% and 20% of
    # the pool are $234,375, $515,625 and $187,500, all paid in the maximum.
    assert rows.loc["Maximum"].tolist() == ["$837,500", "$234,375", "$515,625", "$187,500"]
    assert rows.loc["Floor"].tolist() == ["$837,500", "$0", "$0", "$0"]
    assert box.markdown[0].value == "Marked on the chart: Maximum $1,775,000."
