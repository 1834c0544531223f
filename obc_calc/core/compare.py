"""Deals side by side: the figures a workshop compares, one column per deal."""

from __future__ import annotations

import numpy as np
import pandas as pd

from obc_calc.core.grid import total_cost_curve
from obc_calc.core.model import Deal
from obc_calc.core.report import deal_report

MONEY_ROWS = (
    "Maximum (encumber)", "Expected", "Floor (nothing achieved)", "Base", "Performance pool",
    "Maximum per pupil", "Expected per pupil", "Floor per pupil",
    "Simulated median", "Simulated 95th percentile",
)


def deal_column(deal: Deal, simulated: tuple[float, float] | None = None) -> dict:
    """One deal's figures; `simulated` is its (median, 95th percentile) total when it was run.
    Warnings are the codes of the deal's warning flags, in the flags' order (empty: none)."""
    report = deal_report(deal)
    column = {
        "Students": deal.students,
        "Performance share": deal.performance_share,
        "Base": deal.base_max,
        "Performance pool": deal.performance_pool,
        "Maximum (encumber)": report.maximum.total,
        "Expected": report.expected.total,
        "Floor (nothing achieved)": report.floor.total,
        "Maximum per pupil": report.per_pupil(report.maximum),
        "Expected per pupil": report.per_pupil(report.expected),
        "Floor per pupil": report.per_pupil(report.floor),
        "Simulated median": simulated[0] if simulated else None,
        "Simulated 95th percentile": simulated[1] if simulated else None,
        "Warnings": [f.code for f in report.flags if f.level == "warning"],
    }
    return column


def compare_table(deals: dict[str, Deal], simulated: dict[str, tuple[float, float]] | None = None):
    """Rows are figures, columns are deals, in the order given."""
    simulated = simulated or {}
    return pd.DataFrame({name: deal_column(deal, simulated.get(name)) for name, deal in deals.items()})


def differing_rows(table: pd.DataFrame) -> list[str]:
    """The figures on which the deals do not all agree (to the cent), for highlighting."""
    rows = []
    for label, values in table.iterrows():
        cells = [round(v, 2) if isinstance(v, float) else v for v in values]
        if len({repr(c) for c in cells}) > 1:
            rows.append(label)
    return rows


def cost_curves(deals: dict[str, Deal], points: int = 101) -> pd.DataFrame:
    """Each deal's total cost as every outcome's achievement rate moves from 0% to 100%."""
    rates = np.linspace(0.0, 1.0, points)
    table = pd.DataFrame({"Achievement rate": rates})
    for name, deal in deals.items():
        table[name] = total_cost_curve(deal, rates)
    return table
