"""The provider's side of a deal: margin per scenario, break-even achievement, cash flow."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from obc_calc.core.grid import total_cost_curve
from obc_calc.core.limits import terminal_safe
from obc_calc.core.model import Deal
from obc_calc.core.money import money, percent
from obc_calc.core.pricing import check_dollars, per_pupil_price
from obc_calc.core.scenarios import ScenarioResult, all_scenarios, expected
from obc_calc.core.schedule import monthly_schedule

BREAK_EVEN_TOLERANCE = 1e-9


@dataclass(frozen=True)
class DeliveryCost:
    fixed: float = 0.0
    per_student: float = 0.0

    def __post_init__(self):
        check_dollars(self.fixed, "the fixed delivery cost")
        check_dollars(self.per_student, "the delivery cost per student")

    def for_students(self, students_served: int) -> float:
        return self.fixed + self.per_student * students_served


@dataclass(frozen=True)
class ProviderScenario:
    name: str
    revenue: float
    cost: float

    @property
    def margin(self) -> float:
        return self.revenue - self.cost

    @property
    def margin_share(self) -> float | None:
        """Margin as a share of revenue; None when nothing is paid."""
        return self.margin / self.revenue if self.revenue else None

    def to_dict(self) -> dict:
        return {"name": self.name, "revenue": self.revenue, "cost": self.cost, "margin": self.margin}


def starting_cost(deal: Deal) -> DeliveryCost:
    """A stand-in until the provider's own figures are known: no fixed cost and a cost per student
    halfway between the base and the full price per pupil, rounded to $10 (break-even near half the pool)."""
    price = per_pupil_price(deal)
    return DeliveryCost(0.0, float(round((price.base + price.outcomes / 2) / 10) * 10))


def provider_scenario(result: ScenarioResult, cost: DeliveryCost) -> ProviderScenario:
    """What the provider is paid in a scenario against what serving its students costs."""
    return ProviderScenario(result.name, result.total, cost.for_students(result.students_served))


def provider_scenarios(deal: Deal, cost: DeliveryCost) -> list[ProviderScenario]:
    """The expected case first, then the deal's scenarios."""
    return [provider_scenario(r, cost) for r in all_scenarios(deal)]


def revenue_at_rate(deal: Deal, rate: float) -> float:
    """Base plus outcome earnings with every outcome at `rate` and every planned student served
    (a banded outcome with that share of its students in paying bands; see core.sensitivity)."""
    return float(total_cost_curve(deal, np.array([rate]))[0])


def break_even_rate(deal: Deal, cost: DeliveryCost) -> float | None:
    """The lowest rate, applied to every outcome, at which revenue covers the cost.

    Revenue never falls as the rate rises, so bisection finds it; None when even 100% falls short.
    """
    target = cost.for_students(deal.students)
    if revenue_at_rate(deal, 0.0) >= target:
        return 0.0
    if revenue_at_rate(deal, 1.0) < target:
        return None
    low, high = 0.0, 1.0
    while high - low > BREAK_EVEN_TOLERANCE:
        middle = (low + high) / 2
        if revenue_at_rate(deal, middle) >= target:
            high = middle
        else:
            low = middle
    return high


def cash_flow(deal: Deal, cost: DeliveryCost, result: ScenarioResult | None = None) -> pd.DataFrame:
    """Month by month: payments received, costs paid evenly over the term, and the shortfall.

    Shortfall is cumulative costs minus cumulative payments, never below 0: what the provider
    must finance while it waits for outcome payments.
    """
    result = result or expected(deal)
    schedule = monthly_schedule(deal, result)
    months = deal.term.months
    costs = np.full(months, cost.for_students(result.students_served) / months)
    table = pd.DataFrame({
        "Month": schedule["Month"],
        "Payments received": schedule["Total"].to_numpy(),
        "Costs paid": costs,
    })
    gap = np.cumsum(costs) - np.cumsum(table["Payments received"].to_numpy())
    table["Shortfall"] = np.maximum(gap, 0.0)
    return table


def max_shortfall(deal: Deal, cost: DeliveryCost) -> float:
    return float(cash_flow(deal, cost)["Shortfall"].max())


def worst_month(flow: pd.DataFrame) -> str:
    """The month of a cash flow (from cash_flow) in which the shortfall is largest; the first such month."""
    return str(flow["Month"].iloc[int(flow["Shortfall"].to_numpy().argmax())])


def provider_figures(deal: Deal, cost: DeliveryCost) -> dict:
    """The provider's view of a deal as JSON-ready data: break-even, shortfall and each scenario."""
    return {
        "deal": deal.name,
        "cost_fixed": cost.fixed,
        "cost_per_student": cost.per_student,
        "break_even_rate": break_even_rate(deal, cost),
        "max_shortfall": max_shortfall(deal, cost),
        "scenarios": [s.to_dict() for s in provider_scenarios(deal, cost)],
    }


def provider_text(figures: dict) -> str:
    """provider_figures for a terminal: the deal's and scenarios' names are user text, so control codes go."""
    rate = figures["break_even_rate"]
    lines = [
        f"{figures['deal']}: the provider's view",
        f"Delivery cost: {money(figures['cost_fixed'])} fixed"
        f" + {money(figures['cost_per_student'])} per student served",
        "Break-even achievement rate (every outcome): "
        + (percent(rate, 2) if rate is not None else "none: even full achievement does not cover the cost"),
        f"Largest cash shortfall to finance (expected case): {money(figures['max_shortfall'])}",
        "",
    ]
    width = max(len(s["name"]) for s in figures["scenarios"])
    lines.append(f"{'Scenario'.ljust(width)}  {'Revenue':>15}  {'Cost':>15}  {'Margin':>15}")
    for s in figures["scenarios"]:
        lines.append(f"{s['name'].ljust(width)}  {money(s['revenue']):>15}  {money(s['cost']):>15}  "
                     f"{money(s['margin']):>15}")
    return terminal_safe("\n".join(lines))
