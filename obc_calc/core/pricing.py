"""Per-pupil prices, the way districts and providers quote a deal ($670 + up to $750), and whether
the pool's split among outcomes is whole (their weights add up to 100%)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from obc_calc.core.limits import MAX_MONEY, shown
from obc_calc.core.model import Deal
from obc_calc.core.model_rules import WEIGHT_TOLERANCE
from obc_calc.core.money import money
from obc_calc.core.students import change_students

# Prices that give the deal's own figures: a total within half a cent (the same cent), and a share
# within a rounding error of the division that made it.
TOTAL_TOLERANCE = 0.005
SHARE_TOLERANCE = 1e-9


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


def prices_match(deal: Deal, price: PerPupilPrice, students: int) -> bool:
    """Whether per-pupil prices for `students` are the deal's own: same students, total and share."""
    total, share = total_and_share(price, students)
    return (students == deal.students and abs(total - deal.total_cost) < TOTAL_TOLERANCE
            and abs(share - deal.performance_share) < SHARE_TOLERANCE)


def priced_deal(data: dict, price: PerPupilPrice, students: int) -> tuple[dict, list[str]]:
    """The deal `data` (its JSON form) at per-pupil prices for `students`, and what followed.

    The students change first, so the other counts of students keep their share of them
    (students.change_students, whose sentences come back); then the total cost and share are the
    prices'. The result is a candidate: the caller checks it like any other edit.
    """
    total, share = total_and_share(price, students)
    candidate, notices = change_students(data, students)
    candidate.update({"total_cost": total, "performance_share": share})
    return candidate, notices


def weights_add_up(weights: list[float]) -> bool:
    """Whether outcome weights (shares of the pool, 0.25 for 25%) add up to 1 within the tolerance the
    deal's check allows. Added with fsum, as the deal adds them, so both agree at the edge."""
    return abs(math.fsum(weights) - 1.0) <= WEIGHT_TOLERANCE
