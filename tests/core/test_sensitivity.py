"""Sensitivity: the tornado of the total and one outcome's payment swept across rates."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obc_calc.core.scenarios import evaluate
from obc_calc.core.sensitivity import (
    DEFAULT_HALF_RANGE,
    paying_curve,
    payment_sweep,
    rate_range,
    scenario_at,
    tornado,
)
from tests.helpers import BANDS, banded_example, groups_example, make_deal

CENT = 0.005


def two_outcomes():
    # $100,000: $60,000 fixed base, $40,000 pool. Growth: per student, 60% = $24,000, 40%..60%.
    # Benchmark: $16,000 all-or-nothing at a 50% target, expected 55%, no range given.
    return make_deal(outcomes=[
        {"name": "Growth", "weight": 0.6, "expected_rate": 0.5, "rate_low": 0.4, "rate_high": 0.6},
        {"name": "Benchmark", "weight": 0.4, "expected_rate": 0.55, "basis": "cohort_threshold",
         "target_rate": 0.5},
    ])


def test_tornado_by_hand_widest_swing_first():
    result = tornado(two_outcomes())
    # Expected: 60,000 + 24,000 x 50% + 16,000 = 88,000.
    assert result.expected_total == pytest.approx(88_000, abs=CENT)
    benchmark, growth = result.bars
    # Benchmark over the default 45%..65%: below the target pays 60,000 + 12,000 = 72,000;
    # above it 88,000. A swing of 16,000.
    assert (benchmark.outcome, benchmark.range_given) == ("Benchmark", False)
    assert (benchmark.rate_low, benchmark.rate_high) == pytest.approx((0.45, 0.65))
    assert benchmark.total_low == pytest.approx(72_000, abs=CENT)
    assert benchmark.total_high == pytest.approx(88_000, abs=CENT)
    assert benchmark.swing == pytest.approx(16_000, abs=CENT)
    # Growth over 40%..60%: 60,000 + 24,000 x 0.4 + 16,000 = 85,600 and 24,000 x 0.6: 90,400.
    assert (growth.outcome, growth.range_given) == ("Growth", True)
    assert growth.total_low == pytest.approx(85_600, abs=CENT)
    assert growth.total_high == pytest.approx(90_400, abs=CENT)
    assert growth.swing == pytest.approx(4_800, abs=CENT)


def test_the_default_range_stays_within_0_and_100_percent():
    deal = make_deal(outcomes=[{"name": "Growth", "expected_rate": 0.95}])
    low, high, given = rate_range(deal, deal.outcomes[0])
    assert (low, high, given) == (pytest.approx(0.95 - DEFAULT_HALF_RANGE), 1.0, False)


def test_sweep_of_a_tiered_outcome_by_hand():
    tiers = [{"min_rate": 0.3, "payout": 0.5}, {"min_rate": 0.4, "payout": 1.0}]
    outcome = {"name": "Proficiency", "basis": "tiered", "expected_rate": 0.3, "tiers": tiers}
    deal = make_deal(outcomes=[outcome])
    sweep = payment_sweep(deal, "Proficiency", [0.0, 0.29, 0.3, 0.39, 0.4, 1.0])
    # $40,000 pool: nothing below 30%, half ($20,000) from 30%, all from 40%.
    assert list(sweep["payment"]) == [0.0, 0.0, 20_000.0, 20_000.0, 40_000.0, 40_000.0]


def test_default_sweep_covers_0_to_100_percent():
    sweep = payment_sweep(two_outcomes(), "Growth")
    assert sweep["rate"].iloc[0] == 0.0 and sweep["rate"].iloc[-1] == 1.0
    # Per student: $24,000 x rate, a straight line.
    assert np.allclose(sweep["payment"], 24_000 * sweep["rate"], rtol=0, atol=CENT)


# ---------------------------------------------------------------- student groups and bands



def test_group_rates_move_with_the_overall_rate():
    deal = groups_example()
    # The overall rate is expected at 0.1 x 0.4 + 0.2 x 0.5 + 0.7 x 0.6 = 0.56. At 0.28, half of it,
    # every group's rate halves; at 0.78 every shortfall (60%, 50%, 40%) is scaled by
    # (1 - 0.78) / (1 - 0.56) = 0.5, so the rates are 70%, 75% and 80%.
    low = scenario_at(deal, deal.outcomes[0], 0.28).group_rates["Growth"]
    high = scenario_at(deal, deal.outcomes[0], 0.78).group_rates["Growth"]
    assert low == pytest.approx({"Students with disabilities": 0.2, "English learners": 0.25,
                                 "Other students": 0.3})
    assert high == pytest.approx({"Students with disabilities": 0.7, "English learners": 0.75,
                                  "Other students": 0.8})


def test_tornado_of_a_per_student_outcome_priced_by_group():
    result = tornado(groups_example(rate_low=0.28, rate_high=0.78))
    (bar,) = result.bars
    # u = 200,000 / 1,100. At 0.28: achievers 20, 50 and 210 pay u x (1.5 x 20 + 1.25 x 50 + 210)
    # = u x 302.5 = $55,000. At 0.78: 70, 150 and 560 pay u x (105 + 187.5 + 560) = u x 852.5
    # = $155,000. The base is $300,000; expected, u x 605 = $110,000.
    assert result.expected_total == pytest.approx(410_000, abs=CENT)
    assert (bar.rate_low, bar.rate_high, bar.range_given) == (0.28, 0.78, True)
    assert bar.total_low == pytest.approx(355_000, abs=CENT)
    assert bar.total_high == pytest.approx(455_000, abs=CENT)


def test_sweep_of_a_banded_outcome_by_hand():
    sweep = payment_sweep(banded_example(), "Growth", [0.0, 0.3, 0.6, 0.8, 1.0])
    # Bands pay -25%, 0, 50%, 100%, shares 10/30/40/20%: the paying share is 0.6 and pays
    # 100,000 x (-0.025 + 0.2 + 0.2) = $37,500. At a paying share p the paying bands' shares are
    # scaled by p / 0.6 and the others' by (1 - p) / 0.4:
    # p = 0:   -0.25 x 0.25 = -0.0625                                  -> -$6,250 (before any limit)
    # p = 0.3: -0.25 x 0.175 + 0.5 x 0.2 + 0.1 = 0.15625                ->  $15,625
    # p = 0.8: -0.25 x 0.05 + 0.5 x 0.4 x 4/3 + 0.2 x 4/3 = 0.5208333   ->  $52,083.33
    # p = 1:   0.5 x 0.4 / 0.6 + 0.2 / 0.6 = 2/3                        ->  $66,666.67
    expected_payments = [-6_250, 15_625, 37_500, 52_083.333333, 66_666.666667]
    assert np.allclose(sweep["payment"], expected_payments, rtol=0, atol=0.01)


def test_tornado_of_a_banded_outcome_gives_penalties_back_above_max_penalty():
    result = tornado(banded_example(outcome={"rate_low": 0.0, "rate_high": 0.7}))
    (bar,) = result.bars
    # At a paying share of 0 the outcome pays -$6,250 (above); with max_penalty 0 it is given back,
    # so the total is the $150,000 base. At 0.7: -0.25 x 0.1 x 0.75 + (0.5 x 0.4 + 0.2) x 7/6
    # = -0.01875 + 0.4666667 = 0.4479167 -> $44,791.67.
    assert bar.total_low == pytest.approx(150_000, abs=CENT)
    assert bar.total_high == pytest.approx(194_791.67, abs=0.01)


def test_default_range_of_a_banded_outcome_is_around_its_paying_share():
    deal = banded_example()
    low, high, given = rate_range(deal, deal.outcomes[0])
    assert (low, high, given) == (pytest.approx(0.5), pytest.approx(0.7), False)  # 0.6 +- 0.1


def test_bands_by_group_with_nobody_and_everybody_paying():
    groups = [{"name": "Newcomers", "students": 100, "price_multiplier": 2.0}]
    bands = [{"min_value": None, "payout": -0.5}, {"min_value": 0, "payout": 1.0}]
    growth = {"name": "Growth", "basis": "per_student_banded", "bands": bands,
              "group_band_shares": {"Newcomers": [1.0, 0.0], "Other students": [0.0, 1.0]}}
    # $60,000 at 50% is a $30,000 pool over 200 students: u = 30,000 / (2 x 100 + 100) = $100.
    deal = make_deal(students=200, total_cost=60_000, performance_share=0.5, student_groups=groups,
                     outcomes=[growth], max_penalty=30_000)
    outcome = deal.outcomes[0]
    # Expected paying share (0 x 100 + 1 x 100) / 200 = 0.5, paying (2 x 100 x -0.5 + 100) / 300 = 0.
    assert evaluate(deal, scenario_at(deal, outcome, 0.5)).payment("Growth") == pytest.approx(0, abs=CENT)
    # At 0.75 Newcomers' shortfall halves: half of them join the lowest paying band, [0.5, 0.5],
    # worth -0.25 + 0.5 = 0.25; Other students stay all paying. (200 x 0.25 + 100) / 300 x 30,000.
    up = scenario_at(deal, outcome, 0.75).group_band_shares["Growth"]
    assert up == {"Newcomers": pytest.approx([0.5, 0.5]), "Other students": pytest.approx([0.0, 1.0])}
    assert evaluate(deal, scenario_at(deal, outcome, 0.75)).payment("Growth") == pytest.approx(15_000)
    # At 0.25 Other students' paying share halves and the leavers join the highest band paying
    # nothing or less, [0.5, 0.5], worth 0.25; Newcomers stay at -0.5. (-100 + 25) / 300 x 30,000.
    down = scenario_at(deal, outcome, 0.25).group_band_shares["Growth"]
    assert down == {"Newcomers": pytest.approx([1.0, 0.0]), "Other students": pytest.approx([0.5, 0.5])}
    assert evaluate(deal, scenario_at(deal, outcome, 0.25)).payment("Growth") == pytest.approx(-7_500)


MIXED = make_deal(
    students=500, total_cost=250_000, max_penalty=100_000,
    student_groups=[{"name": "English learners", "students": 200, "price_multiplier": 1.25},
                    {"name": "Newcomers", "students": 50, "price_multiplier": 3.0}],
    outcomes=[
        {"name": "Growth", "basis": "per_student_banded", "bands": BANDS, "weight": 0.5,
         "expected_band_shares": [0.1, 0.3, 0.4, 0.2],
         "group_band_shares": {"English learners": [0.3, 0.3, 0.3, 0.1], "Newcomers": [0.0, 1.0, 0.0, 0.0]}},
        {"name": "Reading", "weight": 0.5,
         "group_expected_rates": {"English learners": 0.3, "Newcomers": 1.0, "Other students": 0.6}},
    ])


@settings(max_examples=60, deadline=None)
@given(outcome=st.sampled_from(["Growth", "Reading"]), figure=st.floats(0, 1), step=st.floats(0, 1))
def test_the_rule_is_a_straight_line_each_side_of_the_expected_figure_and_never_falls(outcome, figure, step):
    # The simulation interpolates paying_curve; that is only right if the rule read at any figure is
    # what evaluating the moved scenario gives, and a higher figure never pays less.
    deal, chosen = MIXED, MIXED.outcome_named(outcome)
    figures, reads = paying_curve(deal, chosen)
    at = evaluate(deal, scenario_at(deal, chosen, figure)).payment(outcome)
    allocation = 50_000  # half of the $100,000 pool
    assert allocation * np.interp(figure, figures, reads) == pytest.approx(at, abs=CENT)
    higher = min(1.0, figure + step)
    assert evaluate(deal, scenario_at(deal, chosen, higher)).payment(outcome) >= at - CENT
