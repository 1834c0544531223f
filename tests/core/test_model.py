"""Every bad deal named in the issue gives one clear problem at the right field path."""

import copy
import json
from pathlib import Path

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import deal_from_dict
from tests.helpers import deal_dict, make_deal

EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "example_deal.json").read_text())


def problems_of(mutate) -> list[str]:
    data = copy.deepcopy(EXAMPLE)
    mutate(data)
    with pytest.raises(DealError) as caught:
        deal_from_dict(data, "deal.json")
    return caught.value.lines()


def only(mutate) -> str:
    lines = problems_of(mutate)
    assert len(lines) == 1, lines
    return lines[0]


def test_the_example_deal_loads():
    deal = deal_from_dict(copy.deepcopy(EXAMPLE))
    assert deal.students == 1000
    assert deal.base_max == pytest.approx(852_000)
    assert deal.performance_pool == pytest.approx(568_000)
    assert deal.term.base_upfront_share == 0.2


def test_defaults_of_optional_fields():
    deal = make_deal()
    assert deal.base_basis == "fixed"
    assert (deal.term.start, deal.term.months, deal.term.fiscal_year_start_month) == ("2026-09", 10, 7)
    assert deal.term.base_upfront_share == 0
    assert deal.commitments == [] and deal.scenarios == []
    outcome = deal.outcomes[0]
    assert (outcome.basis, outcome.weight, outcome.data_source) == ("per_student", 1.0, "district")
    assert deal.eligible(outcome) == 100
    assert deal.paid_in_month(outcome) == 10  # the term's last month


@pytest.mark.parametrize("field", ["schema_version", "name", "students", "total_cost",
                                   "performance_share", "outcomes"])
def test_each_required_field(field):
    assert only(lambda d: d.pop(field)) == f"deal.json: {field}: this required field is missing"


def test_unknown_fields_are_errors_at_any_depth():
    assert "studnets: unknown field" in only(lambda d: d.update(studnets=5))
    assert "outcomes[1].wieght: unknown field" in only(lambda d: d["outcomes"][1].update(wieght=0.1))
    assert "term.months_: unknown field" in only(lambda d: d["term"].update(months_=3))


def test_not_json_and_not_an_object():
    from obc_calc.io.dealfile import deal_from_json

    with pytest.raises(DealError, match=r"deal.json: this is not valid JSON \(.* line 1"):
        deal_from_json("{nope", "deal.json")
    with pytest.raises(DealError, match="one JSON object"):
        deal_from_json("[1, 2]", "deal.json")
    with pytest.raises(DealError, match="not text"):
        deal_from_json(b"\xff\xfe\x00\x01garbage", "deal.json")


def test_weights_must_add_up_to_one():
    line = only(lambda d: d["outcomes"][0].update(weight=0.3))
    assert line == "deal.json: outcomes: the weights add up to 105%, not 100%"


def test_weights_within_a_millionth_are_fine():  # they add up to 1.0000001
    deal_from_dict(deal_dict(outcomes=[{"name": "a", "weight": 0.3333333}, {"name": "b", "weight": 0.3333333},
                                       {"name": "c", "weight": 0.3333335}]))


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_share_outside_zero_to_one(share):
    assert only(lambda d: d.update(performance_share=share)).startswith("deal.json: performance_share: ")


@pytest.mark.parametrize("cost", [0, -100])
def test_cost_must_be_positive(cost):
    assert "total_cost: input should be greater than 0" in only(lambda d: d.update(total_cost=cost))


def test_duplicate_outcome_names():
    lines = problems_of(lambda d: d["outcomes"][1].update(name="Dosage"))
    assert "deal.json: outcomes[1].name: another outcome is already called 'Dosage'" in lines


def test_duplicate_scenario_names():
    line = only(lambda d: d["scenarios"][1].update(name="Low"))
    assert line == "deal.json: scenarios[1].name: another scenario is already called 'Low'"


def test_scenario_rate_for_an_outcome_that_does_not_exist():
    line = only(lambda d: d["scenarios"][1]["rates"].update(Dosag=0.5))
    assert line == "deal.json: scenarios[1].rates.Dosag: there is no outcome by that name"


@pytest.mark.parametrize("rate", [-0.01, 1.01])
def test_rates_outside_zero_to_one(rate):
    assert only(lambda d: d["scenarios"][1]["rates"].update(Dosage=rate)).startswith(
        "deal.json: scenarios[1].rates.Dosage: input should be")
    assert only(lambda d: d["outcomes"][0].update(expected_rate=rate)).startswith(
        "deal.json: outcomes[0].expected_rate: input should be")


def test_tiers_must_rise():
    line = only(lambda d: d["outcomes"][2]["tiers"][1].update(min_rate=0.2))
    assert line == ("deal.json: outcomes[2].tiers[1].min_rate: "
                    "tiers must rise: 20% is not above the previous 20%")


def test_tier_payouts_may_not_fall_or_leave_zero_to_one():
    falls = only(lambda d: d["outcomes"][2]["tiers"][1].update(payout=0.4))
    assert falls.startswith("deal.json: outcomes[2].tiers[1].payout: payouts may not fall")
    assert "tiers[0].payout: a tier must pay more than 0%" in only(
        lambda d: d["outcomes"][2]["tiers"][0].update(payout=0))
    assert "tiers[1].payout: input should be less than or equal to 1" in only(
        lambda d: d["outcomes"][2]["tiers"][1].update(payout=1.5))


