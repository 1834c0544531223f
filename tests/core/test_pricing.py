"""Per-pupil prices to total and split, and back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obc_calc.core.pricing import (
    PerPupilPrice,
    per_pupil_price,
    pool_for,
    priced_deal,
    prices_match,
    total_and_share,
    total_for,
    weights_add_up,
)
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


# ---- whether entered prices are the deal's own ------------------------------------------------

DENVER = {"students": 500, "total_cost": 1_200_000, "performance_share": 0.625}  # $900 + $1,500 a pupil


def test_the_deals_own_prices_match_it():
    # (900 + 1,500) x 500 = 1,200,000, of which 1,500 / 2,400 = 62.5% on outcomes: the deal itself.
    assert prices_match(make_deal(**DENVER), PerPupilPrice(900, 1_500), 500)


def test_prices_match_to_the_cent_and_not_beyond():
    deal = make_deal(**DENVER)
    # Both prices up in proportion, so the share stays 62.5%: 0.000008 more a pupil is 0.004 more in
    # all, under half a cent: the same deal.
    assert prices_match(deal, PerPupilPrice(900.000003, 1_500.000005), 500)
    # 0.000012 more a pupil is 0.006 more in all: a cent more, a different deal.
    assert not prices_match(deal, PerPupilPrice(900.0000045, 1_500.0000075), 500)


def test_other_students_or_split_do_not_match():
    deal = make_deal(**DENVER)
    assert not prices_match(deal, PerPupilPrice(900, 1_500), 501)  # 501 x 2,400 = 1,202,400
    # The same 2,400 a pupil and 1,200,000 in all, but 1,501 / 2,400 = 62.54% on outcomes.
    assert not prices_match(deal, PerPupilPrice(899, 1_501), 500)


# ---- the deal at entered prices ------------------------------------------------------------------

def test_priced_deal_sets_students_then_total_and_share():
    data = {"name": "Math", "students": 1_250, "total_cost": 1_775_000, "performance_share": 0.528,
            "risk": {"students_served_low": 1_100, "students_served_high": 1_250},
            "scenarios": [{"name": "Fewer", "students_served": 1_000}], "outcomes": [{"name": "Dosage"}]}
    candidate, notices = priced_deal(data, PerPupilPrice(900, 1_500), 500)
    # (900 + 1,500) x 500 = 1,200,000, 1,500 / 2,400 = 62.5% on outcomes.
    assert (candidate["students"], candidate["total_cost"]) == (500, 1_200_000)
    assert candidate["performance_share"] == pytest.approx(0.625)
    # The counts keep their share: 1,100 x 500 / 1,250 = 440, 1,250 -> 500, 1,000 x 500 / 1,250 = 400.
    assert candidate["risk"] == {"students_served_low": 440, "students_served_high": 500}
    assert candidate["scenarios"] == [{"name": "Fewer", "students_served": 400}]
    assert notices == [
        "Risk: students served now 440 to 500 (was 1,100 to 1,250), scaled to the new number of students.",
        "Scenario Fewer: students served now 400 (was 1,000), scaled to the new number of students."]
    assert data["students"] == 1_250 and data["risk"]["students_served_low"] == 1_100  # a copy


def test_priced_deal_for_the_same_students_changes_only_the_price():
    data = dict(DENVER, scenarios=[{"name": "Fewer", "students_served": 400}])
    candidate, notices = priced_deal(data, PerPupilPrice(700, 300), 500)
    # (700 + 300) x 500 = 500,000, 300 / 1,000 = 30% on outcomes; the students stay 500.
    assert candidate == dict(data, total_cost=500_000, performance_share=0.3)
    assert notices == []


# ---- whether the weights add up to 100% ----------------------------------------------------------

def test_weights_that_add_up():
    assert weights_add_up([0.25, 0.55, 0.2])  # the math sample
    assert weights_add_up([0.25, 0.45, 0.2, 0.1])  # added in turn 0.9999999999999999; fsum gives 1
    assert weights_add_up([0.5, 0.5000009])  # 0.0000009 off: within the deal's 0.000001


def test_weights_that_do_not_add_up():
    assert not weights_add_up([0.3, 0.55, 0.2])  # 1.05
    assert not weights_add_up([0.5, 0.500002])  # 0.000002 off
    assert not weights_add_up([])  # nothing adds up to 0
