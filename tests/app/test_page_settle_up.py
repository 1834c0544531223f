"""The Settle-up page under AppTest: empty state for every sample deal, the sample results invoice,
hand-computed small files, the missing-values rule, the commitments switch, column mapping,
session counts, an XLSX on its second sheet, and bad files shown as plain sentences."""

from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.core.model import Deal
from obc_calc.io.dealfile import load_deal
from tests.app_support import ROOT, act, errors, go, metric, plain, start
from tests.helpers import make_deal
from ui import state

PAGE = "app_pages/settle_up.py"
MATH = state.SAMPLES["Math tutoring"]
SAMPLE_RESULTS = ROOT / "sample_data" / "math_tutoring_results.csv"

# $100,000 for 100 students, 40% on outcomes -> pool $40,000, fixed base $60,000.
# Growth: a flag, per student, half the pool ($20,000). Score: measured, meets at 300, all or
# nothing once 60% of the counted students meet it, the other half ($20,000).
SMALL = make_deal(outcomes=[
    {"name": "Growth", "weight": 0.5, "expected_rate": 0.5},
    {"name": "Score", "weight": 0.5, "expected_rate": 0.5, "threshold_value": 300,
     "basis": "cohort_threshold", "target_rate": 0.6},
])
# Served: A1, A2, A3, A5 (A4 is not). Growth among served: 1, 0, blank, 1. Score: 310, 290, 300, blank.
SMALL_FILE = b"student_id,served,Growth,Score\nA1,1,1,310\nA2,yes,0,290\nA3,1,,300\nA4,0,1,400\nA5,true,1,\n"



def open_page(deal: Deal | None = None) -> AppTest:
    return go(start(deal=deal), PAGE)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    return act(at.file_uploader[0].set_value((name, data, "application/octet-stream")))


