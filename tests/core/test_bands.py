"""Banded per-student payments with penalties (issue 12), computed by hand: the worked example,
max_penalty and the floor, penalties offsetting other outcomes, groups, and every rule."""

import pytest

from obc_calc.core.flags import deal_flags
from obc_calc.core.model import Scenario
from obc_calc.core.scenarios import evaluate, expected, floor, maximum
from tests.helpers import deal_problems, make_deal

CENT = 0.005
# The issue's worked example: below 0 (decline) takes back 25%, 0 to 1 pays nothing, 1 to 1.5 half,
# 1.5 or more the whole $200 a student.
BANDS = [{"min_value": None, "payout": -0.25}, {"min_value": 0, "payout": 0},
         {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}]
SHARES = [0.1, 0.3, 0.4, 0.2]
DECLINE = [1.0, 0.0, 0.0, 0.0]  # every student in the penalty band
MAP = {"name": "MAP growth", "basis": "per_student_banded", "bands": BANDS, "expected_band_shares": SHARES}


def banded(outcome=None, **fields):
    """$250,000 for 1,000 students, 40% on the outcome: an allocation of $100,000 over 500 eligible."""
    outcome = MAP | {"eligible_students": 500} | (outcome or {})
    return make_deal(students=1_000, total_cost=250_000, performance_share=0.4, outcomes=[outcome], **fields)


def test_the_issues_worked_example_pays_37_500():
    result = expected(banded()).outcomes[0]
    # $100,000 / 500 = $200 a student; 200 x 500 x (0.1 x -0.25 + 0.3 x 0 + 0.4 x 0.5 + 0.2 x 1)
    # = 100,000 x (-0.025 + 0 + 0.2 + 0.2) = 100,000 x 0.375 = 37,500.
    assert result.payment == pytest.approx(37_500, abs=CENT)
    assert result.rate == pytest.approx(0.4 + 0.2)  # the share in bands paying more than 0
    assert result.achievers == pytest.approx(0.6 * 500)
    assert expected(banded()).total == pytest.approx(150_000 + 37_500, abs=CENT)


def test_a_scenarios_band_shares_replace_the_expected_ones():
    result = evaluate(banded(), Scenario(name="s", band_shares={"MAP growth": [0, 0.2, 0.3, 0.5]}))
    # 100,000 x (0 + 0 + 0.3 x 0.5 + 0.5 x 1) = 100,000 x 0.65 = 65,000.
    assert result.outcomes[0].payment == pytest.approx(65_000, abs=CENT)


def test_without_expected_shares_no_student_is_in_a_band():
    deal = banded({"expected_band_shares": None})
    assert expected(deal).outcomes[0].payment == 0
    assert expected(deal).outcomes[0].rate == 0


def test_fewer_students_served_scale_the_band_value():
    result = evaluate(banded(), Scenario(name="s", students_served=800))
    # 200 x 500 x 800/1,000 x 0.375 = 30,000.
    assert result.outcomes[0].payment == pytest.approx(30_000, abs=CENT)
    assert result.outcomes[0].achievers == pytest.approx(0.6 * 500 * 0.8)


@pytest.mark.parametrize(("max_penalty", "taken"), [
    (0, 0),  # the default: penalties only offset, so the district pays the base
    (10_000, 10_000),  # a real clawback, capped at 10,000 of the 25,000 the band would take
    (50_000, 25_000),  # a cap above the penalty: all of 100,000 x -0.25 is taken back
])
def test_max_penalty_caps_what_penalties_take_from_the_base(max_penalty, taken):
    deal = banded(max_penalty=max_penalty)
    result = evaluate(deal, Scenario(name="decline", band_shares={"MAP growth": DECLINE}))
    assert result.outcomes[0].payment == pytest.approx(-25_000, abs=CENT)  # the band's own figure
    assert result.penalty_relief == pytest.approx(25_000 - taken, abs=CENT)
    assert result.performance == pytest.approx(-taken, abs=CENT)
    assert result.total == pytest.approx(150_000 - taken, abs=CENT)
    assert result.to_dict()["penalty_relief"] == pytest.approx(25_000 - taken, abs=CENT)
    # The floor puts everyone in the penalty band: base less the most the penalties can take.
    assert floor(deal).total == pytest.approx(150_000 - taken, abs=CENT)
    assert maximum(deal).total == pytest.approx(250_000, abs=CENT)


