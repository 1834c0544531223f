"""Evaluate a deal under a scenario: what the district pays, outcome by outcome."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from obc_calc.core.bases import BASES
from obc_calc.core.model import Deal, Scenario


@dataclass(frozen=True)
class OutcomeResult:
    name: str
    rate: float
    achievers: float
    allocation: float
    payment: float

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

    @property
    def performance(self) -> float:
        return sum(o.payment for o in self.outcomes)

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
            "outcomes": [
                {k: v for k, v in asdict(o).items() if k != "allocation"}
                | {"cost_per_achiever": o.cost_per_achiever}
                for o in self.outcomes
            ],
            "performance": self.performance,
            "total": self.total,
            "pool_earned_share": self.pool_earned_share,
            "district_savings": self.district_savings,
            "cost_per_student_served": self.cost_per_student_served,
        }


def base_due(deal: Deal, students_served: int) -> float:
    """The base for a scenario: all of it when fixed, a per-student share of it otherwise."""
    if deal.base_basis == "fixed":
        return deal.base_max
    return deal.base_max / deal.students * students_served


def evaluate(deal: Deal, scenario: Scenario) -> ScenarioResult:
    """Pay the rate card at the scenario's rates (each missing rate: the expected rate)."""
    served = deal.students if scenario.students_served is None else scenario.students_served
    served_fraction = served / deal.students
    results = []
    for outcome in deal.outcomes:
        rate = scenario.rates.get(outcome.name, outcome.expected_rate)
        allocation = deal.allocation(outcome)
        if scenario.commitments_met:
            payment = float(BASES[outcome.basis].pay(outcome, allocation, rate, served_fraction))
        else:
            payment = allocation  # the district broke its side: the full contract value is due
        achievers = rate * deal.eligible(outcome) * served_fraction
        results.append(OutcomeResult(outcome.name, rate, achievers, allocation, payment))
    base = base_due(deal, served) if scenario.commitments_met else deal.base_max
    return ScenarioResult(
        name=scenario.name,
        students_served=served,
        commitments_met=scenario.commitments_met,
        total_cost=deal.total_cost,
        performance_pool=deal.performance_pool,
        base=base,
        outcomes=tuple(results),
    )


def expected(deal: Deal) -> ScenarioResult:
    """Every outcome at its expected rate, every planned student served."""
    return evaluate(deal, Scenario(name="Expected"))


def floor(deal: Deal) -> ScenarioResult:
    """Nothing achieved, every student served: the base alone."""
    return evaluate(deal, Scenario(name="Floor", rates={o.name: 0.0 for o in deal.outcomes}))


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
