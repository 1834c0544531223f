"""The Provider view page (app_pages/provider.py) under AppTest, through app.py's navigation.

The math sample by hand: $1,775,000 for 1,250 students, base $837,500 (10% up front, the rest over
10 months), pool $937,500 split 25% / 55% / 20%; expected payments Dosage 164,062.50 (month 5),
Math growth 273,281.25 and Same tutor 117,187.50 (month 10); expected total 1,392,031.25.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.core.pricing import per_pupil_price
from obc_calc.core.provider import DeliveryCost, break_even_rate, max_shortfall, provider_scenarios
from obc_calc.io.dealfile import load_deal
from tests.app_support import act, button, errors, go, metric, start
from ui import state, widgets

PROVIDER = "app_pages/provider.py"

def set_cost(at: AppTest, fixed: float, per_student: float) -> AppTest:
    at.number_input(key=state.PROVIDER_FIXED).set_value(fixed)
    return act(at.number_input(key=state.PROVIDER_PER_STUDENT).set_value(per_student))


def margins(at: AppTest):
    return at.dataframe[0].value.set_index("Scenario")


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_the_page_loads_with_each_sample_and_shows_obc_calc_figures(sample):
    at = go(start(sample), PROVIDER)
    assert not at.error, errors(at)
    deal = load_deal(state.SAMPLES[sample])
    # The starting cost: nothing fixed, per student the base plus half the outcome price, to $10.
    price = per_pupil_price(deal)
    cost = DeliveryCost(0.0, round((price.base + price.outcomes / 2) / 10) * 10)
    assert at.number_input(key=state.PROVIDER_PER_STUDENT).value == cost.per_student
    rows = margins(at)
    assert list(rows.index) == ["Expected"] + [s.name for s in deal.scenarios]
    for scenario in provider_scenarios(deal, cost):
        assert rows.loc[scenario.name, "Margin"] == widgets.money(scenario.margin)
    rate = break_even_rate(deal, cost)
    shown = "None" if rate is None else widgets.percent(rate)
    assert metric(at, "Break-even achievement rate").value == shown
    assert metric(at, "Largest shortfall to finance").value == widgets.money(max_shortfall(deal, cost))


def test_the_math_sample_by_hand_with_the_starting_cost():
    at = go(start(), PROVIDER)
    # Per pupil: base 837,500 / 1,250 = 670, outcomes 937,500 / 1,250 = 750; 670 + 750 / 2 = 1,045,
    # rounded to $10 (half to even) = 1,040; so 1,300,000 for 1,250 students.
    assert at.number_input(key=state.PROVIDER_PER_STUDENT).value == 1_040
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
    assert at.number_input(key="provider_fixed").value == 50_000.0
    assert at.number_input(key="provider_per_student").value == 900.0


def enter_prices(at: AppTest, base: float, outcomes: float, students: int) -> AppTest:
    at.number_input(key="pp_base").set_value(base)
    at.number_input(key="pp_outcomes").set_value(outcomes)
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
    assert at.number_input(key="pp_base").value == pytest.approx(670.0)  # 837,500 / 1,250
    assert at.number_input(key="pp_outcomes").value == pytest.approx(750.0)  # 937,500 / 1,250
    assert metric(at, "Total cost").value == "$1,775,000"
    assert metric(at, "Performance share").value == "52.8%"
    # Nothing to apply until the prices differ from the deal's.
    assert button(at, "Apply to the current deal").disabled
    assert "These prices are the current deal's." in "\n".join(c.value for c in at.caption)
    at.number_input(key="pp_outcomes").set_value(800.0)
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
