"""ui.converters: the editable tables as pure functions, deal dict -> DataFrame -> deal dict.

Plain pytest, no Streamlit: every expected value is written out by hand. The tables show rates
in percent (0.25 -> 25.0) and read them back as shares.
"""

from __future__ import annotations

import math

import pandas as pd

from ui import converters

DOSAGE = {"name": "Dosage", "metric": "Sessions attended", "threshold": "80% of sessions",
          "threshold_value": 0.8, "basis": "per_student", "weight": 0.25, "expected_rate": 0.5,
          "data_source": "provider", "paid_in_month": 5, "rate_low": 0.4, "rate_high": 0.6}
GROWTH = {"name": "Growth", "metric": "Scale score", "threshold": "one year", "basis": "tiered",
          "weight": 0.75, "expected_rate": 0.25, "tiers": [{"min_rate": 0.2, "payout": 0.5},
                                                           {"min_rate": 0.3, "payout": 1.0}],
          "data_source": "district", "eligible_students": 80}
DEAL = {"name": "Small", "students": 100, "total_cost": 100000, "performance_share": 0.4,
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
    assert [o["name"] for o in candidate["outcomes"]] == ["Dosage", "Growth", ""]  # the blank row is skipped
    assert candidate["outcomes"][2]["weight"] == 0.1
    assert errors == ["Rate card, row 3, tiers: Write each tier as from-rate:payout, such as 20%:50%; "
                      "got '20%-50%'."]


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
    assert converters.scenarios_from_frame(frame, ["Dosage", "Growth"]) == DEAL["scenarios"]


def test_scenarios_blank_cells_new_rows_and_shares():
    frame = converters.scenarios_frame(DEAL)
    new = {"Scenario": "", "Students served": 40.0, "Commitments met": None, "Dosage (%)": 62.5,
           "Growth (%)": math.nan, "original": None}
    empty = dict.fromkeys(frame.columns)
    frame = pd.concat([frame, pd.DataFrame([new, empty])], ignore_index=True)
    frame.attrs = converters.scenarios_frame(DEAL).attrs
    scenarios = converters.scenarios_from_frame(frame, ["Dosage", "Growth"])
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
    candidate = converters.ranges_from_frame(edited, frame, deal)
    # 0.43 is kept as given, not as 43.0 / 100; 37.5 / 100 = 0.375
    assert converters.ranges_of(candidate) == [(0.43, 0.7), (0.1, 0.375)]
    edited.loc[0, ["Low (%)", "High (%)"]] = math.nan
    cleared = converters.ranges_from_frame(edited, frame, deal)
    assert cleared["outcomes"][0]["rate_low"] is None and cleared["outcomes"][0]["rate_high"] is None
    untouched = converters.ranges_from_frame(frame, frame, deal)
    assert converters.ranges_of(untouched) == [(0.43, 0.6), (None, None)]
