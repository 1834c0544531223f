"""obc_calc.core.students: a new number of students, with the risk range, the scenarios' students served
and the outcomes' eligible students keeping their share of the students. Figures worked out by hand."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obc_calc.core.errors import DealError
from obc_calc.core.limits import MAX_STUDENTS
from obc_calc.core.students import change_students, scaled
from obc_calc.io.dealfile import deal_from_dict
from tests.app_support import MATH
from tests.helpers import deal_dict

FOLLOWED = "scaled to the new number of students"


def math_data() -> dict:
    return json.loads(MATH.read_text(encoding="utf-8"))


def test_fewer_students_scale_the_math_samples_risk_range_and_scenario():
    changed, notices = change_students(math_data(), 777)
    # Risk: 1,100 x 777 / 1,250 = 683.76 -> 684; 1,250 x 777 / 1,250 = 777.
    assert (changed["risk"]["students_served_low"], changed["risk"]["students_served_high"]) == (684, 777)
    # "Fewer students enrolled": 1,000 x 777 / 1,250 = 621.6 -> 622.
    assert changed["scenarios"][2]["students_served"] == 622
    assert notices == [
        f"Risk: students served now 684 to 777 (was 1,100 to 1,250), {FOLLOWED}.",
        f"Scenario Fewer students enrolled: students served now 622 (was 1,000), {FOLLOWED}.",
    ]
    deal = deal_from_dict(changed)  # the changed deal is valid
    assert deal.students == 777
    assert deal.total_cost == 1_775_000  # nothing else moves


def test_more_students_scale_up_too():
    changed, notices = change_students(math_data(), 2_500)
    # 1,100 x 2,500 / 1,250 = 2,200; 1,250 -> 2,500; 1,000 x 2,500 / 1,250 = 2,000.
    assert (changed["risk"]["students_served_low"], changed["risk"]["students_served_high"]) == (2_200, 2_500)
    assert changed["scenarios"][2]["students_served"] == 2_000
    assert notices[0] == f"Risk: students served now 2,200 to 2,500 (was 1,100 to 1,250), {FOLLOWED}."
    assert deal_from_dict(changed).students == 2_500


def test_eligible_students_round_halves_up():
    data = deal_dict(outcomes=[{"name": "Growth", "expected_rate": 0.5, "eligible_students": 50}])
    changed, notices = change_students(data, 5)
    # 50 x 5 / 100 = 2.5 -> 3 (round() would give 2, the even number).
    assert changed["outcomes"][0]["eligible_students"] == 3
    assert notices == [f"Outcome Growth: eligible students now 3 (was 50), {FOLLOWED}."]


def test_eligible_students_stay_at_least_one_and_students_served_may_reach_zero():
    data = deal_dict(outcomes=[{"name": "Growth", "expected_rate": 0.5, "eligible_students": 2}],
                     scenarios=[{"name": "Tiny", "students_served": 1}])
    changed, notices = change_students(data, 20)
    # Eligible: 2 x 20 / 100 = 0.4 -> 0, raised to 1 (it must be above 0).
    assert changed["outcomes"][0]["eligible_students"] == 1
    # Served: 1 x 20 / 100 = 0.2 -> 0, which a scenario allows.
    assert changed["scenarios"][0]["students_served"] == 0
    assert notices == [f"Scenario Tiny: students served now 0 (was 1), {FOLLOWED}.",
                       f"Outcome Growth: eligible students now 1 (was 2), {FOLLOWED}."]
    deal_from_dict(changed)


def test_a_count_that_does_not_move_gets_no_notice():
    data = deal_dict(outcomes=[{"name": "Growth", "expected_rate": 0.5, "eligible_students": 1}],
                     scenarios=[{"name": "Nobody", "students_served": 0}])
    changed, notices = change_students(data, 40)
    # 1 x 40 / 100 = 0.4 -> 0, raised to 1: unchanged; 0 stays 0.
    assert changed["outcomes"][0]["eligible_students"] == 1
    assert changed["scenarios"][0]["students_served"] == 0
    assert notices == []


def test_unset_counts_stay_unset():
    data = deal_dict(scenarios=[{"name": "Low", "rates": {"Growth": 0.3}}])
    changed, notices = change_students(data, 50)
    assert changed == data | {"students": 50}
    assert notices == []


def test_the_same_number_changes_nothing_and_the_input_is_left_alone():
    data = math_data()
    before = copy.deepcopy(data)
    assert change_students(data, 1_250) == (before, [])
    change_students(data, 777)
    assert data == before


@pytest.mark.parametrize("students", [0, -5])
def test_a_number_that_is_not_a_count_changes_nothing_else_and_the_check_reports_it(students):
    changed, notices = change_students(math_data(), students)
    assert notices == []
    assert changed["scenarios"][2]["students_served"] == 1_000
    with pytest.raises(DealError) as caught:
        deal_from_dict(changed)
    assert [p.path for p in caught.value.problems][0] == "students"


@pytest.mark.parametrize(("count", "old", "new", "least", "result"), [
    (1_100, 1_250, 777, 0, 684),  # 683.76
    (1, 2, 1, 0, 1),  # 0.5, half up
    (5, 2, 1, 0, 1),  # 2.5, but never above the new 1 student
    (1, 100, 40, 1, 1),  # 0.4 -> 0, at least 1
    (3, 4, 3, 0, 2),  # 2.25
])
def test_scaled_by_hand(count, old, new, least, result):
    assert scaled(count, old, new, least) == result


@given(st.data())
def test_scaled_is_the_nearest_whole_share_and_never_above_the_students(data):
    old = data.draw(st.integers(1, MAX_STUDENTS - 1))
    new = data.draw(st.integers(1, MAX_STUDENTS - 1))
    count = data.draw(st.integers(0, old))
    result = scaled(count, old, new)
    assert 0 <= result <= new
    assert abs(result - Fraction(count * new, old)) <= Fraction(1, 2)


@given(st.integers(1, MAX_STUDENTS - 1))
def test_the_math_sample_stays_valid_for_any_number_of_students(students):
    changed, _ = change_students(math_data(), students)
    deal = deal_from_dict(changed)
    assert deal.risk.students_served_low <= deal.risk.students_served_high == students
