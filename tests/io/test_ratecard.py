"""Rate cards from CSV and XLSX tables, into a deal; bad cards name the row and column."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from obc_calc.cli import main
from obc_calc.core.bases import BASES
from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.io.ratecard import (
    apply_rate_card,
    deal_with_rate_card,
    read_rate_card,
    rescaled_weights,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "data" / "example_deal.json"
SAMPLE = ROOT / "sample_data" / "rate_card_example.csv"


def xlsx(rows: list[list], title: str = "Outcomes") -> bytes:
    wb = Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row or [])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def problems(data: bytes, filename: str) -> list[str]:
    with pytest.raises(DealError) as caught:
        deal_with_rate_card(load_deal(EXAMPLE), read_rate_card(data, filename))
    return caught.value.lines()


def test_sample_rate_card_rebuilds_the_example_deal():
    """The sample CSV writes the example deal's outcomes as a finance office would (25%, 20%:50%)."""
    deal = load_deal(EXAMPLE)
    card = read_rate_card(SAMPLE, "rate_card_example.csv")
    assert card.outcomes[2]["tiers"] == [{"min_rate": 0.2, "payout": 0.5}, {"min_rate": 0.3, "payout": 1.0}]
    assert card.outcomes[3]["expected_rate"] == 0.7 and "eligible_students" not in card.outcomes[0]
    assert deal_to_dict(deal_with_rate_card(deal, card)) == deal_to_dict(deal)


def test_latin1_semicolons_and_percent():
    raw = (ROOT / "tests" / "data" / "rate_card_latin1_semicolon.csv").read_bytes()
    card = read_rate_card(raw, "card.csv")
    assert card.outcomes == [
        {"name": "Lecturé", "weight": 0.6, "expected_rate": 0.5, "basis": "tiered",
         "tiers": [{"min_rate": 0.2, "payout": 0.5}, {"min_rate": 0.3, "payout": 1.0}]},
        {"name": "Dosage", "weight": 0.4, "expected_rate": 0.7, "basis": "per_student"},
    ]


def test_utf8_bom_and_header_spelling():
    raw = "\ufeffName,Expected rate,Weight,Eligible students\nDosage,0.75,1,\"1,000\"\n".encode()
    card = read_rate_card(raw, "card.csv")
    assert card.outcomes == [
        {"name": "Dosage", "expected_rate": 0.75, "weight": 1.0, "eligible_students": 1000}]


def test_xlsx_rate_card():
    raw = xlsx([["name", "weight", "expected_rate", "basis", "target_rate"],
                ["Growth", 1, 0.55, "cohort_threshold", 0.5]])
    deal = deal_with_rate_card(load_deal(EXAMPLE), read_rate_card(raw, "card.xlsx"))
    assert [o.name for o in deal.outcomes] == ["Growth"] and deal.outcomes[0].target_rate == 0.5
    # Scenario rates for outcomes the card dropped are dropped with them.
    assert all(s.rates == {} for s in deal.scenarios)


def test_a_basis_by_name_or_by_the_apps_label():
    raw = b"name,basis,target_rate\nA,Graduated (linear),0.6\nB, cohort_threshold ,0.5\n"
    assert [o["basis"] for o in read_rate_card(raw, "card.csv").outcomes] == ["linear", "cohort_threshold"]
    assert problems(b"name,basis\nA,halfway\n", "card.csv") == [
        f"card.csv: row 2, column basis: unknown payment basis 'halfway'; the bases are {', '.join(BASES)}"]


def test_apply_keeps_the_rest_of_the_deal():
    data = deal_to_dict(load_deal(EXAMPLE))
    out = apply_rate_card(data, [{"name": "Dosage", "weight": 1.0}])
    assert out["outcomes"] == [{"name": "Dosage", "weight": 1.0}]
    assert out["scenarios"][0]["rates"] == {"Dosage": 0.5} and out["total_cost"] == data["total_cost"]