def test_penalties_offset_what_other_outcomes_earn():
    tutoring = {"name": "Dosage", "weight": 0.5, "expected_rate": 0.5}
    deal = make_deal(students=1_000, total_cost=250_000, performance_share=0.4,
                     outcomes=[tutoring, MAP | {"weight": 0.5}])
    # Allocations of 50,000 each. Dosage at 50%: 25,000. MAP with 30% in decline, the rest in no band:
    # 50,000 x 0.3 x -0.25 = -3,750, offset by Dosage: 150,000 + 25,000 - 3,750.
    some = Scenario(name="some", band_shares={"MAP growth": [0.3, 0, 0, 0]})
    assert evaluate(deal, some).total == pytest.approx(171_250, abs=CENT)
    assert evaluate(deal, some).penalty_relief == 0
    # Everyone in decline: -12,500 against Dosage's 10,000 at 20%; with max_penalty 0 the payments
    # stop at 0, so the district pays the base and nothing is taken from it.
    worst = Scenario(name="worst", rates={"Dosage": 0.2}, band_shares={"MAP growth": DECLINE})
    assert evaluate(deal, worst).penalty_relief == pytest.approx(12_500 - 10_000, abs=CENT)
    assert evaluate(deal, worst).total == pytest.approx(150_000, abs=CENT)
    assert floor(deal).total == pytest.approx(150_000, abs=CENT)


def test_missed_commitments_pay_the_whole_allocation_even_with_penalties():
    deal = banded(max_penalty=10_000)
    result = evaluate(deal, Scenario(name="m", commitments_met=False, band_shares={"MAP growth": DECLINE}))
    assert result.outcomes[0].payment == pytest.approx(100_000)
    assert result.total == pytest.approx(250_000, abs=CENT)


def test_the_floor_without_a_penalty_band_is_the_base():
    deal = banded({"bands": [{"min_value": 0, "payout": 0.5}, {"min_value": 1, "payout": 1}],
                   "expected_band_shares": [0.5, 0.5]}, max_penalty=10_000)
    assert floor(deal).total == pytest.approx(150_000, abs=CENT)


# ---------------------------------------------------------------- with student groups

SWD, EL, OTHER = "Students with disabilities", "English learners", "Other students"
GROUPS = [{"name": SWD, "students": 100, "price_multiplier": 1.5},
          {"name": EL, "students": 200, "price_multiplier": 1.25}]


def banded_groups(**outcome):
    """An allocation of $200,000 over the groups 100 x 1.5, 200 x 1.25 and 700 x 1: u = 200,000 / 1,100."""
    return make_deal(students=1_000, total_cost=500_000, performance_share=0.4, student_groups=GROUPS,
                     outcomes=[MAP | {"expected_band_shares": [0, 0.2, 0.4, 0.4]} | outcome])


def test_banded_with_groups_prices_each_group_by_its_multiplier():
    deal = banded_groups(group_band_shares={SWD: [0, 0.5, 0.5, 0], EL: SHARES})
    result = expected(deal).outcomes[0]
    # Band values: SWD 0.5 x 0.5 = 0.25; EL 0.375 (the worked example); others 0.4 x 0.5 + 0.4 = 0.6.
    # u x (1.5 x 100 x 0.25 + 1.25 x 200 x 0.375 + 700 x 0.6) = u x (37.5 + 93.75 + 420) = u x 551.25.
    assert result.payment == pytest.approx(200_000 * 551.25 / 1_100, abs=CENT)  # 100,227.27
    # Paying shares 50%, 60% and 80%: (50 + 120 + 560) / 1,000 = 73%.
    assert result.rate == pytest.approx(0.73)
    groups = expected(deal).to_dict()["outcomes"][0]["groups"]
    assert [(g["name"], g["rate"]) for g in groups] == [(SWD, 0.5), (EL, pytest.approx(0.6)),
                                                         (OTHER, pytest.approx(0.8))]
    assert [g["price"] for g in groups] == pytest.approx([200_000 / 1_100 * m for m in (1.5, 1.25, 1)])
    assert [g["payment"] for g in groups] == pytest.approx(
        [200_000 / 1_100 * 1.5 * 100 * 0.25, 200_000 / 1_100 * 1.25 * 200 * 0.375,
         200_000 / 1_100 * 700 * 0.6])


