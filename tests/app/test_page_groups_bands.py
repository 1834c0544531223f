"""Student groups and bands in the app, under AppTest: editing a group, a group's rate, a band and
band shares on the Rate card and Scenarios pages, with the figures shown checked by hand (the issue's
worked examples: $110,000 and $37,500), and refused edits keeping the deal."""

from __future__ import annotations

import math

from streamlit.testing.v1 import AppTest

from tests.app_support import edit_table, errors, go, money_box, start
from tests.helpers import make_deal
from ui import state

RATE_CARD, SCENARIOS = "app_pages/rate_card.py", "app_pages/scenarios.py"

# The issue's groups example: 1,000 students and a $200,000 allocation (20% of $1,000,000).
GROUPS_DEAL = make_deal(students=1000, total_cost=1_000_000, performance_share=0.2,
                        outcomes=[{"name": "Reading", "expected_rate": 0.5}])
# The issue's banded example: $100,000 over 500 eligible students (20% of $500,000) is $200 a student.
BANDED_DEAL = make_deal(students=500, total_cost=500_000, performance_share=0.2,
                        outcomes=[{"name": "MAP growth", "expected_rate": 0.5}])


def frame_with(at: AppTest, column: str):
    """The first table shown (not an editor) that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def expected_total(at: AppTest) -> str:
    """The bold figure of 'At the expected rates the district pays **$X**'."""
    text = next(m.value for m in at.markdown if m.value.startswith("At the expected rates"))
    return text.split("**")[1]


def add_groups(at: AppTest) -> AppTest:
    return edit_table(at, state.GROUPS_TABLE, added_rows=[
        {"Group": "Students with disabilities", "Students": 100, "Price multiplier": 1.5},
        {"Group": "English learners", "Students": 200, "Price multiplier": 1.25}])


def test_adding_groups_shows_each_groups_price_per_achiever():
    at = add_groups(go(start(deal=GROUPS_DEAL), RATE_CARD))
    assert not errors(at)
    groups = at.session_state["deal"].student_groups
    assert [(g.name, g.students, g.price_multiplier) for g in groups] == [
        ("Students with disabilities", 100, 1.5), ("English learners", 200, 1.25)]
    column = "Reading: per achiever"
    prices = frame_with(at, column).set_index("Group")
    # Σ multiplier × students = 150 + 250 + 700 = 1,100: u = 200,000 / 1,100 = 181.8181...
    assert prices.loc["Students with disabilities", column] == "$272.73"  # 181.8181 × 1.5
    assert prices.loc["English learners", column] == "$227.27"  # 181.8181 × 1.25
    assert prices.loc["Other students", column] == "$181.82"  # the rest: 700 students at 1
    assert prices.loc["Other students", "Students"] == "700"


def test_group_expected_rates_give_the_issues_110000():
    at = add_groups(go(start(deal=GROUPS_DEAL), RATE_CARD))
    at = edit_table(at, state.GROUP_RATES_TABLE, edited_rows={0: {
        "Students with disabilities (%)": 40.0, "English learners (%)": 50.0, "Other students (%)": 60.0}})
    assert not errors(at)
    assert at.session_state["deal"].outcomes[0].group_expected_rates == {
        "Students with disabilities": 0.4, "English learners": 0.5, "Other students": 0.6}
    # 40, 100 and 420 achievers: u × (1.5 × 40 + 1.25 × 100 + 420) = 200,000 / 1,100 × 605 = 110,000,
    # on a fixed base of 800,000.
    assert expected_total(at) == "$910,000"


def test_renaming_a_group_carries_its_rates():
    at = add_groups(go(start(deal=GROUPS_DEAL), RATE_CARD))
    at = edit_table(at, state.GROUP_RATES_TABLE, edited_rows={0: {"English learners (%)": 50.0}})
    at = edit_table(at, state.GROUPS_TABLE, edited_rows={1: {"Group": "Multilingual learners"}})
    assert not errors(at)
    assert at.session_state["deal"].outcomes[0].group_expected_rates == {"Multilingual learners": 0.5}


def test_groups_holding_more_students_than_the_deal_are_refused_and_the_deal_kept():
    at = add_groups(go(start(deal=GROUPS_DEAL), RATE_CARD))
    kept = at.session_state["deal"]
    at = edit_table(at, state.GROUPS_TABLE, edited_rows={1: {"Students": 950}})
    assert "Student groups: The groups hold 1,050 students, more than the deal's 1,000." in errors(at)
    assert at.session_state["deal"] == kept


def banded(at: AppTest) -> AppTest:
    """The outcome switched to the banded basis, then given the issue's four bands and shares."""
    at = edit_table(at, state.RATE_CARD_TABLE, edited_rows={0: {"Basis": "per_student_banded"}})
    return edit_table(at, state.BANDS_TABLE + "MAP growth", edited_rows={
        0: {"From value": math.nan, "Payout (%)": -25.0, "Expected share (%)": 10.0},
        1: {"From value": 0.0, "Payout (%)": 0.0, "Expected share (%)": 30.0}}, added_rows=[
        {"From value": 1.0, "Payout (%)": 50.0, "Expected share (%)": 40.0},
        {"From value": 1.5, "Payout (%)": 100.0, "Expected share (%)": 20.0}])


