"""The Risk page's charts: the simulated totals, their cumulative chance, the tornado and the sweep.

Each takes the deal it draws; plotly figures only, shown through ui.charts.show_chart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import obc_calc.core.simulate as sim
from obc_calc.core.model import Deal
from obc_calc.core.scenarios import expected, floor, maximum
from obc_calc.core.sensitivity import payment_sweep, tornado
from ui import charts, state, widgets

FLOOR_GREY = "#595959"  # 7:1 on white


def mark_lines(fig: go.Figure, deal: Deal, budget: float | None = None) -> None:
    """The floor, the expected total, the maximum (and the budget line) as labelled vertical lines.

    Added as plain layout shapes in one update: plotly's add_vline costs 10 ms a line, a third
    of the page's rerun time.
    """
    # (dollars, label, colour, dash, label on the line's right, label height as a share of the plot).
    # Each line has a dash of its own and a label in the text colour, so none is told by colour alone.
    lines = [(floor(deal).total, "Floor", FLOOR_GREY, "dot", True, 0.99),
             (expected(deal).total, "Expected", charts.PALETTE[2], "dash", False, 0.99),
             (maximum(deal).total, "Maximum", charts.ALERT_RED, "solid", False, 0.91)]
    if budget is not None:
        lines.append((budget, "Budget line", charts.INK, "dashdot", True, 0.83))
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
               "line": {"color": color, "dash": dash, "width": 2}} for x, _, color, dash, _, _ in lines]
    labels = [{"xref": "x", "yref": "paper", "x": x, "y": y, "yanchor": "top", "showarrow": False,
               "xanchor": "left" if right else "right", "text": f" {label} {widgets.money(x)} ",
               "font": {"color": charts.INK}, "bgcolor": "rgba(255,255,255,0.8)"}
              for x, label, _, _, right, y in lines]
    fig.update_layout(shapes=shapes, annotations=labels)


def padded(values: list[float], share: float) -> list[float]:
    """An axis range around the values with `share` of their span to spare at each end."""
    low, high = min(values), max(values)
    spare = (high - low) * share or abs(high) * share or 1.0
    return [low - spare, high + spare]


def money_x(fig: go.Figure) -> None:
    fig.update_xaxes(tickprefix="$", tickformat=",.0f")


def histogram_chart(deal: Deal, result: sim.SimulationResult, bars: pd.DataFrame, budget: float) -> None:
    ends = [bars["start"].iloc[0], bars["end"].iloc[-1], floor(deal).total, maximum(deal).total, budget]
    axis = padded(ends, 0.03)
    # At least 1% of the axis wide: when every trial pays the same, numpy's one bin is a dollar wide.
    width = (bars["end"] - bars["start"]).clip(lower=(axis[1] - axis[0]) * 0.01)
    fig = go.Figure(go.Bar(
        x=(bars["start"] + bars["end"]) / 2, y=bars["share"], width=width,
        name="Share of trials", marker_color=charts.PALETTE[0], marker_line_width=0,
        customdata=bars[["start", "end"]],
        hovertemplate="$%{customdata[0]:,.0f} to $%{customdata[1]:,.0f}: %{y:.1%} of trials<extra></extra>",
    ))
    mark_lines(fig, deal, budget)
    fig.update_yaxes(tickformat=".0%")
    money_x(fig)
    fig.update_xaxes(range=axis)
    charts.show_chart(fig, f"What the district pays: {result.trials:,} simulated school years",
                  "District total ($)", "Share of trials (%)", y_money=False, key=state.RISK_HISTOGRAM)


def cumulative_chart(deal: Deal, curve: pd.DataFrame, budget: float, at_most: float) -> None:
    fig = go.Figure(go.Scatter(x=curve["value"], y=curve["probability"], mode="lines", name="Chance",
                               line={"color": charts.PALETTE[0], "width": 3},
                               hovertemplate="At most $%{x:,.0f}: %{y:.1%}<extra></extra>"))
    mark_lines(fig, deal)
    fig.add_trace(go.Scatter(x=[budget], y=[at_most], mode="markers+text", name="Budget line",
                             marker={"size": 12, "color": charts.INK}, textposition="middle right",
                             text=[f"  {widgets.percent(at_most)} at most {widgets.money(budget)}"]))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    fig.update_layout(showlegend=False)
    money_x(fig)
    charts.show_chart(fig, "Chance the district pays at most a given amount", "District total ($)",
                  "Chance of paying at most this (%)", y_money=False, key=state.RISK_CUMULATIVE)


def tornado_chart(deal: Deal) -> None:
    spread = tornado(deal)
    labels = [f"{b.outcome} ({widgets.percent(b.rate_low, 0)} to {widgets.percent(b.rate_high, 0)}"
              f"{'' if b.range_given else ', no range set: ±10 points'})" for b in spread.bars]
    centre = spread.expected_total
    fig = go.Figure()
    # The low end orange and hatched, the high end blue and plain: told apart without colour too.
    for name, color, hatch, field in (("Rate at the low end", charts.PALETTE[1], "/", "total_low"),
                                      ("Rate at the high end", charts.PALETTE[0], "", "total_high")):
        totals = [getattr(b, field) for b in spread.bars]
        fig.add_trace(go.Bar(
            y=labels, x=[t - centre for t in totals], base=centre, orientation="h", name=name,
            marker={"color": color, "pattern": {"shape": hatch}},
            text=[widgets.money(t) for t in totals], textposition="outside",
            hovertemplate="%{y}: total %{text}<extra>" + name + "</extra>",
        ))
    fig.update_layout(
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": centre, "x1": centre, "y0": 0, "y1": 1,
                 "line": {"color": charts.INK, "width": 2}}],
        annotations=[{"xref": "x", "yref": "paper", "x": centre, "y": 1, "yanchor": "bottom",
                      "showarrow": False, "text": f"Expected {widgets.money(centre)}"}],
        barmode="overlay", height=180 + 70 * len(labels),  # the legend under the axis
    )
    fig.update_yaxes(autorange="reversed")
    money_x(fig)
    ends = [t for b in spread.bars for t in (b.total_low, b.total_high)]
    fig.update_xaxes(range=padded([*ends, centre], 0.2))  # room for the dollar labels
    charts.show_chart(fig, "Which outcome moves the total most (the others at their expected rates)",
                  "District total ($)", "", y_money=False, key=state.RISK_TORNADO)


def sweep_chart(deal: Deal) -> None:
    fig = go.Figure()
    at_expected = expected(deal).outcomes
    # Colours and dashes from charts.show_chart: each diamond, kept out of the legend, takes its curve's.
    for i, outcome in enumerate(deal.outcomes):
        sweep = payment_sweep(deal, outcome.name)
        fig.add_trace(go.Scatter(x=sweep["rate"], y=sweep["payment"], mode="lines", name=outcome.name,
                                 line={"width": 3}))
        fig.add_trace(go.Scatter(x=[at_expected[i].rate], y=[at_expected[i].payment], mode="markers",
                                 name=f"{outcome.name} at expected rate", showlegend=False,
                                 marker={"size": 11, "symbol": "diamond"}))
    charts.show_chart(fig, "Each outcome's payment against its achievement rate (diamond: expected rate)",
                      "Achievement rate (%; for a banded outcome, students in paying bands)",
                      "Payment to the provider ($)", x_percent=True, key=state.RISK_SWEEP)
