"""Charts: every one titled, with labelled axes and dollar or percent ticks, told apart without colour,
and followed by its data in words (ui/chart_data.py) for whoever cannot see it."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import streamlit as st

from obc_calc.core.grid import achievement_rates, share_grid
from obc_calc.core.model import Deal
from obc_calc.core.scenarios import ScenarioResult, all_scenarios, floor, maximum
from ui import chart_data, widgets

# Okabe and Ito's colours, told apart with each common colour-vision deficiency. The first four stand
# out 3:1 or more against white (WCAG 2.1 non-text contrast); beyond colour, every series also has a
# dash, a marker or a hatching of its own.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
PATTERNS = ("", "/", ".", "x", "\\", "+", "-")
INK = "#111111"  # reference lines and labels: the app's text colour (.streamlit/config.toml)
# Ticks, axis titles and legend: Streamlit's chart theme draws them #808495, 3.7:1 on white, under the
# 4.5:1 WCAG asks; this grey is 9.7:1.
CHART_TEXT = "#444444"
ALERT_RED = "#b91c1c"  # a line to watch (the maximum, a shortfall): 6.5:1 on white, always labelled
TITLE_CHARACTERS = 64  # a title wraps at this many characters, so half-width charts cut none off
LARGE_TITLE_CHARACTERS = 60


def colour(number: int) -> str:
    return PALETTE[number % len(PALETTE)]


def merge(into: dict, more: dict) -> None:
    """`more` written into `into`, nested dicts merged key by key (as plotly's update does)."""
    for name, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(name), dict):
            merge(into[name], value)
        else:
            into[name] = value


def style_trace(trace: dict, number: int) -> None:
    """Series `number`'s colour, and its hatching, dash or marker, wherever the caller set none."""
    marker = trace.setdefault("marker", {})
    if trace["type"] == "bar":
        marker.setdefault("color", colour(number))
        marker.setdefault("pattern", {}).setdefault("shape", PATTERNS[number % len(PATTERNS)])
        marker.setdefault("line", {}).setdefault("color", "#ffffff")  # an edge between stacked segments
        return
    if trace["type"] != "scatter":
        return
    line = trace.setdefault("line", {})
    if "color" not in line and "color" not in marker:
        line["color"] = marker["color"] = colour(number)
    mode = trace.get("mode") or ("lines+markers" if len(chart_data.values(trace.get("x"))) < 20
                                 else "lines")  # plotly's default
    if "lines" in mode:
        line.setdefault("dash", DASHES[number % len(DASHES)])
    if "markers" in mode:
        marker.setdefault("symbol", SYMBOLS[number % len(SYMBOLS)])


def distinguish(traces: list[dict]) -> None:
    """Style each series; a trace kept out of the legend belongs to the series before it (a curve's
    marker at the expected rate) and looks like it."""
    number = -1
    for trace in traces:
        if trace.get("showlegend") is not False or number < 0:
            number += 1
        style_trace(trace, number)


def wrapped(title: str, large: bool) -> tuple[str, int]:
    """The title broken into lines (plotly cuts a long one off), and how many lines."""
    lines = textwrap.wrap(title, LARGE_TITLE_CHARACTERS if large else TITLE_CHARACTERS) or [""]
    return "<br>".join(lines), len(lines)


def chart_layout(title: str, x_title: str, y_title: str, x_percent: bool, y_money: bool, large: bool) -> dict:
    """The layout every chart shares. The legend sits at the foot of the whole figure, where plotly
    makes room for it under the x axis's title. `large` is for a projector: fonts read from the back
    of a room (each part's size set on its own: the Streamlit chart theme overrides a general one)."""
    text, lines = wrapped(title, large)
    text_font = {"color": CHART_TEXT} | ({"size": 20} if large else {})
    axis_title_font = {"color": CHART_TEXT} | ({"size": 22} if large else {})
    layout = {
        "title": {"text": text, "font": {"color": INK} | ({"size": 30} if large else {})},
        "xaxis": {"title": {"text": x_title, "font": axis_title_font}, "tickfont": text_font},
        "yaxis": {"title": {"text": y_title, "font": axis_title_font}, "tickfont": text_font},
        "hovermode": "x unified", "font": text_font,
        "legend": {"title": {"text": ""}, "orientation": "h", "yref": "container", "y": 0,
                   "yanchor": "bottom", "x": 0, "xanchor": "left", "font": text_font},
        # Large: room on the right for the last tick label ("100%") at a projector's font size.
        "margin": {"t": 60 + 38 * lines, "b": 60, "r": 40} if large else {"t": 40 + 24 * lines, "b": 40},
    }
    if large:
        # 720 px screen = 60 px top bar + 600 px chart + 16 px gap + 40 px closed "Chart data" box.
        layout["height"] = 600
    if x_percent:
        layout["xaxis"]["tickformat"] = ".0%"
    if y_money:
        layout["yaxis"] |= {"tickprefix": "$", "tickformat": ",.0f", "rangemode": "tozero"}
    return layout


