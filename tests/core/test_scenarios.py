"""Scenario evaluation of the issue's example deal and of small deals, computed by hand."""

from pathlib import Path

import pytest

from obc_calc.core.model import Scenario
from obc_calc.core.scenarios import all_scenarios, evaluate, expected, floor, maximum
from obc_calc.io.dealfile import load_deal
from tests.helpers import make_deal

EXAMPLE = Path(__file__).parents[1] / "data" / "example_deal.json"
CENT = 0.005

# The example deal: $1,420,000, 40% on outcomes, 1,000 students, per-student base.
POOL = 1_420_000 * 0.4  # 568,000
BASE = 1_420_000 - POOL  # 852,000
ALLOC = {  # pool x weight
    "Dosage": POOL * 0.25,  # 142,000
    "Math growth": POOL * 0.45,  # 255,600
    "Proficiency": POOL * 0.20,  # 113,600
    "Same tutor": POOL * 0.10,  # 56,800
}


@pytest.fixture(scope="module")
def deal():
    return load_deal(EXAMPLE)


def payments(result):
    return {o.name: o.payment for o in result.outcomes}


def test_expected_case_by_hand(deal):
    result = expected(deal)
    want = {
        "Dosage": 142_000 * 0.75,  # per student: 750 achievers x $142 = 106,500
        "Math growth": 255_600,  # 55% reaches the 50% target: all of it
        "Proficiency": 113_600 * 0.5,  # 25% is in the first tier (20%): half = 56,800
        "Same tutor": 56_800 * (0.7 - 0.5) / (0.9 - 0.5),  # halfway up the line = 28,400
    }
    assert payments(result) == pytest.approx(want, abs=CENT)
    assert result.base == pytest.approx(852_000, abs=CENT)
    assert result.total == pytest.approx(852_000 + 106_500 + 255_600 + 56_800 + 28_400, abs=CENT)
    assert result.performance == pytest.approx(447_300, abs=CENT)
    assert result.district_savings == pytest.approx(1_420_000 - 1_299_300, abs=CENT)
    assert result.pool_earned_share == pytest.approx(447_300 / 568_000)
    assert result.cost_per_student_served == pytest.approx(1_299_300 / 1_000)
    dosage = result.outcomes[0]
    assert dosage.achievers == pytest.approx(750)
    assert dosage.cost_per_achiever == pytest.approx(142)  # 142,000 / 1,000 eligible


def test_low_scenario_pays_below_every_target(deal):
    result = evaluate(deal, deal.scenarios[0])
    # Dosage 50% of 1,000 x $142 = 71,000; growth 40% < 50%; proficiency 15% < 20%; tutor at floor.
    assert payments(result) == pytest.approx(
        {"Dosage": 71_000, "Math growth": 0, "Proficiency": 0, "Same tutor": 0}, abs=CENT
    )
    assert result.total == pytest.approx(852_000 + 71_000, abs=CENT)


def test_high_scenario(deal):
    result = evaluate(deal, deal.scenarios[1])
    want = {
        "Dosage": 142_000 * 0.9,  # 127,800
        "Math growth": 255_600,
        "Proficiency": 113_600,  # 35% is past the 30% tier: 100%
        "Same tutor": 56_800 * (0.85 - 0.5) / 0.4,  # 49,700
    }
    assert payments(result) == pytest.approx(want, abs=CENT)
    assert result.total == pytest.approx(852_000 + 127_800 + 255_600 + 113_600 + 49_700, abs=CENT)


def test_fewer_students_served_scales_the_per_student_base_and_per_student_outcomes(deal):
    result = evaluate(deal, deal.scenarios[2])  # 800 of 1,000 served; other rates expected
    assert result.students_served == 800
    assert result.base == pytest.approx(852_000 / 1_000 * 800, abs=CENT)  # $852 x 800 = 681,600
    dosage = result.outcomes[0]
    assert dosage.achievers == pytest.approx(0.75 * 1_000 * 800 / 1_000)  # 600
    assert dosage.payment == pytest.approx(600 * 142, abs=CENT)  # 85,200
    # Cohort, tiered and linear outcomes pay on the rate alone.
    assert result.payment("Math growth") == pytest.approx(255_600, abs=CENT)
    assert result.total == pytest.approx(681_600 + 85_200 + 255_600 + 56_800 + 28_400, abs=CENT)
    assert result.cost_per_student_served == pytest.approx(1_107_600 / 800)


