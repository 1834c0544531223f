"""Charts: every one titled, with labelled axes and dollar or percent ticks."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from obc_calc.core.grid import achievement_rates, share_grid
from obc_calc.core.model import Deal
from obc_calc.core.scenarios import ScenarioResult, all_scenarios, floor, maximum
from ui import widgets


def show_chart(fig: go.Figure, title: str, x_title: str, y_title: str, x_percent: bool = False,
               y_money: bool = True, key: str | None = None, large: bool = False) -> None:
    """Every chart gets a title, labelled axes with units, and dollar or percent ticks.

    `large` is for a projector: fonts read from the back of a room and a taller plot.
    """
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title,
                      legend_title_text="", margin={"t": 60, "b": 40}, hovermode="x unified")
    if large:  # each part's size set on its own: the Streamlit chart theme overrides a general font size
        fig.update_layout(font_size=20, title_font_size=30, legend_font_size=20, height=640,
                          margin={"t": 90, "b": 60})
        fig.update_xaxes(tickfont_size=20, title_font_size=22)
        fig.update_yaxes(tickfont_size=20, title_font_size=22)
        fig.update_annotations(font_size=22)
    if x_percent:
        fig.update_xaxes(tickformat=".0%")
    if y_money:
        fig.update_yaxes(tickprefix="$", tickformat=",.0f", rangemode="tozero")
    st.plotly_chart(fig, key=key)


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
                                 marker={"symbol": "diamond", "size": 12, "color": "#111827"}))
    fig.add_hline(y=deal.total_cost, line_dash="dash", line_color="#b91c1c",
                  annotation_text=f"Maximum {widgets.money(deal.total_cost)}", annotation_position="top left")
    fig.update_layout(barmode="relative")  # negative payments (penalties) stack below zero
    show_chart(fig, "What the district pays in each scenario, against the maximum", "Scenario",
               "Payment ($)", key=key, large=large)


def grid_chart(deal: Deal, key: str, large: bool = False) -> None:
    shares = sorted(set(GRID_SHARES) | {deal.performance_share})
    grid = share_grid(deal, shares, achievement_rates())
    fig = go.Figure()
    for share in shares:
        mine = share == deal.performance_share
        fig.add_trace(go.Scatter(
            x=grid["Achievement rate"], y=grid[share], mode="lines",
            name=f"{widgets.percent(share)} on outcomes" + (" (this deal)" if mine else ""),
            line={"width": (6 if large else 4) if mine else 2, "dash": "solid" if mine else "dot"},
        ))
    title = f"Total cost as achievement rises, for several splits of {widgets.money(deal.total_cost)}"
    show_chart(fig, title, "Achievement rate (every outcome at this rate)", "Total cost to the district ($)",
               x_percent=True, key=key, large=large)
