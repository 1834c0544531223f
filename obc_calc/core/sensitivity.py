"""Sensitivity: how the district's total moves with one outcome's rate, the others at expected.

`tornado` takes each outcome to the ends of its range (rate_low and rate_high; for an outcome
without a range, the expected rate plus or minus DEFAULT_HALF_RANGE, kept within 0% to 100%) and
evaluates the deal there with every planned student served and the commitments kept, through the
scenarios' own `evaluate`. `payment_sweep` is one outcome's payment across rates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from obc_calc.core.bases import BASES
from obc_calc.core.model import Deal, Outcome, Scenario
from obc_calc.core.scenarios import evaluate, expected

DEFAULT_HALF_RANGE = 0.1
SWEEP_RATES = np.linspace(0.0, 1.0, 201)  # every half percentage point


@dataclass(frozen=True)
class TornadoBar:
    outcome: str
    rate_low: float
    rate_high: float
    range_given: bool  # False: the deal gives no range, so the default one was used
    total_low: float  # the district's total with this outcome at rate_low
    total_high: float

    @property
    def swing(self) -> float:
        return abs(self.total_high - self.total_low)


@dataclass(frozen=True)
class Tornado:
    expected_total: float
    bars: tuple[TornadoBar, ...]  # the widest swing first


def rate_range(outcome: Outcome) -> tuple[float, float, bool]:
    """(low, high, whether the deal gives them) for an outcome's tornado bar."""
    if outcome.rate_low is not None and outcome.rate_high is not None:
        return outcome.rate_low, outcome.rate_high, True
    low = max(outcome.expected_rate - DEFAULT_HALF_RANGE, 0.0)
    high = min(outcome.expected_rate + DEFAULT_HALF_RANGE, 1.0)
    return low, high, False


def _total_at(deal: Deal, outcome: Outcome, rate: float) -> float:
    return evaluate(deal, Scenario(name="Sensitivity", rates={outcome.name: rate})).total


def tornado(deal: Deal) -> Tornado:
    bars = []
    for outcome in deal.outcomes:
        low, high, given = rate_range(outcome)
        bars.append(TornadoBar(
            outcome.name, low, high, given, _total_at(deal, outcome, low), _total_at(deal, outcome, high)
        ))
    bars.sort(key=lambda bar: bar.swing, reverse=True)
    return Tornado(expected(deal).total, tuple(bars))


def payment_sweep(deal: Deal, outcome_name: str, rates=None) -> pd.DataFrame:
    """The outcome's payment at each rate (default SWEEP_RATES), every planned student served."""
    outcome = deal.outcome_named(outcome_name)
    rates = SWEEP_RATES if rates is None else np.asarray(rates, dtype=float)
    payments = BASES[outcome.basis].pay(outcome, deal.allocation(outcome), rates)
    return pd.DataFrame({"rate": rates, "payment": payments})
