"""Settle-up in a finance office's words: thresholds and notes name no internal setting ("flag 1",
"excluded", "max_penalty"); the default period is the deal's name and school year; the downloads'
file name is a safe slug of the deal and the period; the invoice command uses the same default."""

from datetime import date

import pytest

from obc_calc.cli import main
from obc_calc.core.report import invoice_text
from obc_calc.core.settle import SettleOptions, default_period, file_stem, settle
from obc_calc.io.dealfile import load_deal
from obc_calc.io.results_file import read_results
from tests.core.test_settle import DATA, EXAMPLE_RESULTS
from tests.helpers import BANDS, make_deal

# $100,000 for 100 students, 40% on outcomes: Growth is marked achieved or not, Score meets at 300,
# MAP pays by the band of the value.
THREE = make_deal(outcomes=[
    {"name": "Growth", "weight": 0.4, "expected_rate": 0.5},
    {"name": "Score", "weight": 0.3, "expected_rate": 0.5, "threshold_value": 300},
    {"name": "MAP", "weight": 0.3, "basis": "per_student_banded", "bands": BANDS},
])
# A: every value; B: no Growth; C: no Score; D not served.
FILE = "student_id,served,Growth,Score,MAP\nA,1,1,310,1.2\nB,1,,290,0.2\nC,yes,0,,2\nD,0,1,400,1\n"
CODES = ("flag", ">=", "excluded", "not_achieved", "max_penalty", "rule:", "_")


def invoice(deal=THREE, text=FILE, **options):
    results = read_results(text.encode(), "results.csv", deal)
    options = SettleOptions(period="End of year", invoice_date=date(2027, 6, 30), **options)
    return settle(deal, results, options)


def test_thresholds_are_in_words():
    assert [line.threshold for line in invoice().outcomes] == [
        "marked achieved (1, yes or true)", "300 or more", "paid by the band of the value (4 bands)"]


@pytest.mark.parametrize("missing", ["excluded", "not_achieved"])
def test_notes_name_no_internal_setting(missing):
    notes = invoice(missing=missing).notes
    for note in notes:
        assert not any(code in note for code in CODES), note
    # B has no Growth value, C no Score value: one served student each.
    if missing == "excluded":
        assert notes[1] == ("Growth: 1 served student with no value left out of its rate, as chosen for "
                            "missing values; it pays for the 1 achiever counted, not for them.")
    else:
        assert notes[1] == ("Growth: 1 served student with no value counted as not achieving it, as chosen "
                            "for missing values.")
    assert notes[0] == ("1 student in the file was not served (not marked as served in the served column); "
                        "they count for no outcome.")


def test_the_penalty_limit_is_named_in_words():
    # $10,000 for 10 students at 40%: $400 a student on MAP. A, B and C below 0 take back
    # 3 x 400 x 0.25 = $300; with a limit of $100 on penalties, $200 is relieved.
    deal = make_deal(students=10, total_cost=10_000, max_penalty=100,
                     outcomes=[{"name": "MAP", "basis": "per_student_banded", "bands": BANDS}])
    notes = invoice(deal, "student_id,served,MAP\nA,1,-1\nB,1,-2\nC,1,-0.5\n").notes
    assert notes[-1] == ("Penalties would take back $300.00, more than the deal's limit on penalties of "
                         "$100.00: $200.00 is relieved.")


@pytest.mark.parametrize(("fields", "period"), [
    # The name holds its school year already: not repeated.
    ({"name": "Middle-school math tutoring 2026-27"}, "Middle-school math tutoring 2026-27: settle-up"),
    # The default term starts 2026-09 and fiscal years start in July: FY2027, the 2026-27 school year.
    ({"name": "Reading tutoring"}, "Reading tutoring 2026-27: settle-up"),
    # A term starting in January 2027 is still in the fiscal year that began in July 2026.
    ({"name": "Reading tutoring", "term": {"start": "2027-01"}}, "Reading tutoring 2026-27: settle-up"),
    # Fiscal years that are calendar years are named by the one year.
    ({"name": "Reading tutoring", "term": {"start": "2026-09", "fiscal_year_start_month": 1}},
     "Reading tutoring 2026: settle-up"),
])
def test_default_period_is_the_deals_name_and_school_year(fields, period):
    assert default_period(make_deal(**fields)) == period


def test_default_period_of_a_long_name_keeps_the_year_and_fits_a_period():
    period = default_period(make_deal(name="x" * 200))
    # 200 characters at most: 181 x's, then " 2026-27: settle-up" (19 characters).
    assert period == "x" * 181 + " 2026-27: settle-up"


def test_default_period_of_the_math_sample():
    deal = load_deal(DATA.parents[1] / "sample_data" / "math_tutoring.json")
    assert default_period(deal) == "Middle-school math tutoring 2026-27: settle-up"


@pytest.mark.parametrize(("deal", "period", "stem"), [
    # The default period starts with the deal's name: said once.
    ("Math tutoring 2026-27", "Math tutoring 2026-27: settle-up", "math-tutoring-2026-27-settle-up"),
    ("Math tutoring 2026-27", "End of year", "math-tutoring-2026-27-end-of-year"),
    # A period that only starts with the same letters is not the deal's name.
    ("Math", "Mathematics mid-year", "math-mathematics-mid-year"),
    # Slashes, dots and backslashes never make a path; accents keep their letter.
    ("Été ../../etc", "..\\passwd / Q1", "ete-etc-passwd-q1"),
    ("≠≠", "", "invoice"),
])
def test_file_stem_is_a_safe_slug(deal, period, stem):
    assert file_stem(deal, period) == stem


def test_file_stem_is_at_most_100_characters():
    stem = file_stem("a" * 200, "b")
    assert stem == "a" * 100


def test_the_invoice_command_uses_the_same_default_period(capsys):
    assert main(["invoice", str(DATA / "example_deal.json"), str(EXAMPLE_RESULTS)]) == 0
    # The example deal is "Grade 8 math tutoring 2026-27", its term starting 2026-09.
    assert "Period Grade 8 math tutoring 2026-27: settle-up;" in capsys.readouterr().out


@pytest.mark.parametrize("missing, words", [("excluded", "missing values left out of the rate"),
                                            ("not_achieved", "missing values counted as not achieved")])
def test_the_invoice_text_says_the_missing_values_choice_in_words(missing, words):
    text = invoice_text(invoice(missing=missing))
    assert words in text
    assert f"missing values {missing}" not in text
