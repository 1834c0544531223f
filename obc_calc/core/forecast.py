"""Monitor and adjust: what a signed deal will probably pay, from the snapshots recorded so far.

Each outcome's final figure (its rate; a banded outcome's share of students in paying bands) has a
Beta belief. The prior is the Beta of the outcome's planning range (core.beta) when it has one,
otherwise Beta(20 p, 20 (1 − p)) with p its expected figure: worth 20 students. The latest
snapshot's k achievers of n eligible update it to Beta(α + k, β + n − k), whose mean
(α + k) ÷ (α + β + n) is the forecast rate. A final snapshot fixes the figure exactly, and the
students served. Payments are drawn through the rate card (groups and bands moving with the figure
as in core.sensitivity), seeded and vectorized: no loop over trials. A banded outcome in a deal
without student groups forecasts the share of students in each band (and below the first) with a
Dirichlet belief of the same weight as the Beta's, updated by the latest snapshot's band counts.
See docs/monitoring.md.

The result types and the status's JSON are in core.forecast_types; this module holds the figures.
"""

from __future__ import annotations

import numpy as np

from obc_calc.core.bases import BASES, RATE_TOLERANCE
from obc_calc.core.beta import K_MAX, beta_shape
from obc_calc.core.forecast_types import (
    COMMITMENT_STATUSES,
    CommitmentStatus,
    OutcomeCounts,
    OutcomeForecast,
    Snapshot,
    Status,
)
from obc_calc.core.groups import band_shares
from obc_calc.core.model import Deal, Outcome, Scenario
from obc_calc.core.scenarios import base_due, expected
from obc_calc.core.sensitivity import expected_figure, moves_apart, paying_curve
from obc_calc.core.settle import Invoice

__all__ = [
    "COMMITMENT_STATUSES", "PRIOR_WEIGHT", "CommitmentStatus", "OutcomeCounts", "OutcomeForecast",
    "Snapshot", "Status", "belief", "counts_from_invoice", "forecast_status", "latest_commitments",
    "latest_snapshot", "prior",
]

PRIOR_WEIGHT = 20.0  # a prior without a planning range is worth this many students
LOW, HIGH = 10, 90  # the percentiles reported


def counts_from_invoice(invoice: Invoice) -> tuple[OutcomeCounts, ...]:
    """The aggregates of a settled invoice, outcome by outcome: what a snapshot keeps (no student)."""
    return tuple(
        OutcomeCounts(
            name=line.name,
            in_file=invoice.students_in_file,
            served=invoice.students_served,
            eligible=line.eligible,
            achievers=line.achievers,
            missing=line.missing,
            band_counts=tuple(band.students for band in line.bands),
        )
        for line in invoice.outcomes
    )


def prior(deal: Deal, outcome: Outcome) -> tuple[float, float]:
    """(α, β) of the outcome's figure before any data: its range's Beta, else worth 20 students."""
    mean = expected_figure(deal, outcome)
    if outcome.rate_low is not None and outcome.rate_high is not None:
        shape = beta_shape(mean, outcome.rate_high - outcome.rate_low)
        return shape if shape is not None else (mean * K_MAX, (1.0 - mean) * K_MAX)
    return PRIOR_WEIGHT * mean, PRIOR_WEIGHT * (1.0 - mean)


def belief(deal: Deal, outcome: Outcome, counts: OutcomeCounts | None) -> tuple[float, float]:
    """The prior updated by k achievers of n eligible: (α + k, β + n − k)."""
    a, b = prior(deal, outcome)
    if counts is None:
        return a, b
    return a + counts.achievers, b + counts.eligible - counts.achievers


def latest_snapshot(snapshots: list[Snapshot]) -> Snapshot | None:
    """The snapshot with the latest as_of date (of two on one date, the one given last)."""
    latest = None
    for snapshot in snapshots:
        if latest is None or snapshot.as_of >= latest.as_of:
            latest = snapshot
    return latest


def latest_commitments(records: list[CommitmentStatus]) -> tuple[CommitmentStatus, ...]:
    """Each commitment's latest record (latest as_of; of two on one date, the one given last)."""
    found: dict[str, CommitmentStatus] = {}
    for record in records:
        if record.status not in COMMITMENT_STATUSES:
            raise ValueError(f"a commitment's status is one of {', '.join(COMMITMENT_STATUSES)}")
        if record.name not in found or record.as_of >= found[record.name].as_of:
            found[record.name] = record
    return tuple(found.values())


def _measured(counts: OutcomeCounts | None) -> float | None:
    return counts.achievers / counts.eligible if counts is not None and counts.eligible else None


def _final_reads(deal: Deal, outcome: Outcome, counts: OutcomeCounts, rate: float) -> float:
    """What the rule reads at a final measured figure: a banded outcome without groups reads its
    band counts exactly (Σ students in band × payout ÷ eligible), anything else its curve."""
    if outcome.bands is not None and not deal.student_groups and counts.band_counts and counts.eligible:
        payouts = [band.payout for band in outcome.bands]
        return sum(n * p for n, p in zip(counts.band_counts, payouts, strict=True)) / counts.eligible
    return float(np.interp(rate, *paying_curve(deal, outcome))) if moves_apart(deal, outcome) else rate


def _draw(a: float, b: float, rng: np.random.Generator, trials: int) -> np.ndarray:
    """Figures drawn from Beta(a, b); a belief with no weight on one side is certain of the other."""
    if a <= 0.0 or b <= 0.0:
        return np.full(trials, 0.0 if a <= 0.0 else 1.0)
    return rng.beta(a, b, size=trials)


