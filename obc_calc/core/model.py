"""The deal: a typed, validated description of an outcomes-based contract (deal file version 1).

Field-level checks (types, ranges, unknown fields) are pydantic's; the limits on what grows in a
deal are checked on the data as read, and rules that span fields (weights adding up, tiers
rising, names unique, scenario rates naming real outcomes) after it: both in obc_calc.core.model_rules,
which report every problem with the field path a user can find in the file.

Numbers are strict about type: a count is a JSON integer, any other number a JSON number, never
text, true/false, NaN or an infinity, so a careless "5" or true is refused rather than read as 5 or 1.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from obc_calc.core.bases import NAMES as BASIS_NAMES
from obc_calc.core.errors import DealError
from obc_calc.core.group_rules import group_and_band_problems
from obc_calc.core.limits import MAX_MONEY, MAX_STUDENTS, has_control_characters
from obc_calc.core.model_rules import (
    BASIS_FIELDS,
    RESERVED_OUTCOME_NAMES,
    RESERVED_SCENARIO_NAMES,
    WEIGHT_TOLERANCE,
    deal_problems,
    name_key,
    raw_problems,
)

__all__ = [
    "BASES", "BASIS_FIELDS", "DATA_SOURCES", "RESERVED_OUTCOME_NAMES", "RESERVED_SCENARIO_NAMES",
    "WEIGHT_TOLERANCE", "Band", "Commitment", "Deal", "Outcome", "Risk", "Scenario", "StudentGroup", "Term",
    "Tier", "deal_problems",
    "name_key",
]


def _below(limit: float):
    """An upper limit whose message names it; it runs after the type check, on a finite number."""
    def check(value):
        if value >= limit:
            raise ValueError(f"must be less than the limit of {limit:,}")
        return value
    return AfterValidator(check)


def _dollars(amount: float) -> float:
    # Past MAX_MONEY a float no longer keeps every cent; below a cent there is nothing to pay.
    if amount >= MAX_MONEY:
        raise ValueError(f"must be less than the limit of ${MAX_MONEY:,.0f}")
    if amount < 0.01:
        raise ValueError("must be at least a cent ($0.01)")
    return amount


def _plain_name(name: str) -> str:
    if not name:
        raise ValueError("a name needs at least one character other than spaces")
    if has_control_characters(name):
        raise ValueError("a name may not hold control characters (invisible codes such as escape or null)")
    return name


def _zero_without_sign(number: float) -> float:
    return number + 0.0  # -0.0 + 0.0 is 0.0: no "-0.0%" or "-$0.00" in what is shown


# Strict refuses text and true/false, yet takes a JSON integer such as 100000 for a float.
Number = Annotated[float, Strict(), Field(allow_inf_nan=False), AfterValidator(_zero_without_sign)]
Whole = Annotated[int, Strict()]  # a count: 5.0 is refused, as "5" and true are
Rate = Annotated[Number, Field(ge=0.0, le=1.0)]
StudentCount = Annotated[Whole, _below(MAX_STUDENTS)]
YesNo = Annotated[bool, Strict()]
# Surrounding spaces are stripped, so "Growth " and "Growth" are one name everywhere.
Name = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_plain_name)]
Basis = Literal[BASIS_NAMES]  # the names in obc_calc.core.bases' table, in its order
DataSource = Literal["district", "provider", "third_party"]

BASES: tuple[str, ...] = BASIS_NAMES  # the names only, for pickers; the records are core.bases.BASES
DATA_SOURCES: tuple[str, ...] = ("district", "provider", "third_party")
_START = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Term(_Strict):
    start: str = "2026-09"
    months: Whole = Field(default=10, ge=1, le=60)
    fiscal_year_start_month: Whole = Field(default=7, ge=1, le=12)
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
    name: Name
    description: str = ""


class Tier(_Strict):
    min_rate: Rate
    payout: Rate


class Band(_Strict):
    """Students whose measured value is at least `min_value` (None: any value), and below the next
    band's, are paid `payout` times the price per student; a negative payout is a penalty."""

    min_value: Number | None = None
    payout: Number = Field(ge=-1.0, le=1.0)


class StudentGroup(_Strict):
    """Students priced apart, such as students with disabilities: a per-student outcome pays
    `price_multiplier` times its unit price for each of them who achieves."""

    name: Name
    students: StudentCount = Field(gt=0)
    price_multiplier: Number = Field(default=1.0, gt=0.0, le=100.0)


