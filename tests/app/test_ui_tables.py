"""ui.converters: the editable tables as pure functions, deal dict -> DataFrame -> deal dict.

Plain pytest, no Streamlit: every expected value is written out by hand. The tables show rates
in percent (0.25 -> 25.0) and read them back as shares.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from obc_calc.io.dealfile import deal_from_dict
from ui import band_tables, converters, group_tables

DOSAGE = {"name": "Dosage", "metric": "Sessions attended", "threshold": "80% of sessions",
          "threshold_value": 0.8, "basis": "per_student", "weight": 0.25, "expected_rate": 0.5,
          "data_source": "provider", "paid_in_month": 5, "rate_low": 0.4, "rate_high": 0.6}
GROWTH = {"name": "Growth", "metric": "Scale score", "threshold": "one year", "basis": "tiered",
          "weight": 0.75, "expected_rate": 0.25, "tiers": [{"min_rate": 0.2, "payout": 0.5},
                                                           {"min_rate": 0.3, "payout": 1.0}],
          "data_source": "district", "eligible_students": 80}
DEAL = {"schema_version": 1, "name": "Small", "students": 100, "total_cost": 100000, "performance_share": 0.4,
        "outcomes": [DOSAGE, GROWTH],
        "scenarios": [{"name": "Low", "rates": {"Dosage": 0.25, "Growth": 0.125}, "commitments_met": True},
                      {"name": "Few", "rates": {}, "students_served": 50, "commitments_met": False,
                       "note": "kept"}]}


def cell(frame: pd.DataFrame, row: int, column: str):
    value = frame.at[row, column]
    return None if isinstance(value, float) and math.isnan(value) else value


# ---- the rate card -----------------------------------------------------------------------------

def test_rate_card_shows_rates_in_percent_and_tiers_as_text():
    frame = converters.rate_card_frame(DEAL)
    assert list(frame.columns) == [*converters.RATE_CARD_COLUMNS, "original"]
    assert frame["Outcome"].tolist() == ["Dosage", "Growth"]
    assert frame["Weight (%)"].tolist() == [25.0, 75.0]  # 0.25 and 0.75 of the pool
    assert frame["Expected rate (%)"].tolist() == [50.0, 25.0]
    assert cell(frame, 1, "Tiers") == "20%:50%, 30%:100%"
    assert cell(frame, 0, "Tiers") == ""
    assert cell(frame, 0, "Month paid") == 5.0
    assert cell(frame, 1, "Month paid") is None  # not given: blank, the last month
    assert cell(frame, 1, "Eligible students") == 80.0
    assert cell(frame, 0, "Target rate (%)") is None


def test_rate_card_round_trip_gives_the_deal_back():
    candidate, errors = converters.rate_card_from_frame(converters.rate_card_frame(DEAL), DEAL)
    assert errors == []
    assert candidate == DEAL  # rate_low and rate_high, not in the table, are carried over


def test_rate_card_blank_cells():
    frame = converters.rate_card_frame(DEAL)
    frame.loc[0, ["Weight (%)", "Expected rate (%)", "Month paid", "Threshold value"]] = math.nan
    frame.loc[0, ["Data source", "Basis", "Metric"]] = [None, None, "  "]
    candidate, errors = converters.rate_card_from_frame(frame, DEAL)
    dosage = candidate["outcomes"][0]
    assert errors == []
    assert (dosage["weight"], dosage["expected_rate"]) == (0.0, 0.0)
    assert (dosage["basis"], dosage["data_source"], dosage["metric"]) == ("per_student", "district", "")
    assert "paid_in_month" not in dosage and "threshold_value" not in dosage


def test_rate_card_percent_cells_are_read_as_shares():
    frame = converters.rate_card_frame(DEAL)
    frame.loc[1, ["Weight (%)", "Expected rate (%)", "Tiers"]] = [62.5, 40.0, "25%:40%, 50%:100%"]
    frame.loc[1, "Basis"] = "tiered"
    growth = converters.rate_card_from_frame(frame, DEAL)[0]["outcomes"][1]
    assert (growth["weight"], growth["expected_rate"]) == (0.625, 0.4)  # 62.5 / 100, 40 / 100
    assert growth["tiers"] == [{"min_rate": 0.25, "payout": 0.4}, {"min_rate": 0.5, "payout": 1.0}]


def test_rate_card_fields_the_basis_does_not_use_are_dropped():
    frame = converters.rate_card_frame(DEAL)
    frame.loc[0, ["Target rate (%)", "Floor rate (%)"]] = [90.0, 50.0]  # Dosage is per student
    frame.loc[1, "Basis"] = "linear"
    frame.loc[1, ["Target rate (%)", "Floor rate (%)"]] = [80.0, 20.0]
    dosage, growth = converters.rate_card_from_frame(frame, DEAL)[0]["outcomes"]
    assert "target_rate" not in dosage and "floor_rate" not in dosage
    assert (growth["target_rate"], growth["floor_rate"]) == (0.8, 0.2)
    assert "tiers" not in growth


def test_rate_card_row_with_no_name_and_a_blank_new_row():
    frame = converters.rate_card_frame(DEAL)
    blank_row = dict.fromkeys(frame.columns)
    unnamed = blank_row | {"Basis": "tiered", "Weight (%)": 10.0, "Tiers": "20%-50%"}
    frame = pd.concat([frame, pd.DataFrame([unnamed, blank_row])], ignore_index=True)
    frame.attrs = converters.rate_card_frame(DEAL).attrs
    candidate, errors = converters.rate_card_from_frame(frame, DEAL)
    assert [o["name"] for o in candidate["outcomes"]] == ["Dosage", "Growth"]  # the blank row is skipped
    # The unnamed row is refused in one sentence, not dropped unsaid with its 10% weight.
    assert errors == ["Rate card, row 3: Name this outcome; a row counts once it has a name."]


def test_rate_card_row_as_the_editor_adds_it_is_not_filled_in_yet():
    frame = converters.rate_card_frame(DEAL)
    new_row = dict.fromkeys(frame.columns) | converters.NEW_ROW  # the column defaults, nothing typed
    frame = pd.concat([frame, pd.DataFrame([new_row])], ignore_index=True)
    frame.attrs = converters.rate_card_frame(DEAL).attrs
    assert converters.rate_card_from_frame(frame, DEAL) == (DEAL, [])


def test_renamed_outcomes_take_their_scenario_rates_and_removed_ones_drop_them():
    frame = converters.rate_card_frame(DEAL)
    frame.loc[0, "Outcome"] = "Attendance"
    frame = frame.drop(index=1).reset_index(drop=True)
    frame.attrs = converters.rate_card_frame(DEAL).attrs
    candidate, _ = converters.rate_card_from_frame(frame, DEAL)
    assert [s["rates"] for s in candidate["scenarios"]] == [{"Attendance": 0.25}, {}]
    assert candidate["outcomes"][0]["rate_low"] == 0.4  # carried over by the row's original name


def test_rescaled_weights_add_up_to_100():
    frame = converters.rate_card_frame(DEAL)
    frame["Weight (%)"] = [30.0, math.nan]  # blank counts as 0
    assert converters.rescaled(frame)["Weight (%)"].tolist() == [100.0, 0.0]
    frame["Weight (%)"] = [30.0, 90.0]  # 30 / 120 = 25%, 90 / 120 = 75%
    scaled = converters.rescaled(frame)
    assert scaled["Weight (%)"].tolist() == [25.0, 75.0]
    assert scaled.attrs == frame.attrs


def test_weights_of_the_table_as_shares():
    frame = converters.rate_card_frame(DEAL)
    frame["Weight (%)"] = [30.0, 90.0]
    candidate, _ = converters.rate_card_from_frame(frame, DEAL)
    assert converters.weights_of(candidate) == [0.3, 0.9]  # 30 / 100 and 90 / 100: 120% in all


# ---- the commitments ---------------------------------------------------------------------------

COMMITMENTS = [{"name": "Site coordinator", "description": "Schedules students."},
               {"name": "Benchmark data", "description": ""}]


def test_commitments_frame_one_row_each():
    frame = converters.commitments_frame({"commitments": COMMITMENTS})
    assert list(frame.columns) == ["Commitment", "Description"]
    assert frame.values.tolist() == [["Site coordinator", "Schedules students."], ["Benchmark data", ""]]
    empty = converters.commitments_frame({})  # no commitments: the table's columns and no row
    assert (list(empty.columns), len(empty)) == (["Commitment", "Description"], 0)


def test_commitments_round_trip():
    frame = converters.commitments_frame({"commitments": COMMITMENTS})
    assert converters.commitments_from_frame(frame) == COMMITMENTS


def test_commitments_blank_rows_are_skipped_and_cells_trimmed():
    frame = converters.commitments_frame({"commitments": COMMITMENTS})
    added = pd.DataFrame([{"Commitment": None, "Description": None},  # just added, not filled in
                          {"Commitment": "  Devices ", "Description": None},
                          {"Commitment": "", "Description": "Thirty minutes a week."}])
    frame = pd.concat([frame, added], ignore_index=True)
    assert converters.commitments_from_frame(frame) == [
        *COMMITMENTS, {"name": "Devices", "description": ""},
        {"name": "", "description": "Thirty minutes a week."}]  # kept: the deal's check names it


# ---- the scenarios -----------------------------------------------------------------------------

def test_scenarios_frame_shows_rates_in_percent():
    frame = converters.scenarios_frame(DEAL)
    assert list(frame.columns) == ["Scenario", "Students served", "Commitments met", "Dosage (%)",
                                   "Growth (%)", "original"]
    assert frame["Dosage (%)"].tolist()[0] == 25.0
    assert frame["Growth (%)"].tolist()[0] == 12.5
    assert cell(frame, 1, "Dosage (%)") is None  # blank: the expected rate
    assert cell(frame, 0, "Students served") is None
    assert cell(frame, 1, "Students served") == 50.0
    assert frame["Commitments met"].tolist() == [True, False]


def test_scenarios_round_trip_and_carry_other_fields():
    frame = converters.scenarios_frame(DEAL)
    assert converters.scenarios_from_frame(frame) == (DEAL["scenarios"], [])


def test_scenarios_blank_cells_new_rows_and_shares():
    frame = converters.scenarios_frame(DEAL)
    new = {"Scenario": "", "Students served": 40.0, "Commitments met": None, "Dosage (%)": 62.5,
           "Growth (%)": math.nan, "original": None}
    empty = dict.fromkeys(frame.columns)
    frame = pd.concat([frame, pd.DataFrame([new, empty])], ignore_index=True)
    frame.attrs = converters.scenarios_frame(DEAL).attrs
    scenarios, errors = converters.scenarios_from_frame(frame)
    assert errors == []
    assert len(scenarios) == 3  # the empty row is skipped
    assert scenarios[2] == {"name": "", "rates": {"Dosage": 0.625}, "commitments_met": True,
                            "students_served": 40}


def test_adding_copying_and_removing_scenario_rows():
    frame = converters.scenarios_frame(DEAL)
    added = converters.with_new_scenario(frame)
    assert added["Scenario"].tolist() == ["Low", "Few", "Scenario 1"]
    assert converters.with_new_scenario(added)["Scenario"].tolist()[-1] == "Scenario 2"
    copied = converters.with_copied_scenario(frame, "Low")
    assert copied["Scenario"].tolist() == ["Low", "Few", "Low copy 1"]
    assert copied["Dosage (%)"].tolist()[-1] == 25.0
    assert converters.with_copied_scenario(frame, "Missing") is None
    assert converters.without_scenario(frame, "Low")["Scenario"].tolist() == ["Few"]
    assert converters.scenario_names(added) == ["Low", "Few", "Scenario 1"]


# ---- the risk ranges ---------------------------------------------------------------------------

def test_ranges_frame_in_percent():
    frame = converters.ranges_frame(DEAL)
    assert frame["Expected (%)"].tolist() == [50.0, 25.0]
    assert cell(frame, 0, "Low (%)") == 40.0 and cell(frame, 0, "High (%)") == 60.0
    assert cell(frame, 1, "Low (%)") is None


def test_ranges_read_back_as_shares_and_untouched_cells_keep_the_exact_rate():
    deal = {"outcomes": [DOSAGE | {"rate_low": 0.43}, GROWTH]}
    frame = converters.ranges_frame(deal)
    edited = frame.copy()
    edited.loc[0, "High (%)"] = 70.0
    edited.loc[1, ["Low (%)", "High (%)"]] = [10.0, 37.5]
    candidate = converters.ranges_from_frame(edited, deal)
    # 0.43 is kept as given, not as 43.0 / 100; 37.5 / 100 = 0.375
    assert converters.ranges_of(candidate) == [(0.43, 0.7), (0.1, 0.375)]
    edited.loc[0, ["Low (%)", "High (%)"]] = math.nan
    cleared = converters.ranges_from_frame(edited, deal)
    assert cleared["outcomes"][0]["rate_low"] is None and cleared["outcomes"][0]["rate_high"] is None
    untouched = converters.ranges_from_frame(frame, deal)
    assert converters.ranges_of(untouched) == [(0.43, 0.6), (None, None)]


# ---- student groups and bands ------------------------------------------------------------------

GROUPS = [{"name": "Students with disabilities", "students": 10, "price_multiplier": 1.5},
          {"name": "English learners", "students": 20, "price_multiplier": 1.25}]
GROUPED = DEAL | {
    "student_groups": GROUPS,
    "outcomes": [DOSAGE | {"group_expected_rates": {"English learners": 0.4}},
                 GROWTH | {"eligible_students": None}],
    "scenarios": [{"name": "Low", "rates": {"Dosage": 0.25},
                   "group_rates": {"Dosage": {"English learners": 0.3, "Students with disabilities": 0.2}}}]}
BANDED = {"name": "MAP", "basis": "per_student_banded", "weight": 1.0, "expected_rate": 0.0,
          "data_source": "district",
          "bands": [{"min_value": None, "payout": -0.25}, {"min_value": 0.0, "payout": 0.0},
                    {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}],
          "expected_band_shares": [0.1, 0.3, 0.4, 0.2]}


def test_groups_frame_and_a_new_group_with_a_blank_multiplier():
    frame = group_tables.groups_frame(GROUPED)
    assert frame["Group"].tolist() == ["Students with disabilities", "English learners"]
    assert frame["Students"].tolist() == [10.0, 20.0]
    assert frame["Price multiplier"].tolist() == [1.5, 1.25]
    added = pd.concat([frame, pd.DataFrame([{"Group": "Newcomers", "Students": 5.0}])], ignore_index=True)
    candidate = group_tables.groups_from_frame(added, GROUPED)
    assert candidate["student_groups"][2] == {"name": "Newcomers", "students": 5, "price_multiplier": 1.0}


def test_renaming_a_group_renames_its_rates_and_removing_one_drops_them():
    frame = group_tables.groups_from_frame(group_tables.groups_frame(GROUPED), GROUPED)
    assert frame == GROUPED  # unchanged: the same deal back
    edited = group_tables.groups_frame(GROUPED)
    edited.loc[1, "Group"] = "Multilingual learners"
    edited = edited.drop(index=0)
    candidate = group_tables.groups_from_frame(edited, GROUPED)
    assert candidate["student_groups"] == [{"name": "Multilingual learners", "students": 20,
                                            "price_multiplier": 1.25}]
    assert candidate["outcomes"][0]["group_expected_rates"] == {"Multilingual learners": 0.4}
    assert candidate["scenarios"][0]["group_rates"] == {"Dosage": {"Multilingual learners": 0.3}}
    emptied = group_tables.groups_from_frame(edited.iloc[0:0], GROUPED)
    assert "student_groups" not in emptied and "group_expected_rates" not in emptied["outcomes"][0]
    assert "group_rates" not in emptied["scenarios"][0]


def test_group_rates_table_by_outcome_and_group():
    deal = deal_from_dict(GROUPED)
    frame = group_tables.group_rates_frame(deal)
    assert list(frame.columns) == ["Outcome", "Expected rate (%)", "Students with disabilities (%)",
                                   "English learners (%)", "Other students (%)"]  # 100 − 30 = 70 others
    assert cell(frame, 0, "English learners (%)") == 40.0
    assert cell(frame, 0, "Other students (%)") is None  # blank: the outcome's 50%
    frame.loc[1, "Other students (%)"] = 12.5
    candidate = group_tables.group_rates_from_frame(frame, GROUPED)
    assert candidate["outcomes"][0]["group_expected_rates"] == {"English learners": 0.4}
    assert candidate["outcomes"][1]["group_expected_rates"] == {"Other students": 0.125}


def test_group_prices_are_the_unit_price_times_the_multiplier():
    prices = group_tables.group_prices_frame(deal_from_dict(GROUPED)).set_index("Group")
    # Dosage: 25% of the 40,000 pool = 10,000 over 1.5 × 10 + 1.25 × 20 + 70 = 110 = 90.909...
    assert prices.loc["Students with disabilities", "Dosage: per achiever"] == "$136.36"  # × 1.5
    assert prices.loc["English learners", "Dosage: per achiever"] == "$113.64"  # × 1.25
    assert prices.loc["Other students", "Dosage: per achiever"] == "$90.91"
    assert "Growth: per achiever" not in prices.columns  # tiered: no price per achiever


def test_bands_frame_round_trip_and_an_edit():
    deal = DEAL | {"outcomes": [BANDED], "scenarios": []}
    frame = band_tables.bands_frame(BANDED)
    assert cell(frame, 0, "From value") is None  # any value
    assert frame["Payout (%)"].tolist() == [-25.0, 0.0, 50.0, 100.0]
    assert frame["Expected share (%)"].tolist() == [10.0, 30.0, 40.0, 20.0]
    assert band_tables.bands_from_frame(frame, deal) == deal
    frame.loc[2, "Payout (%)"] = 60.0
    frame.loc[:, "Expected share (%)"] = math.nan
    edited = band_tables.bands_from_frame(frame, deal)["outcomes"][0]
    assert edited["bands"][2] == {"min_value": 1.0, "payout": 0.6}
    assert "expected_band_shares" not in edited  # every share blank: none planned


def test_band_prices_are_the_price_per_student_times_the_payout():
    # The example: $100,000 over 500 students is $200 a student.
    deal = deal_from_dict({"schema_version": 1, "name": "MAP", "students": 500, "total_cost": 500_000,
                           "performance_share": 0.2, "outcomes": [BANDED]})
    prices = band_tables.band_prices(deal, deal.outcomes[0])
    assert [(p.label, p.price) for p in prices] == [("below 0", -50.0), ("0 to 1", 0.0), ("1 to 1.5", 100.0),
                                                    ("1.5 or more", 200.0)]


def test_band_shares_as_text():
    assert band_tables.shares_to_text([0.1, 0.3, 0.4, 0.2]) == "10%, 30%, 40%, 20%"
    assert band_tables.parse_shares("10, 30; 40%, 20") == [0.1, 0.3, 0.4, 0.2]
    assert band_tables.parse_shares("  ") is None
    with pytest.raises(ValueError, match="got 'ten'"):
        band_tables.parse_shares("ten, 20")


def test_scenarios_table_with_groups_and_bands():
    deal = GROUPED | {"outcomes": [GROUPED["outcomes"][0], BANDED],
                      "scenarios": [{"name": "Low", "rates": {"Dosage": 0.25}, "commitments_met": True,
                                     "group_rates": {"Dosage": {"English learners": 0.3}},
                                     "band_shares": {"MAP": [0.5, 0.5, 0.0, 0.0]}}]}
    names = ["Students with disabilities", "English learners", "Other students"]
    frame = converters.scenarios_frame(deal, names)
    assert list(frame.columns)[3:-1] == ["Dosage (%)", "Dosage: Students with disabilities (%)",
                                         "Dosage: English learners (%)", "Dosage: Other students (%)",
                                         "MAP: band shares"]  # no rate column for the banded MAP
    assert cell(frame, 0, "Dosage: English learners (%)") == 30.0
    assert cell(frame, 0, "MAP: band shares") == "50%, 50%, 0%, 0%"
    assert converters.scenarios_from_frame(frame) == (deal["scenarios"], [])
    frame.loc[0, "MAP: band shares"] = "0, 0, 0, 100"
    frame.loc[0, "Dosage: Other students (%)"] = 90.0
    scenarios, errors = converters.scenarios_from_frame(frame)
    assert errors == []
    assert scenarios[0]["band_shares"] == {"MAP": [0.0, 0.0, 0.0, 1.0]}
    assert scenarios[0]["group_rates"] == {"Dosage": {"English learners": 0.3, "Other students": 0.9}}
    frame.loc[0, "MAP: band shares"] = "half"
    assert converters.scenarios_from_frame(frame)[1] == [
        "Scenarios, row 1 (Low), band shares for MAP: Expected a number, got 'half'."]


def test_switching_an_outcome_to_banded_starts_its_bands_and_drops_its_scenario_rates():
    frame = converters.rate_card_frame(DEAL)
    frame.loc[0, "Basis"] = "per_student_banded"
    candidate, errors = converters.rate_card_from_frame(frame, DEAL)
    assert errors == []
    assert candidate["outcomes"][0]["bands"] == [{"min_value": None, "payout": 0.0},
                                                 {"min_value": 0.0, "payout": 1.0}]
    assert candidate["scenarios"][0]["rates"] == {"Growth": 0.125}  # Dosage's 25% is gone
    back = converters.rate_card_frame(candidate)
    back.loc[0, "Basis"] = "per_student"
    undone, _ = converters.rate_card_from_frame(back, candidate)
    assert "bands" not in undone["outcomes"][0]