def test_band_shares_by_group_follow_the_order_of_precedence():
    deal = banded_groups(group_band_shares={SWD: [0, 0.5, 0.5, 0]})
    scenario = Scenario(name="s", band_shares={"MAP growth": [0, 0, 0, 1]},
                        group_band_shares={"MAP growth": {EL: [1, 0, 0, 0]}})
    groups = evaluate(deal, scenario).outcomes[0].groups
    # EL from the scenario's group shares (all in decline: -0.25), the others from its overall shares
    # (all in the top band: 1), which come before the outcome's own shares for SWD.
    # u x (1.5 x 100 x 1 + 1.25 x 200 x -0.25 + 700 x 1) = u x (150 - 62.5 + 700) = u x 787.5.
    assert [g.rate for g in groups] == [1, 0, 1]
    assert evaluate(deal, scenario).outcomes[0].payment == pytest.approx(200_000 * 787.5 / 1_100, abs=CENT)


def test_missed_commitments_with_groups_pay_every_students_price():
    result = evaluate(banded_groups(), Scenario(name="m", commitments_met=False))
    assert [g.payment for g in result.outcomes[0].groups] == pytest.approx(
        [200_000 * 150 / 1_100, 200_000 * 250 / 1_100, 200_000 * 700 / 1_100])
    assert result.total == pytest.approx(500_000, abs=CENT)


# ---------------------------------------------------------------- the rules, at their field paths


def problems(outcome=None, scenarios=(), **fields):
    return deal_problems(outcomes=[MAP | (outcome or {})], scenarios=list(scenarios), **fields)


def with_band(i, **band):
    return {"bands": [b | band if j == i else b for j, b in enumerate(BANDS)]}


def test_bands_out_of_order():
    assert problems(with_band(2, min_value=0)) == [
        "outcomes[0].bands[2].min_value: bands must rise: 0 is not above the previous 0"]


def test_only_the_first_band_may_start_at_any_value():
    assert problems(with_band(1, min_value=None)) == [
        "outcomes[0].bands[1].min_value: only the first band may start at any value"]


def test_a_payout_above_one_or_below_minus_one():
    assert problems(with_band(3, payout=1.5)) == [
        "outcomes[0].bands[3].payout: input should be less than or equal to 1 (got 1.5)"]
    assert problems(with_band(0, payout=-1.5)) == [
        "outcomes[0].bands[0].payout: input should be greater than or equal to -1 (got -1.5)"]


def test_a_falling_payout():
    assert problems(with_band(2, payout=-0.5)) == [
        "outcomes[0].bands[2].payout: payouts may not fall: -50% is below the previous 0%"]


def test_the_last_band_pays_the_whole_price():
    assert problems(with_band(3, payout=0.8)) == [
        "outcomes[0].bands[3].payout: the last band pays the whole price per student (100%), not 80%"]


def test_fewer_than_two_bands():
    assert problems({"bands": [{"min_value": 1, "payout": 1}], "expected_band_shares": [0.5]}) == [
        "outcomes[0].bands: a banded outcome needs at least two bands"]


def test_a_banded_outcome_needs_bands():
    assert problems({"bands": None, "expected_band_shares": None}) == [
        "outcomes[0].bands: a per_student_banded outcome needs it"]


def test_shares_over_one():
    assert problems({"expected_band_shares": [0.5, 0.3, 0.2, 0.1]}) == [
        "outcomes[0].expected_band_shares: the shares add up to 110.0%, more than all of the students (100%)"]


def test_a_share_list_of_the_wrong_length():
    assert problems({"expected_band_shares": [0.5, 0.5]}) == [
        "outcomes[0].expected_band_shares: give one share per band: 4 bands, 2 shares"]
    assert problems(scenarios=[{"name": "s", "band_shares": {"MAP growth": [1]}}]) == [
        "scenarios[0].band_shares.MAP growth: give one share per band: 4 bands, 1 shares"]


def test_a_rate_for_a_banded_outcome_in_a_scenario():
    assert problems(scenarios=[{"name": "s", "rates": {"MAP growth": 0.5}}]) == [
        "scenarios[0].rates.MAP growth: this outcome pays by bands: give its shares of students by band "
        "under band_shares, not a rate"]


def test_band_shares_for_an_outcome_that_is_not_banded():
    assert deal_problems(scenarios=[{"name": "s", "band_shares": {"Growth": [1, 0]}}]) == [
        "scenarios[0].band_shares.Growth: there is no banded outcome by that name"]


