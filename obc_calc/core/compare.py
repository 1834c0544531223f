"""Deals side by side: the figures a workshop compares, one column per deal."""

from __future__ import annotations

import math

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
HALF_A_CENT = 0.005


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
    """The figures on which the deals do not all agree, for shading: money that differs by more than half
    a cent, any other number that differs beyond floating-point noise, different warnings. A figure
    not known for a deal (a simulation not run) is no difference."""
    return [label for label, values in table.iterrows()
            if _differ([v for v in values if v is not None], money=label in MONEY_ROWS)]


def _differ(values: list, money: bool) -> bool:
    first = values[0] if values else None
    if not isinstance(first, int | float):
        return any(value != first for value in values)
    tolerance = HALF_A_CENT if money else 0.0
    return any(not math.isclose(value, first, rel_tol=1e-9, abs_tol=tolerance) for value in values)


def current_column(deal_name: str, others: list[str]) -> str:
    """The current deal's column heading: its name, unless another column has that name."""
    return f"{deal_name} (current deal)" if deal_name in others else deal_name


def p95_note(deals: dict[str, Deal], simulated: dict[str, tuple[float, float]]) -> str:
    """Why a simulated 95th percentile is a deal's maximum, when it is because the district misses
    its commitments in 5% of years or more (then it pays the full price, so the top 5% of simulated
    years are all at the maximum); empty when no deal's is."""
    names = [name for name, (_, p95) in simulated.items() if _p95_at_maximum(deals[name], p95)]
    if not names:
        return ""
    listed = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return (f"For {listed} the simulated 95th percentile is the maximum: the chance that the district "
            "misses its commitments (set on the Risk page) is 5% or more, and in those years it pays the "
            "full price.")


def _p95_at_maximum(deal: Deal, p95: float) -> bool:
    at_maximum = math.isclose(p95, deal_report(deal).maximum.total, rel_tol=0.0, abs_tol=HALF_A_CENT)
    return at_maximum and deal.risk.commitments_miss_probability >= 0.05


def cost_curves(deals: dict[str, Deal], points: int = 101) -> pd.DataFrame:
    """Each deal's total cost as every outcome's achievement rate moves from 0% to 100%."""
    rates = np.linspace(0.0, 1.0, points)
    table = pd.DataFrame({"Achievement rate": rates})
    for name, deal in deals.items():
        table[name] = total_cost_curve(deal, rates)
    return table
