"""Each payment basis, checked by hand, at its boundaries and on arrays."""

import numpy as np
import pytest

from obc_calc.core.bases import (
    BASES,
    LABELS,
    NAMES,
    Refs,
    basis,
    cohort_threshold,
    describe_basis,
    full_payout_share,
    linear,
    outcome_payment,
    per_student,
    tiered,
)
from obc_calc.core.model import BASES as MODEL_NAMES
from obc_calc.core.model import BASIS_FIELDS, Outcome, Tier
from tests.helpers import deal_problems


def test_per_student_pays_for_each_achiever():
    # $100,000 over 1,000 eligible students is $100 per achiever; 37% achieve: 370 x $100.
    assert per_student(100_000, 0.37) == pytest.approx(37_000)
    # Only 800 of 1,000 students served: 0.37 x 1,000 x 0.8 = 296 achievers x $100.
    assert per_student(100_000, 0.37, 0.8) == pytest.approx(29_600)


def test_cohort_threshold_is_all_or_nothing_and_the_target_itself_pays():
    assert cohort_threshold(50_000, 0.4999, 0.5) == 0
    assert cohort_threshold(50_000, 0.5, 0.5) == 50_000
    assert cohort_threshold(50_000, 0.9, 0.5) == 50_000


def test_cohort_threshold_counts_a_rate_computed_as_a_ratio_at_the_target():
    # 0.1 * 3 is 0.30000000000000004 and 0.7 - 0.4 is 0.29999999999999993: both reach 30%.
    assert cohort_threshold(1_000, 0.7 - 0.4, 0.3) == 1_000


def test_tiered_pays_the_highest_tier_reached():
    tiers = ([0.2, 0.3], [0.5, 1.0])
    assert tiered(10_000, 0.19, *tiers) == 0
    assert tiered(10_000, 0.2, *tiers) == 5_000  # exactly on the first edge: 50%
    assert tiered(10_000, 0.29, *tiers) == 5_000
    assert tiered(10_000, 0.3, *tiers) == 10_000  # exactly on the second edge: 100%
    assert tiered(10_000, 1.0, *tiers) == 10_000


def test_linear_rises_from_floor_to_target():
    assert linear(40_000, 0.5, 0.5, 0.9) == 0  # at the floor: nothing
    assert linear(40_000, 0.7, 0.5, 0.9) == pytest.approx(20_000)  # (0.7-0.5)/(0.9-0.5) = 1/2
    assert linear(40_000, 0.8, 0.5, 0.9) == pytest.approx(30_000)  # 0.3/0.4 = 3/4
    assert linear(40_000, 0.9, 0.5, 0.9) == 40_000
    assert linear(40_000, 1.0, 0.5, 0.9) == 40_000  # capped at the allocation
    assert linear(40_000, 0.2, 0.5, 0.9) == 0  # never negative


def test_rules_work_on_arrays():
    rates = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(per_student(1_000, rates), [0, 250, 500, 750, 1_000])
    np.testing.assert_array_equal(cohort_threshold(1_000, rates, 0.5), [0, 0, 1_000, 1_000, 1_000])
    np.testing.assert_array_equal(tiered(1_000, rates, [0.25, 0.75], [0.4, 1.0]), [0, 400, 400, 1_000, 1_000])
    np.testing.assert_allclose(linear(1_000, rates, 0.25, 0.75), [0, 0, 500, 1_000, 1_000])


def test_outcome_payment_dispatches_on_the_basis():
    tiers = [Tier(min_rate=0.2, payout=0.5), Tier(min_rate=0.3, payout=1.0)]
    assert outcome_payment(Outcome(name="a"), 1_000, 0.4) == pytest.approx(400)
    assert outcome_payment(Outcome(name="b", basis="cohort_threshold", target_rate=0.5), 1_000, 0.4) == 0
    assert outcome_payment(Outcome(name="c", basis="tiered", tiers=tiers), 1_000, 0.25) == 500
    linear_outcome = Outcome(name="d", basis="linear", floor_rate=0.2, target_rate=0.6)
    assert outcome_payment(linear_outcome, 1_000, 0.4) == pytest.approx(500)  # halfway: (0.4-0.2)/0.4
    # A linear outcome with no floor starts at 0%.
    no_floor = Outcome(name="e", basis="linear", target_rate=0.8)
    assert outcome_payment(no_floor, 1_000, 0.2) == pytest.approx(250)  # 0.2 / 0.8 = 1/4


def test_full_payout_share_is_below_one_only_for_a_capped_tier():
    capped = Outcome(name="c", basis="tiered", tiers=[Tier(min_rate=0.3, payout=0.8)])
    assert full_payout_share(capped) == 0.8
    assert full_payout_share(Outcome(name="a")) == 1.0


def test_each_basis_is_described_in_plain_words():
    assert "40%" in describe_basis(Outcome(name="b", basis="cohort_threshold", target_rate=0.4))
    tiers = [Tier(min_rate=0.2, payout=0.5)]
    assert "50% from 20%" in describe_basis(Outcome(name="c", basis="tiered", tiers=tiers))
    assert "each student" in describe_basis(Outcome(name="a"))


def test_the_table_names_each_basis_once_in_order_with_the_apps_labels():
    assert NAMES == MODEL_NAMES == ("per_student", "cohort_threshold", "tiered", "linear",
                                    "per_student_banded")
    assert all(record.name == name for name, record in BASES.items())
    assert LABELS == {"per_student": "per student", "cohort_threshold": "cohort threshold",
                      "tiered": "tiered", "linear": "graduated (linear)",
                      "per_student_banded": "per student, banded"}
    assert {name: record.fields for name, record in BASES.items()} == BASIS_FIELDS
    assert all(set(record.required) <= set(record.fields) for record in BASES.values())


def test_an_unknown_basis_is_a_plain_error_and_the_deal_refuses_it():
    assert basis("tiered") is BASES["tiered"]
    with pytest.raises(ValueError, match="unknown payment basis 'half'; the bases are per_student, "
                                         "cohort_threshold, tiered, linear, per_student_banded"):
        basis("half")
    assert deal_problems(outcomes=[{"name": "Growth", "basis": "half"}]) == [
        "outcomes[0].basis: input should be 'per_student', 'cohort_threshold', 'tiered', 'linear' or "
        "'per_student_banded' (got 'half')"]


def test_each_formula_is_the_rule_in_the_same_order():
    refs = Refs(allocation="A", rate="R", served="S", target="T", floor="F",
                tiers=(("s1", "p1"), ("s2", "p2")))
    assert {name: record.formula(refs) for name, record in BASES.items()} == {
        "per_student": "A*R*S",
        "cohort_threshold": "IF(R>=T-1E-9,A,0)",
        "tiered": "A*MAX(0,IF(R>=s1-1E-9,p1,0),IF(R>=s2-1E-9,p2,0))",
        "linear": "A*MIN(1,MAX(0,(R-F)/(T-F)))",
        "per_student_banded": "A*R*S",  # the band value, Σ share × payout, stands in the rate's cell
    }
    assert BASES["tiered"].formula(Refs(allocation="A", rate="R")) == "A*MAX(0)"


def test_each_basis_has_a_one_sentence_summary():
    assert all(record.summary.endswith(".") and record.summary.count(". ") == 0 for record in BASES.values())
