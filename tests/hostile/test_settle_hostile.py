"""Hostile and careless input to the settle-up and the `invoice` command: absurd numbers and bad
periods refused in one plain line with exit status 2 (never a traceback), text that looks like a
formula kept as text in the CSV and Excel invoices, terminal escape codes kept off the terminal,
and memory bounded when a results file is large."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
import tracemalloc
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from obc_calc.cli import EXIT_BAD_INPUT, main
from obc_calc.core.errors import DealError
from obc_calc.core.report import invoice_text, invoice_to_dict
from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.invoice_csv import invoice_csv
from obc_calc.io.invoice_excel import OUTCOME_HEADER_ROW, invoice_workbook
from obc_calc.io.results_file import read_results
from tests.helpers import deal_dict, make_deal

ROOT = Path(__file__).parent.parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLE = [str(DATA / "example_deal.json"), str(DATA / "results_example.csv")]
FORMULA_TEXT = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]
# A deal's names lose surrounding spaces, so these four are the ones a deal file can carry.
FORMULA_NAMES = FORMULA_TEXT[:4]
MB = 1024 * 1024


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of the command run in this process; argparse errors exit."""
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def formula_files(tmp_path, **deal_fields) -> tuple[Path, Path]:
    """A deal whose four outcomes are named like formulas, and a results file with a column for each:
    served A, B, C (D is not); each outcome's flags 1, 0, 1."""
    outcomes = [{"name": name, "weight": 0.25} for name in FORMULA_NAMES]
    deal = tmp_path / "deal.json"
    deal.write_text(json.dumps(deal_dict(outcomes=outcomes, **deal_fields)), encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([["student_id", "served", *FORMULA_NAMES], ["A", 1, 1, 1, 1, 1], ["B", 1, 0, 0, 0, 0],
                      ["C", 1, 1, 1, 1, 1], ["D", 0, 1, 1, 1, 1]])
    results = tmp_path / "results.csv"
    results.write_text(out.getvalue(), encoding="utf-8")
    return deal, results


# --- absurd numbers and periods --------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "true", "yes", "-1",
                                   "1e12"])
def test_absurd_minimum_sessions_one_line_exit_2(capsys, value):
    code, out, err = run_cli(capsys, "invoice", *EXAMPLE, f"--min-sessions={value}")
    assert code == EXIT_BAD_INPUT
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "argument --min-sessions: the minimum number of sessions must be" in err


@pytest.mark.parametrize(("period", "message"), [
    ("p" * 201, "201 characters is more than the 200 a period's name may have"),
    ("End of year\x1b[2J", "holds control characters (such as terminal escape codes); type plain text"),
    ("\x00", "holds control characters"),
])
def test_bad_period_one_line_exit_2(capsys, period, message):
    code, out, err = run_cli(capsys, "invoice", *EXAMPLE, "--period", period)
    assert code == EXIT_BAD_INPUT
    assert out == "" and err.count("\n") == 1 and message in err
    assert "\x1b" not in err and "\x00" not in err


def test_a_period_of_200_characters_is_fine(capsys):
    code, out, _ = run_cli(capsys, "invoice", *EXAMPLE, "--period", "p" * 200, "--format", "json")
    assert code == 0 and json.loads(out)["period"] == "p" * 200


