"""Student groups priced apart (issue 12), computed by hand: the rate each group is given, the
price by multiplier, the overall rate other bases read, the evaluate JSON and every rule."""

import pytest

from obc_calc.core.model import Scenario
from obc_calc.core.scenarios import evaluate, expected, floor, maximum
from tests.helpers import deal_problems, make_deal

CENT = 0.005
SWD, EL, OTHER = "Students with disabilities", "English learners", "Other students"
# The issue's worked example: 1,000 students, 100 x 1.5 and 200 x 1.25 named, so 700 x 1 others.
GROUPS = [{"name": SWD, "students": 100, "price_multiplier": 1.5},
          {"name": EL, "students": 200, "price_multiplier": 1.25}]
WEIGHTED = 1.5 * 100 + 1.25 * 200 + 1 * 700  # 150 + 250 + 700 = 1,100
U = 200_000 / WEIGHTED  # $181.8181... at multiplier 1
RATES = {SWD: 0.4, EL: 0.5, OTHER: 0.6}


def grouped(outcome=None, **fields):
    """$500,000, 40% on one outcome: an allocation of $200,000 over the worked example's groups."""
    outcome = {"name": "Growth", "expected_rate": 0.5} | (outcome or {})
    return make_deal(students=1_000, total_cost=500_000, performance_share=0.4, student_groups=GROUPS,
                     outcomes=[outcome], **fields)


def by_group(result):
    return {g.name: g for g in result.outcomes[0].groups}


def test_the_issues_worked_example_pays_110_000():
    deal = grouped({"group_expected_rates": RATES})
    growth = expected(deal).outcomes[0]
    # 40% of 100, 50% of 200, 60% of 700: 40, 100 and 420 achievers.
    # u x (1.5 x 40 + 1.25 x 100 + 1 x 420) = u x 605 = 200,000 x 605 / 1,100 = 110,000.
    assert growth.payment == pytest.approx(110_000, abs=CENT)
    assert growth.rate == pytest.approx((40 + 100 + 420) / 1_000)  # 56% overall
    assert growth.achievers == pytest.approx(560)
    assert round(U, 2) == 181.82
    groups = by_group(expected(deal))
    assert [g.name for g in groups.values()] == [SWD, EL, OTHER]
    assert groups[SWD].price == pytest.approx(200_000 / 1_100 * 1.5)  # $272.73 per achiever
    assert groups[SWD].payment == pytest.approx(40 * 200_000 / 1_100 * 1.5)  # $10,909.09
    assert groups[EL].payment == pytest.approx(100 * 200_000 / 1_100 * 1.25)  # $22,727.27
    assert groups[OTHER].payment == pytest.approx(420 * 200_000 / 1_100)  # $76,363.64


def test_everyone_achieving_pays_exactly_the_allocation():
    deal = grouped({"group_expected_rates": {SWD: 1.0, EL: 1.0, OTHER: 1.0}})
    # u x 1,100 = 200,000: the multipliers move money between groups, never above the allocation.
    assert expected(deal).outcomes[0].payment == pytest.approx(200_000, abs=CENT)


def test_the_evaluate_json_lists_each_group():
    deal = grouped({"group_expected_rates": RATES})
    (outcome,) = expected(deal).to_dict()["outcomes"]
    def row(name, students, rate, achievers, multiplier):
        price = 200_000 / 1_100 * multiplier
        return {"name": name, "students": students, "rate": rate, "achievers": pytest.approx(achievers),
                "price": pytest.approx(price), "payment": pytest.approx(achievers * price)}
    assert outcome["groups"] == [row(SWD, 100, 0.4, 40, 1.5), row(EL, 200, 0.5, 100, 1.25),
                                 row(OTHER, 700, 0.6, 420, 1)]


def test_a_deal_without_groups_has_no_groups_in_its_json():
    assert "groups" not in expected(make_deal()).to_dict()["outcomes"][0]


def test_a_group_rate_given_only_by_the_scenario():
    deal = grouped()
    result = evaluate(deal, Scenario(name="s", group_rates={"Growth": {SWD: 0.9}}))
    # Students with disabilities at 90%, the others at the outcome's expected rate of 50%:
    # u x (1.5 x 90 + 1.25 x 100 + 1 x 350) = u x 610.
    assert [g.rate for g in result.outcomes[0].groups] == [0.9, 0.5, 0.5]
    assert result.outcomes[0].payment == pytest.approx(200_000 * 610 / 1_100, abs=CENT)  # 110,909.09


