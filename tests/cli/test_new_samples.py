"""The two samples of issue 12 through the command line: `evaluate` gives the figures worked out by
hand here from the numbers in their files, and `export` and `simulate` run on them."""

import importlib.util
import json
from pathlib import Path

import pytest

from obc_calc.cli import main

SAMPLES = Path(__file__).parents[2] / "sample_data"
BANDED = SAMPLES / "map_growth_banded.json"
GROUPS = SAMPLES / "student_groups_priced.json"
CENT = 0.005


def evaluate_json(capsys, path) -> dict:
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def by_name(items: list[dict]) -> dict[str, dict]:
    return {item["name"]: item for item in items}


def test_banded_sample_headline_figures(capsys):
    out = evaluate_json(capsys, BANDED)
    # $750,000, 40% on outcomes: base $450,000, pool $300,000 (Dosage 20%, mid-year 30%, end-of-year 50%).
    assert out["base_max"] == pytest.approx(750_000 * 0.6, abs=CENT)
    assert out["performance_pool"] == pytest.approx(750_000 * 0.4, abs=CENT)
    assert out["maximum"]["total"] == pytest.approx(750_000, abs=CENT)
    # Expected: 45,000 + 90,000 x 0.4375 + 150,000 x 0.525 (worked out in tests/core/test_samples.py).
    assert out["expected"]["total"] == pytest.approx(450_000 + 60_000 * 0.75 + 39_375 + 78_750, abs=CENT)
    # Floor: penalties of 90,000 x 0.25 + 150,000 x 0.25 = 60,000, capped at the $30,000 clawback.
    assert out["floor"]["performance"] == pytest.approx(-30_000, abs=CENT)
    assert out["floor"]["total"] == pytest.approx(450_000 - 30_000, abs=CENT)
    totals = {s["name"]: s["total"] for s in out["scenarios"]}
    assert totals == pytest.approx({
        "Strong year": 450_000 + 51_000 + 47_250 + 95_625,
        "Weak year with declines": 450_000 + 24_000 - 3_375 - 15_000,
        "Fewer students served": 300 * 1_200 + (45_000 + 39_375 + 78_750) * 1_200 / 1_500,
    }, abs=CENT)


def test_banded_sample_reports_the_share_in_paying_bands(capsys):
    expected = by_name(evaluate_json(capsys, BANDED)["expected"]["outcomes"])
    # The rate of a banded outcome is the share of students in bands paying more than 0:
    # mid-year 25% + 35%, end-of-year 30% + 40%, of 1,500 students.
    mid, end = expected["Mid-year MAP growth"], expected["End-of-year MAP growth"]
    assert mid["rate"] == pytest.approx(0.25 + 0.35)
    assert mid["achievers"] == pytest.approx((0.25 + 0.35) * 1_500)
    assert mid["payment"] == pytest.approx(90_000 * (0.15 * -0.25 + 0.25 * 0.5 + 0.35 * 1), abs=CENT)
    assert end["rate"] == pytest.approx(0.3 + 0.4)
    assert end["payment"] == pytest.approx(150_000 * (0.1 * -0.25 + 0.3 * 0.5 + 0.4 * 1), abs=CENT)
    assert "groups" not in mid  # the deal has no student groups


def test_groups_sample_headline_figures(capsys):
    out = evaluate_json(capsys, GROUPS)
    # $1,125,000, 40% on outcomes: a $675,000 fixed base and a $450,000 pool.
    assert out["maximum"]["total"] == pytest.approx(1_125_000, abs=CENT)
    assert out["floor"]["total"] == pytest.approx(675_000, abs=CENT)
    assert out["expected"]["total"] == pytest.approx(675_000 + 86_500 + 112_000 + 59_062.50, abs=CENT)
    totals = {s["name"]: s["total"] for s in out["scenarios"]}
    assert totals == pytest.approx({
        "Gains reach every group": 675_000 + 94_500 + 132_750 + 90_937.50,
        "Gains only for other students": 675_000 + 86_500 + 106_000 + 59_062.50,
        "Low": 675_000 + 67_500 + 78_750 + 18_750,
    }, abs=CENT)


