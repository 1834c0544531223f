"""`python -m obc_calc simulate`: the figures as JSON or a table, exit 2 on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from obc_calc.cli import main
from tests.helpers import deal_dict

MATH = Path(__file__).parents[2] / "sample_data" / "math_tutoring.json"
SUMMARY_KEYS = {"mean", "std", "p5", "p25", "p50", "p75", "p95"}


def write(tmp_path, data) -> Path:
    path = tmp_path / "deal.json"
    path.write_text(json.dumps(data))
    return path


def run_json(capsys, *args) -> dict:
    assert main(["simulate", *map(str, args), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_the_issue_keys(capsys):
    data = run_json(capsys, MATH, "--trials", 2_000, "--seed", 5)
    assert data["trials"] == 2_000 and data["seed"] == 5
    assert set(data["total"]) == SUMMARY_KEYS
    assert set(data["provider_earnings"]) == SUMMARY_KEYS
    assert set(data["expected_payments"]) == {"Dosage", "Math growth", "Same tutor"}
    assert data["risk"] == {
        "correlation": 0.5, "students_served_low": 1100, "students_served_high": 1250,
        "commitments_miss_probability": 0.05,
    }
    assert 0 <= data["probability_total_exceeds_budget_line"] <= 1


def test_json_figures_by_hand_when_nothing_is_uncertain(capsys, tmp_path):
    path = write(tmp_path, deal_dict())  # $60,000 base + $40,000 x 50% on one outcome
    data = run_json(capsys, path, "--trials", 500, "--budget-line", 79_999, "--earnings-share", 0.6)
    assert data["total"] == dict.fromkeys(SUMMARY_KEYS, 80_000.0) | {"std": 0.0}
    assert data["expected_payments"] == {"Growth": 20_000.0}
    assert data["budget_line"] == 79_999
    assert data["probability_total_exceeds_budget_line"] == 1.0
    # 60% of the $40,000 pool is $24,000; every trial earns $20,000, less than that.
    assert data["earnings_line"] == pytest.approx(24_000)
    assert data["probability_earnings_below_share"] == 1.0


def test_the_budget_line_defaults_to_the_expected_total(capsys, tmp_path):
    data = run_json(capsys, write(tmp_path, deal_dict()), "--trials", 100)
    assert data["budget_line"] == 80_000
    assert data["probability_total_exceeds_budget_line"] == 0.0
    assert data["earnings_share"] == 0.5


def test_table_is_the_default(capsys):
    assert main(["simulate", str(MATH), "--trials", "1000"]) == 0
    out = capsys.readouterr().out
    assert "District total" in out and "95th percentile" in out
    assert "students served 1,100 to 1,250" in out


def test_the_table_says_when_nothing_varies(capsys, tmp_path):
    assert main(["simulate", str(write(tmp_path, deal_dict())), "--trials", "100"]) == 0
    assert "Nothing in this deal varies" in capsys.readouterr().out
    assert main(["simulate", str(MATH), "--trials", "100"]) == 0
    assert "Nothing in this deal varies" not in capsys.readouterr().out


def test_a_bad_file_exits_2_with_the_outcome_named(capsys, tmp_path):
    outcome = {"name": "Growth", "expected_rate": 0.05, "rate_low": 0.0, "rate_high": 0.6}
    path = write(tmp_path, deal_dict(outcomes=[outcome]))
    assert main(["simulate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"{path}: outcomes[0].rate_high: a range 60.0% wide is impossible")


@pytest.mark.parametrize("args", [
    ["--trials", "0"], ["--trials", "many"], ["--trials", "20000000"], ["--seed", "-1"],
    ["--earnings-share", "1.5"], ["--budget-line", "nan"], ["--format", "xml"],
])
def test_bad_options_exit_2(capsys, args):
    with pytest.raises(SystemExit) as caught:
        main(["simulate", str(MATH), *args])
    assert caught.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_as_a_real_process(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    command = [sys.executable, "-m", "obc_calc", "simulate", str(path)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 2
    assert "not valid JSON" in done.stderr and "Traceback" not in done.stderr


PENALTY_BANDS = [{"min_value": None, "payout": -1.0}, {"min_value": 0, "payout": 1.0}]


def banded(**outcome) -> dict:
    """$40,000 over 100 students: half below 0 (payout -100%), half from 0 (100%)."""
    growth = {"name": "Growth", "basis": "per_student_banded", "bands": PENALTY_BANDS,
              "expected_band_shares": [0.5, 0.5]} | outcome
    return deal_dict(outcomes=[growth])


def test_a_banded_deal_runs_and_says_what_the_penalty_limit_gave_back(capsys, tmp_path):
    path = write(tmp_path, banded(rate_low=0.3, rate_high=0.7))
    data = run_json(capsys, path, "--trials", 5_000, "--seed", 3)
    # The outcome pays 40,000 (2p - 1); with max_penalty 0 a negative payment is given back, so the
    # outcome's mean plus what was given back is the mean of the earnings, never below 0.
    relief = data["expected_penalty_relief"]
    assert relief > 0
    assert data["expected_payments"]["Growth"] + relief == pytest.approx(data["provider_earnings"]["mean"])
    assert data["provider_earnings"]["p5"] >= 0
    assert main(["simulate", str(path), "--trials", "5000", "--seed", "3"]) == 0
    assert "Penalties beyond max_penalty, given back" in capsys.readouterr().out


def test_a_banded_deal_without_a_range_is_the_expected_case(capsys, tmp_path):
    data = run_json(capsys, write(tmp_path, banded()), "--trials", 100)
    # 40,000 x (0.5 x -1 + 0.5 x 1) = 0, on the $60,000 base.
    assert data["total"] == dict.fromkeys(SUMMARY_KEYS, 60_000.0) | {"std": 0.0}
    assert data["expected_penalty_relief"] == 0.0


def test_a_range_no_paying_share_can_have_exits_2_naming_the_file(capsys, tmp_path):
    # Every student expected in the band paying nothing: a share in paying bands of 0% has no spread.
    path = write(tmp_path, banded(rate_low=0.0, rate_high=0.2, expected_band_shares=[1.0, 0.0]))
    assert main(["simulate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{path}: outcomes[0].rate_high: a range 20.0% wide is impossible for a share of "
                   "students in paying bands averaging 0.0%: its 10th-to-90th percentile range must be "
                   "under 0.0% wide"]