def test_bad_cells_name_row_and_column():
    raw = b"name,weight,expected_rate,tiers,colour\nA,half,0.5,,\nB,0.5,0.5,20%-50%,\n"
    assert problems(raw, "card.csv") == [
        "card.csv: row 1, column colour: unknown column; a rate card's columns are name, metric, threshold, "
        "threshold_value, basis, weight, expected_rate, eligible_students, target_rate, floor_rate, tiers, "
        "data_source, paid_in_month, rate_low, rate_high, group_expected_rates, bands, expected_band_shares, "
        "group_band_shares",
        "card.csv: row 2, column weight: expected a number, got 'half'",
        "card.csv: row 3, column tiers: write each tier as from-rate:payout, such as 20%:50%; got '20%-50%'",
    ]


def test_deal_checks_point_at_the_card():
    raw = xlsx([["name", "weight", "expected_rate", "basis"],
                ["A", 0.5, 0.5, "per_student"], None, ["B", 0.4, 0.5, "linear"]])
    assert problems(raw, "card.xlsx") == [
        "card.xlsx: sheet Outcomes, column weight: the weights add up to 90%, not 100%",
        "card.xlsx: sheet Outcomes, row 4, column target_rate: a linear outcome needs it",
    ]
    raw = xlsx([["name", "expected_rate"], ["A", 1.5]])
    assert problems(raw, "card.xlsx") == [
        "card.xlsx: sheet Outcomes, row 2, column expected_rate: input should be less than or equal to 1 "
        "(got 1.5)"]


def test_missing_name_column_and_empty_files():
    assert problems(b"weight\n1\n", "card.csv") == [
        "card.csv: row 1: there is no name column (each outcome needs a name)"]
    assert problems(b"", "card.csv") == ["card.csv: the rate card is empty"]
    assert problems(b"name,weight\n", "card.csv") == [
        "card.csv: the rate card has a header row but no outcomes"]


def test_not_a_spreadsheet():
    assert problems(b"hello", "card.xlsx") == [
        "card.xlsx: cannot read the file: it is not an Excel workbook (.xlsx), though its name says so"]
    assert problems(b"PK\x03\x04junk", "card.xlsx") == [
        "card.xlsx: cannot read the file: the workbook is cut short or damaged (its zip directory is "
        "missing)"]
    assert problems(b"\x00\x01\x02", "card.bin") == [
        "card.bin: this is neither a CSV file nor an Excel workbook (.xlsx)"]


