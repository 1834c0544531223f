"""Hostile and careless input: every number, limit and name gives one plain problem at its field
path (never a traceback), the allocations never add up to more than the pool, and text a user
typed is never a live formula in the workbook nor an escape code on the terminal."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from obc_calc.cli import main
from obc_calc.core import limits
from obc_calc.core.errors import DealError
from obc_calc.core.money import cents, money
from obc_calc.core.report import deal_report, report_text
from obc_calc.core.scenarios import maximum
from obc_calc.io.dealfile import deal_from_dict
from obc_calc.io.workbook import save_workbook
from tests.helpers import deal_dict, make_deal

EXAMPLE = Path(__file__).parent.parent / "data" / "example_deal.json"

# A deal with every numeric field set, so that each can be broken on its own.
FULL = deal_dict(
    term={"months": 10, "fiscal_year_start_month": 7, "base_upfront_share": 0.2},
    outcomes=[
        {"name": "Growth", "threshold_value": 1.5, "weight": 0.5, "expected_rate": 0.5,
         "eligible_students": 90, "paid_in_month": 10, "rate_low": 0.4, "rate_high": 0.6},
        {"name": "Cohort", "basis": "cohort_threshold", "target_rate": 0.5, "weight": 0.2},
        {"name": "Linear", "basis": "linear", "floor_rate": 0.2, "target_rate": 0.8, "weight": 0.2},
        {"name": "Tiers", "basis": "tiered", "tiers": [{"min_rate": 0.3, "payout": 1.0}], "weight": 0.1},
    ],
    scenarios=[{"name": "Low", "rates": {"Growth": 0.3}, "students_served": 80}],
    risk={"correlation": 0.5, "students_served_low": 80, "students_served_high": 100,
          "commitments_miss_probability": 0.1},
)
WHOLE_NUMBERS = ["students", "term.months", "term.fiscal_year_start_month", "outcomes[0].eligible_students",
                 "outcomes[0].paid_in_month", "scenarios[0].students_served", "risk.students_served_low",
                 "risk.students_served_high"]
NUMBERS = ["total_cost", "performance_share", "term.base_upfront_share", "outcomes[0].threshold_value",
           "outcomes[0].weight", "outcomes[0].expected_rate", "outcomes[0].rate_low", "outcomes[0].rate_high",
           "outcomes[1].target_rate", "outcomes[2].floor_rate", "outcomes[3].tiers[0].min_rate",
           "outcomes[3].tiers[0].payout", "scenarios[0].rates.Growth", "risk.correlation",
           "risk.commitments_miss_probability"]
# A bad value and what the one problem says, whatever the field; Python cannot print -10**5000.
INFINITE, TYPE, HUGE = r"finite number|valid integer", r"valid (number|integer)", r"more than 15 digits"
BAD = [(float("nan"), INFINITE), (float("inf"), INFINITE), (float("-inf"), INFINITE), (True, TYPE),
       (False, TYPE), ("5", TYPE), ("0.5", TYPE), ([1], TYPE), (10**400, HUGE), (-(10**5000), HUGE)]
BAD_IDS = ["nan", "inf", "-inf", "true", "false", "text-5", "text-0.5", "list", "10**400", "-10**5000"]


def changed(path: str, value) -> dict:
    """FULL with the field at `path` (written as a problem names it) set to `value`."""
    data = copy.deepcopy(FULL)
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    target = data
    for part in parts[:-1]:
        target = target[int(part[1:-1])] if part.startswith("[") else target[part]
    last = parts[-1]
    target[int(last[1:-1]) if last.startswith("[") else last] = value
    return data


def only(data) -> str:
    """The one problem deal_from_dict finds in `data`, as 'path: message'."""
    with pytest.raises(DealError) as caught:
        deal_from_dict(data)
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 1, lines
    return lines[0]


def test_the_full_deal_is_valid():
    deal_from_dict(FULL)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("path", WHOLE_NUMBERS + NUMBERS)
@pytest.mark.parametrize(("value", "says"), BAD, ids=BAD_IDS)
def test_every_numeric_field_refuses_what_is_not_a_finite_number(path, value, says):
    line = only(changed(path, value))
    assert line.startswith(f"{path}: "), line
    assert re.search(says, line), line
    assert len(line) < 200


@pytest.mark.parametrize("path", WHOLE_NUMBERS)
def test_a_count_is_written_without_a_decimal_point(path):
    value = 80.0 if "served" in path else 10.0
    assert only(changed(path, value)) == f"{path}: input should be a valid integer (got {value})"


def test_money_and_students_stay_within_the_limits():
    # $10 trillion and 10 million students are exclusive: a cent and a student less are fine.
    assert only(changed("total_cost", limits.MAX_MONEY)) == (
        "total_cost: must be less than the limit of $10,000,000,000,000 (got 10000000000000.0)")
    assert only(changed("total_cost", 1e308)).startswith("total_cost: must be less than the limit")
    assert only(changed("total_cost", 1e-320)) == "total_cost: must be at least a cent ($0.01) (got 1e-320)"
    assert only(changed("students", limits.MAX_STUDENTS)) == (
        "students: must be less than the limit of 10,000,000 (got 10000000)")
    for path in ("scenarios[0].students_served", "risk.students_served_high",
                 "outcomes[0].eligible_students"):
        assert only(changed(path, 10**14)) == (
            f"{path}: must be less than the limit of 10,000,000 (got 100000000000000)")
    deal = make_deal(total_cost=limits.MAX_MONEY - 0.01, students=limits.MAX_STUDENTS - 1)
    assert money(maximum(deal).total) == "$9,999,999,999,999.99"


@pytest.mark.parametrize("value", [-0.0, 1e-320, 5e-324])
def test_negative_zero_and_tiny_rates_are_plain_numbers(value):
    deal = make_deal(performance_share=value, outcomes=[{"name": "Growth", "expected_rate": value}])
    report = deal_report(deal)
    assert report.expected.total == pytest.approx(100_000)  # a share this small leaves all in the base
    assert money(report.maximum.total) == "$100,000.00"
    assert "-0" not in report_text(report) and "-$" not in report_text(report)  # -0.0 is read as 0


def test_a_threshold_value_is_any_finite_number():
    assert deal_from_dict(changed("outcomes[0].threshold_value", 1e308)).outcomes[0].threshold_value == 1e308
    assert deal_from_dict(changed("outcomes[0].threshold_value", -0.0)).outcomes[0].threshold_value == 0


def test_the_allocations_add_up_to_the_pool_and_never_more():
    """Weights within a millionth of 1 split the pool exactly; they used to add that millionth on top."""
    weights = [0.3333336, 0.3333336, 0.3333337]  # 1.0000009: within the tolerance of 0.000001
    deal = make_deal(total_cost=9_999_999_999_999.99, performance_share=1.0,
                     outcomes=[{"name": n, "weight": w} for n, w in zip("ABC", weights, strict=True)])
    pool = 9_999_999_999_999.99
    # Pool x weight alone came to 9,999,999,999,999.99 x 1.0000009 = 10,000,008,999,999.98:
    # $9,000,000 over the total cost. Divided by the weights' sum, 1.0000009:
    #   A = B = 9,999,999,999,999.99 x 3,333,336 / 10,000,009 = 3,333,333,000,000.2967
    #   C     = 9,999,999,999,999.99 x 3,333,337 / 10,000,009 = 3,333,333,999,999.3967
    #   A + B + C = 9,999,999,999,999.99 x 10,000,009 / 10,000,009 = the pool.
    allocations = [deal.allocation(o) for o in deal.outcomes]
    assert allocations == [pytest.approx(3_333_333_000_000.2967, abs=0.001)] * 2 + [
        pytest.approx(3_333_333_999_999.3967, abs=0.001)]
    assert sum(allocations) <= pool
    assert cents(sum(allocations)) == pool
    assert maximum(deal).total <= deal.total_cost
    assert money(maximum(deal).total) == "$9,999,999,999,999.99"


# ---------------------------------------------------------------- limits on what grows


def outcomes(n: int) -> list[dict]:
    return [{"name": f"Outcome {i}", "weight": 1 / n} for i in range(n)]


def test_outcomes_tiers_scenarios_and_commitments_have_limits():
    make_deal(outcomes=outcomes(limits.MAX_OUTCOMES))
    assert only(deal_dict(outcomes=outcomes(51))) == "outcomes: 51 outcomes are more than the limit of 50"
    tiers = [{"min_rate": (i + 1) / 100, "payout": 1.0} for i in range(limits.MAX_TIERS)]
    make_deal(outcomes=[{"name": "T", "basis": "tiered", "tiers": tiers}])
    assert only(deal_dict(outcomes=[{"name": "T", "basis": "tiered", "tiers": tiers + tiers[:1]}])) == (
        "outcomes[0].tiers: 21 tiers are more than the limit of 20")
    scenarios = [{"name": f"S{i}"} for i in range(limits.MAX_SCENARIOS + 1)]
    assert only(deal_dict(scenarios=scenarios)) == "scenarios: 101 scenarios are more than the limit of 100"
    make_deal(scenarios=scenarios[:-1])
    commitments = [{"name": f"C{i}"} for i in range(limits.MAX_COMMITMENTS + 1)]
    assert only(deal_dict(commitments=commitments)) == (
        "commitments: 51 commitments are more than the limit of 50")
    make_deal(commitments=commitments[:-1])


def test_names_and_texts_have_limits():
    make_deal(name="n" * limits.MAX_NAME_CHARS, district="d" * limits.MAX_TEXT_CHARS)
    assert only(deal_dict(outcomes=[{"name": "n" * 201}])) == (
        "outcomes[0].name: 201 characters is more than the limit of 200 for a name")
    assert only(deal_dict(scenarios=[{"name": "n" * 10**6}])) == (
        "scenarios[0].name: 1,000,000 characters is more than the limit of 200 for a name")
    assert only(deal_dict(commitments=[{"name": "c", "description": "d" * 32_768}])) == (
        "commitments[0].description: 32,768 characters is more than the limit of 32,767 for a text field")
    assert only(deal_dict(scenarios=[{"name": "S", "rates": {"x" * 300: 0.5}}])) == (
        "scenarios[0].rates: a field or outcome name of 300 characters is more than the limit of 200")


def test_what_no_field_takes_is_refused_before_it_is_read():
    assert only(deal_dict(junk=list(range(10**6)))) == "junk: 1,000,000 items are more than the limit of 100"
    deep: list = []
    for _ in range(10_000):
        deep = [deep]
    line = only(deal_dict(junk=deep))
    assert line.endswith(": lists and objects are nested more than 32 deep, the limit")


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(("kind", "first", "second"), [
    ("outcome", "Math growth", "math growth"), ("outcome", "Math growth", "  MATH   GROWTH "),
    ("scenario", "Low", "LOW"), ("commitment", "Share data", "share  data"),
])
def test_names_are_unique_ignoring_case_and_spacing(kind, first, second):
    table = kind + "s"
    items = [{"name": first}, {"name": second}]
    if kind == "outcome":
        items = [item | {"weight": 0.5} for item in items]
    stripped = second.strip()
    assert only(deal_dict(**{table: items})) == (
        f"{table}[1].name: another {kind} is already called {first!r}"
        + ("" if stripped == first else " (names are compared ignoring case and spacing)"))


@pytest.mark.parametrize("name", ["student_id", "Student_ID", "served", " SERVED", "group", "Group"])
def test_results_file_columns_are_reserved(name):
    assert only(deal_dict(outcomes=[{"name": name}])) == (
        f"outcomes[0].name: {name.strip()!r} is reserved for the results file's own columns; "
        "pick another name")


@pytest.mark.parametrize(("table", "name"), [("outcomes", "total"), ("outcomes", "SAVINGS"),
                                              ("scenarios", "expected"), ("scenarios", "MAXIMUM")])
def test_reserved_names_are_compared_ignoring_case(table, name):
    line = only(deal_dict(**{table: [{"name": name}]}))
    assert line == f"{table}[0].name: {name!r} is reserved for the exports; pick another name"


def test_surrounding_spaces_are_stripped_everywhere_a_name_is_used():
    deal = make_deal(name="  Deal ", outcomes=[{"name": " Growth\t"}],
                     scenarios=[{"name": "Low ", "rates": {"Growth  ": 0.25}}], commitments=[{"name": " C "}])
    assert (deal.name, deal.outcomes[0].name, deal.scenarios[0].name, deal.commitments[0].name) == (
        "Deal", "Growth", "Low", "C")
    assert deal.scenarios[0].rates == {"Growth": 0.25}
    assert only(deal_dict(outcomes=[{"name": "   "}])) == (
        "outcomes[0].name: a name needs at least one character other than spaces (got '   ')")
    assert only(deal_dict(scenarios=[{"name": "S", "rates": {"Growth": 0.1, " Growth": 0.2}}])) == (
        "scenarios[0].rates.Growth: two rates are given for this outcome ('Growth' and ' Growth')")


@pytest.mark.parametrize("path", ["name", "outcomes[0].name", "scenarios[0].name", "commitments[0].name"])
@pytest.mark.parametrize("name", ["Red\x1b[31m", "nul\x00", "bell\x07", "csi\x9b2J", "del\x7f"])
def test_control_characters_are_refused_in_names(path, name):
    data = changed(path, name) if path != "commitments[0].name" else FULL | {"commitments": [{"name": name}]}
    if path == "outcomes[0].name":
        data["scenarios"][0]["rates"] = {}
    line = only(data)
    assert line == (f"{path}: a name may not hold control characters (invisible codes such as escape or "
                    f"null) (got {name!r})")
    assert not limits.has_control_characters(line.replace(name, ""))


def test_a_rate_for_a_name_with_control_characters_is_for_no_outcome():
    line = only(changed("scenarios[0].rates", {"\x1b[2J": 0.5}))
    assert line == "scenarios[0].rates.?[2J: there is no outcome by that name"


# ---------------------------------------------------------------- the command line


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as stop:  # argparse's usage errors
        code = stop.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def write(tmp_path, text: str):
    path = tmp_path / "deal.json"
    path.write_text(text, encoding="utf-8")
    return path


COMMANDS = [["evaluate"], ["simulate", "--trials", "100"], ["provider"], ["export", "-o", "out.xlsx"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("field", "text", "says"), [
    ("total_cost", "NaN", "total_cost: input should be a finite number (got nan)"),
    ("total_cost", "1e400", "total_cost: input should be a finite number (got inf)"),
    ("total_cost", "-Infinity", "total_cost: input should be a finite number (got -inf)"),
    ("students", "1" + "0" * 30, "students: a number of more than 15 digits is more than any field takes"),
    ("students", "true", "students: input should be a valid integer (got True)"),
    ("performance_share", '"0.4"', "performance_share: input should be a valid number (got '0.4')"),
])
def test_bad_numbers_in_a_file_exit_2_with_one_line(capsys, tmp_path, command, field, text, says):
    good = f'"{field}": {json.dumps(deal_dict()[field])}'
    path = write(tmp_path, json.dumps(deal_dict()).replace(good, f'"{field}": {text}'))
    argv = [command[0], path, *command[1:]]
    if command[0] == "export":
        argv[-1] = tmp_path / "out.xlsx"
    code, _, err = run(capsys, *argv)
    assert (code, err) == (2, f"{path}: {says}\n")


@pytest.mark.parametrize("text", ['{"students": ' + "9" * 5000 + "}", "[" * 100_000 + "]" * 100_000],
                         ids=["5000 digits", "100000 levels"])
def test_json_past_what_the_parser_takes(capsys, tmp_path, text):
    code, _, err = run(capsys, "evaluate", write(tmp_path, text))
    assert code == 2 and len(err.splitlines()) == 1 and len(err) < 300


BAD_OPTIONS = [("provider", option, value) for option, value in [
    ("--cost-fixed", "nan"), ("--cost-fixed", "inf"), ("--cost-fixed", "-1"), ("--cost-fixed", "1e14"),
    ("--cost-per-student", "-inf"), ("--cost-per-student", "9" * 5000), ("--cost-per-student", "lots"),
]] + [("simulate", option, value) for option, value in [
    ("--trials", "nan"), ("--trials", "9" * 5000), ("--trials", "1e3"), ("--seed", "inf"),
    ("--seed", "9" * 4000), ("--budget-line", "nan"), ("--budget-line", "-inf"), ("--budget-line", "1e14"),
    ("--earnings-share", "inf"), ("--earnings-share", "-0.1"), ("--earnings-share", "NaN"),
]]


@pytest.mark.parametrize(("command", "option", "value"), BAD_OPTIONS, ids=lambda v: v[:12])
def test_bad_number_options_exit_2_with_one_short_line(capsys, command, option, value):
    code, _, err = run(capsys, command, EXAMPLE, "--trials=10" if command == "simulate" else "--format=json",
                       f"{option}={value}")
    assert code == 2 and len(err.splitlines()) == 1 and len(err) < 200, err
    assert err.startswith(f"python -m obc_calc {command}: argument {option}: ")


# ---------------------------------------------------------------- the workbook


FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)"]


def test_formula_like_names_round_trip_as_text(tmp_path):
    deal = make_deal(
        name=FORMULA_LIKE[0], district="\t=1", program="\r@x",
        outcomes=[{"name": n, "weight": 0.25, "metric": "=1+1", "threshold": "-1"} for n in FORMULA_LIKE],
        scenarios=[{"name": n, "rates": {FORMULA_LIKE[0]: 0.5}} for n in FORMULA_LIKE],
        commitments=[{"name": n, "description": "+x"} for n in FORMULA_LIKE],
    )
    path = tmp_path / "tricky.xlsx"
    save_workbook(deal, path)
    wb = load_workbook(path)
    # The program's "\r@x" comes back as typed, or with \n for \r, as openpyxl's XML writer pleases.
    program = {"\r@x", "\n@x"}
    typed = set(FORMULA_LIKE) | {"\t=1", "=1+1", "-1", "+x"} | program
    found: dict[str, int] = {}
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in typed:
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
                    found[cell.value] = found.get(cell.value, 0) + 1
    assert len(set(found) & program) == 1
    assert set(found) - program == typed - program
    # Each name appears on several sheets (inputs, headers, the schedule, the notes).
    assert all(found[name] >= 4 for name in FORMULA_LIKE)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert not any("HYPERLINK" in str(c.value) or "SUM(A1)" in str(c.value) for c in cells)