def show_chart(fig: go.Figure, title: str, x_title: str, y_title: str, x_percent: bool = False,
               y_money: bool = True, key: str | None = None, large: bool = False) -> None:
    """Every chart gets a title, labelled axes with units, dollar or percent ticks, series told apart
    without colour, the legend under the x axis's title, and its data in a table below it.

    Worked on as plotly's plain dict and drawn unvalidated: the page's figure was validated as it was
    built, and this adds fixed settings only. Validating them again cost more than the rest together.
    """
    spec = fig.to_dict()
    distinguish(spec["data"])
    merge(spec["layout"], chart_layout(title, x_title, y_title, x_percent, y_money, large))
    if large:
        for note in spec["layout"].get("annotations", []):
            merge(note, {"font": {"size": 22}})
    st.plotly_chart(go.Figure(spec, _validate=False), key=key,
                    alt=f"Chart: {title}. Its data is listed under it.")
    text_alternative(spec, title, x_title, y_title)


def text_alternative(spec: dict, title: str, x_title: str, y_title: str) -> None:
    """A closed box under the chart with its data as a table: a screen reader reads it, and anyone can
    look a figure up."""
    with st.expander(f"Chart data: {title}", icon=":material/table_view:"):
        marks = chart_data.marks_sentence(spec)
        if marks:
            st.markdown(marks)
        if chart_data.is_thinned(spec):
            st.caption(f"Long curves are listed at {chart_data.MOST_ROWS} evenly spaced points.")
        st.table(chart_data.chart_table(spec, x_title, y_title), hide_index=True)


GRID_SHARES = [0.1, 0.2, 0.4, 0.6]  # splits drawn next to the deal's own in the cost-curve chart


def scenario_results(deal: Deal) -> list[ScenarioResult]:
    """The maximum, the expected case, the deal's scenarios and the floor, in the order charts show them."""
    return [maximum(deal), *all_scenarios(deal), floor(deal)]


def stacked_chart(deal: Deal, results: list[ScenarioResult], key: str, large: bool = False) -> None:
    names = [r.name for r in results]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=[r.base for r in results], name="Base"))
    for i, outcome in enumerate(deal.outcomes):
        fig.add_trace(go.Bar(x=names, y=[r.outcomes[i].payment for r in results], name=outcome.name))
    if any(r.penalty_relief for r in results):
        relief = [r.penalty_relief for r in results]
        fig.add_trace(go.Bar(x=names, y=relief, name="Penalty limit (given back)"))
    if any(o.payment < 0 for r in results for o in r.outcomes):
        # Penalties are drawn below zero, so no bar's top is the total: mark it.
        fig.add_trace(go.Scatter(x=names, y=[r.total for r in results], mode="markers", name="Total paid",
                                 marker={"symbol": "diamond", "size": 12, "color": INK}))
    fig.add_hline(y=deal.total_cost, line_dash="dash", line_color=ALERT_RED,
                  annotation_text=f"Maximum {widgets.money(deal.total_cost)}", annotation_position="top left")
    fig.update_layout(barmode="relative")  # negative payments (penalties) stack below zero
    show_chart(fig, "What the district pays in each scenario, against the maximum", "Scenario",
               "Payment ($)", key=key, large=large)


def grid_chart(deal: Deal, key: str, large: bool = False) -> None:
    shares = sorted(set(GRID_SHARES) | {deal.performance_share})
    grid = share_grid(deal, shares, achievement_rates())
    fig = go.Figure()
    for number, share in enumerate(shares):
        mine = share == deal.performance_share
        # This deal's line solid and thick; the others dashed each their own way (DASHES[0] is solid).
        fig.add_trace(go.Scatter(
            x=grid["Achievement rate"], y=grid[share], mode="lines",
            name=f"{widgets.percent(share)} on outcomes" + (" (this deal)" if mine else ""),
            line={"width": (6 if large else 4) if mine else 2,
                  "dash": "solid" if mine else DASHES[1 + number % (len(DASHES) - 1)]},
        ))
    title = f"Total cost as achievement rises, for several splits of {widgets.money(deal.total_cost)}"
    show_chart(fig, title, "Achievement rate (every outcome at this rate)", "Total cost to the district ($)",
               x_percent=True, key=key, large=large)
