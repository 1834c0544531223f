"""Hostile and careless files: every reader answers with one plain DealError line naming the file and
what is wrong, no other exception escapes, and memory stays bounded while it reads.

The bytes come from tests/hostile/bombs.py. Memory is the tracemalloc peak around the call alone.
"""

from __future__ import annotations

import re
import time
import tomllib
import tracemalloc
import zlib
from pathlib import Path

import pytest

from obc_calc.cli import main
from obc_calc.core import limits
from obc_calc.core.errors import DealError
from obc_calc.io import user_file, workbook_import, xlsx_reader
from obc_calc.io.dealfile import deal_from_json, load_deal
from obc_calc.io.ratecard import read_rate_card
from obc_calc.io.results_file import read_results, read_table
from obc_calc.io.sharelink import DAMAGED, decode_deal, encode_deal
from obc_calc.io.workbook import workbook_bytes
from obc_calc.io.workbook_import import deal_from_workbook
from tests.helpers import make_deal
from tests.hostile import bombs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "data" / "example_deal.json"
MEMORY = 500_000_000
DEAL = make_deal(outcomes=[{"name": "Growth", "weight": 0.5},
                           {"name": "Score", "threshold_value": 50, "weight": 0.5}])


def refused(call, *args) -> str:
    """The one line of the DealError `call(*args)` raises; memory checked while it runs."""
    tracemalloc.start()
    try:
        with pytest.raises(DealError) as caught:
            call(*args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY, f"{peak:,} bytes"
    lines = caught.value.lines()
    assert len(lines) == 1 and "\n" not in lines[0], lines
    assert "Traceback" not in lines[0]
    return lines[0]


def results(data: bytes, name: str = "results.xlsx") -> str:
    line = refused(read_results, data, name, DEAL)
    assert line.startswith(f"{name}: ") or line.startswith(f"{name}, sheet ")
    return line


# --- workbooks (.xlsx) ---------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_inflates(monkeypatch):
    monkeypatch.setattr(xlsx_reader, "MAX_XLSX_INFLATED_BYTES", 16 << 20)
    line = results(bombs.zip_bomb(64))  # 64 MiB and the other parts
    assert re.fullmatch(r"results\.xlsx: the workbook unpacks to 67,1\d\d,\d{3} bytes; the calculator "
                        r"reads at most 16,777,216", line)


def test_the_real_limit_refuses_by_the_declared_size_without_inflating():
    started = time.perf_counter()
    line = results(bombs.zip_bomb(1, declared=2_000_000_000))
    assert re.fullmatch(r"results\.xlsx: the workbook unpacks to 2,000,0\d\d,\d{3} bytes; the calculator "
                        r"reads at most 1,000,000,000", line)
    assert time.perf_counter() - started < 2  # inflating 2 GB would take far longer


def test_a_member_bigger_than_it_declares_stops_at_its_declared_size():
    line = results(bombs.zip_bomb(64, declared=10_000))
    assert line == f"results.xlsx: cannot read the file: part {bombs.SHEET!r} is damaged or cut short"


def test_inflated_bytes_are_counted_as_they_stream(monkeypatch):
    book = xlsx_reader.Book(bombs.zip_bomb(8), "results.xlsx")  # opened within the real limit
    monkeypatch.setattr(xlsx_reader, "MAX_XLSX_INFLATED_BYTES", 4 << 20)
    line = refused(lambda: list(book.rows(book.sheets[0])))
    assert line == ("results.xlsx: the workbook unpacks to more than 4,194,304 bytes; the calculator reads "
                    "at most 4,194,304")


def test_too_many_parts():
    assert results(bombs.many_parts(limits.MAX_XLSX_ENTRIES)) == (
        f"results.xlsx: the workbook has {limits.MAX_XLSX_ENTRIES + 9:,} parts; the calculator reads at most "
        f"{limits.MAX_XLSX_ENTRIES:,}")


def test_a_part_kept_whole_is_limited(monkeypatch):
    monkeypatch.setattr(xlsx_reader, "MAX_XLSX_PART_BYTES", 1_000)
    big = bombs.rewritten(bombs.workbook({"Results": bombs.results_rows(2)}),
                          lambda m: m.update({"xl/styles.xml": m["xl/styles.xml"] + b" " * 2_000}))
    assert results(big).startswith("results.xlsx: part 'xl/styles.xml' unpacks to ")


@pytest.mark.parametrize(("reader", "part"), [
    (read_table, bombs.SHEET), (read_rate_card, bombs.SHEET),  # the budget import reads only its own sheets
    (read_table, "xl/workbook.xml"), (read_rate_card, "xl/workbook.xml"),
    (deal_from_workbook, "xl/workbook.xml"),
])
def test_billion_laughs_is_refused_unparsed(reader, part):
    assert refused(reader, bombs.billion_laughs(part), "r.xlsx") == (
        f"r.xlsx: cannot read the file: part {part!r} declares XML entities (<!DOCTYPE or <!ENTITY), which "
        "Excel never writes")


@pytest.mark.parametrize("dimension", ["A1:B2", "A1:XFD1048576", "A1"])
def test_a_lying_dimension_neither_drops_rows_nor_allocates_a_grid(dimension):
    data = bombs.lying_dimension(1200, dimension)
    tracemalloc.start()
    try:
        table = read_results(data, "results.xlsx", DEAL)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(table) == 1200 and table.student_ids.iloc[-1] == "S01199"
    assert peak < 50_000_000


@pytest.mark.parametrize(("reader", "data", "what"), [
    (read_table, bombs.only_on_a_hidden_sheet(), "sheet Data: the 'student_id' column"),
    (read_rate_card, bombs.workbook({"Notes": [["see Card"]], "Card": [["name", "weight"], ["A", 1]]},
                                    hidden=("Card",)), "sheet Card: the rate card's name column"),
])
def test_a_table_only_on_a_hidden_sheet_is_refused(reader, data, what):
    assert refused(reader, data, "r.xlsx") == (
        f"r.xlsx: {what} is on this sheet, which is hidden; unhide it in Excel (or copy the table to a "
        "visible sheet) so the file is read as you see it")


def test_a_hidden_budget_sheet_is_refused():
    data = bombs.budget_workbook(load_deal(EXAMPLE), hidden="Scenarios")
    assert refused(deal_from_workbook, data, "deal.xlsx") == (
        "deal.xlsx: sheet Scenarios: this sheet is hidden; unhide it in Excel so the deal is read as you see "
        "it")


@pytest.mark.parametrize("reader", [read_table, read_rate_card, deal_from_workbook])
def test_a_workbook_without_styles(reader):
    assert refused(reader, bombs.without_styles(), "r.xlsx") == (
        "r.xlsx: cannot read the file: its styles part ('xl/styles.xml') is missing; open it in Excel and "
        "save it again")


@pytest.mark.parametrize("reader", [read_table, read_rate_card, deal_from_workbook])
def test_a_truncated_workbook(reader):
    assert refused(reader, bombs.truncated(), "r.xlsx") == (
        "r.xlsx: cannot read the file: the workbook is cut short or damaged (its zip directory is missing)")


@pytest.mark.parametrize("reader", [read_table, read_rate_card])
def test_text_named_xlsx(reader):
    assert refused(reader, b"student_id,served\nA,1\n", "r.xlsx") == (
        "r.xlsx: cannot read the file: it is not an Excel workbook (.xlsx), though its name says so")


def test_malformed_xml():
    broken = bombs.rewritten(bombs.workbook({"Results": bombs.results_rows(2)}),
                             lambda m: m.update({bombs.SHEET: m[bombs.SHEET][:-30]}))
    line = results(broken)
    assert line.startswith("results.xlsx: cannot read the file: part 'xl/worksheets/sheet1.xml' is not "
                           "well-formed XML (line 1, column ")


def test_rows_out_of_order():
    def swap(members: dict[str, bytes]) -> None:
        members[bombs.SHEET] = members[bombs.SHEET].replace(b'<row r="3"', b'<row r="2"')

    assert results(bombs.rewritten(bombs.workbook({"Results": bombs.results_rows(2)}), swap)) == (
        "results.xlsx: cannot read the file: sheet Results numbers its rows out of order (row '2' after row "
        "2)")


@pytest.mark.parametrize(("reader", "data", "where"), [
    (read_table, bombs.formula_without_value(), "sheet Results, row 3, column B"),
    (read_rate_card, bombs.workbook({"Card": [["name", "weight"], ["A", "=1/2"], ["B", 0.5]]}),
     "sheet Card, row 2, column B"),
])
def test_a_formula_without_a_saved_value_is_named_at_its_cell(reader, data, where):
    assert refused(reader, data, "r.xlsx") == (
        f"r.xlsx: {where}: this cell holds a formula with no saved value; open the file in Excel and save it "
        "again, or type the value itself")


def test_a_row_past_the_column_limit():
    row = bombs.RESULTS_HEADER + [None] * 295 + ["far"]
    assert results(bombs.workbook({"Results": [row, ["A", 1, 1, 60]]})) == (
        "results.xlsx: sheet Results, row 1: this row has a value in column KN (column 300); the calculator "
        "reads at most 256 columns")


def test_a_cell_longer_than_excel_allows():
    assert results(bombs.long_cell(40_000)) == (
        "results.xlsx: sheet Results, row 3, column A: this cell holds more than 32,767 characters; the "
        "calculator reads at most 32,767")


def test_a_budget_workbook_over_the_cell_limit(monkeypatch):
    monkeypatch.setattr(workbook_import, "MAX_WORKBOOK_CELLS", 100)
    assert refused(deal_from_workbook, workbook_bytes(load_deal(EXAMPLE)), "deal.xlsx") == (
        "deal.xlsx: its sheets hold over 100 filled cells; the calculator reads at most 100")


# --- CSV -----------------------------------------------------------------------------------------


def test_a_few_latin1_bytes_in_a_utf8_file_name_their_row():
    assert results(bombs.mixed_encoding_csv(), "results.csv") == (
        "results.csv: row 57: this row is not UTF-8 text (byte 0xE9), though the rest of the file is; save "
        "the file as UTF-8")


def test_too_many_columns():
    header = ",".join(["student_id", "served", "Growth", "Score"] + [f"x{i}" for i in range(1196)])
    assert results(f"{header}\nA,1,1,60\n".encode(), "results.csv") == (
        "results.csv: the file has 1,200 columns; the calculator reads at most 256")
    wide = "student_id,served,Growth,Score\nA,1,1,60\n" + "B,1,1,60" + ",x" * 296 + "\n"
    assert results(wide.encode(), "results.csv") == (
        "results.csv: row 3: this row has 300 columns; the calculator reads at most 256")


def test_quoted_separators_are_not_columns():
    text = 'student_id,served,Growth,Score\nA,1,1,60\n"B' + "," * 300 + '",1,1,60\n'
    assert read_table(text.encode(), "results.csv").cells[0].tolist() == ["A", "B" + "," * 300]


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(user_file, "MAX_ROWS", 100)
    text = "student_id,served,Growth,Score\n" + "A,1,1,60\n" * 150
    assert results(text.encode(), "results.csv") == (
        "results.csv: the file has 151 rows; the calculator reads at most 100")


def test_a_cell_too_long_in_a_csv():
    text = f"student_id,served,Growth,Score\nA,1,1,{'9' * 40_000}\n"
    assert results(text.encode(), "results.csv") == (
        "results.csv: row 2, column Score: this cell holds 40,000 characters; the calculator reads at most "
        "32,767")


@pytest.mark.parametrize("reader", [read_table, read_rate_card])
def test_a_file_over_the_size_limit_is_refused_unread(reader):
    data = b"a" * (limits.MAX_FILE_BYTES + 1)
    assert refused(reader, data, "big.csv") == (
        f"big.csv: the file is {limits.MAX_FILE_BYTES + 1:,} bytes; the calculator reads at most "
        f"{limits.MAX_FILE_BYTES:,}")


def test_a_named_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "card.csv"
    with big.open("wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: no disk used
    assert refused(read_rate_card, big, str(big)) == (
        f"{big}: the file is {limits.MAX_FILE_BYTES + 1:,} bytes; the calculator reads at most "
        f"{limits.MAX_FILE_BYTES:,}")


def test_a_rate_card_stops_past_the_outcome_limit():
    text = "name,weight\n" + "".join(f"O{i},0.01\n" for i in range(200_000))
    assert refused(read_rate_card, text.encode(), "card.csv") == (
        "card.csv: row 52: the rate card has over 50 outcomes; a deal holds at most 50")


# --- deal files and share links ------------------------------------------------------------------


@pytest.mark.parametrize("levels", [100_000, limits.MAX_JSON_DEPTH + 1])
def test_deeply_nested_json(levels):
    assert refused(deal_from_json, bombs.nested_json(levels), "deal.json") == (
        "deal.json: its objects and lists are nested more than 32 levels deep; the calculator reads at most "
        "32")


def test_a_huge_json_integer():
    assert refused(deal_from_json, bombs.huge_integer_json(), "deal.json") == (
        "deal.json: a number in it has more than 4,300 digits; a deal's figures need far fewer")


def test_a_deal_file_over_the_size_limit(tmp_path):
    assert refused(deal_from_json, b" " * (limits.MAX_DEAL_BYTES + 1) + b"{}", "deal.json") == (
        f"deal.json: the deal file is {limits.MAX_DEAL_BYTES + 3:,} bytes; the calculator reads at most "
        f"{limits.MAX_DEAL_BYTES:,}")
    big = tmp_path / "deal.json"
    with big.open("wb") as handle:
        handle.truncate(50 * limits.MAX_DEAL_BYTES)
    assert refused(load_deal, big).endswith(f"the calculator reads at most {limits.MAX_DEAL_BYTES:,}")


def test_the_quoted_input_is_cut_short():
    line = refused(deal_from_json, bombs.deal_json(name="x" * 5_000, performance_share="y" * 5_000), "d.json")
    assert len(line) < 300


@pytest.mark.parametrize("value", [bombs.spaces_link(), bombs.link_of_87_kb()],
                         ids=["100-MB-of-spaces", "87-KB"])
def test_a_link_that_inflates_past_the_limit(value):
    assert refused(decode_deal, value) == (
        f"shared link: the deal in this link unpacks to more than {limits.MAX_DEAL_BYTES:,} bytes; the "
        f"calculator reads at most {limits.MAX_DEAL_BYTES:,}")


def test_a_link_over_the_length_limit():
    value = "v1." + "A" * limits.MAX_LINK_CHARS
    assert refused(decode_deal, value) == (
        f"shared link: the link is {len(value):,} characters; the calculator reads at most "
        f"{limits.MAX_LINK_CHARS:,}")


@pytest.mark.parametrize("value", ["v1.ü€\x00", encode_deal(DEAL)[:-8], bombs.link(b"x\x9c" + b"\x00" * 9)])
def test_damaged_links(value):
    assert refused(decode_deal, value) == f"shared link: {DAMAGED}"


def test_a_link_to_deeply_nested_json():
    assert refused(decode_deal, bombs.link(zlib.compress(bombs.nested_json(), 9))).startswith(
        "shared link: its objects and lists are nested more than 32")


# --- the command line and the app's upload limit -------------------------------------------------


@pytest.mark.parametrize(("command", "name", "data"), [
    ("evaluate", "deal.json", bombs.nested_json()),
    ("import-rate-card", "card.xlsx", bombs.billion_laughs()),
    ("invoice", "results.xlsx", bombs.zip_bomb(64, declared=10_000)),
    ("import", "deal.xlsx", bombs.without_styles()),
])
def test_the_cli_exits_2_with_one_plain_line(capsys, tmp_path, command, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    output = ["-o", str(tmp_path / "o.json")]
    args = {"evaluate": [str(path)], "import-rate-card": [str(EXAMPLE), str(path), *output],
            "invoice": [str(EXAMPLE), str(path)], "import": [str(path), *output]}[command]
    assert main([command, *args]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.startswith(f"{path}: ") and captured.err.count("\n") == 1
    assert not (tmp_path / "o.json").exists()


def test_streamlit_upload_limit_is_the_calculators():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == limits.MAX_UPLOAD_MB
