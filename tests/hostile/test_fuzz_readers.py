"""Fuzzing the readers of what users hand in: whatever the input, the answer is a valid result or a
DealError, never another exception."""

from __future__ import annotations

import base64
import datetime
import io
import json
import zipfile
import zlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from obc_calc.core.errors import DealError
from obc_calc.core.model import Deal
from obc_calc.io.ratecard import RateCard, read_rate_card
from obc_calc.io.results_file import ResultsTable, read_results
from obc_calc.io.sharelink import decode_deal
from tests.helpers import make_deal
from tests.hostile import bombs

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEAL = make_deal(outcomes=[{"name": "Growth", "weight": 0.5},
                           {"name": "Score", "threshold_value": 50, "weight": 0.5}])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)
CSV_PIECES = list(',;\t\n\r"01 .%-:éaAyesnoNA\x00\ufeff\x81') + [
    "student_id", "served", "Growth", "Score", "inf", "nan", "1e999", "-0", "9" * 400]
CSV_TEXT = st.lists(st.sampled_from(CSV_PIECES), max_size=120).map("".join)
# A date in E2 gives the workbook a date style (s="1"), so fuzzed cells are read as dates too.
WORKBOOK = bombs.workbook({"Results": [row + [datetime.date(2027, 6, 1)] for row in bombs.results_rows(3)]})
# Columns both readers know: a results table's, and rate-card fields read as numbers.
HEADER_ROW = b'<row r="1">' + b"".join(
    b'<c t="inlineStr"><is><t>%s</t></is></c>' % name
    for name in (b"student_id", b"served", b"Growth", b"Score", b"name", b"eligible_students", b"weight")
) + b"</row>"
XML_PIECES = st.sampled_from([
    "<row>", "</row>", '<row r="2">', '<row r="1048577">', "<c>", "</c>", '<c r="B2" t="s">', '<c t="b">',
    '<c t="inlineStr">', '<c r="XFD1">', '<c r="A0">', "<v>", "</v>", "<v>1</v>", "<v>-1</v>", "<v>1e999</v>",
    "<v>x</v>", "<v>1" + "0" * 400 + "</v>", "<v>nan</v>", "<v>1E+308</v>", "<f>", "</f>",
    '<f t="shared" si="0"/>', "<is><t>", "</t></is>", "<t>", "</t>", "text", "&amp;", "&lol;",
    "<![CDATA[<]]>", "<!-- -->", "<sheetData>", "</sheetData>", '<c s="1">', '<c t="d">', "<v>2027-13-45</v>",
    "<v>1e300</v>", "<v>-1e20</v>", '<row r="²">', '<c r="A²">', '<c t="s"><v>²</v></c>',
])


def answers(call, kind, *args) -> None:
    try:
        assert isinstance(call(*args), kind)
    except DealError as error:
        assert error.lines() and all(line.strip() for line in error.lines())


@FAST
@given(st.text(max_size=300))
@example("v1.")
@example("v1.ü€\x00")
def test_any_text_as_a_link(text):
    answers(decode_deal, Deal, text)
    answers(decode_deal, Deal, "v1." + text)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_packed_as_a_link(data):
    answers(decode_deal, Deal, "v1." + base64.urlsafe_b64encode(data).decode().rstrip("="))


@FAST
@given(JSON, st.integers(0, 9))
def test_any_json_packed_as_a_link(data, level):
    packed = zlib.compress(json.dumps(data).encode(), level)
    answers(decode_deal, Deal, "v1." + base64.urlsafe_b64encode(packed).decode().rstrip("="))


@FAST
@given(st.binary(max_size=400), st.sampled_from(["card.csv", "card.xlsx", "card.txt"]))
@example(b"PK\x03\x04" + b"\x00" * 40, "card.xlsx")
def test_any_bytes_as_a_rate_card(data, name):
    answers(read_rate_card, RateCard, data, name)


@FAST
@given(CSV_TEXT, st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_csv_ish_text_as_a_rate_card(text, encoding):
    header = "name,weight,eligible_students,paid_in_month,tiers,expected_rate\n"
    answers(read_rate_card, RateCard, (header + text).encode(encoding, "replace"), "card.csv")


@FAST
@given(st.binary(max_size=400), st.sampled_from(["results.csv", "results.xlsx"]))
def test_any_bytes_as_results(data, name):
    answers(read_results, ResultsTable, data, name, DEAL)


@FAST
@given(CSV_TEXT, st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_csv_ish_text_as_results(text, encoding):
    data = ("student_id,served,Growth,Score\n" + text).encode(encoding, "replace")
    answers(read_results, ResultsTable, data, "results.csv", DEAL)


@FAST
@given(st.lists(st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_workbook_with_bytes_changed(changes):
    data = bytearray(WORKBOOK)
    for position, value in changes:
        data[position] = value
    answers(read_results, ResultsTable, bytes(data), "results.xlsx", DEAL)
    answers(read_rate_card, RateCard, bytes(data), "card.xlsx")


@FAST
@given(st.lists(XML_PIECES, max_size=40))
def test_a_sheet_of_any_markup(pieces):
    sheet = bombs.WORKSHEET_OPEN + HEADER_ROW + "".join(pieces).encode() + bombs.WORKSHEET_CLOSE
    members = _members(WORKBOOK)
    members[bombs.SHEET] = sheet
    data = _zipped(members)
    answers(read_results, ResultsTable, data, "results.xlsx", DEAL)
    answers(read_rate_card, RateCard, data, "card.xlsx")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()
