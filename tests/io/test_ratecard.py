"""Rate cards from CSV and XLSX tables, into a deal; bad cards name the row and column."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from obc_calc.cli import main
from obc_calc.core.bases import BASES
from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import deal_to_dict, load_deal
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
        "data_source, paid_in_month, rate_low, rate_high",
        "card.csv: row 2, column weight: expected a number, got 'half'",
        "card.csv: row 3, column tiers: write each tier as from-rate:payout, such as 20%:50%; got '20%-50%'",
    ]


def test_deal_checks_point_at_the_card():
    raw = xlsx([["name", "weight", "expected_rate", "basis"],
                ["A", 0.5, 0.5, "per_student"], None, ["B", 0.4, 0.5, "linear"]])
    assert problems(raw, "card.xlsx") == [
        "card.xlsx: sheet Outcomes, column weight: the weights add up to 0.9, not 1 (100%)",
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
