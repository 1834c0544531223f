"""The payment bases, one record each: everything that differs from one basis to another.

A record holds the basis's pure payment rule (works on a float or on a numpy array of rates and
returns dollars), the same rule as an Excel expression, the optional outcome fields it reads, and
its plain words. The deal's validation, the scenarios, the simulation, the flags, the rate-card
import and both workbooks read this table, so a new basis is one new record (docs/architecture.md).

Rates at a target or tier edge count as reaching it; RATE_TOLERANCE absorbs the last-bit noise of
a rate computed as achievers / eligible. Each formula builder writes its arithmetic in the same
order as the Python rule, so a workbook agrees with the core before rounding too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from obc_calc.core.model import Outcome

RATE_TOLERANCE = 1e-9
TOL = f"{RATE_TOLERANCE:.0E}".replace("E-0", "E-")  # 1E-9, as Excel writes it


# ---------------------------------------------------------------- the rules, on floats or arrays


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


# ---------------------------------------------------------------- the rules, in Excel


@dataclass(frozen=True)
class Refs:
    """Where an Excel formula finds each input: a cell reference or a literal, as formula text."""

    allocation: str
    rate: str
    served: str = "1"  # the share of the planned students served
    target: str = "0"
    floor: str = "0"
    tiers: tuple[tuple[str, str], ...] = ()  # (starting rate, payout) of each tier
    tol: str = TOL


def _per_student_formula(r: Refs) -> str:
    return f"{r.allocation}*{r.rate}*{r.served}"


def _cohort_formula(r: Refs) -> str:
    return f"IF({r.rate}>={r.target}-{r.tol},{r.allocation},0)"


def _tiered_formula(r: Refs) -> str:
    # Payouts never fall from tier to tier, so the largest payout reached is the highest tier's;
    # a blank tier (start and payout 0) adds nothing, so a workbook can leave spare tier columns.
    reached = [f"IF({r.rate}>={start}-{r.tol},{payout},0)" for start, payout in r.tiers]
    return f"{r.allocation}*MAX({','.join(['0', *reached])})"


def _linear_formula(r: Refs) -> str:
    return f"{r.allocation}*MIN(1,MAX(0,({r.rate}-{r.floor})/({r.target}-{r.floor})))"


# ---------------------------------------------------------------- the plain words


def _describe_per_student(outcome: Outcome) -> str:
    return "Pays a fixed price for each student who meets the threshold."


def _describe_cohort(outcome: Outcome) -> str:
    return f"Pays all of its allocation once {outcome.target_rate:.0%} of students meet it."


def _describe_tiered(outcome: Outcome) -> str:
    steps = ", ".join(f"{t.payout:.0%} from {t.min_rate:.0%}" for t in outcome.tiers or [])
    return f"Pays by tiers of the achievement rate: {steps}; nothing below the first tier."


def _describe_linear(outcome: Outcome) -> str:
    return (f"Pays nothing at or below {outcome.floor_rate or 0.0:.0%}, rising in a straight line to all "
            f"of its allocation at {outcome.target_rate:.0%}.")


def _describe_banded(outcome: Outcome) -> str:
    steps = ", ".join(f"{band.payout:.0%} " + ("for any value" if band.min_value is None else
                                                f"from {band.min_value:g}") for band in outcome.bands or [])
    penalty = " A negative payout takes money back." if any(b.payout < 0 for b in outcome.bands or []) else ""
    return (f"Pays each eligible student a share of the price per student by the band of their measured "
            f"value: {steps}; nothing below the first band.{penalty}")


def _whole(outcome: Outcome) -> float:
    return 1.0


def _top_tier(outcome: Outcome) -> float:
    return outcome.tiers[-1].payout if outcome.tiers else 1.0


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Basis:
    """One payment basis: its rule in Python and in Excel, the fields it reads, its words."""

    name: str
    label: str  # as the app shows it
    summary: str  # one sentence for the workbook's Notes sheet
    fields: tuple[str, ...]  # the optional outcome fields it reads; any other is a mistake
    required: tuple[str, ...]  # of those, the ones an outcome must give
    rule: Callable  # (outcome, allocation, rate, served_fraction) -> dollars, on floats or arrays
    formula: Callable[[Refs], str]  # the rule as an Excel expression, same operation order
    describe: Callable[[Outcome], str]  # one plain sentence on how this outcome pays
    full_payout_share: Callable[[Outcome], float] = _whole  # the most of its allocation it can pay
    # Pays a price per achieving student, so an invoice pays the achievers it counts (core.settle).
    per_head: bool = False
    # Pays each student by the band of their measured value: the rule reads Σ share × payout of the
    # students' bands (core.groups), not a rate, and settle-up pays student by student.
    banded: bool = False
    # Pays all at its target: its payout at the expected rate is all or nothing and says nothing of
    # how hard the target is, so the flags compare the target with the expected rate instead.
    step_at_target: bool = False

    def pay(self, outcome: Outcome, allocation: float, rate, served_fraction=1.0):
        """Dollars the outcome pays at `rate` (float or array) with `served_fraction` of students."""
        return self.rule(outcome, allocation, rate, served_fraction)


BASES: dict[str, Basis] = {b.name: b for b in (
    Basis(
        "per_student", "per student",
        "Pays a fixed price for each student who meets the threshold: the allocation times the "
        "achievement rate times the share of planned students served.",
        fields=(), required=(),
        rule=lambda o, allocation, rate, served: per_student(allocation, rate, served),
        formula=_per_student_formula, describe=_describe_per_student, per_head=True,
    ),
    Basis(
        "cohort_threshold", "cohort threshold",
        "Pays all of its allocation once the share of students meeting the threshold reaches the "
        "target rate; nothing below it.",
        fields=("target_rate",), required=("target_rate",),
        rule=lambda o, allocation, rate, served: cohort_threshold(allocation, rate, o.target_rate),
        formula=_cohort_formula, describe=_describe_cohort, step_at_target=True,
    ),
    Basis(
        "tiered", "tiered",
        "Pays the payout of the highest tier whose starting rate the cohort reaches; nothing below "
        "the first tier.",
        fields=("tiers",), required=("tiers",),
        rule=lambda o, allocation, rate, served: tiered(
            allocation, rate, [t.min_rate for t in o.tiers or []], [t.payout for t in o.tiers or []]),
        formula=_tiered_formula, describe=_describe_tiered, full_payout_share=_top_tier,
    ),
    Basis(
        "linear", "graduated (linear)",
        "Pays nothing at or below the floor rate, rising in a straight line to all of its allocation "
        "at the target rate.",
        fields=("floor_rate", "target_rate"), required=("target_rate",),
        rule=lambda o, allocation, rate, served: linear(allocation, rate, o.floor_rate or 0.0, o.target_rate),
        formula=_linear_formula, describe=_describe_linear,
    ),
    Basis(
        "per_student_banded", "per student, banded",
        "Pays each eligible student the price per student times the payout of the band their measured "
        "value falls in (a negative payout is a penalty); nothing below the first band.",
        fields=("bands", "expected_band_shares"), required=("bands",),
        rule=lambda o, allocation, value, served: per_student(allocation, value, served),
        formula=_per_student_formula, describe=_describe_banded, banded=True,
    ),
)}
NAMES: tuple[str, ...] = tuple(BASES)
LABELS: dict[str, str] = {name: b.label for name, b in BASES.items()}


def basis(name: str) -> Basis:
    """The record of a basis by name; a plain error naming the known bases for any other."""
    try:
        return BASES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown payment basis {name!r}; the bases are {', '.join(NAMES)}") from None


def outcome_payment(outcome: Outcome, allocation: float, rate, served_fraction=1.0):
    """Dollars an outcome pays at `rate` (float or array) with `served_fraction` of students."""
    return basis(outcome.basis).pay(outcome, allocation, rate, served_fraction)


def describe_basis(outcome: Outcome) -> str:
    """One plain sentence on how the outcome pays, for tables, notes and help."""
    return basis(outcome.basis).describe(outcome)


def full_payout_share(outcome: Outcome) -> float:
    """The largest share of its allocation an outcome can pay (below 1 only for capped tiers)."""
    return basis(outcome.basis).full_payout_share(outcome)
