"""A simulation's summary, as JSON-ready data and as text for a terminal: the spread of what the
district pays and the provider earns, the chances that matter to each side, and why the simulated
average differs from the Expected total."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from obc_calc.core.bases import BASES
from obc_calc.core.beta import beta_shape
from obc_calc.core.groups import measure
from obc_calc.core.limits import terminal_safe
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.money import money, percent
from obc_calc.core.scenarios import base_due, expected
from obc_calc.core.sensitivity import EXPECTED, moves_apart, paying_curve
from obc_calc.core.simulate import (
    SimulationResult,
    probability_earnings_below,
    probability_total_exceeds,
    risk_settings,
    served_range,
)

_ROWS = (
    ("mean", "mean"), ("std", "standard deviation"), ("p5", "5th percentile"), ("p25", "25th percentile"),
    ("p50", "median"), ("p75", "75th percentile"), ("p95", "95th percentile"),
)

RELIEF_LINE = "Penalties beyond max_penalty, given back"
# Evenly spaced quantiles of each outcome's Beta to average its payment over: a threshold's chance
# of paying is then within 1 / 8,192 of exact, $6 on a $100,000 allocation.
AVERAGE_POINTS = 8192


def settings_summary(deal: Deal) -> dict:
    """What every trial of a run assumes, as plain figures: the outcomes drawn from a rate range and
    those held at their expected rate (each in the deal's order), the students served (with whether
    that is every planned student, every trial), the correlation and the chance of missed commitments."""
    ranged = [o.name for o in deal.outcomes if o.rate_low is not None and o.rate_high is not None]
    settings = risk_settings(deal)
    low, high = settings["students_served_low"], settings["students_served_high"]
    return settings | {
        "ranged_outcomes": ranged,
        "fixed_outcomes": [o.name for o in deal.outcomes if o.name not in ranged],
        "all_planned_served": low == high == deal.students,
    }


def risk_figures(deal: Deal, result: SimulationResult, budget_line: float | None,
                 earnings_share: float) -> dict:
    """Everything a simulation reports, as JSON-ready data; no budget line means the expected total."""
    if budget_line is None:
        budget_line = expected(deal).total
    return {"deal": deal.name} | result.to_dict() | {
        "risk": risk_settings(deal),
        "budget_line": budget_line,
        "probability_total_exceeds_budget_line": probability_total_exceeds(result, budget_line),
        "earnings_share": earnings_share,
        "earnings_line": earnings_share * deal.performance_pool,
        "probability_earnings_below_share": probability_earnings_below(result, earnings_share),
    }


def risk_text(data: dict) -> str:
    """risk_figures for a terminal: the deal's and outcomes' names are user text, so control codes go."""
    risk = data["risk"]
    low, high = risk["students_served_low"], risk["students_served_high"]
    served = f"{low:,}" if low == high else f"{low:,} to {high:,}"
    lines = [
        f"{data['deal']}: {data['trials']:,} trials, seed {data['seed']}",
        f"Correlation between outcomes {risk['correlation']:.2f}; students served {served}; "
        f"chance the district misses its commitments {percent(risk['commitments_miss_probability'])}",
        "",
        f"{'':20}  {'District total':>16}  {'Provider earnings':>17}",
    ]
    if data["total"]["std"] == 0 and data["provider_earnings"]["std"] == 0:
        lines.insert(2, "Nothing in this deal varies, so every trial is the expected case: add rate ranges "
                        "or risk settings (docs/risk.md).")
    for key, label in _ROWS:
        lines.append(
            f"{label:20}  {money(data['total'][key]):>16}  {money(data['provider_earnings'][key]):>17}"
        )
    lines += [
        "",
        f"Chance the total exceeds {money(data['budget_line'])}: "
        f"{percent(data['probability_total_exceeds_budget_line'])}",
        f"Chance the provider earns less than {percent(data['earnings_share'])} of the pool "
        f"({money(data['earnings_line'])}): {percent(data['probability_earnings_below_share'])}",
        "",
        "Expected payment by outcome",
    ]
    payments = dict(data["expected_payments"])
    if data["expected_penalty_relief"]:  # so that the lines add up to the mean earnings
        payments[RELIEF_LINE] = data["expected_penalty_relief"]
    width = max(len(name) for name in payments)
    lines += [f"  {name:{width}}  {money(value):>14}" for name, value in payments.items()]
    return terminal_safe("\n".join(lines))


def _reads(deal: Deal, outcome: Outcome) -> np.ndarray:
    """What the outcome's rule reads at evenly spaced quantiles of its figure's Beta, as a trial reads
    it (obc_calc.core.simulate); the expected reading alone when the outcome has no range."""
    at_expected = measure(deal, outcome, EXPECTED)
    shape = None
    if outcome.rate_low is not None and outcome.rate_high is not None:
        shape = beta_shape(at_expected.rate, outcome.rate_high - outcome.rate_low)
    if shape is None:
        return np.array([at_expected.paying])
    figures = special.betaincinv(*shape, (np.arange(AVERAGE_POINTS) + 0.5) / AVERAGE_POINTS)
    # Shifted to average the Beta's mean exactly, so that a straight-line rule averages exactly its
    # payment at the expected figure (the shift is under a millionth of a percentage point).
    figures += at_expected.rate - figures.mean()
    return np.interp(figures, *paying_curve(deal, outcome)) if moves_apart(deal, outcome) else figures


@dataclass(frozen=True)
class MeanGap:
    """The simulated average total against the Expected total, in dollars, part by part (mean_gap)."""
    expected: float
    simulated: float
    uneven: dict[str, float]  # by outcome
    served: float
    average_served: float  # students
    missed: float
    missed_total: float
    penalty_limit: float
    chance: float
    chance_band: float


def mean_gap(deal: Deal, result: SimulationResult) -> MeanGap:
    """Why the simulated average total differs from the Expected total, in dollars, part by part.

    Expected has every rate at its expected value, every planned student served and the commitments
    kept. The parts, in this order, each the change in the long-run average (what ever more trials
    average to) when one more risk is let in: `uneven`, by outcome, the rates varying (a threshold,
    tiers or a capped ramp pays unevenly around the expected rate; a straight line does not);
    `served`, the students served varying (their average times the base and per-student prices);
    `missed`, the trials in which the district misses its commitments and pays `missed_total`;
    `penalty_limit`, what the max_penalty limit gives back on average beyond the Expected case's.
    Each is exact: the draws are independent, every payment is proportional to the students served
    or unaffected by them, and the limit's part is the run's own mean. `chance` is what is left: the
    run's sampling noise, which lies within `chance_band` (two standard errors) 19 runs in 20.
    """
    at_expected = expected(deal)
    low, high = served_range(deal)
    served_share = (low + high) / 2 / deal.students  # a uniform whole number's mean is its midpoint
    uneven, served = {}, base_due(deal, (low + high) / 2) - base_due(deal, deal.students)
    for outcome, fixed in zip(deal.outcomes, at_expected.outcomes, strict=True):
        pay = BASES[outcome.basis].pay
        reads, allocation = _reads(deal, outcome), deal.allocation(outcome)
        average = float(np.mean(pay(outcome, allocation, reads)))
        uneven[outcome.name] = average - fixed.payment
        served += float(np.mean(pay(outcome, allocation, reads, served_share))) - average
    kept = at_expected.total - at_expected.penalty_relief + sum(uneven.values()) + served
    missed_total = deal.base_max + sum(deal.allocation(o) for o in deal.outcomes)
    missed = deal.risk.commitments_miss_probability * (missed_total - kept)
    penalty_limit = result.expected_penalty_relief - at_expected.penalty_relief
    explained = sum(uneven.values()) + served + missed + penalty_limit
    return MeanGap(
        expected=at_expected.total, simulated=result.total.mean, uneven=uneven, served=served,
        average_served=(low + high) / 2, missed=missed, missed_total=missed_total,
        penalty_limit=penalty_limit, chance=result.total.mean - at_expected.total - explained,
        chance_band=2 * result.total.std / float(np.sqrt(result.trials)),
    )
