"""`python -m obc_calc evaluate`: JSON for programs, a table for people, status 2 on bad input."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from obc_calc.cli import main, print_json
from obc_calc.core.report import deal_report, report_text
from tests.helpers import make_deal

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "tests" / "data" / "example_deal.json"


def run_json(capsys, path=EXAMPLE) -> dict:
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_output_has_every_key(capsys):
    out = run_json(capsys)
    for key in ("deal", "total_cost", "base_max", "performance_pool", "performance_share", "flags",
                "expected", "floor", "maximum", "scenarios"):
        assert key in out
    scenario_keys = {"name", "students_served", "commitments_met", "base", "outcomes", "performance",
                     "total", "pool_earned_share", "district_savings", "cost_per_student_served"}
    for result in [out["expected"], out["floor"], out["maximum"], *out["scenarios"]]:
        assert scenario_keys <= set(result)
        for outcome in result["outcomes"]:
            assert {"name", "rate", "achievers", "payment"} <= set(outcome)


def test_json_figures_by_hand(capsys):
    out = run_json(capsys)
    assert out["deal"] == "Grade 8 math tutoring 2026-27"
    assert out["base_max"] == pytest.approx(1_420_000 * 0.6)
    assert out["maximum"]["total"] == pytest.approx(1_420_000)
    assert out["floor"]["total"] == pytest.approx(852_000)
    assert out["expected"]["total"] == pytest.approx(852_000 + 106_500 + 255_600 + 56_800 + 28_400)
    assert [s["name"] for s in out["scenarios"]] == [
        "Low", "High", "Fewer students", "District misses commitments"]
    assert out["scenarios"][3]["district_savings"] == pytest.approx(0, abs=0.005)


def test_no_one_served_gives_null_cost_per_student(capsys, tmp_path):
    data = json.loads(EXAMPLE.read_text())
    data["scenarios"] = [{"name": "Nobody", "students_served": 0}]
    path = tmp_path / "deal.json"
    path.write_text(json.dumps(data))
    assert run_json(capsys, path)["scenarios"][0]["cost_per_student_served"] is None


def test_flags_in_json(capsys, tmp_path):
    data = json.loads(EXAMPLE.read_text())
    data["performance_share"] = 0.61
    path = tmp_path / "deal.json"
    path.write_text(json.dumps(data))
    flags = run_json(capsys, path)["flags"]
    high = [f for f in flags if f["code"] == "performance_share_high"]
    assert high and high[0]["level"] == "warning" and high[0]["message"]


def test_table_is_the_default(capsys):
    assert main(["evaluate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Grade 8 math tutoring 2026-27" in out
    assert "$1,299,300.00" in out  # the expected total
    assert "District misses commitments" in out


def test_bad_file_exits_2_with_one_line_per_problem(capsys, tmp_path):
    data = json.loads(EXAMPLE.read_text())
    data["outcomes"][2]["tiers"][1]["min_rate"] = -0.1
    data["scenarios"][1]["rates"]["Dosage"] = 1.5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert all(line.startswith(f"{path}: ") for line in err)
    assert "outcomes[2].tiers[1].min_rate: input should be greater than or equal to 0" in err[0]
    assert "scenarios[1].rates.Dosage: input should be less than or equal to 1" in err[1]


def test_as_a_real_process_without_a_traceback(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    done = subprocess.run([sys.executable, "-m", "obc_calc", "evaluate", str(path)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{path}: this is not valid JSON")


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["evaluate"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["evaluate", str(EXAMPLE), "--format", "xml"])
    assert caught.value.code == 2


def test_tables_carry_no_escape_codes():
    # Names refuse control codes; a deal changed in code afterwards still prints safely.
    deal = make_deal(district="\x1b]0;title\x07")
    deal = deal.model_copy(update={"name": "Deal\x1b[2J", "outcomes": [
        deal.outcomes[0].model_copy(update={"name": "Growth\x9b31m"})]})
    text = report_text(deal_report(deal))
    assert "\x1b" not in text and "\x9b" not in text
    assert text.startswith("Deal?[2J\n") and "Growth?31m" in text


def test_json_output_escapes_every_control_code(capsys):
    print_json({"name": "a\x1b[2J\x9b\x7fz"})
    out = capsys.readouterr().out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert json.loads(out) == {"name": "a\x1b[2J\x9b\x7fz"}


def test_error_lines_carry_no_escape_codes(capsys, tmp_path):
    data = json.loads(EXAMPLE.read_text())
    data["scenarios"][0]["rates"] = {"\x1b[2J\x9b": 0.5}
    path = tmp_path / "deal.json"
    path.write_text(json.dumps(data))
    assert main(["evaluate", str(path)]) == 2
    assert capsys.readouterr().err == f"{path}: scenarios[0].rates.?[2J?: there is no outcome by that name\n"
