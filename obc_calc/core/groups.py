"""Student groups and bands: what an outcome's payment rule is given, before the rule is applied.

An outcome of a deal with student groups has one rate per group: the first given of the
scenario's `group_rates[outcome][group]`, the scenario's `rates[outcome]`, the outcome's
`group_expected_rates[group]` and its `expected_rate`. The students no group names form the group
"Other students", priced at 1. A per-student outcome pays each group's achievers its unit price u
times the group's multiplier, u = allocation ÷ Σ(multiplier × students), so everyone achieving
pays exactly the allocation; that is the per-student rule on the price-weighted rate
Σ(multiplier × rate × students) ÷ Σ(multiplier × students). Every other basis reads the overall
rate Σ(rate × students) ÷ students.

A banded outcome's rule reads the payout-weighted share of its students, Σ share × payout (from −1
to 1), from the scenario's `band_shares` or else the outcome's `expected_band_shares` (neither
given: no student in any band, so it pays nothing); the rate it reports is the share of students
in bands that pay more than nothing. With student groups, each group's shares are the first given
of the scenario's `group_band_shares[outcome][group]`, its `band_shares[outcome]`, the outcome's
`group_band_shares[group]` and its `expected_band_shares`, and the groups' band values are
weighted by multiplier × students, as per-student rates are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from obc_calc.core.bases import BASES
from obc_calc.core.model_rules import name_key

if TYPE_CHECKING:
    from obc_calc.core.model import Deal, Outcome, Scenario

OTHER_STUDENTS = "Other students"


@dataclass(frozen=True)
class Group:
    name: str
    students: int
    multiplier: float


@dataclass(frozen=True)
class Measure:
    """What an outcome's rule is given in a scenario, and what it reports."""

    rate: float  # the share of students achieving (in a paying band, for a banded outcome)
    paying: float  # what the basis rule reads: the rate, price-weighted rate or band value
    group_rates: tuple[float, ...] = ()  # by group, in the order of `groups(deal)`
    group_paying: tuple[float, ...] = ()  # by group, when priced by group: what its price is paid on
    group_shares: tuple[tuple[float, ...], ...] = ()  # a banded outcome's shares by group


def groups(deal: Deal) -> tuple[Group, ...]:
    """The deal's student groups and then "Other students" (when any are left); none without groups."""
    named = tuple(Group(g.name, g.students, g.price_multiplier) for g in deal.student_groups)
    if not named:
        return ()
    rest = deal.students - sum(g.students for g in named)
    return (*named, Group(OTHER_STUDENTS, rest, 1.0)) if rest > 0 else named


def _by_key(rates: dict[str, float] | None) -> dict[str, float]:
    return {name_key(name): rate for name, rate in (rates or {}).items()}


def group_rates(deal: Deal, outcome: Outcome, scenario: Scenario) -> tuple[float, ...]:
    """Each group's rate in the scenario, by the order of precedence in the module's docstring."""
    from_scenario = _by_key(scenario.group_rates.get(outcome.name))
    overall = scenario.rates.get(outcome.name)
    expected = _by_key(outcome.group_expected_rates)
    rates = []
    for group in groups(deal):
        key = name_key(group.name)
        given = (from_scenario.get(key), overall, expected.get(key), outcome.expected_rate)
        rates.append(next(rate for rate in given if rate is not None))
    return tuple(rates)


def band_shares(outcome: Outcome, scenario: Scenario) -> tuple[float, ...]:
    """The share of the outcome's students in each band: the scenario's, else the expected ones."""
    shares = scenario.band_shares.get(outcome.name, outcome.expected_band_shares)
    return tuple(shares) if shares is not None else (0.0,) * len(outcome.bands or [])


def group_band_shares(deal: Deal, outcome: Outcome, scenario: Scenario) -> tuple[tuple[float, ...], ...]:
    """Each group's shares by band, by the order of precedence in the module's docstring."""
    from_scenario = _by_key(scenario.group_band_shares.get(outcome.name))
    overall = scenario.band_shares.get(outcome.name)
    expected = _by_key(outcome.group_band_shares)
    nothing = (0.0,) * len(outcome.bands or [])
    found = []
    for group in groups(deal):
        key = name_key(group.name)
        given = (from_scenario.get(key), overall, expected.get(key), outcome.expected_band_shares, nothing)
        found.append(tuple(next(shares for shares in given if shares is not None)))
    return tuple(found)


def band_value(outcome: Outcome, shares) -> float:
    """Σ share × payout: what the banded rule pays per eligible student, as a share of the price."""
    return sum(share * band.payout for share, band in zip(shares, outcome.bands or [], strict=True))


def paying_share(outcome: Outcome, shares) -> float:
    return sum(share for share, band in zip(shares, outcome.bands or [], strict=True) if band.payout > 0)


def measure(deal: Deal, outcome: Outcome, scenario: Scenario) -> Measure:
    """The rate an outcome reports in a scenario and the figure its payment rule reads."""
    members = groups(deal)
    banded = BASES[outcome.basis].banded
    if banded and not members:
        shares = band_shares(outcome, scenario)
        return Measure(paying_share(outcome, shares), band_value(outcome, shares))
    if banded:
        return _banded_by_group(deal, outcome, scenario, members)
    if not members:
        rate = scenario.rates.get(outcome.name, outcome.expected_rate)
        return Measure(rate, rate)
    rates = group_rates(deal, outcome, scenario)
    overall = _weighted(rates, [g.students for g in members]) / deal.students
    if not BASES[outcome.basis].per_head:
        return Measure(overall, overall, rates)
    return Measure(overall, _priced(rates, members), rates, rates)


def _weighted(values, weights) -> float:
    return sum(v * w for v, w in zip(values, weights, strict=True))


def _priced(values, members: tuple[Group, ...]) -> float:
    """Values weighted by multiplier × students: what a price by group pays, as a share of the allocation."""
    return _weighted(values, [g.multiplier * g.students for g in members]) / _weighted(
        [1.0] * len(members), [g.multiplier * g.students for g in members])


def _banded_by_group(deal: Deal, outcome: Outcome, scenario: Scenario, members: tuple[Group, ...]) -> Measure:
    shares = group_band_shares(deal, outcome, scenario)
    paying = [paying_share(outcome, s) for s in shares]
    values = [band_value(outcome, s) for s in shares]
    overall = _weighted(paying, [g.students for g in members]) / deal.students
    return Measure(overall, _priced(values, members), tuple(paying), tuple(values), shares)


def unit_price(deal: Deal, outcome: Outcome) -> float:
    """u: the price of an achiever at multiplier 1, so that everyone achieving pays the allocation."""
    weighted = sum(g.multiplier * g.students for g in groups(deal)) or deal.eligible(outcome)
    return deal.allocation(outcome) / weighted
