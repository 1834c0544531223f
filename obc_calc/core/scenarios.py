"""Evaluate a deal under a scenario: what the district pays, outcome by outcome."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from obc_calc.core.bases import BASES
from obc_calc.core.groups import Measure, groups, measure, unit_price
from obc_calc.core.model import Deal, Outcome, Scenario


@dataclass(frozen=True)
class GroupResult:
    name: str
    students: int
    rate: float
    achievers: float
    price: float | None  # per achiever (per student, before the band's payout, when banded)
    payment: float | None  # this group's part of a per-student or banded outcome's payment


@dataclass(frozen=True)
class OutcomeResult:
    name: str
    rate: float
    achievers: float
    allocation: float
    payment: float
    groups: tuple[GroupResult, ...] = ()  # in a deal with student groups

    @property
    def cost_per_achiever(self) -> float | None:
        return self.payment / self.achievers if self.achievers > 0 else None


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    students_served: int
    commitments_met: bool
    total_cost: float
    performance_pool: float
    base: float
    outcomes: tuple[OutcomeResult, ...]
    # Added back when penalties would take more than the deal's max_penalty (0: they only offset).
    penalty_relief: float = 0.0

    @property
    def performance(self) -> float:
        return sum(o.payment for o in self.outcomes) + self.penalty_relief

    @property
    def total(self) -> float:
        return self.base + self.performance

    @property
    def pool_earned_share(self) -> float | None:
        return self.performance / self.performance_pool if self.performance_pool > 0 else None

    @property
    def district_savings(self) -> float:
        return self.total_cost - self.total

    @property
    def cost_per_student_served(self) -> float | None:
        return self.total / self.students_served if self.students_served > 0 else None

    def payment(self, outcome_name: str) -> float:
        return next(o.payment for o in self.outcomes if o.name == outcome_name)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "students_served": self.students_served,
            "commitments_met": self.commitments_met,
            "base": self.base,
            "outcomes": [_outcome_dict(o) for o in self.outcomes],
            "penalty_relief": self.penalty_relief,
            "performance": self.performance,
            "total": self.total,
            "pool_earned_share": self.pool_earned_share,
            "district_savings": self.district_savings,
            "cost_per_student_served": self.cost_per_student_served,
        }


def _outcome_dict(result: OutcomeResult) -> dict:
    data = {k: v for k, v in asdict(result).items() if k not in ("allocation", "groups")}
    data["cost_per_achiever"] = result.cost_per_achiever
    if result.groups:
        data["groups"] = [asdict(group) for group in result.groups]
    return data


def base_due(deal: Deal, students_served: int) -> float:
    """The base for a scenario: all of it when fixed, a per-student share of it otherwise."""
    if deal.base_basis == "fixed":
        return deal.base_max
    return deal.base_max / deal.students * students_served


def evaluate(deal: Deal, scenario: Scenario) -> ScenarioResult:
    """Pay the rate card at the scenario's rates (each missing rate: the expected rate)."""
    served = deal.students if scenario.students_served is None else scenario.students_served
    served_fraction = served / deal.students
    results = tuple(_outcome_result(deal, o, scenario, served_fraction) for o in deal.outcomes)
    base = base_due(deal, served) if scenario.commitments_met else deal.base_max
    earned = sum(r.payment for r in results)
    return ScenarioResult(
        name=scenario.name,
        students_served=served,
        commitments_met=scenario.commitments_met,
        total_cost=deal.total_cost,
        performance_pool=deal.performance_pool,
        base=base,
        outcomes=results,
        penalty_relief=max(0.0, -deal.max_penalty - earned),
    )


def _outcome_result(deal: Deal, outcome: Outcome, scenario: Scenario, served_fraction: float,
                    ) -> OutcomeResult:
    allocation = deal.allocation(outcome)
    measured = measure(deal, outcome, scenario)
    if scenario.commitments_met:
        payment = float(BASES[outcome.basis].pay(outcome, allocation, measured.paying, served_fraction))
    else:
        payment = allocation  # the district broke its side: the full contract value is due
    achievers = measured.rate * deal.eligible(outcome) * served_fraction
    group_results = _group_results(deal, outcome, measured, served_fraction, scenario.commitments_met)
    return OutcomeResult(outcome.name, measured.rate, achievers, allocation, payment, group_results)


def _group_results(deal: Deal, outcome: Outcome, measured: Measure, served_fraction: float,
                   commitments_met: bool) -> tuple[GroupResult, ...]:
    """Each group's part. Its achievers are counted on the outcome's eligible students, so that they
    add up to the outcome's; a price is given where the groups are priced apart (per student, banded)."""
    members = groups(deal)
    measured_on = deal.eligible(outcome) / deal.students * served_fraction
    counted = [(g, rate, rate * g.students * measured_on) for g, rate in zip(members, measured.group_rates,
                                                                              strict=True)]
    if not measured.group_paying:
        return tuple(GroupResult(g.name, g.students, rate, got, None, None) for g, rate, got in counted)
    u = unit_price(deal, outcome)
    results = []
    for (group, rate, achievers), paid_on in zip(counted, measured.group_paying, strict=True):
        price = u * group.multiplier
        # Missed commitments: every student's whole price, so the groups add up to the allocation.
        owed = group.students * (served_fraction * paid_on if commitments_met else 1.0)
        results.append(GroupResult(group.name, group.students, rate, achievers, price, price * owed))
    return tuple(results)


def expected(deal: Deal) -> ScenarioResult:
    """Every outcome at its expected rate, every planned student served."""
    return evaluate(deal, Scenario(name="Expected"))


def floor(deal: Deal) -> ScenarioResult:
    """Nothing achieved and every student in a banded outcome's worst band, every student served:
    the base less what penalties can take back (at most max_penalty)."""
    rates = {o.name: 0.0 for o in deal.outcomes if o.bands is None}
    shares = {o.name: _worst_band(o) for o in deal.outcomes if o.bands is not None}
    return evaluate(deal, Scenario(name="Floor", rates=rates, band_shares=shares))


def _worst_band(outcome: Outcome) -> list[float]:
    """Every student in the band paying least, or in none (below the first) when none takes money back."""
    payouts = [band.payout for band in outcome.bands]
    worst = payouts.index(min(payouts))
    return [1.0 if i == worst and payouts[worst] < 0 else 0.0 for i in range(len(payouts))]


def maximum(deal: Deal) -> ScenarioResult:
    """The contract value, what the district encumbers: the base and every full allocation.

    A capped tier can never pay in full, but the contract's not-to-exceed still includes it,
    so each allocation is counted whole here. The allocations add up to the pool (Deal.allocation
    divides by the weights' sum), so this is the total cost, never more.
    """
    full = tuple(
        OutcomeResult(o.name, 1.0, float(deal.eligible(o)), deal.allocation(o), deal.allocation(o))
        for o in deal.outcomes
    )
    return ScenarioResult(
        "Maximum", deal.students, True, deal.total_cost, deal.performance_pool, deal.base_max, full
    )


def all_scenarios(deal: Deal) -> list[ScenarioResult]:
    """The expected case first, then the deal's own scenarios in order."""
    return [expected(deal)] + [evaluate(deal, s) for s in deal.scenarios]
