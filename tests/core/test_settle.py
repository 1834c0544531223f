"""Settle-up: hand-computed invoices for every basis, per-student lines paying the price per
achiever counted, the missing-values rules, the commitments switch, agreement with the scenario
evaluation for the bases that pay on the rate, the CSV invoice, and the `invoice` command."""

import csv
import importlib.util
import io
import json
import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obc_calc.cli import main
from obc_calc.core.errors import DealError
from obc_calc.core.model import Scenario
from obc_calc.core.money import cents
from obc_calc.core.report import invoice_to_dict
from obc_calc.core.scenarios import evaluate
from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.dealfile import load_deal
from obc_calc.io.invoice_csv import invoice_csv
from obc_calc.io.results_file import ReadOptions, read_results
from tests.helpers import make_deal

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
EXAMPLE_DEAL = load_deal(DATA / "example_deal.json")
EXAMPLE_RESULTS = DATA / "results_example.csv"
DAY = date(2027, 6, 30)


def example_invoice(**options):
    results = read_results(EXAMPLE_RESULTS.read_bytes(), "results_example.csv", EXAMPLE_DEAL)
    return settle(EXAMPLE_DEAL, results, SettleOptions(period="End of year", invoice_date=DAY, **options))


def lines_by_name(invoice):
    return {line.name: line for line in invoice.outcomes}


# The example deal: $1,420,000 for 1,000 students, 40% performance -> pool $568,000,
# base $852,000 paid per student served ($852 each). Allocations: Dosage 25% = $142,000
# (per student, value >= 0.8), Math growth 45% = $255,600 (cohort, target 50%), Proficiency
# 20% = $113,600 (tiers 20% -> half, 30% -> all), Same tutor 10% = $56,800 (linear 50% -> 90%).
# results_example.csv: 10 students, 8 served (S06 and S10 are not).
#   Dosage among served: .95 .80 .79 .50 (blank) .85 .9 81% -> 5 reach 0.8, 1 missing
#   Math growth: yes no yes yes no 1 true no -> 5 of 8
#   Proficiency: yes yes no (blank) no 0 false no -> 2, 1 missing
#   Same tutor: yes yes no yes (blank) 1 true no -> 5, 1 missing


def test_example_invoice_missing_excluded():
    invoice = example_invoice()
    lines = lines_by_name(invoice)
    assert (invoice.students_in_file, invoice.students_served) == (10, 8)
    assert invoice.base_due == 852_000 / 1000 * 8  # $6,816.00
    dosage = lines["Dosage"]
    assert (dosage.eligible, dosage.achievers, dosage.missing, dosage.left_out) == (7, 5, 1, 1)
    assert dosage.rate == pytest.approx(5 / 7)
    # per student: $142,000 / 1,000 eligible = $142 per achiever, x 5 achievers counted = $710;
    # the student left out for a missing value is not paid for.
    assert (dosage.price, dosage.payment) == (pytest.approx(142, rel=1e-12), 710.00)
    growth = lines["Math growth"]
    assert (growth.eligible, growth.achievers) == (8, 5)
    assert growth.payment == 255_600  # 62.5% >= the 50% target: all of it
    proficiency = lines["Proficiency"]
    assert (proficiency.eligible, proficiency.achievers) == (7, 2)
    assert proficiency.payment == 113_600 * 0.5  # 2/7 = 28.6%: the 20% tier, not the 30% one
    tutor = lines["Same tutor"]
    assert (tutor.eligible, tutor.achievers) == (7, 5)
    # linear: 56,800 x (5/7 - 0.5) / (0.9 - 0.5) = 56,800 x 0.535714... = 30,428.571...
    assert tutor.payment == 30_428.57
    assert invoice.performance_due == 343_538.57  # 710 + 255,600 + 56,800 + 30,428.57
    assert invoice.total_due == 350_354.57  # 6,816 + 710 + 255,600 + 56,800 + 30,428.57
    assert "it pays for the 5 achievers counted, not for them" in invoice.notes[1]