def _band_draws(deal: Deal, outcome: Outcome, counts: OutcomeCounts | None, rng: np.random.Generator,
                trials: int) -> tuple[float, np.ndarray]:
    """(forecast share in paying bands, band value Σ share × payout per trial) from a Dirichlet over
    the bands and "below the first band": the expected shares times the prior's weight, plus counts."""
    shares = list(band_shares(outcome, Scenario(name="Expected")))
    a, b = prior(deal, outcome)
    alpha = (a + b) * np.array([*shares, max(0.0, 1.0 - sum(shares))])
    if counts is not None and counts.band_counts:
        alpha += np.array([*counts.band_counts, counts.eligible - sum(counts.band_counts)], dtype=float)
    payouts = np.array([*(band.payout for band in outcome.bands), 0.0])
    kept = alpha > 0  # a category with no prior weight and no student stays empty
    drawn = np.zeros((trials, len(alpha)))
    drawn[:, kept] = rng.dirichlet(alpha[kept], size=trials)
    paying = float(alpha[payouts > 0].sum() / alpha.sum())
    return paying, drawn @ payouts


def _stats(values) -> tuple[float, float, float]:
    """(mean, 10th, 90th percentile) of an array of trials; a fixed figure is all three exactly."""
    if np.ndim(values) == 0:
        value = float(values)
        return value, value, value
    p10, p90 = np.percentile(values, (LOW, HIGH))
    return float(np.mean(values)), float(p10), float(p90)


def _outcome_payment(deal: Deal, outcome: Outcome, counts: OutcomeCounts | None, final: bool,
                     served_fraction: float, rng: np.random.Generator, trials: int):
    """(forecast figure, payments: a float when fixed, else one per trial)."""
    record, allocation = BASES[outcome.basis], deal.allocation(outcome)
    measured = _measured(counts)
    if final and measured is not None:
        reads = _final_reads(deal, outcome, counts, measured)
        return measured, float(record.pay(outcome, allocation, reads, served_fraction))
    if outcome.bands is not None and not deal.student_groups:
        paying, values = _band_draws(deal, outcome, counts, rng, trials)
        return paying, np.broadcast_to(record.pay(outcome, allocation, values, served_fraction), (trials,))
    a, b = belief(deal, outcome, counts)
    figures = _draw(a, b, rng, trials)
    reads = np.interp(figures, *paying_curve(deal, outcome)) if moves_apart(deal, outcome) else figures
    forecast = a / (a + b) if a + b > 0 else expected_figure(deal, outcome)
    return forecast, np.broadcast_to(record.pay(outcome, allocation, reads, served_fraction), (trials,))


def forecast_status(deal: Deal, version: int, snapshots: list[Snapshot], commitments: list[CommitmentStatus],
                    seed: int = 0, trials: int = 20_000) -> Status:
    """The status of a deal over its term: each outcome's forecast, the total, the score."""
    if trials < 1 or seed < 0:
        raise ValueError("trials must be 1 or more and the seed 0 or more")
    rng = np.random.default_rng(seed)
    latest = latest_snapshot(snapshots)
    final = latest is not None and latest.final
    by_name = {c.name: c for c in latest.outcomes} if latest is not None else {}
    served = latest.students_served if final else deal.students
    served_fraction = served / deal.students
    planned = expected(deal)
    forecasts, payments = [], []
    for outcome in deal.outcomes:
        counts = by_name.get(outcome.name)
        figure, paid = _outcome_payment(deal, outcome, counts, final, served_fraction, rng, trials)
        payments.append(paid)
        forecasts.append(_forecast(deal, outcome, counts, figure, paid, planned.payment(outcome.name),
                                   final and _measured(counts) is not None))
    performance = _performance(deal, payments)
    kept = latest_commitments(commitments)
    missed = any(record.status == "missed" for record in kept)
    total = _stats(base_due(deal, served) + performance)
    if missed:
        total = (deal.total_cost,) * 3  # the district broke its side: the full contract value is due
    score = _score(deal, _stats(performance)[0])
    return Status(deal.name, version, latest.as_of if latest else None, tuple(forecasts), *total,
                  planned.total, kept, missed, score, score >= deal.renewal_score - SCORE_TOLERANCE)


SCORE_TOLERANCE = 1e-9  # a score of 89.99999999999999 is 90: the last bit of float arithmetic


def _forecast(deal: Deal, outcome: Outcome, counts: OutcomeCounts | None, figure: float, paid,
              planned: float, final: bool) -> OutcomeForecast:
    mean, p10, p90 = _stats(paid)
    return OutcomeForecast(
        name=outcome.name,
        measured_rate=_measured(counts),
        eligible=None if counts is None else counts.eligible,
        achievers=None if counts is None else counts.achievers,
        forecast_rate=figure,
        final=final,
        payment_expected=mean,
        payment_p10=p10,
        payment_p90=p90,
        planned_payment=planned,
        on_track=figure >= expected_figure(deal, outcome) - RATE_TOLERANCE,
    )


def _performance(deal: Deal, payments: list):
    """The outcome payments added per trial, in outcome order, with the deal's penalty limit applied."""
    performance = payments[0] if np.ndim(payments[0]) == 0 else payments[0].copy()
    for paid in payments[1:]:
        performance = performance + paid
    relief = np.maximum(0.0, -deal.max_penalty - performance)
    return performance + relief if np.ndim(relief) else float(performance + relief)


def _score(deal: Deal, performance: float) -> float:
    """100 × the outcome payments ÷ the performance pool, between 0 and 100 (100 without a pool)."""
    if deal.performance_pool <= 0:
        return 100.0
    return float(min(100.0, max(0.0, 100.0 * performance / deal.performance_pool)))