def test_missed_commitments_pay_the_full_contract_value(deal):
    result = evaluate(deal, deal.scenarios[3])
    assert not result.commitments_met
    assert payments(result) == pytest.approx(ALLOC, abs=CENT)
    assert result.base == pytest.approx(BASE, abs=CENT)
    assert result.total == pytest.approx(1_420_000, abs=CENT)
    assert result.district_savings == pytest.approx(0, abs=CENT)
    assert result.outcomes[0].achievers == pytest.approx(300)  # still reported: 30% of 1,000


def test_missed_commitments_pay_the_full_base_even_with_fewer_students(deal):
    scenario = Scenario(name="x", students_served=500, commitments_met=False)
    assert evaluate(deal, scenario).total == pytest.approx(1_420_000, abs=CENT)


def test_floor_and_maximum(deal):
    assert floor(deal).total == pytest.approx(852_000, abs=CENT)
    assert floor(deal).pool_earned_share == 0
    top = maximum(deal)
    assert top.total == pytest.approx(1_420_000, abs=CENT)
    assert payments(top) == pytest.approx(ALLOC, abs=CENT)
    assert [o.rate for o in top.outcomes] == [1.0] * 4


def test_maximum_counts_a_capped_tier_whole():
    deal = make_deal(outcomes=[{"name": "Capped", "basis": "tiered",
                                "tiers": [{"min_rate": 0.3, "payout": 0.8}]}])
    # The rate card can pay at most 80% of the pool, but the contract value is all of it.
    assert evaluate(deal, Scenario(name="all", rates={"Capped": 1.0})).total == pytest.approx(
        60_000 + 40_000 * 0.8)
    assert maximum(deal).total == pytest.approx(100_000)


def test_fixed_base_is_paid_in_full_whatever_the_enrollment():
    deal = make_deal(base_basis="fixed")  # $100,000, 40% on outcomes, 100 students
    result = evaluate(deal, Scenario(name="half", students_served=50, rates={"Growth": 0.5}))
    assert result.base == pytest.approx(60_000)
    # Per-student outcome: 0.5 x 100 eligible x 50/100 served = 25 achievers x $400 each.
    assert result.outcomes[0].achievers == pytest.approx(25)
    assert result.total == pytest.approx(60_000 + 25 * 400)


def test_no_students_served_has_no_cost_per_student():
    deal = make_deal(base_basis="per_student")
    result = evaluate(deal, Scenario(name="none", students_served=0))
    assert result.total == 0
    assert result.cost_per_student_served is None
    assert result.outcomes[0].cost_per_achiever is None


def test_eligible_students_set_the_price_per_achiever():
    deal = make_deal(outcomes=[{"name": "Grade 3 test", "eligible_students": 40, "expected_rate": 0.5}])
    result = expected(deal)
    # $40,000 over 40 eligible students: $1,000 per achiever; 50% of 40 is 20 achievers.
    assert result.outcomes[0].achievers == pytest.approx(20)
    assert result.outcomes[0].payment == pytest.approx(20_000)
    assert result.outcomes[0].cost_per_achiever == pytest.approx(1_000)


def test_all_scenarios_lists_expected_first(deal):
    names = [r.name for r in all_scenarios(deal)]
    assert names == ["Expected", "Low", "High", "Fewer students", "District misses commitments"]


def test_zero_share_has_no_pool_to_earn():
    deal = make_deal(performance_share=0.0)
    assert expected(deal).pool_earned_share is None
    assert expected(deal).total == pytest.approx(100_000)


def test_weights_that_add_up_to_exactly_one_keep_their_figures():
    # 0.3333333 + 0.3333333 + 0.3333334 is 1.0 exactly: each allocation is pool x weight, as before.
    weights = [0.3333333, 0.3333333, 0.3333334]
    deal = make_deal(total_cost=9_999_999_999_999.99, performance_share=1.0,
                     outcomes=[{"name": n, "weight": w} for n, w in zip("ABC", weights, strict=True)])
    pool = 9_999_999_999_999.99
    assert [deal.allocation(o) for o in deal.outcomes] == [pool * w for w in weights]
    # 3,333,332,999,999.9967 twice and 3,333,333,999,999.9967 add up to the pool.
    assert sum(deal.allocation(o) for o in deal.outcomes) <= pool
    assert maximum(deal).total <= deal.total_cost


def test_the_json_of_a_scenario_names_what_penalties_were_relieved_of(deal):
    # No outcome takes money back in the example deal, so nothing is added back.
    data = expected(deal).to_dict()
    assert data["penalty_relief"] == 0
    assert data["performance"] == pytest.approx(447_300, abs=CENT)
