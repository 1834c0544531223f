"""Every page of the Streamlit app under streamlit.testing (AppTest), with each sample deal.

Expected dollars are worked out by hand from the sample files in the comments; the app shows
whole dollars, so each figure is compared as it is displayed.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import app
from obc_calc.io.dealfile import load_deal
from tests.app_support import MATH, ROOT, button, edit_table, errors, go, metric, money_box, start, warnings
from ui import state, widgets

PAGE_PATHS = [path for path, _, _ in app.PAGES]



def table(at: AppTest, index: int = 0):
    return at.dataframe[index].value


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_every_page_loads_with_each_sample(sample):
    at = start(sample)
    deal = load_deal(state.SAMPLES[sample])
    assert at.session_state["deal"] == deal
    for path in PAGE_PATHS:
        go(at, path)
        assert not at.error, errors(at)
    assert at.session_state["deal"] == deal  # looking at pages changes nothing


def test_first_load_is_the_math_sample_with_its_headline_figures():
    at = start()
    assert at.session_state["deal"] == load_deal(MATH)
    # total 1,775,000 at 1,250 students; pool 52.8169% = 937,500; base 837,500 = $670.00 per pupil.
    assert metric(at, "Maximum (encumber)").value == "$1,775,000"
    assert metric(at, "Floor (nothing achieved)").value == "$837,500"
    assert metric(at, "Floor (nothing achieved)").delta == "$670.00 per pupil"
    # Expected: 837,500 + 234,375 x 0.70 + 515,625 x 0.53 + 187,500 x (0.75-0.5)/(0.9-0.5)
    #         = 837,500 + 164,062.50 + 273,281.25 + 117,187.50 = 1,392,031.25
    assert metric(at, "Expected").value == "$1,392,031"
    assert metric(at, "Maximum (encumber)").delta == "$1,420.00 per pupil"  # 1,775,000 / 1,250
    assert metric(at, "Expected").delta == "$1,113.63 per pupil"  # 1,392,031.25 / 1,250 = 1,113.625


@pytest.mark.parametrize(("percent", "low", "high"), [
    (4.0, True, False), (5.0, False, False), (60.0, False, False), (61.0, False, True),
])
@pytest.mark.parametrize("widget", ["share_slider", "share_number"])
def test_share_flags_appear_the_moment_the_share_leaves_5_to_60(widget, percent, low, high):
    at = go(start(), "app_pages/deal_split.py")
    at.slider(key="share_slider").set_value(percent) if widget == "share_slider" else \
        at.number_input(key="share_number").set_value(percent)
    at.run()
    assert ("Below 5%" in warnings(at)) is low
    assert ("Above 60%" in warnings(at)) is high
    assert at.session_state["deal"].performance_share == percent / 100
    # The other control follows, and the pool is the new share of $1,775,000.
    assert at.slider(key="share_slider").value == percent
    assert at.number_input(key="share_number").value == percent
    pool = {4.0: "$71,000", 5.0: "$88,750", 60.0: "$1,065,000", 61.0: "$1,082,750"}[percent]
    assert metric(at, "Performance pool (paid on outcomes)").value == pool


def test_the_deal_survives_moving_between_pages():
    at = go(start(), "app_pages/deal_split.py")
    at.number_input(key="share_number").set_value(30.0).run()
    go(at, "app_pages/home.py")
    assert metric(at, "Performance share").value == "30.0%"
    go(at, "app_pages/deal_split.py")
    assert at.slider(key="share_slider").value == 30.0


def test_per_pupil_price_drives_the_total_cost():
    at = go(start(), "app_pages/deal_split.py")
    money_box(at, "f_per_pupil").set_value("1500").run()
    # 1,500 per pupil x 1,250 students = 1,875,000
    assert at.session_state["deal"].total_cost == 1_875_000
    assert money_box(at, "f_total_cost").value == "$1,875,000"


def test_a_negative_cost_is_explained_and_the_deal_kept():
    at = go(start(), "app_pages/deal_split.py")
    money_box(at, "f_total_cost").set_value("-5").run()
    assert "Total cost: Enter an amount of $0 or more, not '-5'." in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)
    assert not at.exception


def test_a_bad_upload_is_explained_and_the_deal_kept():
    at = start()
    at.file_uploader(key="upload").set_value(("notes.json", b"{not json", "application/json")).run()
    assert "notes.json is not a deal this app can open" in errors(at)
    assert "not valid JSON" in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_a_good_upload_opens_the_deal():
    text = (ROOT / "tests" / "data" / "example_deal.json").read_bytes()
    at = start()
    at.file_uploader(key="upload").set_value(("example_deal.json", text, "application/json")).run()
    assert at.session_state["deal"].name == "Grade 8 math tutoring 2026-27"
    assert metric(at, "Maximum (encumber)").value == "$1,420,000"


def test_start_blank_gives_a_valid_one_outcome_deal_on_every_page():
    at = start("Start blank")
    assert [o.name for o in at.session_state["deal"].outcomes] == ["Outcome 1"]
    for path in PAGE_PATHS:
        go(at, path)
        assert not at.error, errors(at)


def test_weights_not_adding_up_show_the_error_and_rescale_fixes_it():
    at = go(start(), "app_pages/rate_card.py")
    edit_table(at, "outcomes", {0: {"Weight (%)": 30.0}})  # 30 + 55 + 20 = 105
    assert "The weights add up to 105%, not 100%" in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)  # figures keep the last valid deal
    button(at, "Rescale weights to 100%").click().run()
    assert not at.error, errors(at)
    weights = [o.weight for o in at.session_state["deal"].outcomes]
    assert weights == pytest.approx([30 / 105, 55 / 105, 20 / 105])
    # The rescaled table stays; the next run keeps the same weights.
    at.run()
    assert [o.weight for o in at.session_state["deal"].outcomes] == weights


def test_switching_a_basis_drops_fields_it_does_not_use():
    at = go(start(), "app_pages/rate_card.py")
    # Same tutor becomes per-student, keeping its stale floor and target cells: they are ignored.
    edit_table(at, "outcomes", {2: {"Basis": "per_student"}})
    assert not at.error, errors(at)
    tutor = at.session_state["deal"].outcomes[2]
    assert (tutor.basis, tutor.floor_rate, tutor.target_rate) == ("per_student", None, None)


def test_tiers_are_edited_as_text():
    at = go(start(), "app_pages/rate_card.py")
    edit_table(at, "outcomes", {1: {"Basis": "tiered", "Tiers": "20%:50%, 30%:100%"}})
    assert not at.error, errors(at)
    tiers = at.session_state["deal"].outcomes[1].tiers
    assert [(t.min_rate, t.payout) for t in tiers] == [(0.2, 0.5), (0.3, 1.0)]
    edit_table(at, "outcomes", {1: {"Basis": "tiered", "Tiers": "20%-50%"}})
    assert ("Rate card, row 2 (Math growth), tiers: Write each tier as from-rate:payout, such as 20%:50%; "
            "got '20%-50%'.") in errors(at)
    edit_table(at, "outcomes", {1: {"Basis": "tiered", "Tiers": "30%:50%, 20%:100%"}})
    assert "Tiers must rise" in errors(at)
    kept = at.session_state["deal"].outcomes[1].tiers
    assert [(t.min_rate, t.payout) for t in kept] == [(0.2, 0.5), (0.3, 1.0)]


def test_a_floor_above_the_target_is_explained():
    at = go(start(), "app_pages/rate_card.py")
    edit_table(at, "outcomes", {2: {"Floor rate (%)": 95.0}})
    assert ("Rate card, row 3 (Same tutor), floor rate: The floor (95%) must be below the target (90%)"
            in errors(at))
    assert not rescale_buttons(at)  # 25% + 55% + 20% = 100%: nothing to rescale


def rescale_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.label == "Rescale weights to 100%"]


def test_an_emptied_rate_card_offers_no_rescaling():
    at = go(start(), "app_pages/rate_card.py")
    edit_table(at, "outcomes", deleted_rows=[0, 1, 2])
    assert at.error and not at.exception  # the deal needs an outcome; no weights to rescale
    assert not rescale_buttons(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_renaming_an_outcome_carries_its_scenario_rates():
    at = go(start(), "app_pages/rate_card.py")
    edit_table(at, "outcomes", {0: {"Outcome": "Attendance"}})
    assert not at.error, errors(at)
    low = at.session_state["deal"].scenarios[0]
    assert low.rates == {"Attendance": 0.5, "Math growth": 0.35, "Same tutor": 0.55}


def test_rate_card_shows_allocations_and_price_per_achieving_student():
    at = go(start(), "app_pages/rate_card.py")
    rows = table(at, 2).set_index("Outcome")  # the editors of the outcomes and the student groups first
    # Pool 937,500: Dosage 25% = 234,375 over 1,250 students = 187.50 each.
    assert rows.loc["Dosage", "Allocation"] == "$234,375"
    assert rows.loc["Dosage", "Price per student"] == "$187.50"
    assert rows.loc["Math growth", "Allocation"] == "$515,625"  # 55%; 412.50 each
    assert rows.loc["Math growth", "Price per student"] == "$412.50"
    assert rows.loc["Same tutor", "Price per student"] == "—"  # graduated: no unit price


def scenario_rows(at: AppTest):
    return table(at, 1).set_index("Scenario")  # the first table is the editor


def test_adding_a_scenario_shows_its_results():
    at = go(start(), "app_pages/scenarios.py")
    button(at, "Add scenario").click().run()
    assert "Scenario 1" in scenario_rows(at).index
    # Blank rates are the expected ones: the expected total, 1,392,031.25.
    assert scenario_rows(at).loc["Scenario 1", "Total"] == "$1,392,031"
    edit_table(at, "scenarios", added_rows=[
        {"Scenario": "Strong year", "Commitments met": True, "Dosage (%)": 80.0, "Math growth (%)": 60.0,
         "Same tutor (%)": 70.0}])
    assert not at.error, errors(at)
    row = scenario_rows(at).loc["Strong year"]
    # base 837,500 + 234,375 x 0.8 + 515,625 x 0.6 + 187,500 x (0.7-0.5)/(0.9-0.5)
    # = 837,500 + 187,500 + 309,375 + 93,750 = 1,428,125; savings 1,775,000 - 1,428,125 = 346,875
    assert row["Total"] == "$1,428,125"
    assert row["Savings"] == "$346,875"
    assert row["Dosage"] == "$187,500"
    # pool earned (187,500 + 309,375 + 93,750) / 937,500 = 63.0%
    assert row["Pool earned"] == "63.0%"


def test_copy_and_remove_a_scenario():
    at = go(start(), "app_pages/scenarios.py")
    at.selectbox(key="scenario_pick").set_value("High").run()
    button(at, "Copy").click().run()
    copied = at.session_state["deal"].scenarios[-1]
    assert copied.name == "High copy 1"
    assert copied.rates == {"Dosage": 0.9, "Math growth": 0.7, "Same tutor": 0.9}
    at.selectbox(key="scenario_pick").set_value("Low").run()
    button(at, "Remove").click().run()
    assert [s.name for s in at.session_state["deal"].scenarios] == [
        "High", "Fewer students enrolled", "District misses commitments", "High copy 1"]


def test_a_duplicate_scenario_name_is_explained():
    at = go(start(), "app_pages/scenarios.py")
    edit_table(at, "scenarios", {1: {"Scenario": "Low"}})
    assert "Scenarios, row 2 (Low), name: Another scenario is already called 'Low'" in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


# The math sample's scenario totals by hand: base 837,500 (per student served), pool 937,500 split
# Dosage 234,375, Math growth 515,625, Same tutor 187,500 (graduated from 50% to 90%).
MATH_TOTALS = {
    "Expected": "$1,392,031",  # 837,500 + 164,062.50 + 273,281.25 + 117,187.50
    "Maximum": "$1,775,000",  # every outcome in full: the total cost
    "Floor": "$837,500",  # the base alone
    "Low": "$1,158,594",  # 837,500 + 117,187.50 + 180,468.75 + 23,437.50
    "High": "$1,596,875",  # 837,500 + 210,937.50 + 360,937.50 + 187,500
    # 80% served: 670,000 + 131,250 + 218,625 + 117,187.50 (Same tutor is not paid per head)
    "Fewer students enrolled": "$1,137,063",
    "District misses commitments": "$1,775,000",  # the whole contract value
}
# sample_data/literacy_tutoring.json: $1,200,000 for 500 students, 62.5% on outcomes: pool 1,200,000 x
# 0.625 = 750,000, per-student base 450,000, every student served. Tutoring hours 750,000 x 0.3 = 225,000
# and Literacy growth 750,000 x 0.5 = 375,000 pay per student (allocation x rate); Reading at benchmark
# 750,000 x 0.2 = 150,000 is a cohort threshold: all of it at a rate of 40% or more.
LITERACY_TOTALS = {
    "Expected": "$956,250",  # 450,000 + 225,000 x 0.75 + 375,000 x 0.5 + 150,000 (45% >= 40%)
    "Maximum": "$1,200,000",
    "Floor": "$450,000",
    "Low": "$705,000",  # 450,000 + 225,000 x 0.55 + 375,000 x 0.35 + 0 (30% < 40%)
    "High": "$1,046,250",  # 450,000 + 225,000 x 0.9 + 375,000 x 0.65 + 150,000 (50% >= 40%)
}
# sample_data/edtech_intervention.json: $480,000, 30% on outcomes: pool 144,000, fixed base 336,000.
# Weekly usage 144,000 x 0.4 = 57,600, graduated: x (rate - 40%) / (80% - 40%), clipped to [0, 1];
# Growth target 144,000 x 0.35 = 50,400, all of it at 50% or more; Proficiency 144,000 x 0.25 = 36,000,
# tiered: half from 30%, three quarters from 35%, all from 40%.
EDTECH_TOTALS = {
    "Expected": "$440,400",  # 336,000 + 57,600 x 0.25 / 0.4 = 36,000 + 50,400 + 36,000 x 0.5 = 18,000
    "Maximum": "$480,000",
    "Floor": "$336,000",
    "Low": "$343,200",  # 336,000 + 57,600 x 0.05 / 0.4 = 7,200 + 0 (45% < 50%) + 0 (28% < 30%)
    "High": "$480,000",  # 336,000 + 57,600 (85%: past the target) + 50,400 + 36,000 (41%: all)
    "Low usage, good results": "$413,400",  # 336,000 + 0 (35%: below the floor) + 50,400 + 27,000 (36%)
}
# sample_data/map_growth_banded.json: $750,000, 40% on outcomes: pool 300,000, base 450,000 per student.
# Dosage 20% = 60,000 per student; the MAP growth outcomes 30% = 90,000 and 50% = 150,000, banded:
# decline -25%, flat 0%, some growth 50%, typical or more 100% of the price per student.
MAP_TOTALS = {
    "Expected": "$613,125",  # 450,000 + 60,000 x 0.75 + 90,000 x (-0.0375 + 0.125 + 0.35)
                             # + 150,000 x (-0.025 + 0.15 + 0.4) = 45,000 + 39,375 + 78,750
    "Maximum": "$750,000",
    "Floor": "$420,000",  # everyone declines: -0.25 x 240,000 = -60,000, capped at max_penalty 30,000
    "Strong year": "$643,875",  # 450,000 + 51,000 + 90,000 x 0.525 + 150,000 x 0.6375
    "Weak year with declines": "$455,625",  # 450,000 + 24,000 + 90,000 x -0.0375 + 150,000 x -0.1
    "Fewer students served": "$490,500",  # 1,200 of 1,500: (450,000 + 163,125) x 0.8
}
# sample_data/student_groups_priced.json: $1,125,000, fixed base 675,000, pool 450,000; groups 150 x 1.5
# and 200 x 1.25, others 650 x 1: Σ 1,125, so Dosage pays 100 and Reading growth 200 per unit.
GROUPS_TOTALS = {
    "Expected": "$932,563",  # 675,000 + 86,500 + 112,000 + 59,062.50 (sample_data/README.md)
    "Maximum": "$1,125,000",
    "Floor": "$675,000",
    "Gains reach every group": "$993,188",  # 675,000 + 94,500 + 132,750 + 90,937.50
    "Gains only for other students": "$926,563",  # 675,000 + 86,500 + 106,000 + 59,062.50
    "Low": "$840,000",  # 675,000 + 112,500 x 0.6 + 225,000 x 0.35 + 112,500 x (0.3 - 0.25) / 0.3
}
SCENARIO_TOTALS = {"Math tutoring": MATH_TOTALS, "Literacy tutoring": LITERACY_TOTALS,
                   "Edtech software": EDTECH_TOTALS, "MAP growth, banded": MAP_TOTALS,
                   "Reading, priced by group": GROUPS_TOTALS}
TERM_MONTHS = {"Math tutoring": 10, "Literacy tutoring": 9, "Edtech software": 12, "MAP growth, banded": 11,
               "Reading, priced by group": 10}


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_the_schedule_adds_up_to_the_scenario_total(sample):
    at = go(start(sample), "app_pages/budget.py")
    totals = SCENARIO_TOTALS[sample]
    assert at.selectbox(key=state.BUDGET_SCENARIO).options == list(totals)
    for name, total in totals.items():
        at.selectbox(key=state.BUDGET_SCENARIO).set_value(name).run()
        by_year, monthly = table(at, 1), table(at, 2)
        assert monthly["Cumulative"].iloc[-1] == total, name
        assert len(monthly) == TERM_MONTHS[sample]
        if sample != "Edtech software":  # math and literacy end in May 2027: all in FY2027 (July start)
            assert by_year["Total"].tolist() == [total], name


def test_edtech_budget_across_two_fiscal_years_by_hand():
    at = go(start("Edtech software"), "app_pages/budget.py")
    # August 2026 for 12 months with a July fiscal year: July 2027, the last month, is in FY2028. The
    # fixed base 336,000 is half up front, 168,000, and 168,000 / 12 = 14,000 a month; so FY2028 holds
    # 14,000 of base and Proficiency, paid in month 12: maximum 36,000, expected 18,000, floor none.
    encumber = table(at, 0).set_index("Fiscal year")
    assert encumber.loc["FY2027"].tolist() == ["$430,000", "$408,400", "$322,000"]  # the rest of each
    assert encumber.loc["FY2028"].tolist() == ["$50,000", "$32,000", "$14,000"]
    by_year = table(at, 1).set_index("Fiscal year")
    assert by_year["Total"].to_dict() == {"FY2027": "$408,400", "FY2028": "$32,000"}
    monthly = table(at, 2)
    assert monthly["Base"].iloc[0] == "$182,000"  # 168,000 + 14,000
    assert monthly["Total"].iloc[5] == "$50,000"  # month 6: 14,000 + Weekly usage's 36,000
    assert monthly["Total"].iloc[10] == "$64,400"  # month 11: 14,000 + Growth target's 50,400


def test_math_budget_by_fiscal_year_by_hand():
    at = go(start(), "app_pages/budget.py")
    encumber = table(at, 0).set_index("Fiscal year")
    # The whole 10-month term falls in FY2027: encumber the $1,775,000 maximum there, expect
    # $1,392,031.25, and at least the $837,500 base.
    assert encumber.loc["FY2027"].tolist() == ["$1,775,000", "$1,392,031", "$837,500"]
    by_year = table(at, 1).set_index("Fiscal year")
    # Term 2026-08 for 10 months, July start: Aug 2026 - May 2027 all in FY2027.
    assert list(by_year.index) == ["FY2027"]
    assert by_year.loc["FY2027", "Total"] == "$1,392,031"
    monthly = table(at, 2)
    # Base 837,500: 10% up front = 83,750, the rest 753,750 / 10 = 75,375 a month; month 1 = 159,125.
    assert monthly["Base"].iloc[0] == "$159,125"
    assert monthly["Base"].iloc[1] == "$75,375"
    # Dosage (234,375 x 0.7 = 164,062.50) is paid in month 5 with that month's base 75,375:
    # 239,437.50 -> $239,438.
    assert monthly["Total"].iloc[4] == "$239,438"


def test_commitments_can_be_added_and_removed():
    at = go(start(), "app_pages/deal_split.py")
    edit_table(at, "commitments", deleted_rows=[0],
               added_rows=[{"Commitment": "Data coordinator", "Description": "Answers data requests."}])
    assert not at.error, errors(at)
    names = [c.name for c in at.session_state["deal"].commitments]
    assert names == ["Monitor attendance", "Share assessment data on time", "Data coordinator"]


@pytest.mark.parametrize(("value", "cents", "shown"), [
    (1_392_031.25, False, "$1,392,031"),
    (164_062.5, False, "$164,063"),  # halves round up, as in Excel, not to even
    (1_113.625, True, "$1,113.63"),
    (0.0, False, "$0"),
    (-346_875.5, False, "-$346,876"),
    (None, False, "n/a"),
])
def test_money_format(value, cents, shown):
    assert widgets.money(value, cents=cents) == shown
