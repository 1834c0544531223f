"""Edits that reach across pages, under AppTest through app.py's navigation: changing the number of
students on Deal & split carries the counts of students set on other pages along (obc_calc.core.students),
and an edit refused for a field set on another page names that page, while its box shows the deal's
value again. Figures are worked out by hand from the math sample: 1,250 students, a risk range of
1,100 to 1,250 students served, and the scenario "Fewer students enrolled" serving 1,000.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.io.dealfile import load_deal
from obc_calc.io.sharelink import decode_deal
from tests.app_support import MATH, act, edit_table, errors, go, start
from tests.helpers import make_deal

DEAL_SPLIT = "app_pages/deal_split.py"



def set_students(at: AppTest, students: int) -> AppTest:
    return act(at.number_input(key="f_students").set_value(students))


def notice(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info)


def test_777_students_carry_the_risk_range_and_the_scenario_along():
    at = set_students(go(start(), DEAL_SPLIT), 777)
    assert not at.error, errors(at)
    deal = at.session_state["deal"]
    # Risk: 1,100 x 777 / 1,250 = 683.76 -> 684, and 1,250 x 777 / 1,250 = 777.
    assert (deal.risk.students_served_low, deal.risk.students_served_high) == (684, 777)
    # Fewer students enrolled: 1,000 x 777 / 1,250 = 621.6 -> 622.
    assert deal.scenarios[2].students_served == 622
    # The box, the deal and the share link all hold 777.
    assert at.number_input(key="f_students").value == 777
    assert deal.students == 777
    assert decode_deal(at.query_params["deal"]) == deal
    assert "The deal is now for 777 students." in notice(at)
    assert ("Risk: students served now 684 to 777 (was 1,100 to 1,250), scaled to the new number of "
            "students.") in notice(at)
    assert "Scenario Fewer students enrolled: students served now 622 (was 1,000)" in notice(at)
    # Per pupil: the total stays 1,775,000, now over 777 students = 2,284.427... -> $2,284.43.
    assert at.session_state["f_per_pupil"] == pytest.approx(1_775_000 / 777)
    act(at)
    assert "The deal is now for 777 students." not in notice(at)  # said once


def test_the_other_pages_show_the_carried_counts():
    at = set_students(go(start(), DEAL_SPLIT), 777)
    go(at, "app_pages/risk.py")
    assert (at.number_input(key="risk_served_low").value, at.number_input(key="risk_served_high").value) == (
        684, 777)
    assert "684 to 777 students served" in notice(at)
    go(at, "app_pages/scenarios.py")
    results = at.dataframe[1].value.set_index("Scenario")  # the first table is the editor
    assert results.loc["Fewer students enrolled", "Served"] == "622"


def test_more_students_scale_the_counts_up():
    at = set_students(go(start(), DEAL_SPLIT), 2_500)
    deal = at.session_state["deal"]
    # 1,100 x 2,500 / 1,250 = 2,200; 1,250 -> 2,500; 1,000 x 2,500 / 1,250 = 2,000.
    assert (deal.risk.students_served_low, deal.risk.students_served_high) == (2_200, 2_500)
    assert deal.scenarios[2].students_served == 2_000
    assert at.session_state["f_per_pupil"] == pytest.approx(710.0)  # 1,775,000 / 2,500


def test_eligible_students_follow_and_halves_round_up():
    tested = make_deal(outcomes=[{"name": "Growth", "expected_rate": 0.5, "eligible_students": 50}])
    at = set_students(go(start(deal=tested), DEAL_SPLIT), 5)
    # 50 of 100 eligible: 50 x 5 / 100 = 2.5 -> 3.
    assert at.session_state["deal"].outcomes[0].eligible_students == 3
    assert "Outcome Growth: eligible students now 3 (was 50)" in notice(at)


def test_a_term_too_short_for_the_rate_card_names_that_page_and_the_box_shows_the_deals():
    at = go(start(), DEAL_SPLIT)
    act(at.number_input(key="f_months").set_value(6))
    # Math growth and Same tutor are paid in month 10, set on the Rate card page.
    assert ("Rate card page, row 2 (Math growth), month paid: Month 10 is after the term's last month (6)."
            in errors(at))
    assert at.session_state["deal"] == load_deal(MATH)
    assert at.number_input(key="f_months").value == 10
    assert decode_deal(at.query_params["deal"]) == load_deal(MATH)


def test_an_expected_rate_below_its_risk_range_names_the_risk_page():
    at = go(start(), "app_pages/rate_card.py")
    edit_table(at, "outcomes", {0: {"Expected rate (%)": 50.0}})
    # Dosage's range, 60% to 80%, is set on the Risk page.
    assert "Risk page, rate ranges, Dosage, low: 60.0% is above the expected rate (50.0%)." in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)
