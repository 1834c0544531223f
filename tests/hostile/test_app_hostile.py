"""Hostile and careless input in the app under AppTest: share links, uploads and typed values that are
huge, damaged or absurd give one plain message, never a traceback, and leave the deal being edited
exactly as it was (its JSON form and the Deal both compared before and after).

The files are made here: random bytes, a workbook cut in half, JSON nested 100,000 levels deep,
JSON holding NaN or Infinity, deals over the limits in obc_calc.core.limits.
"""

from __future__ import annotations

import base64
import copy
import json
import random
import string
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.core.limits import (
    MAX_DEAL_BYTES,
    MAX_LINK_CHARS,
    MAX_MONEY,
    MAX_NAME_CHARS,
    MAX_SCENARIOS,
    MAX_STUDENTS,
)
from obc_calc.io.dealfile import load_deal
from obc_calc.io.workbook import workbook_bytes
from tests.app_support import MATH, act, edit_table, errors, go, money_box, plain, start, warnings

FALLBACK = "The deal in this link could not be opened, so a sample deal is open instead"
RANDOM = random.Random(20261201).randbytes(4096)
WORKBOOK = workbook_bytes(load_deal(MATH))
CUT_WORKBOOK = WORKBOOK[: len(WORKBOOK) // 2]
NESTED = b"[" * 100_000 + b"]" * 100_000
NAN, INFINITY = float("nan"), float("inf")


def math_data(**fields) -> dict:
    return json.loads(MATH.read_text(encoding="utf-8")) | fields


def math_json(**fields) -> bytes:
    return json.dumps(math_data(**fields)).encode()  # NaN and Infinity written as JSON's non-standard words


def with_first_outcome(**fields) -> bytes:
    data = math_data()
    data["outcomes"][0] |= fields
    return json.dumps(data).encode()


def packed(raw: bytes) -> str:
    """A well-formed link around any bytes, as sharelink.encode_deal packs a deal."""
    return "v1." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def snapshot(at: AppTest) -> tuple:
    return copy.deepcopy(at.session_state["deal_dict"]), at.session_state["deal"]


def assert_kept(at: AppTest, before: tuple) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert snapshot(at) == before


# ---- share links -----------------------------------------------------------------------------

def over_the_limit_deal() -> str:
    """A deal whose link is longer than MAX_LINK_CHARS: commitments described in random letters,
    which barely compress (about 4.7 bits a letter, so 300,000 letters pack to about 235,000 characters)."""
    letters = random.Random(1)
    described = ["".join(letters.choices(string.ascii_lowercase, k=30_000)) for _ in range(10)]
    commitments = [{"name": f"C{i}", "description": text} for i, text in enumerate(described)]
    link = packed(json.dumps(math_data(commitments=commitments)).encode())
    assert len(link) > MAX_LINK_CHARS
    return link


@pytest.mark.parametrize("link", [
    pytest.param("v1." + "A" * (MAX_LINK_CHARS + 1), id="over-the-limit-garbage"),
    pytest.param(over_the_limit_deal(), id="over-the-limit-deal"),
    pytest.param("v1.ü€\x00", id="not-ascii"),
    pytest.param(packed(NESTED), id="nested-100000"),
    pytest.param(packed(math_json(total_cost=NAN)), id="nan"),
    pytest.param(packed(math_json(total_cost=INFINITY)), id="infinity"),
    pytest.param(packed(math_json(students=MAX_STUDENTS)), id="too-many-students"),
    pytest.param(packed(b" " * (MAX_DEAL_BYTES * 2) + b"{}"), id="inflates-past-the-limit"),
])
def test_a_hostile_link_gives_one_plain_warning_and_the_sample(link):
    at = start(link=link)
    assert at.session_state["deal"] == load_deal(MATH)
    said = [w.value for w in at.warning if FALLBACK in w.value]
    assert len(said) == 1, warnings(at)
    assert "Traceback" not in said[0]
    assert len(said[0]) < 1_000  # a sentence or two, not the link or the file quoted back
    act(at)
    assert FALLBACK not in warnings(at)


# ---- uploads on Home -------------------------------------------------------------------------

BAD_DEALS = [
    pytest.param("random.json", RANDOM, id="random-json"),
    pytest.param("random.xlsx", RANDOM, id="random-xlsx"),
    pytest.param("cut.xlsx", CUT_WORKBOOK, id="cut-xlsx"),
    pytest.param("cut.json", b'{"schema_version": 1, "name": ', id="invalid-json"),
    pytest.param("nested.json", NESTED, id="nested-100000"),
    pytest.param("nan.json", math_json(total_cost=NAN), id="nan-total"),
    pytest.param("infinite.json", math_json(total_cost=INFINITY), id="infinite-total"),
    pytest.param("nan_threshold.json", with_first_outcome(threshold_value=NAN), id="nan-threshold"),
    pytest.param("students.json", math_json(students=MAX_STUDENTS), id="max-students"),
    pytest.param("money.json", math_json(total_cost=MAX_MONEY), id="max-money"),
    pytest.param("name.json", math_json(name="x" * (MAX_NAME_CHARS + 1)), id="long-name"),
    pytest.param("scenarios.json", math_json(scenarios=[{"name": f"S{i}"} for i in range(MAX_SCENARIOS + 1)]),
                 id="too-many-scenarios"),
    pytest.param("big.json", math_json(program="x" * MAX_DEAL_BYTES), id="over-max-deal-bytes"),
]


@pytest.mark.parametrize(("name", "data"), BAD_DEALS)
def test_home_explains_a_hostile_upload_and_keeps_the_deal(name, data):
    at = start()
    before = snapshot(at)
    at.file_uploader(key="upload").set_value((name, data, "application/octet-stream")).run()
    assert_kept(at, before)
    shown = errors(at)
    assert f"{name} is not a deal this app can open" in shown
    assert "The current deal is unchanged." in shown
    assert "Traceback" not in shown


@pytest.mark.parametrize(("name", "data"), [p for p in BAD_DEALS if p.id in ("nested-100000", "nan-total")])
def test_compare_explains_a_hostile_upload(name, data):
    at = go(start(), "app_pages/compare.py")
    before = snapshot(at)
    act(at.file_uploader(key="compare_upload").set_value((name, data, "application/json")))
    assert_kept(at, before)
    assert f"{name} is not a deal this app can open" in errors(at)


# ---- uploads on Rate card and Settle-up --------------------------------------------------------

@pytest.mark.parametrize(("name", "data"), [
    pytest.param("random.csv", RANDOM, id="random-csv"),
    pytest.param("random.xlsx", RANDOM, id="random-xlsx"),
    pytest.param("cut.xlsx", CUT_WORKBOOK, id="cut-xlsx"),
    pytest.param("nested.csv", NESTED, id="one-huge-cell"),
    pytest.param("nan.csv", b"name,weight,expected_rate\nA,nan,50%\n", id="nan-weight"),
    pytest.param("inf.csv", b"name,weight,expected_rate,eligible_students\nA,100%,50%,inf\n",
                 id="infinite-eligible"),
    pytest.param("nan_threshold.csv", b"name,weight,expected_rate,threshold_value\nA,100%,50%,nan\n",
                 id="nan-threshold"),
])
def test_rate_card_explains_a_hostile_file_and_keeps_the_deal(name, data):
    at = go(start(), "app_pages/rate_card.py")
    before = snapshot(at)
    uploader = next(u for u in at.file_uploader if u.label.startswith("Rate card file"))
    uploader.set_value((name, data, "text/csv")).run()
    assert_kept(at, before)
    assert f"{name} cannot be used as this deal's rate card" in plain(errors(at))
    assert not [b for b in at.button if b.label.startswith("Replace the rate card")]


@pytest.mark.parametrize(("name", "data"), [
    pytest.param("random.csv", RANDOM, id="random-csv"),
    pytest.param("random.xlsx", RANDOM, id="random-xlsx"),
    pytest.param("cut.xlsx", CUT_WORKBOOK, id="cut-xlsx"),
    pytest.param("nested.csv", NESTED, id="one-huge-cell"),
    pytest.param("inf.csv", b"student_id,served,Dosage,Math growth,Same tutor\nA1,1,0.9,inf,1\n",
                 id="infinite-growth"),
])
def test_settle_up_explains_a_hostile_file_and_invoices_nothing(name, data):
    at = go(start(), "app_pages/settle_up.py")
    before = snapshot(at)
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert_kept(at, before)
    assert at.error, "a plain message"
    assert not at.metric  # nothing is invoiced


# ---- typed values ------------------------------------------------------------------------------

HOSTILE_NUMBERS = [NAN, INFINITY, -INFINITY, 1e300, MAX_MONEY]


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.parametrize(("key", "kept"), [("f_total_cost", 1_775_000.0), ("f_per_pupil", 1_420.0)])
def test_an_absurd_price_is_refused_and_the_box_shows_the_deals(key, kept, value):
    at = go(start(), "app_pages/deal_split.py")
    before = snapshot(at)
    money_box(at, key).set_value(str(value)).run()
    assert_kept(at, before)
    assert "This change was not applied" in errors(at)
    assert at.session_state[key] == pytest.approx(kept)  # 1,775,000 / 1,250 = 1,420


def test_a_price_per_pupil_whose_total_reaches_the_money_limit_is_refused():
    at = go(start(), "app_pages/deal_split.py")
    before = snapshot(at)
    # 8,000,000,000 x 1,250 students = $10 trillion, MAX_MONEY, which is not allowed.
    money_box(at, "f_per_pupil").set_value("8,000,000,000").run()
    assert_kept(at, before)
    assert "This change was not applied" in errors(at)


@pytest.mark.parametrize("value", [0, -1, MAX_STUDENTS, 10**12])
def test_a_number_of_students_out_of_bounds_is_refused_and_the_box_shows_the_deals(value):
    at = go(start(), "app_pages/deal_split.py")
    before = snapshot(at)
    at.number_input(key="f_students").set_value(value).run()
    assert_kept(at, before)
    assert f"Students: Enter a whole number from 1 to {MAX_STUDENTS - 1:,}." in errors(at)
    assert at.number_input(key="f_students").value == 1_250


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.parametrize(("page", "key"), [
    ("app_pages/provider.py", "provider_fixed"), ("app_pages/provider.py", "provider_per_student"),
    ("app_pages/provider.py", "pp_base"), ("app_pages/provider.py", "pp_outcomes"),
    ("app_pages/risk.py", "risk_budget_1"),
])
def test_absurd_costs_prices_and_budget_lines_show_finite_figures(page, key, value):
    at = go(start(), page)
    before = snapshot(at)
    money_box(at, key).set_value(str(value)).run()
    assert_kept(at, before)
    typed = at.session_state[key]
    assert 0 <= typed < MAX_MONEY
    shown = [m.value for m in at.metric] + [m.delta or "" for m in at.metric]
    assert not [text for text in shown if "nan" in text.lower() or "inf" in text.lower()]


@pytest.mark.parametrize("value", [INFINITY, 1e300])
@pytest.mark.parametrize(("page", "table", "column"), [
    ("app_pages/scenarios.py", "scenarios", "Students served"),
    ("app_pages/rate_card.py", "outcomes", "Eligible students"),
    ("app_pages/rate_card.py", "outcomes", "Month paid"),
    ("app_pages/risk.py", "risk_ranges", "Low (%)"),
])
def test_an_absurd_number_in_a_table_is_refused(page, table, column, value):
    at = go(start(), page)
    before = snapshot(at)
    edit_table(at, table, {0: {column: value}})
    assert_kept(at, before)
    assert "This change was not applied" in errors(at)


def test_an_infinite_threshold_value_is_refused():
    at = go(start(), "app_pages/rate_card.py")
    before = snapshot(at)
    edit_table(at, "outcomes", {0: {"Threshold value": INFINITY}})
    assert_kept(at, before)
    assert "Rate card, row 1 (Dosage), threshold value:" in errors(at)