def test_a_payment_at_zero_achievement_belongs_in_the_base():
    assert "outcomes[2].tiers[0].min_rate: a first tier at 0%" in only(
        lambda d: d["outcomes"][2]["tiers"][0].update(min_rate=0))
    assert "outcomes[1].target_rate: a target of 0%" in only(
        lambda d: d["outcomes"][1].update(target_rate=0))


def test_floor_at_or_above_target():
    line = only(lambda d: d["outcomes"][3].update(floor_rate=0.9))
    assert line == "deal.json: outcomes[3].floor_rate: the floor (90%) must be below the target (90%)"


def test_students_served_above_students():
    line = only(lambda d: d["scenarios"][0].update(students_served=1001))
    assert line == ("deal.json: scenarios[0].students_served: "
                    "1001 students served is more than the deal's 1000")


def test_basis_fields_must_match_the_basis():
    assert "outcomes[1].target_rate: a cohort_threshold outcome needs it" in only(
        lambda d: d["outcomes"][1].pop("target_rate"))
    assert "outcomes[0].tiers: a per_student outcome does not use it" in only(
        lambda d: d["outcomes"][0].update(tiers=[{"min_rate": 0.2, "payout": 1}]))


@pytest.mark.parametrize("name", ["Scenario", "Students served", "Commitments met", "Base",
                                  "Performance", "Total", "Savings"])
def test_outcomes_may_not_take_a_result_column_name(name):
    def rename(d):
        d["outcomes"][0]["name"] = name
        for scenario in d["scenarios"]:
            scenario["rates"].pop("Dosage", None)
    assert f"outcomes[0].name: {name!r} is reserved" in only(rename)


@pytest.mark.parametrize("name", ["Expected", "Floor", "Maximum"])
def test_scenarios_may_not_take_a_built_in_name(name):
    assert f"scenarios[0].name: {name!r} is reserved" in only(lambda d: d["scenarios"][0].update(name=name))


def test_term_start_and_paid_month():
    assert "term.start: the start must be a month written YYYY-MM" in only(
        lambda d: d["term"].update(start="Sept 2026"))
    line = only(lambda d: d["outcomes"][0].update(paid_in_month=11))
    assert line == "deal.json: outcomes[0].paid_in_month: month 11 is after the term's last month (10)"


def test_eligible_students_above_students():
    assert "outcomes[0].eligible_students: 1200 eligible students is more than" in only(
        lambda d: d["outcomes"][0].update(eligible_students=1200))


def test_schema_version_other_than_one():
    line = only(lambda d: d.update(schema_version=2))
    assert line == "deal.json: schema_version: this program reads deal files of version 1, not 2"


def test_every_problem_is_reported_at_once():
    def break_two(d):
        d["outcomes"][3]["floor_rate"] = 0.95
        d["scenarios"][0]["students_served"] = 5000
    assert len(problems_of(break_two)) == 2


@pytest.mark.parametrize("version", [True, 1.0, "1", float("nan")])
def test_the_version_is_the_integer_one(version):
    assert only(lambda d: d.update(schema_version=version)) == (
        f"deal.json: schema_version: this program reads deal files of version 1, not {version!r}")


@pytest.mark.parametrize("value", ["true", 1, 0, "no", None])
def test_commitments_met_is_true_or_false(value):
    assert only(lambda d: d["scenarios"][0].update(commitments_met=value)) == (
        f"deal.json: scenarios[0].commitments_met: input should be a valid boolean (got {value!r})")


def test_a_json_integer_is_a_number():
    deal = make_deal(total_cost=100_000, performance_share=1, outcomes=[{"name": "Growth", "weight": 1}])
    assert (deal.total_cost, deal.performance_share, deal.outcomes[0].weight) == (100_000.0, 1.0, 1.0)


def test_a_deal_with_groups_and_bands_saves_as_it_loads():
    from obc_calc.io.dealfile import deal_to_dict

    data = deal_dict(
        students=1_000, max_penalty=5_000,
        student_groups=[{"name": "English learners", "students": 200, "price_multiplier": 1.25}],
        outcomes=[{"name": "MAP", "basis": "per_student_banded",
                   "bands": [{"min_value": None, "payout": -0.25}, {"min_value": 1.0, "payout": 1.0}],
                   "expected_band_shares": [0.2, 0.5],
                   "group_band_shares": {"English learners": [0.3, 0.4]}}],
        scenarios=[{"name": "s", "band_shares": {"MAP": [0, 1]},
                    "group_band_shares": {"MAP": {"English learners": [1, 0]}}}])
    saved = deal_to_dict(deal_from_dict(data))
    assert deal_to_dict(deal_from_dict(saved)) == saved
    assert saved["student_groups"] == [
        {"name": "English learners", "students": 200, "price_multiplier": 1.25}]
    assert saved["max_penalty"] == 5_000
    assert saved["scenarios"][0]["band_shares"] == {"MAP": [0, 1]}
    assert "group_rates" not in saved["scenarios"][0]  # an empty mapping is left out


def test_band_shares_given_twice_for_one_outcome_are_refused():
    from tests.helpers import deal_problems

    bands = [{"min_value": None, "payout": 0.5}, {"min_value": 1.0, "payout": 1.0}]
    assert deal_problems(outcomes=[{"name": "MAP", "basis": "per_student_banded", "bands": bands}],
                         scenarios=[{"name": "s", "band_shares": {"MAP": [0, 1], "MAP ": [1, 0]}}]) == [
        "scenarios[0].band_shares.MAP: two band_shares entries are given for this outcome ('MAP' and 'MAP ')"]