def test_a_group_rate_given_only_by_the_scenarios_overall_rate():
    deal = grouped({"group_expected_rates": RATES})
    result = evaluate(deal, Scenario(name="s", rates={"Growth": 0.3}))
    # The scenario's rate comes before the outcome's group rates: every group at 30%,
    # u x 0.3 x 1,100 = 200,000 x 0.3 = 60,000.
    assert [g.rate for g in result.outcomes[0].groups] == [0.3, 0.3, 0.3]
    assert result.outcomes[0].payment == pytest.approx(60_000, abs=CENT)


def test_a_group_rate_given_only_by_the_outcome():
    deal = grouped({"group_expected_rates": {EL: 0.8}})
    # English learners at 80%, the others at the expected 50%: u x (1.5 x 50 + 1.25 x 160 + 350) = u x 625.
    result = expected(deal)
    assert [g.rate for g in result.outcomes[0].groups] == [0.5, 0.8, 0.5]
    assert result.outcomes[0].payment == pytest.approx(200_000 * 625 / 1_100, abs=CENT)  # 113,636.36


def test_a_group_rate_given_by_neither_is_the_expected_rate():
    deal = grouped({"expected_rate": 0.25})
    # Every group at 25%: u x 0.25 x 1,100 = 50,000.
    assert expected(deal).outcomes[0].payment == pytest.approx(50_000, abs=CENT)


def test_the_first_given_rate_wins_group_by_group():
    deal = grouped({"group_expected_rates": RATES})
    scenario = Scenario(name="s", rates={"Growth": 0.3}, group_rates={"Growth": {"english LEARNERS": 0.7}})
    # English learners from the scenario's group rate (names ignore case), the rest from its overall rate.
    assert [g.rate for g in evaluate(deal, scenario).outcomes[0].groups] == [0.3, 0.7, 0.3]


def test_a_cohort_outcome_pays_on_the_overall_rate_of_the_groups():
    def cohort(target):
        return grouped({"basis": "cohort_threshold", "target_rate": target, "group_expected_rates": RATES})
    # Overall rate = (0.4 x 100 + 0.5 x 200 + 0.6 x 700) / 1,000 = 560 / 1,000 = 56%: the
    # multipliers do not weigh in, so a 55% target is reached and a 57% one is not.
    assert expected(cohort(0.55)).outcomes[0].payment == pytest.approx(200_000)
    assert expected(cohort(0.57)).outcomes[0].payment == 0
    groups = expected(cohort(0.55)).to_dict()["outcomes"][0]["groups"]
    assert [(g["price"], g["payment"]) for g in groups] == [(None, None)] * 3
    assert [g["achievers"] for g in groups] == pytest.approx([40, 100, 420])


def test_a_cohort_outcome_on_fewer_eligible_students_counts_group_achievers_on_them():
    deal = grouped({"basis": "linear", "target_rate": 0.8, "eligible_students": 500,
                    "group_expected_rates": RATES})
    result = expected(deal).outcomes[0]
    # 56% of 500 eligible = 280 achievers; each group's share of them is its rate x students x 500/1,000.
    assert result.achievers == pytest.approx(280)
    assert [g.achievers for g in result.groups] == pytest.approx([20, 50, 210])
    assert result.payment == pytest.approx(200_000 * 0.56 / 0.8)  # 140,000 on the line


def test_fewer_students_served_scale_every_group():
    deal = grouped({"group_expected_rates": RATES}, base_basis="per_student")
    result = evaluate(deal, Scenario(name="half", students_served=500))
    # Half served: 20, 50 and 210 achievers, u x 302.5 = 55,000; the base is $300,000 x 500/1,000.
    assert [g.achievers for g in result.outcomes[0].groups] == pytest.approx([20, 50, 210])
    assert result.outcomes[0].payment == pytest.approx(55_000, abs=CENT)
    assert result.total == pytest.approx(150_000 + 55_000, abs=CENT)


def test_missed_commitments_pay_every_groups_whole_price():
    deal = grouped({"group_expected_rates": RATES})
    result = evaluate(deal, Scenario(name="missed", commitments_met=False))
    # u x 1.5 x 100 = 27,272.73; u x 1.25 x 200 = 45,454.55; u x 700 = 127,272.73: 200,000 in all.
    assert [g.payment for g in result.outcomes[0].groups] == pytest.approx(
        [200_000 * 150 / 1_100, 200_000 * 250 / 1_100, 200_000 * 700 / 1_100])
    assert result.total == pytest.approx(500_000, abs=CENT)


