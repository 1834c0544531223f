"""First-hour rough edges (issue 16), each as a new user meets it, under AppTest through app.py:
Scenarios on a blank deal and long scenario names, the Rate card's unnamed rows and weights in
percent, money boxes that read like money, and the Budget page's order."""

from __future__ import annotations

import json

from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.io.sharelink import decode_deal
from tests.app_support import MATH, act, button, edit_table, errors, go, money_box, start
from ui import state

SCENARIOS, RATE_CARD, BUDGET = "app_pages/scenarios.py", "app_pages/rate_card.py", "app_pages/budget.py"
DEAL_SPLIT, PROVIDER = "app_pages/deal_split.py", "app_pages/provider.py"


# ---- Scenarios -------------------------------------------------------------------------------

def test_on_a_blank_deal_the_added_scenario_is_picked_and_copy_copies_it():
    at = go(start("Start blank"), SCENARIOS)
    act(button(at, "Add scenario").click())
    assert at.selectbox(key=state.SCENARIO_PICK).value == "Scenario 1"  # not "No scenarios yet"
    act(button(at, "Copy").click())
    assert [s.name for s in at.session_state["deal"].scenarios] == ["Scenario 1", "Scenario 1 copy 1"]


def test_removing_the_picked_scenario_picks_the_first_left():
    at = go(start(), SCENARIOS)  # the math sample's scenarios: Low, High, Fewer students enrolled, ...
    at.selectbox(key=state.SCENARIO_PICK).set_value("High")
    act(button(act(at), "Remove").click())
    assert at.selectbox(key=state.SCENARIO_PICK).value == "Low"
    act(button(at, "Copy").click())
    assert at.session_state["deal"].scenarios[-1].name == "Low copy 1"


def column_width(frame, column: str) -> int:
    return json.loads(frame.proto.columns)[column]["width"]


def test_a_long_scenario_name_gets_a_column_wide_enough_to_read_it():
    data = deal_to_dict(load_deal(MATH))
    name = "Fewer students enrolled in the spring term"  # 42 characters
    data["scenarios"][0]["name"] = name
    at = go(start(deal=deal_from_dict(data)), SCENARIOS)
    results, per_achiever = at.dataframe[1], at.dataframe[2]  # the first table is the editor
    assert name in results.value["Scenario"].tolist()
    # 42 characters x 7 px + 32 px of padding = 326 px, where the page's width would cut it short.
    assert column_width(results, "Scenario") == 326
    assert column_width(per_achiever, "Scenario") == 326


# ---- Rate card -------------------------------------------------------------------------------

def test_a_row_with_a_weight_and_no_name_is_refused_naming_the_row():
    at = go(start(), RATE_CARD)
    edit_table(at, state.RATE_CARD_TABLE, added_rows=[
        {"Basis": "per_student", "Weight (%)": 40.0, "Expected rate (%)": 50.0, "Data source": "district"}])
    assert "Rate card, row 4: Name this outcome; a row counts once it has a name." in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_a_row_just_added_with_the_column_defaults_is_no_error_yet():
    at = go(start(), RATE_CARD)
    edit_table(at, state.RATE_CARD_TABLE, added_rows=[
        {"Basis": "per_student", "Weight (%)": 0.0, "Expected rate (%)": 50.0, "Data source": "district"}])
    assert not at.error, errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_weights_that_do_not_add_up_are_told_in_percent_like_the_table():
    at = go(start(), RATE_CARD)
    edit_table(at, state.RATE_CARD_TABLE, {0: {"Weight (%)": 0.0}, 1: {"Weight (%)": 20.0}})
    assert "The weights add up to 40%, not 100%." in errors(at)  # 0% + 20% + 20% (Same tutor)


# ---- money boxes -----------------------------------------------------------------------------

def test_the_total_cost_reads_like_money_and_takes_typed_dollars():
    at = go(start(), DEAL_SPLIT)
    assert money_box(at, state.F_TOTAL_COST).value == "$1,775,000"  # not 1775000.00
    assert money_box(at, state.F_PER_PUPIL).value == "$1,420"  # 1,775,000 / 1,250
    act(money_box(at, state.F_TOTAL_COST).set_value("$2,000,000"))
    assert at.session_state["deal"].total_cost == 2_000_000
    assert decode_deal(at.query_params["deal"]).total_cost == 2_000_000  # the share link follows
    assert money_box(at, state.F_PER_PUPIL).value == "$1,600"  # 2,000,000 / 1,250
    act(money_box(at, state.F_TOTAL_COST).set_value("1775000.50"))
    assert money_box(at, state.F_TOTAL_COST).value == "$1,775,000.50"


def test_text_that_is_not_dollars_is_refused_and_the_box_shows_the_deals_total():
    at = go(start(), DEAL_SPLIT)
    act(money_box(at, state.F_TOTAL_COST).set_value("about 2 million"))
    assert ("Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not 'about 2 million'."
            in errors(at))
    assert at.session_state["deal"] == load_deal(MATH)
    assert money_box(at, state.F_TOTAL_COST).value == "$1,775,000"


def test_the_total_cost_follows_a_deal_changed_on_another_page():
    at = go(start(), DEAL_SPLIT)
    go(at, PROVIDER)
    money_box(at, state.PP_BASE).set_value("$900")
    act(money_box(at, state.PP_OUTCOMES).set_value("$1,500"))
    act(button(at, "Apply to the current deal").click())
    go(at, DEAL_SPLIT)
    assert money_box(at, state.F_TOTAL_COST).value == "$3,000,000"  # (900 + 1,500) x 1,250 students


def test_provider_costs_read_like_money_and_a_typo_is_refused():
    at = go(start(), PROVIDER)
    # Starting cost per student: the base 670 plus half the outcome price 750, 1,045, rounded to $10.
    assert money_box(at, state.PROVIDER_PER_STUDENT).value == "$1,040"
    act(money_box(at, state.PROVIDER_FIXED).set_value("$50,000"))
    assert money_box(at, state.PROVIDER_FIXED).value == "$50,000"
    act(money_box(at, state.PROVIDER_FIXED).set_value("50k"))
    assert ("Fixed delivery cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not '50k'."
            in errors(at))
    assert money_box(at, state.PROVIDER_FIXED).value == "$50,000"


def test_the_penalty_limit_reads_like_money():
    at = go(start("MAP growth, banded"), RATE_CARD)
    box = money_box(at, state.F_MAX_PENALTY)
    assert box.value.startswith("$")
    act(box.set_value("12,500"))
    assert at.session_state["deal"].max_penalty == 12_500
    assert money_box(at, state.F_MAX_PENALTY).value == "$12,500"


# ---- Budget ----------------------------------------------------------------------------------

def test_budget_shows_the_fiscal_year_table_and_the_downloads_before_the_charts():
    at = go(start(), BUDGET)
    order = [node.type for node in at.main if node.type in ("dataframe", "download_button", "plotly_chart")]
    # What to encumber by fiscal year, then the workbook, the deal and the three documents; then one
    # scenario's schedules (tables and charts), which used to come first.
    assert order[:6] == ["dataframe"] + ["download_button"] * 5
    assert "download_button" not in order[6:] and "plotly_chart" in order[6:]