def test_example_invoice_missing_not_achieved():
    invoice = example_invoice(missing="not_achieved")
    lines = lines_by_name(invoice)
    assert [line.eligible for line in invoice.outcomes] == [8, 8, 8, 8]
    assert lines["Dosage"].counted_not_achieved == 1 and lines["Dosage"].left_out == 0
    assert lines["Dosage"].payment == 710.00  # 5 achievers x $142, whatever the rule
    assert lines["Proficiency"].payment == 56_800  # 2/8 = 25%: still the 20% tier
    assert lines["Same tutor"].payment == 17_750.00  # 56,800 x (0.625 - 0.5) / 0.4
    assert invoice.total_due == 337_676.00  # 6,816 + 710 + 255,600 + 56,800 + 17,750


def test_commitments_missed_pays_the_contract_value():
    invoice = example_invoice(commitments_met=False)
    assert invoice.base_due == 852_000
    assert [line.payment for line in invoice.outcomes] == [142_000, 255_600, 113_600, 56_800]
    assert invoice.total_due == 1_420_000
    assert any("missed its commitments" in note for note in invoice.notes)


def test_notes_excluded_report_and_json_keys():
    out = invoice_to_dict(example_invoice())
    assert {"period", "date", "students_served", "base_due", "outcomes", "total_due", "excluded"} <= set(out)
    assert out["period"] == "End of year" and out["date"] == "2027-06-30"
    assert set(out["outcomes"][0]) >= {"name", "eligible", "achievers", "rate", "price", "payment"}
    excluded = {item["name"]: item for item in out["excluded"]}
    assert excluded["Dosage"] == {
        "name": "Dosage", "count": 3, "not_served": 2, "missing_value": 1, "left_out_missing": 1,
        "counted_not_achieved": 0, "reason": "2 not served; 1 served with no value (left out)",
    }
    assert excluded["Math growth"]["count"] == 2
    assert out["notes"][0] == ("2 students in the file were not served (not marked as served in the served "
                               "column); they count for no outcome and no base.")
    assert out["notes"][1] == ("Dosage: 1 served student with no value left out of its rate, as chosen for "
                               "missing values; it pays for the 5 achievers counted, not for them.")


def test_rate_lines_equal_scenario_evaluation_at_the_same_rates():
    invoice = example_invoice()
    scenario = Scenario(
        name="hand", students_served=8,
        rates={"Dosage": 5 / 7, "Math growth": 5 / 8, "Proficiency": 2 / 7, "Same tutor": 5 / 7},
    )
    result = evaluate(EXAMPLE_DEAL, scenario)
    assert invoice.base_due == cents(result.base)
    for line in invoice.outcomes[1:]:  # cohort, tiered, linear: priced on the rate
        assert line.payment == cents(result.payment(line.name))
    # Per student: the scenario projects 5/7 x 1,000 x 8/1,000 = 5.71 achievers; the invoice pays the 5.
    assert cents(result.payment("Dosage")) == 811.43 and invoice.outcomes[0].payment == 710.00
    assert {line.name: line.rate for line in invoice.outcomes} == pytest.approx(scenario.rates)


# Small deals built here: $100,000 for 100 students, 40% performance -> pool $40,000.


def settle_text(deal, text, **options):
    read = {k: options.pop(k) for k in ("min_sessions", "columns") if k in options}
    results = read_results(text.encode("utf-8"), "results.csv", deal, ReadOptions(**read))
    return settle(deal, results, SettleOptions(invoice_date=DAY, **options))


def flags(achieving: int, not_achieving: int, not_served: int = 0, blank: int = 0) -> str:
    """A results file of Growth flags: served achievers, served non-achievers, students not served,
    and served students with no value."""
    rows = [f"A{i},1,1" for i in range(achieving)] + [f"N{i},1,0" for i in range(not_achieving)]
    rows += [f"X{i},0,1" for i in range(not_served)] + [f"B{i},1," for i in range(blank)]
    return "student_id,served,Growth\n" + "\n".join(rows) + "\n"


