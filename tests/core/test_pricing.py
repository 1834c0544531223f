"""Per-pupil prices to total and split, and back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obc_calc.core.pricing import PerPupilPrice, per_pupil_price, pool_for, total_and_share, total_for
from tests.helpers import make_deal


def test_duval_style_prices():
    # $670 base + up to $750 on outcomes for 451 students (Duval's first year).
    total, share = total_and_share(PerPupilPrice(base=670, outcomes=750), 451)
    assert total == pytest.approx(1_420 * 451)  # 640,420
    assert share == pytest.approx(750 / 1_420)  # 52.8%


def test_denver_style_prices_and_back():
    total, share = total_and_share(PerPupilPrice(900, 1_500), 500)
    assert (total, share) == (pytest.approx(1_200_000), pytest.approx(0.625))
    deal = make_deal(students=500, total_cost=total, performance_share=share)
    price = per_pupil_price(deal)
    assert (price.base, price.outcomes) == (pytest.approx(900), pytest.approx(1_500))


def test_pool_and_total_from_per_pupil_prices():
    # Duval's $670 + up to $750 for 451 students: the pool is 750 x 451 = $338,250.
    assert pool_for(PerPupilPrice(670, 750), 451) == pytest.approx(338_250)
    # $1,420 a pupil for 451 students: 1,420 x 451 = $640,420.
    assert total_for(1_420.0, 451) == pytest.approx(640_420)


def test_no_price_at_all_has_no_share():
    assert PerPupilPrice(0, 0).performance_share == 0


@given(st.floats(0, 20_000), st.floats(0.01, 20_000), st.integers(1, 100_000))
def test_round_trip_keeps_the_prices(base, outcomes, students):
    total, share = total_and_share(PerPupilPrice(base, outcomes), students)
    deal = make_deal(students=students, total_cost=total, performance_share=share)
    price = per_pupil_price(deal)
    assert price.base == pytest.approx(base, abs=0.005)
    assert price.outcomes == pytest.approx(outcomes, abs=0.005)
