"""Payment rules: what one outcome pays at an achievement rate, for each payment basis.

Each rule works on a float or on a numpy array of rates (the simulation passes arrays), and
returns dollars. Rates at a target or tier edge count as reaching it; RATE_TOLERANCE absorbs the
last-bit noise of a rate computed as achievers / eligible.
"""

from __future__ import annotations

import numpy as np

from obc_calc.core.model import Outcome

RATE_TOLERANCE = 1e-9


def per_student(allocation, rate, served_fraction=1.0):
    """Paid per achieving student: allocation / eligible students, times the achievers."""
    return allocation * np.asarray(rate, dtype=float) * served_fraction


def cohort_threshold(allocation, rate, target_rate):
    """All of the allocation once the cohort's rate reaches the target, otherwise nothing."""
    rate = np.asarray(rate, dtype=float)
    return np.where(rate >= target_rate - RATE_TOLERANCE, float(allocation), 0.0)


def tiered(allocation, rate, min_rates, payouts):
    """The payout of the highest tier reached; nothing below the first tier."""
    rate = np.asarray(rate, dtype=float)
    edges = np.asarray(min_rates, dtype=float) - RATE_TOLERANCE
    levels = np.concatenate(([0.0], np.asarray(payouts, dtype=float)))
    return allocation * levels[np.searchsorted(edges, rate, side="right")]


def linear(allocation, rate, floor_rate, target_rate):
    """Graduated: nothing at or below the floor, rising in a straight line to all at the target."""
    rate = np.asarray(rate, dtype=float)
    return allocation * np.clip((rate - floor_rate) / (target_rate - floor_rate), 0.0, 1.0)


def outcome_payment(outcome: Outcome, allocation: float, rate, served_fraction=1.0):
    """Dollars an outcome pays at `rate` (float or array) with `served_fraction` of students."""
    if outcome.basis == "per_student":
        return per_student(allocation, rate, served_fraction)
    if outcome.basis == "cohort_threshold":
        return cohort_threshold(allocation, rate, outcome.target_rate)
    if outcome.basis == "tiered":
        tiers = outcome.tiers or []
        return tiered(allocation, rate, [t.min_rate for t in tiers], [t.payout for t in tiers])
    return linear(allocation, rate, outcome.floor_rate or 0.0, outcome.target_rate)


def full_payout_share(outcome: Outcome) -> float:
    """The largest share of its allocation an outcome can pay (below 1 only for capped tiers)."""
    if outcome.basis == "tiered" and outcome.tiers:
        return outcome.tiers[-1].payout
    return 1.0


def describe_basis(outcome: Outcome) -> str:
    """One plain sentence on how the outcome pays, for tables, notes and help."""
    if outcome.basis == "per_student":
        return "Pays a fixed price for each student who meets the threshold."
    if outcome.basis == "cohort_threshold":
        return f"Pays all of its allocation once {outcome.target_rate:.0%} of students meet it."
    if outcome.basis == "tiered":
        steps = ", ".join(f"{t.payout:.0%} from {t.min_rate:.0%}" for t in outcome.tiers or [])
        return f"Pays by tiers of the achievement rate: {steps}; nothing below the first tier."
    floor = outcome.floor_rate or 0.0
    return (
        f"Pays nothing at or below {floor:.0%}, rising in a straight line to all of its "
        f"allocation at {outcome.target_rate:.0%}."
    )