def test_per_student_pays_the_achievers_it_counts():
    # $500,000 for 1,000 students, 40% performance: pool and allocation $200,000. Growth is open to
    # 800 of them: $200,000 / 800 = $250 per achiever. 20 served, all measured, 12 achieve.
    deal = make_deal(students=1000, total_cost=500_000,
                     outcomes=[{"name": "Growth", "eligible_students": 800}])
    invoice = settle_text(deal, flags(12, 8, not_served=3))
    line, out = invoice.outcomes[0], invoice_to_dict(invoice)["outcomes"][0]
    assert (line.eligible, line.achievers, line.rate) == (20, 12, 0.6)
    assert line.price == out["price"] == 500_000 * 0.4 / 800 == 250
    # 12 x $250 = $3,000; the scenario rule, $200,000 x 60% x 20/1,000 = $2,400, paid for 9.6 achievers.
    assert line.payment == out["payment"] == 12 * 250 == 3_000


@pytest.mark.parametrize(("eligible", "data", "met", "payment"), [
    # Open to 50 of the 100: $40,000 / 50 = $800 each. The 5 blanks (not covered) are left out.
    (50, flags(2, 3, blank=5), True, 2 * 800),
    (5, flags(4, 4), True, 4 * 8_000),  # $40,000 / 5 eligible = $8,000 per achiever
    (5, flags(7, 1), True, 40_000),  # 7 x $8,000 = $56,000, more than the $40,000 allocation
    (3, flags(2, 1), True, 26_666.67),  # 2 x $40,000 / 3 = $26,666.666..., rounded once
    (None, flags(0, 4), False, 40_000),  # commitments missed: the allocation, achievers or not
])
def test_per_student_line(eligible, data, met, payment):
    deal = make_deal(outcomes=[{"name": "Growth", "eligible_students": eligible}])
    assert settle_text(deal, data, commitments_met=met).outcomes[0].payment == payment


def test_cohort_threshold_edge_and_fixed_base():
    # target 50%: 2 of 4 reach it exactly -> all $40,000; 1 of 4 -> nothing
    deal = make_deal(outcomes=[{"name": "Growth", "basis": "cohort_threshold", "target_rate": 0.5}])
    paid = settle_text(deal, "student_id,served,Growth\nA,1,1\nB,1,1\nC,1,0\nD,1,0\n")
    assert paid.outcomes[0].payment == 40_000
    assert paid.total_due == 100_000
    unpaid = settle_text(deal, "student_id,served,Growth\nA,1,1\nB,1,0\nC,1,0\nD,1,0\n")
    assert unpaid.outcomes[0].payment == 0
    assert unpaid.total_due == 60_000


def test_tiered_and_per_student_base():
    # tiers: 25% -> 40% of the allocation, 75% -> all; 2 of 4 = 50% -> $40,000 x 0.4 = $16,000
    deal = make_deal(
        base_basis="per_student",
        outcomes=[{"name": "Growth", "basis": "tiered", "tiers": [{"min_rate": 0.25, "payout": 0.4},
                                                                    {"min_rate": 0.75, "payout": 1.0}]}],
    )
    invoice = settle_text(deal, "student_id,served,Growth\nA,1,1\nB,1,1\nC,1,0\nD,1,0\nE,0,1\n")
    assert invoice.outcomes[0].payment == 16_000
    assert invoice.base_due == 60_000 / 100 * 4  # $600 a student served, 4 served
    assert invoice.total_due == 18_400


