"""Per-pupil prices, the way districts and providers quote a deal ($670 + up to $750)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from obc_calc.core.limits import MAX_MONEY, shown
from obc_calc.core.model import Deal
from obc_calc.core.money import money


def check_dollars(amount: float, what: str) -> None:
    """A typed amount of dollars: finite, from $0 to the money limit, or ValueError with one sentence."""
    try:
        is_number = isinstance(amount, numbers.Real) and not isinstance(amount, bool)
        value = float(amount) if is_number else math.nan
    except OverflowError:  # an integer too large for a float (and too long to quote)
        value = math.inf
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number of dollars")
    if not 0 <= value <= MAX_MONEY:
        most = money(MAX_MONEY, with_cents=False)
        raise ValueError(f"{what} must be from $0 to {most}, not {shown(value)}")


@dataclass(frozen=True)
class PerPupilPrice:
    base: float  # base paid per student
    outcomes: float  # the most paid on outcomes per student

    def __post_init__(self):
        check_dollars(self.base, "the base price per student")
        check_dollars(self.outcomes, "the outcome price per student")

    @property
    def total(self) -> float:
        return self.base + self.outcomes

    @property
    def performance_share(self) -> float:
        return self.outcomes / self.total if self.total > 0 else 0.0


def per_pupil_price(deal: Deal) -> PerPupilPrice:
    return PerPupilPrice(deal.base_max / deal.students, deal.performance_pool / deal.students)


def total_and_share(price: PerPupilPrice, students: int) -> tuple[float, float]:
    """The total cost and performance share that per-pupil prices give for `students`."""
    return price.total * students, price.performance_share


def pool_for(price: PerPupilPrice, students: int) -> float:
    """The performance pool that per-pupil prices give for `students`: the outcome price for each."""
    return price.outcomes * students


def total_for(per_pupil: float, students: int) -> float:
    """The total cost of a price per pupil for `students`."""
    return per_pupil * students