def dollars(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def invoice_rows(at: AppTest) -> dict[str, dict]:
    table = next(d.value for d in at.dataframe if "Amount due" in d.value.columns)
    return {row["Outcome"]: row for row in table.to_dict("records")}


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_empty_state_for_each_sample_deal(sample):
    deal = load_deal(state.SAMPLES[sample])
    at = open_page(deal)
    info = "\n".join(i.value for i in at.info)
    assert "No results file yet" in info
    for outcome in deal.outcomes:
        assert f"`{outcome.name}`" in info
    assert not at.metric
    sample_button = [b for b in at.button if b.key == "settle_sample"]
    assert bool(sample_button) == (state.SAMPLES[sample] == MATH)  # only the math deal's outcomes match
    assert ("math tutoring sample deal on the Home page" in info) == (state.SAMPLES[sample] != MATH)


# The sample results counted by hand (a spreadsheet's COUNTIFS over the 1,200 rows): 1,151 served;
# Dosage: 1,142 served with a value, 753 of them at 0.8 or more; Math growth: 1,113 with a value, 554
# at 1.0 or more; Same tutor: 1,137 with a value, 917 "yes", 14 blank among the served.
# Math deal: $1,775,000 for 1,250 students, pool 937,500, per-student base 837,500 / 1,250 = $670.
SAMPLE_BASE = 1151 * 670  # 771,170.00
SAMPLE_DOSAGE = 753 * 187.50  # 234,375 / 1,250 per achiever = 141,187.50
SAMPLE_GROWTH = 554 * 412.50  # 515,625 / 1,250 per achiever = 228,525.00
# Same tutor, graduated 50% -> 90% on 187,500: excluded, 917 / 1,137 = 80.651%, 187,500 x 0.30651 / 0.4
# = 143,675.79; not achieved, 917 / 1,151 = 79.670%, 187,500 x 0.29670 / 0.4 = 139,077.43.
SAMPLE_TOTAL = "$1,284,558.29"  # 771,170 + 141,187.50 + 228,525 + 143,675.79


def test_sample_results_invoice_by_hand():
    at = open_page()  # the app opens on the math tutoring sample
    at.button(key="settle_sample").click().run()
    assert not at.exception
    assert metric(at, "Total due").value == SAMPLE_TOTAL
    assert metric(at, "Base due").value == "$771,170.00"
    assert metric(at, "Students served").value == "1,151"
    rows = invoice_rows(at)
    for name, eligible, achievers, due in [("Dosage", "1,142", "753", "$141,187.50"),
                                           ("Math growth", "1,113", "554", "$228,525.00"),
                                           ("Same tutor", "1,137", "917", "$143,675.79")]:
        assert (rows[name]["Eligible"], rows[name]["Achievers"], rows[name]["Amount due"]) == (
            eligible, achievers, due), name
    assert rows["Total due"]["Amount due"] == SAMPLE_TOTAL
    assert dollars(SAMPLE_TOTAL) == SAMPLE_BASE + SAMPLE_DOSAGE + SAMPLE_GROWTH + 143_675.79
    preview = at.dataframe[0].value
    assert list(preview.index[:3]) == [2, 3, 4]  # spreadsheet rows: the header is row 1
    labels = [b.label for b in at.get("download_button")]
    assert "Download the invoice (Excel)" in labels and "Download the invoice (CSV)" in labels


def test_missing_rule_and_commitments_change_the_total():
    at = open_page()
    at.button(key="settle_sample").click().run()
    assert metric(at, "Total due").value == SAMPLE_TOTAL  # missing values excluded, the default
    at.radio(key="settle_missing").set_value("not_achieved").run()
    # Only Same tutor's rate changes (per-student outcomes pay their achievers either way):
    # 771,170 + 141,187.50 + 228,525 + 139,077.43 = 1,279,959.93
    assert metric(at, "Total due").value == "$1,279,959.93"
    at.toggle(key="settle_commitments").set_value(False).run()
    assert dollars(metric(at, "Total due").value) == 1_775_000  # the full contract value


def test_small_file_by_hand():
    at = upload(open_page(SMALL), "small.csv", SMALL_FILE)
    rows = invoice_rows(at)
    # Excluded: Growth counts A1, A2, A5 -> 2 achievers of 3; a per-student outcome pays its price per
    # achiever, 20,000 / 100 eligible = 200, times the 2 achievers = 400.
    # Score counts A1, A2, A3 -> 310 and 300 meet 300 -> 2/3 = 66.7% >= 60%: the whole 20,000.
    growth = rows["Growth"]
    assert (growth["Eligible"], growth["Achievers"], growth["Rate"]) == ("3", "2", "66.7%")
    assert rows["Growth"]["Amount due"] == "$400.00"
    assert rows["Score"]["Amount due"] == "$20,000.00"
    assert metric(at, "Base due").value == "$60,000.00"
    assert metric(at, "Total due").value == "$80,400.00"  # 60,000 + 400 + 20,000
    assert metric(at, "Students served").value == "4"
    # Not achieved: Growth 2 of 4 -> 20,000 x 0.5 x 4/100 = 400; Score 2 of 4 = 50% < 60%: nothing.
    at.radio(key="settle_missing").set_value("not_achieved").run()
    assert metric(at, "Total due").value == "$60,400.00"
    at.toggle(key="settle_commitments").set_value(False).run()
    assert metric(at, "Total due").value == "$100,000.00"


def test_sessions_attended_with_a_minimum():
    # Sessions 12, 3, 10, 0: with a minimum of 10, A1 and A3 are served.
    data = b"student_id,served,Growth,Score\nA1,12,1,310\nA2,3,1,350\nA3,10,0,320\nA4,0,1,400\n"
    at = upload(open_page(SMALL), "sessions.csv", data)
    assert "set the minimum number of sessions" in plain(errors(at))
    at.toggle(key="settle_sessions").set_value(True).run()
    at.number_input(key="settle_min_sessions").set_value(10.0).run()
    assert not at.exception
    # Growth: 1 of 2 -> 20,000 x 0.5 x 2/100 = 200; Score: 2 of 2 -> 100% >= 60%: 20,000.
    assert metric(at, "Students served").value == "2"
    assert metric(at, "Total due").value == "$80,200.00"  # 60,000 + 200 + 20,000


def test_columns_with_other_names_are_mapped():
    data = b"ID,Attended,G,S\nA1,1,1,310\nA2,1,0,100\n"
    at = upload(open_page(SMALL), "renamed.csv", data)
    assert "there is no such column" in plain(errors(at))
    assert "Choose a column for Student id, Served, Growth (achieved flag) and Score" in plain(errors(at))
    assert not at.metric
    token = at.session_state["settle_file"]["token"]
    for role, column in [("student_id", "ID"), ("served", "Attended"), ("Growth", "G"), ("Score", "S")]:
        at.selectbox(key=f"settle_column_{token}_{role}").set_value(column)
    at.run()
    assert not at.exception and not at.error
    # By hand: Growth 1 of 2 -> 20,000 x 0.5 x 2/100 = 200; Score 1 of 2 = 50% < 60%: nothing.
    assert metric(at, "Total due").value == "$60,200.00"  # 60,000 + 200
    # One column for two fields is refused in plain words.
    at.selectbox(key=f"settle_column_{token}_Score").set_value("G").run()
    assert "Column G is chosen for Growth and Score; each needs its own column" in plain(errors(at))
    assert not at.metric


def test_xlsx_table_on_the_second_sheet():
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active["A1"] = "End-of-year results"
    sheet = book.create_sheet("Results")
    sheet.append(["Verified by the district"])
    for row in SMALL_FILE.decode().splitlines():
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row.split(",")])
    out = io.BytesIO()
    book.save(out)
    at = upload(open_page(SMALL), "small.xlsx", out.getvalue())
    assert metric(at, "Total due").value == "$80,400.00"  # the same students as test_small_file_by_hand
    assert list(at.dataframe[0].value.index[:2]) == [3, 4]  # the header is on row 2 of that sheet


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "the file is empty"),
    (b"student_id,served,Growth,Score\nA1,1,1,abc\nA1,1,0,310\n",
     "row 2, column Score: 'abc' is not a number"),
    (b"student_id,served,Growth,Score\nA1,1,1,abc\nA1,1,0,310\n",
     "row 3, column student_id: 'A1' is a second row for the same student (first on row 2)"),
    (b"student_id,served,Growth\nA1,1,1\n", "column Score: there is no such column"),
    (b"student_id,served,Growth,Score\nA1,2,maybe,310\n", "row 2, column Growth: 'maybe' is not a flag"),
    (b"\x81\x8d\x8f\x90\x9d", "cannot be read as UTF-8, UTF-16 or Latin-1"),
])
def test_bad_file_shows_plain_sentences(data, expected):
    at = upload(open_page(SMALL), "bad.csv", data)
    assert expected in plain(errors(at))
    assert not at.metric  # nothing is invoiced