def test_groups_sample_prices_each_group(capsys):
    expected = by_name(evaluate_json(capsys, GROUPS)["expected"]["outcomes"])
    growth = expected["Reading growth"]
    # u = $225,000 / (1.5 x 150 + 1.25 x 200 + 1 x 650) = 225,000 / 1,125 = $200.
    assert by_name(growth["groups"]) == {
        "Students with disabilities": pytest.approx(
            {"name": "Students with disabilities", "students": 150, "rate": 0.4, "achievers": 150 * 0.4,
             "price": 200 * 1.5, "payment": 200 * 1.5 * 60}),
        "English learners": pytest.approx(
            {"name": "English learners", "students": 200, "rate": 0.45, "achievers": 200 * 0.45,
             "price": 200 * 1.25, "payment": 200 * 1.25 * 90}),
        "Other students": pytest.approx(
            {"name": "Other students", "students": 650, "rate": 0.55, "achievers": 650 * 0.55,
             "price": 200.0, "payment": 200 * 357.5}),
    }
    assert growth["payment"] == pytest.approx(18_000 + 22_500 + 71_500, abs=CENT)
    # The overall rate: (60 + 90 + 357.5) / 1,000 students.
    assert growth["rate"] == pytest.approx((60 + 90 + 357.5) / 1_000)
    # Dosage: u = $112,500 / 1,125 = $100; 105, 150 and 520 achievers.
    dosage = by_name(expected["Dosage"]["groups"])
    names = ("Students with disabilities", "English learners", "Other students")
    prices = [dosage[name]["price"] for name in names]
    assert prices == pytest.approx([150, 125, 100])
    assert expected["Dosage"]["payment"] == pytest.approx(150 * 105 + 125 * 150 + 100 * 520, abs=CENT)


def test_groups_sample_linear_outcome_reads_the_overall_rate(capsys):
    expected = by_name(evaluate_json(capsys, GROUPS)["expected"]["outcomes"])
    placement = expected["Placement level gain"]
    # Not priced by group: each group's rate and achievers are shown, with no price or payment.
    assert [(g["name"], g["rate"], g["price"], g["payment"]) for g in placement["groups"]] == [
        ("Students with disabilities", 0.3, None, None), ("English learners", 0.35, None, None),
        ("Other students", 0.45, None, None)]
    # Overall (150 x 0.3 + 200 x 0.35 + 650 x 0.45) / 1,000 = 0.4075; linear from 25% to 55%.
    assert placement["rate"] == pytest.approx((45 + 70 + 292.5) / 1_000)
    assert placement["payment"] == pytest.approx(112_500 * (0.4075 - 0.25) / (0.55 - 0.25), abs=CENT)


@pytest.mark.parametrize("path", [BANDED, GROUPS], ids=lambda p: p.stem)
def test_table_names_every_scenario(capsys, path):
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    for scenario in json.loads(path.read_text())["scenarios"]:
        assert scenario["name"] in out


@pytest.mark.parametrize("path", [BANDED, GROUPS], ids=lambda p: p.stem)
def test_export_writes_a_workbook(capsys, path, tmp_path):
    book = tmp_path / "deal.xlsx"
    assert main(["export", str(path), "-o", str(book)]) == 0
    assert book.stat().st_size > 0


@pytest.mark.parametrize("path", [BANDED, GROUPS], ids=lambda p: p.stem)
def test_simulate_runs(capsys, path):
    assert main(["simulate", str(path), "--trials", "2000", "--seed", "3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [o["name"] for o in json.loads(path.read_text())["outcomes"]]
    assert set(data["expected_payments"]) == set(names)


def test_results_files_are_reproducible_and_settle(capsys):
    spec = importlib.util.spec_from_file_location("make_banded_results", SAMPLES / "make_banded_results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = {BANDED: module.banded_results(), GROUPS: module.groups_results()}
    for deal, frame in written.items():
        results = SAMPLES / f"{deal.stem}_results.csv"
        assert frame.to_csv(index=False, lineterminator="\n") == results.read_text(encoding="utf-8")
        assert main(["invoice", str(deal), str(results), "--format", "json"]) == 0
    assert set(written[GROUPS]["group"]) == {"Students with disabilities", "English learners", ""}