class Outcome(_Strict):
    name: Name
    metric: str = ""
    threshold: str = ""
    threshold_value: Number | None = None
    basis: Basis = "per_student"
    weight: Rate = 1.0
    expected_rate: Rate = 0.5
    eligible_students: StudentCount | None = Field(default=None, gt=0)
    target_rate: Rate | None = None
    floor_rate: Rate | None = None
    tiers: list[Tier] | None = None
    data_source: DataSource = "district"
    paid_in_month: Whole | None = Field(default=None, ge=1)
    # The plausible range of the cohort's rate, read as its 10th and 90th percentiles (risk.md).
    rate_low: Rate | None = None
    rate_high: Rate | None = None
    group_expected_rates: dict[str, Rate] | None = None  # by student group name
    bands: list[Band] | None = None  # per_student_banded only
    expected_band_shares: list[Rate] | None = None  # one share of the eligible students per band
    group_band_shares: dict[str, list[Rate]] | None = None  # by student group name


def _is_empty(value) -> bool:
    return not value


class Scenario(_Strict):
    name: Name
    rates: dict[str, Rate] = Field(default_factory=dict)
    students_served: StudentCount | None = Field(default=None, ge=0)
    commitments_met: YesNo = True
    group_rates: dict[str, dict[str, Rate]] = Field(default_factory=dict, exclude_if=_is_empty)
    band_shares: dict[str, list[Rate]] = Field(default_factory=dict, exclude_if=_is_empty)
    group_band_shares: dict[str, dict[str, list[Rate]]] = Field(default_factory=dict, exclude_if=_is_empty)

    @field_validator("rates", "group_rates", "band_shares", "group_band_shares")
    @classmethod
    def _keyed_as_outcomes_are_named(cls, by_outcome: dict) -> dict:
        # Outcome names lose their surrounding spaces, so the names rates are given for do too; a
        # name no outcome has (blank, or with control codes) is reported by the cross-field rules.
        return {name.strip(): given for name, given in by_outcome.items()}


class Risk(_Strict):
    """What the simulation varies besides the rates; the defaults vary nothing."""

    correlation: Number = Field(default=0.0, ge=0.0, le=0.95)
    students_served_low: StudentCount | None = Field(default=None, ge=0)  # None: all planned students
    students_served_high: StudentCount | None = Field(default=None, ge=0)
    commitments_miss_probability: Rate = 0.0


def _is_default_risk(risk: Risk) -> bool:
    return risk == Risk()


DEFAULT_RENEWAL_SCORE = 90.0


def _is_default_renewal(score: float) -> bool:
    return score == DEFAULT_RENEWAL_SCORE


class Deal(_Strict):
    schema_version: Literal[1]
    name: Name
    district: str = ""
    provider: str = ""
    program: str = ""
    students: StudentCount = Field(gt=0)
    total_cost: Annotated[Number, AfterValidator(_dollars)] = Field(gt=0)
    performance_share: Rate
    base_basis: Literal["fixed", "per_student"] = "fixed"
    term: Term = Field(default_factory=Term)
    commitments: list[Commitment] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(min_length=1)
    scenarios: list[Scenario] = Field(default_factory=list)
    # Left out when written at its defaults, so a deal without risk settings saves as it loaded.
    risk: Risk = Field(default_factory=Risk, exclude_if=_is_default_risk)
    student_groups: list[StudentGroup] = Field(default_factory=list, exclude_if=_is_empty)
    # The most the outcome payments together may take back (penalties); 0: they only offset.
    max_penalty: Annotated[Number, _below(MAX_MONEY)] = Field(default=0.0, ge=0.0, exclude_if=_is_empty)
    # The score (0 to 100) a provider needs for renewal (core.forecast); left out at its default.
    renewal_score: Number = Field(default=DEFAULT_RENEWAL_SCORE, ge=0.0, le=100.0,
                                  exclude_if=_is_default_renewal)

    @model_validator(mode="before")
    @classmethod
    def _limits_first(cls, data):
        if isinstance(data, dict):
            problems = raw_problems(data)
            if problems:
                raise DealError(problems)  # see _cross_field_rules
        return data

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version_is_the_integer_one(cls, version):
        # A Literal takes true and 1.0 for 1; a file of another version is refused as such.
        if isinstance(version, bool) or not isinstance(version, int):
            raise PydanticCustomError("literal_error", "Input should be 1")
        return version

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Deal:
        problems = deal_problems(self) + group_and_band_problems(self)
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

    @property
    def weight_total(self) -> float:
        # fsum rounds the exact sum once: weights meant to add up to 1 (0.25, 0.45, 0.2, 0.1) give
        # exactly 1.0, where adding them in turn gives 0.9999999999999999 and nudges every figure.
        return math.fsum(o.weight for o in self.outcomes)

    def allocation(self, outcome: Outcome) -> float:
        """The outcome's share of the pool. The weights need only add up to 1 within WEIGHT_TOLERANCE,
        so dividing by their sum keeps the allocations from adding up to more than the pool."""
        return self.performance_pool * outcome.weight / self.weight_total

    def eligible(self, outcome: Outcome) -> int:
        return outcome.eligible_students or self.students

    def paid_in_month(self, outcome: Outcome) -> int:
        return outcome.paid_in_month or self.term.months

    def outcome_named(self, name: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        raise KeyError(name)
