"""Sensitivity: how the deal pays as one outcome's figure moves, the others at expected.

An outcome's *figure* is what a risk run draws for it: its rate (the overall rate of its student
groups, in a deal with groups), or for a banded outcome the share of its students in bands that pay
more than nothing. `scenario_at` puts one outcome's figure at a value and moves its groups and bands
with it (docs/risk.md, "Student groups and bands"):

- each group's rate (or paying share) x, expected x0 when the outcome's figure is expected at f0,
  becomes x × f/f0 when the figure f is at or below f0, and 1 − (1 − x)(1 − f)/(1 − f0) above it:
  below, every group loses the same share of its achievers; above, the same share of its
  non-achievers achieves. The groups' overall figure is then exactly f, every group stays within
  0 to 1, each moves up with f, and at f0 every group is at its expected figure;
- within a group, a banded outcome's paying bands keep their proportions among the paying students
  and the other bands (with the students below the first band) theirs among the rest. With no one
  in the paying bands, newcomers join the lowest paying band; with everyone in them, leavers join
  the highest band paying nothing or less (below the first band, when every band pays).

Every group's figure and share is a straight line in f on each side of f0, and so is what the
outcome's rule reads, so `paying_curve` gives it at f = 0, f0 and 1 and a run interpolates.

`tornado` takes each outcome's figure to the ends of its range (rate_low and rate_high; without a
range, the expected figure ± DEFAULT_HALF_RANGE, kept within 0% to 100%) and evaluates the deal
there with every planned student served and the commitments kept, through `evaluate`.
`payment_sweep` is one outcome's payment across figures, before the deal's penalty limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from obc_calc.core.bases import BASES
from obc_calc.core.groups import band_shares, group_band_shares, group_rates, groups, measure, paying_share
from obc_calc.core.model import Deal, Outcome, Scenario
from obc_calc.core.scenarios import evaluate, expected

DEFAULT_HALF_RANGE = 0.1
SWEEP_RATES = np.linspace(0.0, 1.0, 201)  # every half percentage point
EXPECTED = Scenario(name="Expected")


@dataclass(frozen=True)
class TornadoBar:
    outcome: str
    rate_low: float  # the outcome's figure: its rate, or its paying share when banded
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


def moves_apart(deal: Deal, outcome: Outcome) -> bool:
    """True when the outcome's rule reads something other than its figure: groups or bands."""
    return bool(deal.student_groups) or outcome.bands is not None


def expected_figure(deal: Deal, outcome: Outcome) -> float:
    """The figure a run draws for the outcome, at its expected value (the mean of its Beta)."""
    return measure(deal, outcome, EXPECTED).rate


def _moved(value: float, expected_value: float, figure: float) -> float:
    """One group's figure when its outcome's figure moves from expected_value to figure."""
    if figure <= expected_value:
        return value * (figure / expected_value) if expected_value else value
    return min(1.0, max(0.0, 1.0 - (1.0 - value) * ((1.0 - figure) / (1.0 - expected_value))))


def _moved_shares(outcome: Outcome, shares: tuple[float, ...], share: float) -> list[float]:
    """Band shares with the share of students in paying bands moved to `share`."""
    pays = [band.payout > 0 for band in outcome.bands]
    before = paying_share(outcome, shares)
    into = (share / before) if before else 0.0
    rest = ((1.0 - share) / (1.0 - before)) if before < 1.0 else 0.0
    moved = [s * (into if paying else rest) for s, paying in zip(shares, pays, strict=True)]
    if not before:
        moved[pays.index(True)] += share  # the last band always pays, so there is a paying band
    if before == 1.0 and not all(pays):
        moved[len(pays) - 1 - pays[::-1].index(False)] += 1.0 - share
    return [min(1.0, max(0.0, s)) for s in moved]


def scenario_at(deal: Deal, outcome: Outcome, figure: float) -> Scenario:
    """The scenario with the outcome's figure at `figure`, its groups and bands moved as the module says."""
    members, key, name = groups(deal), outcome.name, "Sensitivity"
    if outcome.bands is None and not members:
        return Scenario(name=name, rates={key: figure})
    start = expected_figure(deal, outcome)
    if outcome.bands is None:
        rates = group_rates(deal, outcome, EXPECTED)
        return Scenario(name=name, group_rates={key: {
            g.name: _moved(r, start, figure) for g, r in zip(members, rates, strict=True)}})
    if not members:
        shares = band_shares(outcome, EXPECTED)
        return Scenario(name=name, band_shares={key: _moved_shares(outcome, shares, figure)})
    by_group = group_band_shares(deal, outcome, EXPECTED)
    moved = {g.name: _moved_shares(outcome, s, _moved(paying_share(outcome, s), start, figure))
             for g, s in zip(members, by_group, strict=True)}
    return Scenario(name=name, group_band_shares={key: moved})


def paying_curve(deal: Deal, outcome: Outcome) -> tuple[np.ndarray, np.ndarray]:
    """(figures, what the rule reads at each): the points between which it is a straight line."""
    points = {f: measure(deal, outcome, scenario_at(deal, outcome, f)).paying for f in (0.0, 1.0)}
    # Set last, so that an expected figure of 0 or 1 keeps the expected scenario's own value.
    points[expected_figure(deal, outcome)] = measure(deal, outcome, EXPECTED).paying
    figures = sorted(points)
    return np.array(figures), np.array([points[f] for f in figures])


def rate_range(deal: Deal, outcome: Outcome) -> tuple[float, float, bool]:
    """(low, high, whether the deal gives them) for an outcome's tornado bar."""
    if outcome.rate_low is not None and outcome.rate_high is not None:
        return outcome.rate_low, outcome.rate_high, True
    start = expected_figure(deal, outcome)
    return max(start - DEFAULT_HALF_RANGE, 0.0), min(start + DEFAULT_HALF_RANGE, 1.0), False


def _total_at(deal: Deal, outcome: Outcome, figure: float) -> float:
    return evaluate(deal, scenario_at(deal, outcome, figure)).total


def tornado(deal: Deal) -> Tornado:
    bars = []
    for outcome in deal.outcomes:
        low, high, given = rate_range(deal, outcome)
        bars.append(TornadoBar(
            outcome.name, low, high, given, _total_at(deal, outcome, low), _total_at(deal, outcome, high)
        ))
    bars.sort(key=lambda bar: bar.swing, reverse=True)
    return Tornado(expected(deal).total, tuple(bars))


def payment_sweep(deal: Deal, outcome_name: str, rates=None) -> pd.DataFrame:
    """The outcome's payment at each figure (default SWEEP_RATES), every planned student served."""
    outcome = deal.outcome_named(outcome_name)
    rates = SWEEP_RATES if rates is None else np.asarray(rates, dtype=float)
    reads = np.interp(rates, *paying_curve(deal, outcome)) if moves_apart(deal, outcome) else rates
    payments = BASES[outcome.basis].pay(outcome, deal.allocation(outcome), reads)
    return pd.DataFrame({"rate": rates, "payment": payments})
