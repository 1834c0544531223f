"""The deal: a typed, validated description of an outcomes-based contract (deal file version 1).

Field-level checks (types, ranges, unknown fields) are pydantic's; rules that span fields
(weights adding up, tiers rising, names unique, scenario rates naming real outcomes) live in
`deal_problems`, which returns every problem with the field path a user can find in the file.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from obc_calc.beta import width_problem
from obc_calc.errors import DealError, Problem

Rate = Annotated[float, Field(ge=0.0, le=1.0)]
Basis = Literal["per_student", "cohort_threshold", "tiered", "linear"]
DataSource = Literal["district", "provider", "third_party"]

BASES: tuple[str, ...] = ("per_student", "cohort_threshold", "tiered", "linear")
DATA_SOURCES: tuple[str, ...] = ("district", "provider", "third_party")
WEIGHT_TOLERANCE = 1e-6
# Names the exports use for their own columns and rows, so user names may not take them.
RESERVED_OUTCOME_NAMES = (
    "Scenario", "Students served", "Commitments met", "Base", "Performance", "Total", "Savings",
)
RESERVED_SCENARIO_NAMES = ("Expected", "Floor", "Maximum")
# Which optional outcome fields each basis reads; any other is a mistake worth reporting.
BASIS_FIELDS: dict[str, tuple[str, ...]] = {
    "per_student": (),
    "cohort_threshold": ("target_rate",),
    "tiered": ("tiers",),
    "linear": ("floor_rate", "target_rate"),
}
_START = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Term(_Strict):
    start: str = "2026-09"
    months: int = Field(default=10, ge=1, le=60)
    fiscal_year_start_month: int = Field(default=7, ge=1, le=12)
    base_upfront_share: Rate = 0.0

    @field_validator("start")
    @classmethod
    def _start_is_a_month(cls, start: str) -> str:
        if not _START.match(start):
            raise ValueError("the start must be a month written YYYY-MM, such as 2026-09")
        return start

    @property
    def start_year(self) -> int:
        return int(self.start[:4])

    @property
    def start_month(self) -> int:
        return int(self.start[5:7])


class Commitment(_Strict):
    name: str = Field(min_length=1)
    description: str = ""


class Tier(_Strict):
    min_rate: Rate
    payout: Rate


class Outcome(_Strict):
    name: str = Field(min_length=1)
    metric: str = ""
    threshold: str = ""
    threshold_value: float | None = None
    basis: Basis = "per_student"
    weight: Rate = 1.0
    expected_rate: Rate = 0.5
    eligible_students: int | None = Field(default=None, gt=0)
    target_rate: Rate | None = None
    floor_rate: Rate | None = None
    tiers: list[Tier] | None = None
    data_source: DataSource = "district"
    paid_in_month: int | None = Field(default=None, ge=1)
    # The plausible range of the cohort's rate, read as its 10th and 90th percentiles (risk.md).
    rate_low: Rate | None = None
    rate_high: Rate | None = None


class Scenario(_Strict):
    name: str = Field(min_length=1)
    rates: dict[str, Rate] = Field(default_factory=dict)
    students_served: int | None = Field(default=None, ge=0)
    commitments_met: bool = True


class Risk(_Strict):
    """What the simulation varies besides the rates; the defaults vary nothing."""

    correlation: float = Field(default=0.0, ge=0.0, le=0.95)
    students_served_low: int | None = Field(default=None, ge=0)  # None: all planned students
    students_served_high: int | None = Field(default=None, ge=0)
    commitments_miss_probability: Rate = 0.0


def _is_default_risk(risk: Risk) -> bool:
    return risk == Risk()


class Deal(_Strict):
    schema_version: Literal[1]
    name: str = Field(min_length=1)
    district: str = ""
    provider: str = ""
    program: str = ""
    students: int = Field(gt=0)
    total_cost: float = Field(gt=0)
    performance_share: Rate
    base_basis: Literal["fixed", "per_student"] = "fixed"
    term: Term = Field(default_factory=Term)
    commitments: list[Commitment] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(min_length=1)
    scenarios: list[Scenario] = Field(default_factory=list)
    # Left out when written at its defaults, so a deal without risk settings saves as it loaded.
    risk: Risk = Field(default_factory=Risk, exclude_if=_is_default_risk)

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Deal:
        problems = deal_problems(self)
        if problems:
            # Not a ValueError: pydantic lets other exceptions through, keeping our field paths.
            raise DealError(problems)
        return self

    # Derived money, used everywhere; kept here so every module agrees.
    @property
    def performance_pool(self) -> float:
        return self.total_cost * self.performance_share

    @property
    def base_max(self) -> float:
        return self.total_cost - self.performance_pool

    def allocation(self, outcome: Outcome) -> float:
        return self.performance_pool * outcome.weight

    def eligible(self, outcome: Outcome) -> int:
        return outcome.eligible_students or self.students

    def paid_in_month(self, outcome: Outcome) -> int:
        return outcome.paid_in_month or self.term.months

    def outcome_named(self, name: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        raise KeyError(name)


def deal_problems(deal: Deal) -> list[Problem]:
    """Every rule that spans fields, each reported at the path of the field to fix."""
    problems: list[Problem] = []
    problems += _weight_problems(deal)
    problems += _name_problems(
        [o.name for o in deal.outcomes], "outcomes", "outcome", RESERVED_OUTCOME_NAMES
    )
    problems += _name_problems(
        [s.name for s in deal.scenarios], "scenarios", "scenario", RESERVED_SCENARIO_NAMES
    )
    for i, outcome in enumerate(deal.outcomes):
        problems += _outcome_problems(deal, outcome, f"outcomes[{i}]")
    for i, scenario in enumerate(deal.scenarios):
        problems += _scenario_problems(deal, scenario, f"scenarios[{i}]")
    problems += _risk_problems(deal, deal.risk, "risk")
    return problems


def _weight_problems(deal: Deal) -> list[Problem]:
    total = sum(o.weight for o in deal.outcomes)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        return [Problem("outcomes", f"the weights add up to {total:.6g}, not 1 (100%)")]
    return []


def _name_problems(names: list[str], path: str, kind: str, reserved: tuple[str, ...]) -> list:
    problems, seen = [], set()
    for i, name in enumerate(names):
        if name in seen:
            problems.append(Problem(f"{path}[{i}].name", f"another {kind} is already called {name!r}"))
        seen.add(name)
        if name in reserved:
            problems.append(
                Problem(f"{path}[{i}].name", f"{name!r} is reserved for the exports; pick another name")
            )
    return problems


def _outcome_problems(deal: Deal, outcome: Outcome, path: str) -> list[Problem]:
    problems = _basis_field_problems(outcome, path)
    if outcome.eligible_students is not None and outcome.eligible_students > deal.students:
        problems.append(Problem(
            f"{path}.eligible_students",
            f"{outcome.eligible_students} eligible students is more than the deal's {deal.students}",
        ))
    if outcome.paid_in_month is not None and outcome.paid_in_month > deal.term.months:
        problems.append(Problem(
            f"{path}.paid_in_month",
            f"month {outcome.paid_in_month} is after the term's last month ({deal.term.months})",
        ))
    problems += _rate_range_problems(outcome, path)
    return problems


def _rate_range_problems(outcome: Outcome, path: str) -> list[Problem]:
    low, high, mean = outcome.rate_low, outcome.rate_high, outcome.expected_rate
    if low is None and high is None:
        return []
    if low is None or high is None:
        missing = "rate_low" if low is None else "rate_high"
        return [Problem(f"{path}.{missing}", "give rate_low and rate_high together, or neither")]
    problems = []
    if low > mean:
        problems.append(Problem(f"{path}.rate_low", f"{low:.1%} is above the expected rate ({mean:.1%})"))
    if high < mean:
        problems.append(Problem(f"{path}.rate_high", f"{high:.1%} is below the expected rate ({mean:.1%})"))
    if not problems:
        message = width_problem(mean, high - low)
        if message:
            problems.append(Problem(f"{path}.rate_high", message))
    return problems


def _basis_field_problems(outcome: Outcome, path: str) -> list[Problem]:
    problems = []
    wanted = BASIS_FIELDS[outcome.basis]
    for field in ("target_rate", "floor_rate", "tiers"):
        given = getattr(outcome, field) is not None
        if given and field not in wanted:
            problems.append(Problem(f"{path}.{field}", f"a {outcome.basis} outcome does not use it"))
        if not given and field in wanted and field != "floor_rate":
            problems.append(Problem(f"{path}.{field}", f"a {outcome.basis} outcome needs it"))
    if outcome.target_rate is not None and outcome.target_rate == 0 and "target_rate" in wanted:
        problems.append(Problem(
            f"{path}.target_rate",
            "a target of 0% pays at zero achievement; put that money in the base instead",
        ))
    if outcome.basis == "linear" and outcome.target_rate is not None:
        floor = outcome.floor_rate or 0.0
        if floor >= outcome.target_rate:
            problems.append(Problem(
                f"{path}.floor_rate",
                f"the floor ({floor:.0%}) must be below the target ({outcome.target_rate:.0%})",
            ))
    if outcome.basis == "tiered" and outcome.tiers is not None:
        problems += _tier_problems(outcome.tiers, f"{path}.tiers")
    return problems


def _tier_problems(tiers: list[Tier], path: str) -> list[Problem]:
    if not tiers:
        return [Problem(path, "a tiered outcome needs at least one tier")]
    problems = []
    if tiers[0].min_rate == 0:
        problems.append(Problem(
            f"{path}[0].min_rate",
            "a first tier at 0% pays at zero achievement; put that money in the base instead",
        ))
    for i, tier in enumerate(tiers):
        if tier.payout == 0:
            problems.append(Problem(f"{path}[{i}].payout", "a tier must pay more than 0%"))
        if i == 0:
            continue
        before = tiers[i - 1]
        if tier.min_rate <= before.min_rate:
            problems.append(Problem(
                f"{path}[{i}].min_rate",
                f"tiers must rise: {tier.min_rate:.0%} is not above the previous {before.min_rate:.0%}",
            ))
        if tier.payout < before.payout:
            problems.append(Problem(
                f"{path}[{i}].payout",
                f"payouts may not fall: {tier.payout:.0%} is below the previous {before.payout:.0%}",
            ))
    return problems


def _scenario_problems(deal: Deal, scenario: Scenario, path: str) -> list[Problem]:
    problems = []
    names = {o.name for o in deal.outcomes}
    for name in scenario.rates:
        if name not in names:
            problems.append(Problem(f"{path}.rates.{name}", "there is no outcome by that name"))
    served = scenario.students_served
    if served is not None and served > deal.students:
        problems.append(Problem(
            f"{path}.students_served",
            f"{served} students served is more than the deal's {deal.students}",
        ))
    return problems


def _risk_problems(deal: Deal, risk: Risk, path: str) -> list[Problem]:
    low, high = risk.students_served_low, risk.students_served_high
    if low is None and high is None:
        return []
    if low is None or high is None:
        missing = "students_served_low" if low is None else "students_served_high"
        return [Problem(
            f"{path}.{missing}", "give students_served_low and students_served_high together, or neither"
        )]
    problems = []
    for field, served in (("students_served_low", low), ("students_served_high", high)):
        if served > deal.students:
            problems.append(Problem(
                f"{path}.{field}", f"{served} students served is more than the deal's {deal.students}"
            ))
    if low > high:
        problems.append(Problem(f"{path}.students_served_low", f"{low} is above the high end ({high})"))
    return problems