def test_floor_and_maximum_with_groups():
    deal = grouped({"group_expected_rates": RATES})
    assert floor(deal).total == pytest.approx(300_000, abs=CENT)  # nothing achieved: the base
    assert maximum(deal).total == pytest.approx(500_000, abs=CENT)


def test_groups_that_hold_every_student_leave_no_other_students():
    deal = make_deal(students=300, student_groups=GROUPS)  # 100 + 200 = 300
    assert [g.name for g in expected(deal).outcomes[0].groups] == [SWD, EL]
    # $40,000 over 1.5 x 100 + 1.25 x 200 = 400: u = $100; at 50%: 100 x (75 + 125) = 20,000.
    assert expected(deal).outcomes[0].payment == pytest.approx(20_000, abs=CENT)


def test_a_version_1_deal_saves_without_the_new_fields():
    from obc_calc.io.dealfile import deal_to_dict

    data = deal_to_dict(make_deal())
    assert "student_groups" not in data and "max_penalty" not in data


# ---------------------------------------------------------------- the rules, at their field paths


def problems(outcome=None, groups=GROUPS, scenarios=(), **fields):
    outcome = {"name": "Growth"} | (outcome or {})
    return deal_problems(students=1_000, student_groups=groups, outcomes=[outcome], scenarios=list(scenarios),
                         **fields)


def test_groups_holding_more_than_the_deals_students():
    assert problems(groups=GROUPS + [{"name": "Gifted", "students": 701}]) == [
        "student_groups: the groups hold 1,001 students, more than the deal's 1,000"]


def test_other_students_is_a_reserved_group_name():
    assert problems(groups=[{"name": "other  STUDENTS", "students": 10}]) == [
        "student_groups[0].name: 'Other students' is reserved for the students no group names; "
        "pick another name"]


def test_a_duplicate_group_name_ignoring_case():
    assert problems(groups=GROUPS + [{"name": "english learners", "students": 5}]) == [
        "student_groups[2].name: another group is already called 'English learners' "
        "(names are compared ignoring case and spacing)"]


def test_a_group_needs_students_and_a_positive_multiplier():
    bad = [{"name": "A", "students": 0}, {"name": "B", "students": 5, "price_multiplier": 0}]
    assert problems(groups=bad) == [
        "student_groups[0].students: input should be greater than 0 (got 0)",
        "student_groups[1].price_multiplier: input should be greater than 0 (got 0)"]


def test_an_unknown_group_in_an_outcomes_rates():
    assert problems({"group_expected_rates": {"Gifted": 0.5}}) == [
        "outcomes[0].group_expected_rates.Gifted: there is no student group by that name"]


def test_an_unknown_group_in_a_scenarios_rates():
    assert problems(scenarios=[{"name": "s", "group_rates": {"Growth": {"Gifted": 0.5}}}]) == [
        "scenarios[0].group_rates.Growth.Gifted: there is no student group by that name"]


def test_group_rates_for_an_unknown_outcome():
    assert problems(scenarios=[{"name": "s", "group_rates": {"Growht": {EL: 0.5}}}]) == [
        "scenarios[0].group_rates.Growht: there is no outcome by that name"]


def test_a_group_given_twice_in_one_mapping():
    assert problems({"group_expected_rates": {EL: 0.5, "english  learners": 0.6}}) == [
        "outcomes[0].group_expected_rates.english  learners: this group is already given as "
        "'English learners' (names are compared ignoring case and spacing)"]


def test_group_rates_in_a_deal_without_groups():
    assert problems({"group_expected_rates": {EL: 0.5}}, groups=[]) == [
        "outcomes[0].group_expected_rates: the deal has no student groups; add them under student_groups "
        "first"]


def test_eligible_students_on_a_per_student_outcome_with_groups():
    assert problems({"eligible_students": 500}) == [
        "outcomes[0].eligible_students: in a deal with student groups, the groups say who is eligible for a "
        "per-student outcome"]
    # Other bases measure their rate on whoever the outcome names, so they keep it.
    problems_free = grouped({"basis": "cohort_threshold", "target_rate": 0.5, "eligible_students": 500})
    assert problems_free.outcomes[0].eligible_students == 500


def test_a_group_rate_outside_zero_to_one():
    assert problems({"group_expected_rates": {EL: 1.5}}) == [
        "outcomes[0].group_expected_rates.English learners: input should be less than or equal to 1 "
        "(got 1.5)"]


def test_scenario_group_rates_keyed_with_spaces_find_their_outcome():
    deal = grouped(scenarios=[{"name": "s", "group_rates": {" Growth ": {EL: 0.9}}}])
    assert deal.scenarios[0].group_rates == {"Growth": {EL: 0.9}}