def test_linear_with_sessions_and_a_column_map():
    # served = 10 or more sessions: A, B, C (D has 9). Score >= 70: A, B -> 2/3.
    # linear 40% -> 80%: 40,000 x (2/3 - 0.4) / 0.4 = 40,000 x 0.6667 = 26,666.67
    deal = make_deal(outcomes=[{"name": "Growth", "threshold_value": 70, "basis": "linear",
                                "floor_rate": 0.4, "target_rate": 0.8}])
    text = "id,sessions,score\nA,10,70\nB,30,99\nC,12,69.9\nD,9,100\n"
    invoice = settle_text(deal, text, min_sessions=10,
                          columns={"id": "student_id", "sessions": "served", "score": "Growth"})
    assert invoice.students_served == 3
    assert invoice.outcomes[0].payment == 26_666.67
    assert "fewer than 10 sessions attended" in invoice.notes[0]


def test_no_one_counted_pays_nothing_with_a_note():
    deal = make_deal()
    invoice = settle_text(deal, "student_id,served,Growth\nA,1,\nB,0,1\n")
    line = invoice.outcomes[0]
    assert (line.eligible, line.rate, line.payment) == (0, 0.0, 0.0)
    assert any("no served student could be counted" in note for note in invoice.notes)


def test_more_served_than_the_deal_covers():
    deal = make_deal(students=3)
    with pytest.raises(DealError) as caught:
        settle_text(deal, "student_id,served,Growth\nA,1,1\nB,1,1\nC,1,1\nD,1,0\nE,0,0\n")
    assert caught.value.lines() == [
        "results.csv: column served: 4 students are marked served, more than the 3 the deal covers; "
        "check the file, or amend the deal's number of students"
    ]


