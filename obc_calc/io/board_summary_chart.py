"""The board summary's chart: what the deal costs the district at each achievement rate, drawn
with matplotlib's Agg renderer (no browser, no display) as PNG bytes."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from obc_calc.core.grid import achievement_rates, total_cost_curve
from obc_calc.core.model import Deal
from obc_calc.core.money import money
from obc_calc.core.report import DealReport

LINE = "#1F4E79"
GREY = "#7F7F7F"


def _dollars(value: float, _position=None) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e6:
        return f"{sign}${value / 1e6:,.2f}M"
    if value >= 1e3:
        return f"{sign}${value / 1e3:,.0f}K"
    return f"{sign}${value:,.0f}"


def cost_chart_png(deal: Deal, report: DealReport, width_in: float, height_in: float) -> bytes:
    """Total cost (every outcome at the same rate) against the rate, with the maximum and the
    floor as dashed lines and the expected total as a level for reference."""
    rates = achievement_rates(101)
    costs = total_cost_curve(deal, rates)
    figure = Figure(figsize=(width_in, height_in), dpi=200)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(rates, costs, color=LINE, linewidth=2, label="Total cost")
    levels = ((report.maximum.total, "Maximum", "#C00000"), (report.expected.total, "Expected", "#2E7D32"),
              (report.floor.total, "Floor", GREY))
    for value, name, color in levels:
        axes.axhline(value, color=color, linestyle="--", linewidth=1)
        # The curve starts at the floor and ends at the maximum: the floor's label goes right.
        x, align = (0.99, "right") if name == "Floor" else (0.01, "left")
        axes.annotate(f"{name} {money(value, False)}", (x, value), xytext=(0, 2), textcoords="offset points",
                      fontsize=7, color=color, va="bottom", ha=align)
    low = min(float(costs.min()), report.floor.total)
    high = max(float(costs.max()), report.maximum.total)
    pad = (high - low) * 0.08 or high * 0.05 or 1.0
    axes.set_ylim(min(0.0, low - pad), high + pad)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.yaxis.set_major_formatter(FuncFormatter(_dollars))
    axes.set_xlabel("Share of students achieving every outcome", fontsize=8)
    axes.set_ylabel("District's total cost", fontsize=8)
    axes.tick_params(labelsize=7)
    axes.grid(True, color="#E0E0E0", linewidth=0.6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout(pad=0.4)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