def test_bands_and_shares_give_the_issues_37500():
    at = banded(go(start(deal=BANDED_DEAL), RATE_CARD))
    assert not errors(at)
    outcome = at.session_state["deal"].outcomes[0]
    assert [(b.min_value, b.payout) for b in outcome.bands] == [(None, -0.25), (0.0, 0.0), (1.0, 0.5),
                                                                (1.5, 1.0)]
    assert outcome.expected_band_shares == [0.1, 0.3, 0.4, 0.2]
    # 200 × 500 × (0.1 × −0.25 + 0.3 × 0 + 0.4 × 0.5 + 0.2 × 1) = 100,000 × 0.375 = 37,500, on a
    # fixed base of 400,000.
    assert expected_total(at) == "$437,500"
    bands = frame_with(at, "Price per student").set_index("Band")
    assert bands.loc["below 0", "Price per student"] == "−$50.00"  # 200 × −0.25
    assert bands.loc["below 0", "Kind"] == "penalty"
    assert bands.loc["0 to 1", "Kind"] == "pays nothing"
    assert bands.loc["1 to 1.5", "Price per student"] == "$100.00"  # 200 × 0.5
    assert bands.loc["1.5 or more", "Price per student"] == "$200.00"


def test_a_falling_payout_is_refused_with_its_band_named_and_the_deal_kept():
    at = banded(go(start(deal=BANDED_DEAL), RATE_CARD))
    kept = at.session_state["deal"]
    at = edit_table(at, state.BANDS_TABLE + "MAP growth", edited_rows={2: {"Payout (%)": -50.0}})
    assert ("Rate card, row 1 (MAP growth), band 3 payout: Payouts may not fall: -50% is below the "
            "previous 0%.") in errors(at)
    assert at.session_state["deal"] == kept


def test_the_penalty_limit_is_set_on_the_rate_card():
    at = banded(go(start(deal=BANDED_DEAL), RATE_CARD))
    money_box(at, state.F_MAX_PENALTY).set_value("$10,000").run()
    assert at.session_state["deal"].max_penalty == 10_000


def test_a_group_rate_in_a_scenario():
    at = go(start("Reading, priced by group"), SCENARIOS)
    # Low (row 3) gives every outcome one rate; its Reading growth at 35% pays 225,000 × 0.35 = 78,750.
    at = edit_table(at, state.SCENARIOS_TABLE, edited_rows={2: {
        "Reading growth: Students with disabilities (%)": 20.0}})
    assert not errors(at)
    low = at.session_state["deal"].scenarios[2]
    assert low.group_rates == {"Reading growth": {"Students with disabilities": 0.2}}
    # Reading growth, u = 200: 150 × 0.2 = 30 achievers × 300 = 9,000; English learners at the
    # scenario's 35%: 70 × 250 = 17,500; the other 650 × 0.35 = 227.5 × 200 = 45,500; 72,000 in all,
    # 6,750 less than 78,750: 840,000 − 6,750 = 833,250.
    totals = frame_with(at, "Total").set_index("Scenario")
    assert totals.loc["Low", "Total"] == "$833,250"


def test_band_shares_in_a_scenario_and_no_rate_for_a_banded_outcome():
    at = go(start("MAP growth, banded"), SCENARIOS)
    # Fewer students served (row 3): every end-of-year student in the top band pays 150,000 × 0.8 = 120,000
    # instead of 150,000 × 0.525 × 0.8 = 63,000: 490,500 + 57,000 = 547,500.
    at = edit_table(at, state.SCENARIOS_TABLE, edited_rows={2: {
        "End-of-year MAP growth: band shares": "0, 0, 0, 100"}})
    assert not errors(at)
    scenario = at.session_state["deal"].scenarios[2]
    assert scenario.band_shares == {"End-of-year MAP growth": [0.0, 0.0, 0.0, 1.0]}
    assert scenario.rates == {}  # a banded outcome has no rate column to write one from
    totals = frame_with(at, "Total").set_index("Scenario")
    assert totals.loc["Fewer students served", "Total"] == "$547,500"


def test_band_shares_that_are_not_numbers_are_explained_and_the_deal_kept():
    at = go(start("MAP growth, banded"), SCENARIOS)
    kept = at.session_state["deal"]
    at = edit_table(at, state.SCENARIOS_TABLE, edited_rows={0: {"Mid-year MAP growth: band shares": "ten"}})
    assert ("Scenarios, row 1 (Strong year), band shares for Mid-year MAP growth: Expected a number, "
            "got 'ten'.") in errors(at)
    assert at.session_state["deal"] == kept