def test_cli_import_rate_card(tmp_path, capsys):
    out = tmp_path / "deal.json"
    assert main(["import-rate-card", str(EXAMPLE), str(SAMPLE), "-o", str(out)]) == 0
    assert deal_to_dict(load_deal(out)) == deal_to_dict(load_deal(EXAMPLE))
    bad = tmp_path / "bad.csv"
    bad.write_text("name,weight\nA,lots\n")
    assert main(["import-rate-card", str(EXAMPLE), str(bad), "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"{bad}: row 2, column weight: expected a number, got 'lots'\n"


def test_rescaled_weights_keep_their_proportions():
    # 20% and 30% add up to 50%: doubled, 40% and 60%.
    assert rescaled_weights([20.0, 30.0], 100.0).tolist() == pytest.approx([40.0, 60.0])
    # 1 and 3 out of 4: a quarter and three quarters.
    assert rescaled_weights([1.0, 3.0]).tolist() == pytest.approx([0.25, 0.75])


def test_rescaled_weights_all_zero_become_equal():
    assert rescaled_weights([0.0, 0.0, 0.0, 0.0], 100.0).tolist() == [25.0, 25.0, 25.0, 25.0]


# ---------------------------------------------------------------- student groups and bands

SWD, EL = "Students with disabilities", "English learners"


def grouped_deal():
    """The example deal with the issue's two groups: 100 students with disabilities and 200 English
    learners of its 1,000."""
    data = deal_to_dict(load_deal(EXAMPLE))
    data["student_groups"] = [{"name": SWD, "students": 100, "price_multiplier": 1.5},
                              {"name": EL, "students": 200, "price_multiplier": 1.25}]
    return deal_from_dict(data)


BANDED_CARD = (
    "name,basis,weight,bands,expected_band_shares,group_expected_rates,group_band_shares\n"
    f'Reading,per_student,0.5,,,"{SWD}: 40%; {EL}: 0.5",\n'
    f'MAP growth,"per student, banded",0.5,"any:-25%, 0:0%, 1.0:50%, 1.5:100%","10%, 30%, 40%, 20%",,'
    f'"{EL}: 20%, 30%, 40%, 10%"\n'
).encode()


def test_groups_bands_and_shares_read_from_one_cell_each():
    card = read_rate_card(BANDED_CARD, "card.csv")
    assert card.outcomes[0]["group_expected_rates"] == {SWD: 0.4, EL: 0.5}
    assert card.outcomes[1] == {
        "name": "MAP growth", "basis": "per_student_banded", "weight": 0.5,
        "bands": [{"min_value": None, "payout": -0.25}, {"min_value": 0.0, "payout": 0.0},
                  {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}],
        "expected_band_shares": [0.1, 0.3, 0.4, 0.2],
        "group_band_shares": {EL: [0.2, 0.3, 0.4, 0.1]},
    }
    deal = deal_with_rate_card(grouped_deal(), card)
    assert deal.outcomes[1].bands[0].min_value is None and deal.outcomes[1].bands[0].payout == -0.25
    # The example deal's scenario rates for Reading and MAP growth are gone: neither outcome was on it.
    assert all(s.rates == {} for s in deal.scenarios)


def test_the_same_card_as_an_xlsx():
    raw = xlsx([["name", "basis", "bands", "expected_band_shares"],
                ["MAP growth", "per_student_banded", "any:-0.25; 1:1", "0.25; 0.75"]])
    outcome = read_rate_card(raw, "card.xlsx").outcomes[0]
    assert outcome["bands"] == [{"min_value": None, "payout": -0.25}, {"min_value": 1.0, "payout": 1.0}]
    assert outcome["expected_band_shares"] == [0.25, 0.75]


def test_scenario_inputs_kept_only_for_outcomes_paid_that_way():
    data = deal_to_dict(grouped_deal())
    data["scenarios"] = [{"name": "Low", "rates": {"Dosage": 0.5, "Gone": 0.1},
                          "group_rates": {"Dosage": {EL: 0.3}, "Growth": {EL: 0.3}},
                          "band_shares": {"Growth": [0.5, 0.5], "Dosage": [0.5, 0.5]}}]
    outcomes = [{"name": "Dosage"}, {"name": "Growth", "bands": []}]
    scenario = apply_rate_card(data, outcomes)["scenarios"][0]
    assert scenario["rates"] == {"Dosage": 0.5} and scenario["group_rates"] == {"Dosage": {EL: 0.3}}
    assert scenario["band_shares"] == {"Growth": [0.5, 0.5]}


def test_band_and_group_cells_that_cannot_be_read_name_row_and_column():
    raw = ("name,bands,expected_band_shares,group_expected_rates,group_band_shares\n"
           'A,"any:-25%, 1.0-100%",,,\n'
           'B,,"10%, 30, 40%",,\n'
           f'C,,,"{SWD} 40%",\n'
           f'D,,,"{SWD}: 40%; {SWD.upper()}: 50%",\n'
           f'E,,,,"{EL}: 20%, lots"\n').encode()
    assert problems(raw, "card.csv") == [
        "card.csv: row 2, column bands: write each band as from-value:payout, such as 1.0:50%; "
        "got '1.0-100%'",
        "card.csv: row 3, column expected_band_shares: '30' is not a rate; write it as 30% or as a fraction "
        "such as 0.3",
        f"card.csv: row 4, column group_expected_rates: write each group as group: rate, such as English "
        f"learners: 50%; got '{SWD} 40%'",
        f"card.csv: row 5, column group_expected_rates: the group '{SWD.upper()}' is given twice",
        "card.csv: row 6, column group_band_shares: expected a number, got 'lots'",
    ]


def test_the_deals_group_and_band_rules_point_at_the_card():
    raw = (b"name,basis,weight,bands,expected_band_shares,group_expected_rates\n"
           b'A,per_student,0.5,,,"Gifted: 40%"\n'
           b'B,per_student_banded,0.5,"any:-25%, 1:50%","60%, 50%",\n')
    with pytest.raises(DealError) as caught:
        deal_with_rate_card(grouped_deal(), read_rate_card(raw, "card.csv"))
    assert caught.value.lines() == [
        "card.csv: row 2, column group_expected_rates: there is no student group by that name",
        "card.csv: row 3, column bands: the last band pays the whole price per student (100%), not 50%",
        "card.csv: row 3, column expected_band_shares: the shares add up to 110.0%, more than all of the "
        "students (100%)",
    ]