def test_nan_minimum_in_a_real_process_has_no_traceback():
    done = subprocess.run([sys.executable, "-m", "obc_calc", "invoice", *EXAMPLE, "--min-sessions", "nan"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "python -m obc_calc invoice: argument --min-sessions: the minimum number of sessions must be "
        "a finite number, not 'nan'"]


# --- careless files and maps -----------------------------------------------------------------


def test_bad_value_in_the_file_exits_2(capsys, tmp_path):
    bad = tmp_path / "results.csv"
    bad.write_text("student_id,served,Dosage,Math growth,Proficiency,Same tutor\nA,1,abc,1,1,1\n",
                   encoding="utf-8")
    assert run_cli(capsys, "invoice", EXAMPLE[0], str(bad)) == (
        EXIT_BAD_INPUT, "", f"{bad}: row 2, column Dosage: 'abc' is not a number\n")


def test_bad_map_and_missing_file_exit_2(capsys, tmp_path):
    code, _, err = run_cli(capsys, "invoice", *EXAMPLE, "--map", "nothing")
    assert code == EXIT_BAD_INPUT and "--map: 'nothing' is not COLUMN=OUTCOME" in err
    code, _, err = run_cli(capsys, "invoice", EXAMPLE[0], str(tmp_path / "none.csv"))
    assert code == EXIT_BAD_INPUT and "cannot read the file" in err


# --- text that looks like a formula ----------------------------------------------------------


def test_cli_csv_keeps_formula_names_and_period_as_text(capsys, tmp_path):
    deal, results = formula_files(tmp_path)
    out_csv = tmp_path / "invoice.csv"
    args = ["invoice", str(deal), str(results), "--period", "@SUM(A1)", "--csv", str(out_csv)]
    assert run_cli(capsys, *args)[0] == 0
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert [row[2] for row in rows[1:5]] == [f"'{name}" for name in FORMULA_NAMES]
    assert all(row[0] == "'@SUM(A1)" for row in rows[1:])
    # Per student, $40,000 x 25% = $10,000 over 100 students = $100 each; 2 achievers = $200.
    assert [row[-1] for row in rows[1:5]] == ["200.00"] * 4
    assert all(line.startswith('"') for line in out_csv.read_text(encoding="utf-8").splitlines())


def test_csv_escapes_every_text_a_user_typed():
    deal = make_deal()
    invoice = settle(deal, read_results(b"student_id,served,Growth\nA,1,1\n", "r.csv", deal),
                     SettleOptions(invoice_date=date(2027, 6, 30)))
    line = invoice.outcomes[0]
    for text in FORMULA_TEXT:
        hostile = dataclasses.replace(invoice, period=text,
                                      outcomes=(dataclasses.replace(line, name=text, threshold=text),))
        rows = list(csv.reader(io.StringIO(invoice_csv(hostile), newline="")))
        period, _, name, *_, threshold = rows[1][:7]
        assert (period, name, threshold) == (f"'{text}",) * 3
        assert rows[1][-1] == "400.00"  # $40,000 / 100 students = $400 for the one achiever
        assert all(row[0] == f"'{text}" for row in rows[1:])


def test_excel_invoice_keeps_formula_text_as_text(capsys, tmp_path):
    deal, results = formula_files(tmp_path, name="=cmd|'/c calc'!A1", district="-district")
    xlsx = tmp_path / "invoice.xlsx"
    code, _, _ = run_cli(capsys, "invoice", str(deal), str(results), "--period", "+Q1", "--xlsx", str(xlsx))
    assert code == 0
    book = openpyxl.load_workbook(xlsx)
    sheet = book["Invoice"]
    cells = [sheet["B2"], sheet["B4"]] + [sheet[f"A{OUTCOME_HEADER_ROW + i}"] for i in range(1, 5)]
    cells += list(book["Students"][1])[2:]
    assert [c.value for c in cells] == ["+Q1", "-district", *FORMULA_NAMES, *FORMULA_NAMES]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    notes = [c for c in sheet["A"] if isinstance(c.value, str) and c.value.startswith(tuple(FORMULA_NAMES))]
    assert notes and all(c.data_type == "s" for c in notes)


def test_excel_invoice_strips_what_a_workbook_cannot_hold(tmp_path):
    deal = make_deal()
    data = b"student_id,served,Growth\nA\x01B,1,1\n=1+1,1,0\n"
    results = read_results(data, "r.csv", deal)
    invoice = dataclasses.replace(settle(deal, results), period="\tTab")
    book = openpyxl.load_workbook(io.BytesIO(invoice_workbook(deal, invoice, results)))
    ids = [book["Students"]["A2"], book["Students"]["A3"]]
    assert [c.value for c in ids] == ["AB", "=1+1"] and all(c.data_type == "s" for c in ids)
    assert book["Invoice"]["B2"].value == "\tTab" and book["Invoice"]["B2"].quotePrefix


# --- terminal escape codes -------------------------------------------------------------------


def test_escape_codes_in_user_text_never_reach_the_terminal():
    deal = make_deal()
    invoice = settle(deal, read_results(b"student_id,served,Growth\nA,1,1\nB,1,\n", "r.csv", deal))
    line = dataclasses.replace(invoice.outcomes[0], name="Growth\x1b]0;owned\x07")
    hostile = dataclasses.replace(invoice, deal_name="Deal \x1b[2J", period="Q1\x9b31m", source="r\x1b[H.csv",
                                  outcomes=(line,), notes=("note \x1b[2J",))
    text = invoice_text(hostile)
    assert not any(code in text for code in ("\x1b", "\x07", "\x9b"))
    assert "Invoice: Deal ?[2J" in text and "Growth?]0;owned?" in text and "- note ?[2J" in text


def test_escape_code_in_the_deal_name_never_reaches_the_terminal(capsys, tmp_path):
    deal = tmp_path / "deal.json"
    deal.write_text(json.dumps(deal_dict(name="Deal \x1b[2J")), encoding="utf-8")
    results = tmp_path / "results.csv"
    results.write_text("student_id,served,Growth\nA,1,1\n", encoding="utf-8")
    for output in ("table", "json"):
        _, out, err = run_cli(capsys, "invoice", str(deal), str(results), "--format", output)
        assert "\x1b" not in out and "\x1b" not in err


def test_escape_code_in_the_results_file_name_never_reaches_the_terminal(capsys, tmp_path):
    deal = tmp_path / "deal.json"
    deal.write_text(json.dumps(deal_dict()), encoding="utf-8")
    results = tmp_path / "r\x1b[2J.csv"
    results.write_text("student_id,served,Growth\nA,1,1\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "invoice", str(deal), str(results))
    assert code == 0 and err == ""
    assert "\x1b" not in out and "r?[2J.csv" in out  # the results file, named on the period line


# --- memory ----------------------------------------------------------------------------------


def big_results(rows: int) -> bytes:
    """Student i is served unless i is a multiple of 5; its value is (i mod 7) / 3, which reaches
    the 1.0 threshold when i mod 7 is 3, 4, 5 or 6."""
    lines = (f"S{i},{int(i % 5 != 0)},{(i % 7) / 3:.4f}\n" for i in range(rows))
    return ("student_id,served,Growth\n" + "".join(lines)).encode()


def test_settling_200000_rows_stays_under_500_mb():
    deal = make_deal(students=200_000, outcomes=[{"name": "Growth", "threshold_value": 1.0}])
    data = big_results(200_000)
    tracemalloc.start()
    try:
        invoice = settle(deal, read_results(data, "big.csv", deal))
        invoice_csv(invoice), invoice_to_dict(invoice), invoice_text(invoice)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 500 * MB
    # Served: 200,000 - 40,000 multiples of 5 = 160,000. Achievers: of every 35 students in a row,
    # 28 are served and 20 reach 1.0, 28 x 20 / 35 = 16 both; 200,000 = 5,714 x 35 + 10, and of
    # the last 10 (i mod 35 = 0..9) those with i mod 35 = 3, 4, 6 are both: 5,714 x 16 + 3 = 91,427.
    line = invoice.outcomes[0]
    assert (invoice.students_served, line.achievers) == (160_000, 91_427)
    assert line.payment == 18_285.40  # $40,000 / 200,000 = $0.20 per achiever, x 91,427


def test_excel_invoice_streams_the_students_sheet():
    # Cell by cell, openpyxl keeps about 1 kB a student (20 MB here); streamed, a few MB.
    deal = make_deal(students=20_000, outcomes=[{"name": "Growth", "threshold_value": 1.0}])
    results = read_results(big_results(20_000), "big.csv", deal)
    invoice = settle(deal, results)
    tracemalloc.start()
    try:
        workbook = invoice_workbook(deal, invoice, results)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * MB
    students = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)["Students"]
    assert sum(1 for _ in students.iter_rows(values_only=True)) == 20_001  # the header and every student


def test_full_allocations_never_pass_the_total_cost():
    # $100 all on outcomes, weights 2/3, 1/6, 1/6: allocations $66.666..., $16.666..., $16.666....
    # Rounded, the lines would be 66.67 + 16.67 + 16.67 = $100.01, a cent over the contract; cut at
    # the allocation they are 66.66 + 16.66 + 16.66 = $99.98.
    weights = {"A": 2 / 3, "B": 1 / 6, "C": 1 / 6}
    outcomes = [{"name": name, "weight": weight} for name, weight in weights.items()]
    deal = make_deal(students=3, total_cost=100, performance_share=1.0, outcomes=outcomes)
    data = b"student_id,served,A,B,C\n1,1,1,1,1\n2,1,1,1,1\n3,1,1,1,1\n"
    for met in (True, False):
        invoice = settle(deal, read_results(data, "all.csv", deal), SettleOptions(commitments_met=met))
        assert [line.payment for line in invoice.outcomes] == [66.66, 16.66, 16.66]
        assert invoice.base_due == 0.0
        assert invoice.total_due == 99.98


def test_many_unknown_groups_are_capped_and_escape_codes_are_shown_safely():
    # 5,000 rows each naming a group the deal does not have: the first 20 are listed, then the count.
    deal = make_deal(student_groups=[{"name": "English learners", "students": 10}], students=10_000)
    rows = [f"S{i},1,1,\x1b[31mred{i}" for i in range(5_000)]
    data = ("student_id,served,Growth,group\n" + "\n".join(rows) + "\n").encode()
    with pytest.raises(DealError) as caught:
        read_results(data, "r.csv", deal)
    lines = caught.value.lines()
    assert len(lines) == 21 and lines[-1] == "r.csv: and 4,980 more problems (5,000 in all)"
    assert "\x1b" not in "".join(lines)
    assert lines[0].startswith("r.csv: row 2, column group: ")
    assert "is not a student group of the deal" in lines[0]