def test_more_students_served_than_the_deal_covers():
    tiny = make_deal(students=2, outcomes=[{"name": "Growth", "expected_rate": 0.5}])
    at = upload(open_page(tiny), "three.csv", b"student_id,served,Growth\nA1,1,1\nA2,1,0\nA3,1,1\n")
    assert "3 students are marked served, more than the 2 the deal covers" in plain(errors(at))
    assert not at.metric


def test_file_and_choices_survive_a_visit_to_another_page():
    at = open_page()
    at.button(key="settle_sample").click().run()
    at.radio(key="settle_missing").set_value("not_achieved").run()
    at.text_input(key="settle_period").set_value("End of year 2026-27").run()
    total = metric(at, "Total due").value
    at.switch_page("app_pages/budget.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.radio(key="settle_missing").value == "not_achieved"
    assert metric(at, "Total due").value == total
    assert any("End of year 2026-27" in plain(c.value) for c in at.caption)


def test_sample_replaces_an_upload_and_clear_empties_the_page():
    at = upload(open_page(), "bad.csv", b"student_id,served,Dosage,Math growth,Same tutor\nA1,maybe,1,1,1\n")
    assert "row 2, column served: 'maybe' is not a flag" in plain(errors(at))
    at.button(key="settle_sample").click().run()
    assert not at.error and metric(at, "Students served").value == "1,151"
    assert not at.file_uploader[0].value  # the uploader no longer shows bad.csv
    at.button(key="settle_clear").click().run()
    assert "No results file yet" in "\n".join(i.value for i in at.info)
    assert not at.metric


def invoice_lines(at: AppTest) -> list[dict]:
    """Every line of the invoice, group and band lines included (they share their outcome's name)."""
    table = next(d.value for d in at.dataframe if "Amount due" in d.value.columns)
    return table.to_dict("records")


# $10,000 for 10 students, 40% on one per-student outcome: pool $4,000, fixed base $6,000. English
# learners: 5 students at 3 times the price, the 5 others at 1: Σ 15 + 5 = 20, so u = 4,000 / 20 = $200
# and an English learner achieving earns $600.
GROUPED = make_deal(students=10, total_cost=10_000,
                    student_groups=[{"name": "English learners", "students": 5, "price_multiplier": 3}])
# S1 and S2 English learners (S1 achieves), S3 blank (other students) achieves, S4 other achieves,
# S5 an English learner not served.
GROUPED_FILE = (b"student_id,served,Growth,group\nS1,1,1,English learners\nS2,1,0,English learners\n"
                b"S3,1,1,\nS4,1,1,Other students\nS5,0,1,English learners\n")


def test_a_group_column_prices_each_achiever_by_group():
    at = open_page(GROUPED)
    assert "`group` (needed)" in plain("\n".join(i.value for i in at.info))
    at = upload(at, "groups.csv", GROUPED_FILE)
    assert not errors(at)
    groups = {row["Group"]: row for row in invoice_lines(at) if row["Group"]}
    assert (groups["English learners"]["Eligible"], groups["English learners"]["Achievers"]) == ("2", "1")
    assert groups["English learners"]["Price"] == "$600.00"
    assert groups["English learners"]["Amount due"] == "$600.00"  # 1 × 600
    assert groups["Other students"]["Amount due"] == "$400.00"  # 2 × 200
    assert metric(at, "Total due").value == "$7,000.00"  # 6,000 + 600 + 400


def test_the_group_column_can_be_mapped_from_another_name():
    at = upload(open_page(GROUPED), "groups.csv", GROUPED_FILE.replace(b",group\n", b",learner type\n", 1))
    token = at.session_state["settle_file"]["token"]
    at = act(at.selectbox(key=f"settle_column_{token}_group").set_value("learner type"))
    assert metric(at, "Total due").value == "$7,000.00"


# $10,000 for 10 students, 40% on one banded outcome: $4,000 over 10 students is $400 a student; a
# decline takes back 25% ($100), 0 to 1 pays nothing, 1 and up pays $400.
BANDED = make_deal(students=10, total_cost=10_000, outcomes=[{
    "name": "MAP", "basis": "per_student_banded", "expected_rate": 0.0,
    "bands": [{"min_value": None, "payout": -0.25}, {"min_value": 0, "payout": 0},
              {"min_value": 1, "payout": 1}]}])
BANDED_FILE = b"student_id,served,MAP\nS1,1,-0.5\nS2,1,0.2\nS3,1,1.2\nS4,1,1.0\n"


def test_a_banded_outcome_pays_each_band():
    at = upload(open_page(BANDED), "map.csv", BANDED_FILE)
    assert not errors(at)
    bands = {row["Band"]: row for row in invoice_lines(at) if row["Band"]}
    assert bands["below 0 (pays -25%)"]["Amount due"] == "-$100.00"  # S1: 400 × −0.25
    assert bands["below 0 (pays -25%)"]["Price"] == "-$100.00"
    assert bands["1 or more (pays 100%)"]["Eligible"] == "2"  # S3 and S4 (1.0 is in the band)
    assert bands["1 or more (pays 100%)"]["Amount due"] == "$800.00"
    assert metric(at, "Total due").value == "$6,700.00"  # 6,000 − 100 + 0 + 800


# ---- plain words: the default period, thresholds, notes and the missing-values choice ----------

CODES = ("flag 1", "excluded", "not_achieved", "max_penalty", "rule:", "value >=", "Settle-up of")


def shown_text(at: AppTest) -> str:
    """Every text a person reads on the page: prose, captions, choices and their help, the invoice."""
    texts = [e.value for kind in ("markdown", "caption", "info", "error") for e in at.get(kind)]
    texts += [o for r in at.radio for o in r.options] + [r.help or "" for r in at.radio]
    texts += [at.text_input(key="settle_period").placeholder]
    texts += [str(invoice_lines(at))]
    return "\n".join(texts)


@pytest.mark.parametrize("missing", ["excluded", "not_achieved"])
def test_the_invoice_names_no_internal_code(missing):
    at = open_page()
    at.button(key="settle_sample").click().run()
    at = act(at.radio(key="settle_missing").set_value(missing))
    text = shown_text(at)
    assert not [code for code in CODES if code in text]
    rows = invoice_rows(at)
    # Dosage meets at 0.8, Math growth at 1; Same tutor is marked yes or no in the file.
    assert [rows[n]["Threshold"] for n in ("Dosage", "Math growth", "Same tutor")] == [
        "0.8 or more", "1 or more", "marked achieved (1, yes or true)"]


def test_the_default_period_is_the_deals_name_and_school_year():
    at = open_page()
    at.button(key="settle_sample").click().run()
    # The math sample is "Middle-school math tutoring 2026-27": its name holds the school year.
    period = "Middle-school math tutoring 2026-27: settle-up"
    assert at.text_input(key="settle_period").placeholder == period
    assert any(plain(c.value).startswith(f"{period}, dated ") for c in at.caption)
    # A deal named without its year: the year of a term starting 2026-09 (fiscal years from July).
    at = upload(open_page(SMALL), "small.csv", SMALL_FILE)
    assert any(plain(c.value).startswith("Test deal 2026-27: settle-up, dated ") for c in at.caption)