def test_bands_and_their_shares_on_an_outcome_that_is_not_banded():
    assert deal_problems(outcomes=[{"name": "Growth", "bands": BANDS, "expected_band_shares": SHARES}]) == [
        "outcomes[0].bands: a per_student outcome does not use it",
        "outcomes[0].expected_band_shares: a per_student outcome does not use it"]


def test_group_rules_for_banded_outcomes():
    def grouped(outcome=None, scenarios=()):
        return deal_problems(students=1_000, student_groups=GROUPS, outcomes=[MAP | (outcome or {})],
                             scenarios=list(scenarios))
    assert grouped({"group_band_shares": {"Gifted": SHARES}}) == [
        "outcomes[0].group_band_shares.Gifted: there is no student group by that name"]
    assert grouped({"group_band_shares": {EL: [1]}}) == [
        "outcomes[0].group_band_shares.English learners: give one share per band: 4 bands, 1 shares"]
    assert grouped(scenarios=[{"name": "s", "group_band_shares": {"MAP growth": {"Gifted": SHARES}}}]) == [
        "scenarios[0].group_band_shares.MAP growth.Gifted: there is no student group by that name"]
    too_many = {"MAP growth": {EL: [0.9, 0.9, 0, 0]}}
    assert grouped(scenarios=[{"name": "s", "group_band_shares": too_many}]) == [
        "scenarios[0].group_band_shares.MAP growth.English learners: the shares add up to 180.0%, more than "
        "all of the students (100%)"]
    assert grouped({"group_expected_rates": {EL: 0.5}}) == [
        "outcomes[0].group_expected_rates: a banded outcome pays by bands, not by group rates; give "
        "group_band_shares"]
    assert grouped(scenarios=[{"name": "s", "group_rates": {"MAP growth": {EL: 0.5}}}]) == [
        "scenarios[0].group_rates.MAP growth: this outcome pays by bands: give its shares of students by "
        "band under group_band_shares, not rates"]
    assert grouped({"eligible_students": 500}) == [
        "outcomes[0].eligible_students: in a deal with student groups, the groups say who is eligible for a "
        "per-student outcome"]
    assert deal_problems(student_groups=[{"name": EL, "students": 10}],
                         outcomes=[{"name": "Growth", "group_band_shares": {EL: [1]}}]) == [
        "outcomes[0].group_band_shares: only a banded outcome has band shares"]


def test_max_penalty_is_dollars_of_zero_or_more():
    assert problems(max_penalty=-1) == ["max_penalty: input should be greater than or equal to 0 (got -1)"]


# ---------------------------------------------------------------- flags


def codes(deal):
    return [f.code for f in deal_flags(deal)]


def test_a_penalty_band_with_no_max_penalty_is_noted():
    (flag,) = [f for f in deal_flags(banded()) if f.code == "penalty_only_offsets"]
    assert flag.level == "info"
    assert flag.message.startswith("MAP growth: a band takes money back, but the maximum penalty is $0")
    assert "penalty_only_offsets" not in codes(banded(max_penalty=10_000))
    no_penalty = banded({"bands": [{"min_value": 0, "payout": 0.5}, {"min_value": 1, "payout": 1}],
                         "expected_band_shares": [0.5, 0.5]})
    assert "penalty_only_offsets" not in codes(no_penalty)


@pytest.mark.parametrize(("shares", "code"), [
    ([0, 0, 0.04, 0.96], "threshold_too_easy"),  # 0.02 + 0.96 = 98% of the allocation expected
    (SHARES, None),  # 37.5%
    ([0, 0.9, 0.1, 0], "threshold_too_hard"),  # 5%
    ([0.4, 0.6, 0, 0], "threshold_too_hard"),  # -10%: expected to take money back
])
def test_the_expected_band_value_drives_the_threshold_flags(shares, code):
    deal = banded({"expected_band_shares": shares})
    assert [c for c in codes(deal) if c.startswith("threshold")] == ([code] if code else [])


def test_a_band_expected_to_take_money_back_says_so():
    deal = banded({"expected_band_shares": [0.4, 0.6, 0, 0]})
    (flag,) = [f for f in deal_flags(deal) if f.code == "threshold_too_hard"]
    assert "it is expected to take back 10% of its allocation" in flag.message


def test_a_first_band_that_takes_money_back_starts_at_any_value():
    # Below a first band at 0 a student would pay nothing, more than the -25% of one in it.
    assert problems(with_band(0, min_value=-1)) == [
        "outcomes[0].bands[0].payout: a first band that takes money back must start at any value "
        "(min_value null), or students below it would pay nothing, more than those in it"]
