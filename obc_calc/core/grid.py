"""Curves for charts: what an outcome pays across achievement rates, and what a deal costs.

Both work on a whole array of rates at once, so a chart of a thousand points costs one call.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from obc_calc.core.model import Deal, Outcome
from obc_calc.core.scenarios import base_due
from obc_calc.core.sensitivity import payment_sweep


def achievement_rates(points: int = 101) -> np.ndarray:
    """Evenly spaced achievement rates from 0% to 100%, both ends included."""
    return np.linspace(0.0, 1.0, points)


def payment_curve(deal: Deal, outcome: Outcome, rates: np.ndarray) -> np.ndarray:
    """Dollars the outcome pays at each rate (for a banded outcome, its share of students in paying
    bands; with student groups, their overall rate), every planned student served."""
    return payment_sweep(deal, outcome.name, rates)["payment"].to_numpy(dtype=float)


def total_cost_curve(deal: Deal, rates: np.ndarray) -> np.ndarray:
    """The district's total at each rate when every outcome reaches that same rate; penalties take
    back at most the deal's max_penalty, as in every scenario."""
    earned = np.zeros(len(rates))
    for outcome in deal.outcomes:
        earned += payment_curve(deal, outcome, rates)
    return base_due(deal, deal.students) + np.maximum(earned, -deal.max_penalty)


def share_grid(deal: Deal, shares: list[float], rates: np.ndarray) -> pd.DataFrame:
    """Total cost by achievement rate (rows) for each performance share (columns), same total cost.

    Shares are taken as given, outside the deal's validation, so a facilitator can show a
    split the guardrails warn about next to the one on the table.
    """
    table = pd.DataFrame({"Achievement rate": rates})
    for share in shares:
        variant = deal.model_copy(update={"performance_share": share})
        table[share] = total_cost_curve(variant, rates)
    return table


def price_per_achieving_student(deal: Deal, outcome: Outcome) -> float:
    """A per-student outcome's price: its allocation spread over every eligible student."""
    return deal.allocation(outcome) / deal.eligible(outcome)
