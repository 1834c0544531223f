"""Guardrail flags: the split's warnings at their exact edges, and the advice notes."""

import pytest

from obc_calc.core.flags import deal_flags, share_flags
from tests.helpers import make_deal


def codes(flags):
    return [f.code for f in flags]


@pytest.mark.parametrize(("share", "warning"), [
    (0.04, "performance_share_low"),
    (0.0499999, "performance_share_low"),
    (0.05, None),  # exactly 5% is fine
    (0.60, None),  # exactly 60% is fine
    (0.6000001, "performance_share_high"),
    (0.61, "performance_share_high"),
])
def test_share_warnings_at_the_edges(share, warning):
    warnings = [f.code for f in share_flags(share) if f.level == "warning"]
    assert warnings == ([warning] if warning else [])


def test_share_below_sef_is_information_not_a_warning():
    flags = share_flags(0.3)
    assert codes(flags) == ["performance_share_below_sef"]
    assert flags[0].level == "info"
    assert codes(share_flags(0.4)) == []


def test_low_share_does_not_also_get_the_sef_note():
    assert codes(share_flags(0.01)) == ["performance_share_low"]


def test_flag_messages_are_plain_sentences():
    (flag,) = share_flags(0.625)
    assert flag.message.startswith("62.5% of the price depends on outcomes.")


def test_missing_commitments_are_noted():
    assert "no_district_commitments" in codes(deal_flags(make_deal()))
    with_one = make_deal(commitments=[{"name": "Schedule students"}])
    assert "no_district_commitments" not in codes(deal_flags(with_one))


@pytest.mark.parametrize(("rate", "code"), [(0.96, "threshold_too_easy"), (0.95, None),
                                            (0.10, None), (0.09, "threshold_too_hard")])
def test_per_student_outcome_expected_to_pay_nearly_all_or_nothing(rate, code):
    deal = make_deal(outcomes=[{"name": "Growth", "expected_rate": rate}])
    found = [c for c in codes(deal_flags(deal)) if c.startswith("threshold")]
    assert found == ([code] if code else [])


@pytest.mark.parametrize(("target", "code"), [(0.3, "threshold_too_easy"), (0.4, None),
                                              (0.7, None), (0.75, "threshold_too_hard")])
def test_cohort_target_far_from_the_expected_rate(target, code):
    # Expected 55%: a target more than 15 points away is flagged; exactly 15 is not.
    deal = make_deal(outcomes=[{"name": "Growth", "basis": "cohort_threshold", "target_rate": target,
                                "expected_rate": 0.55}])
    found = [c for c in codes(deal_flags(deal)) if c.startswith("threshold")]
    assert found == ([code] if code else [])


def test_more_weight_on_a_harder_outcome():
    deal = make_deal(outcomes=[
        {"name": "Hard", "weight": 0.7, "expected_rate": 0.3},
        {"name": "Easy", "weight": 0.3, "expected_rate": 0.8},
    ])
    (flag,) = [f for f in deal_flags(deal) if f.code == "weight_on_harder_outcome"]
    assert flag.level == "info"
    assert flag.message.startswith("Hard carries more weight (70%) than Easy (30%)")


def test_weight_on_the_easier_outcome_is_not_flagged():
    deal = make_deal(outcomes=[
        {"name": "Hard", "weight": 0.3, "expected_rate": 0.3},
        {"name": "Easy", "weight": 0.7, "expected_rate": 0.8},
    ])
    assert "weight_on_harder_outcome" not in codes(deal_flags(deal))


def test_capped_tier_is_noted():
    deal = make_deal(outcomes=[{"name": "Capped", "basis": "tiered", "expected_rate": 0.5,
                                "tiers": [{"min_rate": 0.3, "payout": 0.8}]}])
    assert "tier_cap_below_full" in codes(deal_flags(deal))


def test_every_flag_has_a_level_code_and_message():
    for flag in deal_flags(make_deal(performance_share=0.7)):
        assert flag.level in ("warning", "info") and flag.code and flag.message.endswith(".")


GROUPS = [{"name": "Students with disabilities", "students": 20, "price_multiplier": 1.5},
          {"name": "English learners", "students": 30, "price_multiplier": 0.8}]


def test_a_group_multiplier_below_one_is_noted():
    deal = make_deal(student_groups=GROUPS)
    (flag,) = [f for f in deal_flags(deal) if f.code == "group_multiplier_below_one"]
    assert flag.level == "info"
    assert flag.message.startswith("English learners: the price multiplier is 0.8, below 1, so the provider "
                                   "is paid less for these students")


def test_a_cohort_target_is_compared_with_the_groups_overall_rate():
    # Group rates 90% of 20, 90% of 30 and 10% of the other 50: (18 + 27 + 5) / 100 = 50% overall,
    # 5 points from a 55% target, though the outcome's own expected rate (10%) is 45 points away.
    deal = make_deal(student_groups=GROUPS, outcomes=[{
        "name": "Growth", "basis": "cohort_threshold", "target_rate": 0.55, "expected_rate": 0.1,
        "group_expected_rates": {"Students with disabilities": 0.9, "English learners": 0.9}}])
    assert not [c for c in codes(deal_flags(deal)) if c.startswith("threshold")]


def test_a_per_student_outcome_is_judged_on_what_its_groups_pay():
    # 100% of 20 x 1.5 and of 30 x 0.8 and 95% of 50 others: (30 + 24 + 47.5) / (30 + 24 + 50) = 97.6%.
    deal = make_deal(student_groups=GROUPS, outcomes=[{
        "name": "Growth", "expected_rate": 0.95,
        "group_expected_rates": {"Students with disabilities": 1.0, "English learners": 1.0}}])
    assert "threshold_too_easy" in codes(deal_flags(deal))
