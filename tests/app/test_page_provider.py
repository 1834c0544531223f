"""The Provider view page (app_pages/provider.py) under AppTest, through app.py's navigation.

The math sample by hand: $1,775,000 for 1,250 students, base $837,500 (10% up front, the rest over
10 months), pool $937,500 split 25% / 55% / 20%; expected payments Dosage 164,062.50 (month 5),
Math growth 273,281.25 and Same tutor 117,187.50 (month 10); expected total 1,392,031.25.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_support import act, button, errors, go, metric, money_box, start
from ui import state

PROVIDER = "app_pages/provider.py"

def set_cost(at: AppTest, fixed: float, per_student: float) -> AppTest:
    money_box(at, state.PROVIDER_FIXED).set_value(f"{fixed:,}")
    return act(money_box(at, state.PROVIDER_PER_STUDENT).set_value(f"{per_student:,}"))


def margins(at: AppTest):
    return at.dataframe[0].value.set_index("Scenario")


# Each sample at the starting cost, by hand: no fixed cost, and per student the base plus half the
# outcome price, to $10 (halves to even). Margin = the scenario's total (tests/app/test_app_pages.py,
# SCENARIO_TOTALS) minus the cost of the students it serves.
STARTING = {
    # Math: 670 + 750 / 2 = 1,045 -> 1,040; 1,040 x 1,250 = 1,300,000 (1,040,000 for 1,000 served).
    # Break-even and shortfall: test_the_math_sample_by_hand_with_the_starting_cost.
    "Math tutoring": (1_040, {
        "Expected": "$92,031",  # 1,392,031.25 - 1,300,000
        "Low": "-$141,406",  # 1,158,593.75 - 1,300,000
        "High": "$296,875",  # 1,596,875 - 1,300,000
        "Fewer students enrolled": "$97,063",  # 1,137,062.50 - 1,040,000
        "District misses commitments": "$475,000",  # 1,775,000 - 1,300,000
    }, "57.2%", "$243,813", "furthest behind in 2027-04"),  # month 9
    # Literacy: base 450,000 / 500 = 900, outcomes 750,000 / 500 = 1,500; 900 + 750 = 1,650, and
    # 1,650 x 500 = 825,000. Break-even: below 40% the deal pays 450,000 + (225,000 + 375,000) r, at
    # most 690,000; at 40% Reading at benchmark's 150,000 joins: 840,000 >= 825,000. Cash: base
    # 450,000 / 9 = 50,000 a month against costs 825,000 / 9 = 91,666.67, so the gap grows 41,666.67 a
    # month to 166,666.67 by month 4 (2026-12); Tutoring hours' 168,750 comes in month 5.
    "Literacy tutoring": (1_650, {
        "Expected": "$131,250",  # 956,250 - 825,000
        "Low": "-$120,000",  # 705,000 - 825,000
        "High": "$221,250",  # 1,046,250 - 825,000
    }, "40.0%", "$166,667", "furthest behind in 2026-12"),
    # Edtech: base 336,000 / 4,000 = 84, outcomes 144,000 / 4,000 = 36; 84 + 18 = 102 -> 100, and
    # 100 x 4,000 = 400,000, so outcomes must bring 64,000. Below 50% they bring at most Weekly usage's
    # 57,600 x (50% - 40%) / 40% = 14,400 + Proficiency's 36,000 = 50,400; at 50% Growth target's 50,400
    # joins. Cash: month 1 pays 168,000 + 14,000 = 182,000 against 33,333.33 of costs, then the gap
    # closes by 19,333.33 a month: -71,333.33 after month 5, -10,666.67 after month 10 (with Weekly
    # usage's 36,000 in month 6), and outcome payments follow; never a shortfall.
    "Edtech software": (100, {
        "Expected": "$40,400",  # 440,400 - 400,000
        "Low": "-$56,800",  # 343,200 - 400,000
        "High": "$80,000",  # 480,000 - 400,000
        "Low usage, good results": "$13,400",  # 413,400 - 400,000
    }, "50.0%", "$0", "payments keep up with costs every month"),
    # MAP growth, banded: base 450,000 / 1,500 = 300, outcomes 300,000 / 1,500 = 200; 300 + 100 = 400,
    # and 400 x 1,500 = 600,000. Break-even: every outcome at r, a banded outcome with r of its
    # students in paying bands (paying bands scaled by r / p0, the others by (1 - r) / (1 - p0)):
    # Dosage 60,000 r; Mid-year 90,000 x (0.475 r / 0.6 - 0.0375 (1 - r) / 0.4); End-of-year
    # 150,000 x (0.55 r / 0.7 - 0.025 (1 - r) / 0.3); together 270,044.64 r - 20,937.50 = 150,000
    # at r = 63.3%. Cash: month 1 pays 45,000 + 405,000 / 11 against 600,000 / 11 of costs (+27,272.73),
    # then -17,727.27 a month; Mid-year's 39,375 comes in month 7; -92,897.73 after month 10
    # (2027-05); Dosage's 45,000 and End-of-year's 78,750 in month 11 bring it to the 13,125 margin.
    "MAP growth, banded": (400, {
        "Expected": "$13,125",  # 613,125 - 600,000
        "Strong year": "$43,875",  # 643,875 - 600,000
        "Weak year with declines": "-$144,375",  # 455,625 - 600,000
        "Fewer students served": "$10,500",  # 490,500 - 400 x 1,200
    }, "63.3%", "$92,898", "furthest behind in 2027-05"),
    # Reading, priced by group: base 675,000 / 1,000 = 675, outcomes 450,000 / 1,000 = 450; 675 + 225 =
    # 900, and 900 x 1,000 = 900,000. Break-even: each outcome's overall rate at r, its groups moving in
    # proportion below the expected overall rate (docs/risk.md). Dosage: groups 70%, 75%, 80% of 150,
    # 200, 650 students, overall 77.5%, priced (x 1.5, 1.25, 1) 865 / 1,125; so it pays 112,500 x
    # (865 / 1,125) / 77.5% r. Reading: 40%, 45%, 55%, overall 50.75%, priced 560 / 1,125: 225,000 x
    # (560 / 1,125) / 50.75% r. Placement reads the overall rate: 112,500 (r - 25%) / 30%. Together
    # 707,302.38 r - 93,750 = 225,000 at r = 45.1%. Cash: month 1
    # pays 135,000 + 54,000 against 90,000 (+99,000), then -36,000 a month; Dosage's 86,500 in month 5;
    # -102,500 after month 9 (2027-05); Reading's 112,000 and Placement's 59,062.50 in month 10.
    "Reading, priced by group": (900, {
        "Expected": "$32,563",  # 932,562.50 - 900,000
        "Gains reach every group": "$93,188",  # 993,187.50 - 900,000
        "Gains only for other students": "$26,563",  # 926,562.50 - 900,000
        "Low": "-$60,000",  # 840,000 - 900,000
    }, "45.1%", "$102,500", "furthest behind in 2027-05"),
}


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_the_page_loads_with_each_sample_with_figures_by_hand(sample):
    at = go(start(sample), PROVIDER)
    assert not at.error, errors(at)
    per_student, margin, break_even, shortfall, cash_words = STARTING[sample]
    assert at.session_state[state.PROVIDER_PER_STUDENT] == per_student
    assert margins(at)["Margin"].to_dict() == margin
    assert metric(at, "Break-even achievement rate").value == break_even
    assert metric(at, "Largest shortfall to finance").value == shortfall
    assert cash_words in "\n".join(c.value for c in at.caption)


def test_the_math_sample_by_hand_with_the_starting_cost():
    at = go(start(), PROVIDER)
    # Per pupil: base 837,500 / 1,250 = 670, outcomes 937,500 / 1,250 = 750; 670 + 750 / 2 = 1,045,
    # rounded to $10 (half to even) = 1,040; so 1,300,000 for 1,250 students.
    assert money_box(at, state.PROVIDER_PER_STUDENT).value == "$1,040"
    assert margins(at).loc["Expected", "Margin"] == "$92,031"  # 1,392,031.25 - 1,300,000
    # Above 50% Same tutor pays 187,500 x (r - 50%) / 40%: 837,500 + 750,000 r + 468,750 (r - 0.5)
    # = 1,300,000 at r = 696,875 / 1,218,750 = 57.18%.
    assert metric(at, "Break-even achievement rate").value == "57.2%"
    # Costs 130,000 a month against 159,125 then 75,375: -29,125 after month 1, +54,625 a month;
    # month 5 takes Dosage's 164,062.50: 134,750 + 54,625 - 164,062.50 = 25,312.50; by month 9
    # 25,312.50 + 4 x 54,625 = 243,812.50.
    assert metric(at, "Largest shortfall to finance").value == "$243,813"


def test_margins_break_even_and_shortfall_for_given_costs():
    at = set_cost(go(start(), PROVIDER), 100_000.0, 800.0)
    rows = margins(at)
    # Expected: 1,392,031.25 - (100,000 + 800 x 1,250 = 1,100,000) = 292,031.25.
    assert rows.loc["Expected", "Revenue"] == "$1,392,031"
    assert rows.loc["Expected", "Cost"] == "$1,100,000"
    assert rows.loc["Expected", "Margin"] == "$292,031"
    assert rows.loc["Expected", "Margin (% of revenue)"] == "21.0%"  # 292,031.25 / 1,392,031.25
    assert rows.loc["Fewer students enrolled", "Cost"] == "$900,000"  # 100,000 + 800 x 1,000
    # Low: base 837,500 + Dosage 234,375 x 50% + Math growth 515,625 x 35% + Same tutor 187,500 x
    # (55% - 50%) / 40% = 837,500 + 117,187.50 + 180,468.75 + 23,437.50 = 1,158,593.75.
    assert rows.loc["Low", "Revenue"] == "$1,158,594"
    assert rows.loc["Low", "Margin"] == "$58,594"  # 1,158,593.75 - 1,100,000
    # High: 837,500 + 234,375 x 90% + 515,625 x 70% + all of Same tutor's 187,500 (90% is its target).
    assert rows.loc["High", "Revenue"] == "$1,596,875"
    assert rows.loc["High", "Margin"] == "$496,875"
    # 1,000 of 1,250 served (80%): base 670,000, Dosage 234,375 x 70% x 80% = 131,250, Math growth
    # 515,625 x 53% x 80% = 218,625, Same tutor (graduated, not per head) 187,500 x 25/40 = 117,187.50.
    assert rows.loc["Fewer students enrolled", "Revenue"] == "$1,137,063"
    assert rows.loc["Fewer students enrolled", "Margin"] == "$237,063"  # 1,137,062.50 - 900,000
    # Missed commitments: the district pays the whole $1,775,000; cost 1,100,000.
    assert rows.loc["District misses commitments", "Revenue"] == "$1,775,000"
    assert rows.loc["District misses commitments", "Margin"] == "$675,000"
    # Below 50% the graduated outcome pays nothing: revenue 837,500 + (234,375 + 515,625) r covers
    # 1,100,000 at r = 262,500 / 750,000 = 35%.
    assert metric(at, "Break-even achievement rate").value == "35.0%"
    # Costs 110,000 a month; payments 159,125 in month 1 then 75,375, so the gap grows 34,625 a month
    # from -49,125; Dosage's 164,062.50 in month 5 closes it; by month 9 it is
    # 9 x 34,625 - 83,750 - 164,062.50 = 63,812.50; month 10's outcome payments clear it.
    assert metric(at, "Largest shortfall to finance").value == "$63,813"
    assert "furthest behind in 2027-04" in "\n".join(c.value for c in at.caption)


def test_break_even_in_plain_words_when_there_is_none_or_the_base_covers_it():
    at = set_cost(go(start(), PROVIDER), 2_000_000.0, 0.0)
    assert metric(at, "Break-even achievement rate").value == "None"
    # Even at 100% the deal pays its maximum, $1,775,000.
    assert "No break-even: even with every outcome fully achieved the deal pays $1,775,000, less than the " \
           "$2,000,000" in at.warning[0].value
    at = set_cost(at, 0.0, 500.0)  # 625,000, less than the 837,500 base
    assert metric(at, "Break-even achievement rate").value == "0.0%"
    assert "The base alone ($837,500) covers the $625,000" in at.info[0].value


def test_entered_costs_are_kept_when_moving_between_pages():
    at = set_cost(go(start(), PROVIDER), 50_000.0, 900.0)
    go(at, "app_pages/home.py")
    go(at, PROVIDER)
    assert money_box(at, "provider_fixed").value == "$50,000"
    assert money_box(at, "provider_per_student").value == "$900"


def enter_prices(at: AppTest, base: float, outcomes: float, students: int) -> AppTest:
    money_box(at, "pp_base").set_value(f"{base:,}")
    money_box(at, "pp_outcomes").set_value(f"{outcomes:,}")
    return act(at.number_input(key="pp_students").set_value(students))


def test_per_pupil_entry_gives_the_total_and_split_and_applies_to_the_deal():
    at = go(start("Start blank"), PROVIDER)  # $100,000 for 100 students, 30% on outcomes
    assert metric(at, "Base per pupil").value == "$700.00"  # 70,000 / 100
    enter_prices(at, 900.0, 1_500.0, 500)
    # Denver: (900 + 1,500) x 500 = 1,200,000, of which 1,500 / 2,400 = 62.5% on outcomes.
    assert metric(at, "Total cost").value == "$1,200,000"
    assert metric(at, "Performance share").value == "62.5%"
    assert at.session_state["deal"].total_cost == 100_000  # not applied yet
    act(button(at, "Apply to the current deal").click())
    assert not at.error, errors(at)
    deal = at.session_state["deal"]
    assert (deal.students, deal.total_cost, deal.performance_share) == (500, 1_200_000, 0.625)
    # And back: the deal's own per-pupil prices are the ones entered.
    assert metric(at, "Base per pupil").value == "$900.00"
    assert metric(at, "Outcomes per pupil, at most").value == "$1,500.00"
    assert metric(at, "Price per pupil").value == "$2,400.00"
    assert "The deal is now $1,200,000 for 500 students, 62.5% on outcomes." in at.success[0].value


def test_per_pupil_fields_start_from_the_current_deal():
    at = go(start(), PROVIDER)
    assert money_box(at, "pp_base").value == "$670"  # 837,500 / 1,250
    assert money_box(at, "pp_outcomes").value == "$750"  # 937,500 / 1,250
    assert metric(at, "Total cost").value == "$1,775,000"
    assert metric(at, "Performance share").value == "52.8%"
    # Nothing to apply until the prices differ from the deal's.
    assert button(at, "Apply to the current deal").disabled
    assert "These prices are the current deal's." in "\n".join(c.value for c in at.caption)
    money_box(at, "pp_outcomes").set_value("800")
    assert not button(act(at), "Apply to the current deal").disabled


def test_prices_for_fewer_students_carry_the_other_counts_of_students_along():
    at = enter_prices(go(start(), PROVIDER), 900.0, 1_500.0, 500)
    act(button(at, "Apply to the current deal").click())
    assert not at.error, errors(at)
    deal = at.session_state["deal"]
    # (900 + 1,500) x 500 = 1,200,000, of which 1,500 / 2,400 = 62.5% on outcomes.
    assert (deal.students, deal.total_cost, deal.performance_share) == (500, 1_200_000, 0.625)
    # The math sample's other counts keep their share of the students: the risk range
    # 1,100 x 500 / 1,250 = 440 to 1,250 x 500 / 1,250 = 500, and the scenario serving
    # 1,000 x 500 / 1,250 = 400.
    assert (deal.risk.students_served_low, deal.risk.students_served_high) == (440, 500)
    assert deal.scenarios[2].students_served == 400
    message = at.success[0].value
    assert "Risk: students served now 440 to 500 (was 1,100 to 1,250)" in message
    assert "Scenario Fewer students enrolled: students served now 400 (was 1,000)" in message