def test_unknown_missing_rule():
    with pytest.raises(DealError):
        settle_text(make_deal(), "student_id,served,Growth\nA,1,1\n", missing="zero")


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(st.booleans(), st.sampled_from([None, 0.0, 0.5, 0.99, 1.0, 1.5])), min_size=1,
                  max_size=40),
    rule=st.sampled_from(["excluded", "not_achieved"]),
)
def test_property_rate_line_equals_scenario(rows, rule):
    deal = make_deal(base_basis="per_student", outcomes=[
        {"name": "Growth", "threshold_value": 1.0, "basis": "linear", "floor_rate": 0.2, "target_rate": 0.7}])
    text = "student_id,served,Growth\n" + "".join(
        f"S{i},{int(served)},{'' if value is None else value}\n" for i, (served, value) in enumerate(rows)
    )
    invoice = settle_text(deal, text, missing=rule)
    served = [value for is_served, value in rows if is_served]
    counted = [v for v in served if v is not None] if rule == "excluded" else served
    achievers = sum(1 for v in counted if v is not None and v >= 1.0)
    rate = achievers / len(counted) if counted else 0.0
    result = evaluate(deal, Scenario(name="x", rates={"Growth": rate}, students_served=len(served)))
    assert invoice.outcomes[0].achievers == achievers
    assert invoice.outcomes[0].payment == cents(result.payment("Growth"))
    assert invoice.base_due == cents(result.base)
    assert invoice.total_due == pytest.approx(cents(result.base) + cents(result.payment("Growth")), abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(
    students=st.integers(40, 5_000), eligible_share=st.floats(0.001, 1.0), total_cost=st.floats(1.0, 1e9),
    share=st.floats(0.01, 1.0), served=st.integers(1, 40), data=st.data(),
)
def test_property_per_student_pays_price_times_achievers(students, eligible_share, total_cost, share,
                                                         served, data):
    achievers = data.draw(st.integers(0, served))
    eligible = max(1, round(students * eligible_share))
    deal = make_deal(students=students, total_cost=total_cost, performance_share=share,
                     outcomes=[{"name": "Growth", "eligible_students": eligible}])
    line = settle_text(deal, flags(achievers, served - achievers)).outcomes[0]
    allocation = total_cost * share * 1.0  # the pool times the outcome's whole weight
    price = allocation / eligible
    assert line.price == price
    # Capped at the allocation cut (not rounded) to the cent, so capped lines never pass the pool.
    assert line.payment == min(cents(price * achievers), math.floor(round(allocation * 100, 6)) / 100)


# --- the CSV invoice -------------------------------------------------------------------------


def test_invoice_csv_rows():
    rows = list(csv.reader(io.StringIO(invoice_csv(example_invoice()))))
    assert rows[0] == ["Period", "Date", "Line", "Eligible", "Achievers", "Rate", "Threshold", "Missing",
                       "Left out", "Price", "Amount"]
    assert rows[1][:5] == ["End of year", "2027-06-30", "Dosage", "7", "5"]
    assert rows[1][-2:] == ["142", "710.00"]  # 5 achievers x $142
    assert rows[2][-2:] == ["", "255600.00"]  # a cohort outcome has no price per achiever
    assert rows[5][2:4] == ["Base", "8"] and rows[5][-1] == "6816.00"
    assert rows[6][2] == "Total due" and rows[6][-1] == "350354.57"


# --- the invoice command ---------------------------------------------------------------------


def test_cli_json(capsys, tmp_path):
    xlsx, out_csv = tmp_path / "invoice.xlsx", tmp_path / "invoice.csv"
    code = main(["invoice", str(DATA / "example_deal.json"), str(EXAMPLE_RESULTS), "--period", "Mid-year",
                 "--format", "json", "--xlsx", str(xlsx), "--csv", str(out_csv)])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["period"] == "Mid-year"
    assert out["students_served"] == 8
    assert out["base_due"] == 6_816.00
    assert [o["payment"] for o in out["outcomes"]] == [710.00, 255_600, 56_800, 30_428.57]
    assert [o["price"] for o in out["outcomes"]] == [142, None, None, None]  # $142,000 / 1,000
    assert out["total_due"] == 350_354.57
    assert xlsx.read_bytes().startswith(b"PK") and "Total due" in out_csv.read_text(encoding="utf-8")


def test_cli_options(capsys, tmp_path):
    results = tmp_path / "r.csv"
    results.write_text("pupil,sessions,grew\nA,10,yes\nB,3,yes\nC,12,\n", encoding="utf-8")
    deal = tmp_path / "deal.json"
    deal_data = {"schema_version": 1, "name": "d", "students": 10, "total_cost": 1000,
                 "performance_share": 0.5, "outcomes": [{"name": "Growth"}]}
    deal.write_text(json.dumps(deal_data), encoding="utf-8")
    code = main(["invoice", str(deal), str(results), "--format", "json", "--min-sessions", "10",
                 "--map", "pupil=student_id", "--map", "sessions=served", "--map", "grew=Growth",
                 "--missing", "not_achieved", "--commitments-missed"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    # served: A and C (10 and 12 sessions); C has no value -> counted as not achieved: 1 of 2
    assert out["outcomes"][0]["eligible"] == 2 and out["outcomes"][0]["rate"] == 0.5
    assert out["total_due"] == 1000  # commitments missed: the whole contract value


def test_cli_table(capsys):
    assert main(["invoice", str(DATA / "example_deal.json"), str(EXAMPLE_RESULTS)]) == 0
    out = capsys.readouterr().out
    assert "Total due" in out and "$350,354.57" in out
    assert "$142.00" in out  # Dosage's price per achiever


# --- the sample ------------------------------------------------------------------------------


def test_sample_results_are_reproducible_and_settle():
    spec = importlib.util.spec_from_file_location("make_results", ROOT / "sample_data" / "make_results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sample = ROOT / "sample_data" / "math_tutoring_results.csv"
    assert module.results().to_csv(index=False, lineterminator="\n") == sample.read_text(encoding="utf-8")
    deal = load_deal(ROOT / "sample_data" / "math_tutoring.json")
    invoice = settle(deal, read_results(sample.read_bytes(), sample.name, deal))
    assert invoice.students_in_file == 1200
    assert 0 < invoice.students_served <= deal.students
    assert all(line.missing > 0 for line in invoice.outcomes)  # the sample shows the missing-value rule
    assert 0 < invoice.performance_due < deal.performance_pool
