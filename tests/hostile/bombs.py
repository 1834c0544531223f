"""Hostile bytes, built in memory for the tests: zip bombs, entity bombs, lying and broken workbooks,
deep and huge JSON, share links that inflate past the limit, a CSV in two encodings.

Each function returns the bytes (or the link text); nothing is written to the repository.
"""

from __future__ import annotations

import base64
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable

import openpyxl

from obc_calc.io.workbook import workbook_bytes

SHEET = "xl/worksheets/sheet1.xml"
RESULTS_HEADER = ["student_id", "served", "Growth", "Score"]  # tests/test_results_file.py's DEAL
WORKSHEET_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
WORKSHEET_CLOSE = b"</sheetData></worksheet>"


def workbook(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx as openpyxl writes it: one sheet per entry, the named ones hidden."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def results_rows(count: int) -> list[list]:
    return [RESULTS_HEADER] + [[f"S{i:05d}", 1, i % 2, 40 + i % 30] for i in range(count)]


def rewritten(data: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    """The archive with its members changed by `change(members)` (a dict of name -> bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _streamed_deflate(head: bytes, filler: bytes, megabytes: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + `megabytes` MiB of `filler` + tail, a MiB at a time: (packed, CRC-32, size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = filler * (1 << 20)
    crc = zlib.crc32(head)
    parts = [packer.compress(head)]
    for _ in range(megabytes):
        parts.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts += [packer.compress(tail), packer.flush()]
    return b"".join(parts), zlib.crc32(tail, crc), len(head) + megabytes * len(chunk) + len(tail)


def zip_bomb(megabytes: int, declared: int | None = None) -> bytes:
    """A results workbook whose sheet inflates to `megabytes` MiB (spaces inside <sheetData>, deflated
    at level 9 to about a thousandth); its directory declares `declared` bytes for it (default: the truth)."""
    base = workbook({"Results": results_rows(2)})
    packed, crc, size = _streamed_deflate(WORKSHEET_OPEN, b" ", megabytes, WORKSHEET_CLOSE)
    return _with_raw_member(base, SHEET, packed, crc, size if declared is None else declared)


def _with_raw_member(data: bytes, name: str, packed: bytes, crc: int, declared: int) -> bytes:
    """The archive with member `name` replaced by already-deflated bytes, declaring `declared` bytes."""
    entries = rewritten(data, lambda members: members.pop(name))
    # Append the member by hand (local header and data), then write the directory again with it.
    with zipfile.ZipFile(io.BytesIO(entries)) as archive:
        infos, body = archive.infolist(), entries[: archive.start_dir]
    encoded = name.encode()
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), declared,
                        len(encoded), 0) + encoded
    records = [_central(info) for info in infos]
    records.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), declared,
                               len(encoded), 0, 0, 0, 0, 0, len(body)) + encoded)
    body += local + packed
    directory = b"".join(records)
    count = len(records)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return body + directory + end


def _central(info: zipfile.ZipInfo) -> bytes:
    encoded = info.filename.encode()
    return struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, info.compress_type, 0, 0, info.CRC,
                       info.compress_size, info.file_size, len(encoded), 0, 0, 0, 0, 0,
                       info.header_offset) + encoded


def billion_laughs(part: str = SHEET) -> bytes:
    """A results workbook whose `part` (its sheet, or xl/workbook.xml) declares entities expanding to
    10**9 'lol's, and uses them (in a cell, or in the sheet's name)."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    prolog = ('<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(entities) + "]>").encode()

    def change(members: dict[str, bytes]) -> None:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", members[part])
        body = body.replace(b"<t>S00000</t>", b"<t>&lol9;</t>").replace(b'name="Results"', b'name="&lol9;"')
        members[part] = prolog + body
    return rewritten(workbook({"Results": results_rows(2)}), change)


def long_cell(characters: int) -> bytes:
    """A results workbook with a cell of `characters` characters (openpyxl cuts text at Excel's limit)."""
    def change(members: dict[str, bytes]) -> None:
        members[SHEET] = members[SHEET].replace(b"<t>S00001</t>", b"<t>%s</t>" % (b"x" * characters))
    return rewritten(workbook({"Results": results_rows(2)}), change)


def lying_dimension(rows: int, dimension: str) -> bytes:
    """A results workbook of `rows` students whose <dimension> says `dimension`."""
    def change(members: dict[str, bytes]) -> None:
        members[SHEET] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % dimension.encode(),
                                members[SHEET])
    return rewritten(workbook({"Results": results_rows(rows)}), change)


def budget_workbook(deal, hidden: str) -> bytes:
    """The deal's budget workbook with one of its sheets hidden, as a user might in Excel."""
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(deal)))
    book[hidden].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def only_on_a_hidden_sheet() -> bytes:
    """The results table on a hidden sheet; the visible sheet holds no table."""
    return workbook({"Summary": [["Spring results"]], "Data": results_rows(3)}, hidden=("Data",))


def without_styles(data: bytes | None = None) -> bytes:
    data = data or workbook({"Results": results_rows(2)})
    return rewritten(data, lambda members: members.pop("xl/styles.xml"))


def truncated(data: bytes | None = None) -> bytes:
    data = data or workbook({"Results": results_rows(50)})
    return data[: len(data) // 2]


def formula_without_value(rows: list[list] | None = None) -> bytes:
    """A results workbook whose row 3 marks served by a formula saved with no value (as openpyxl saves)."""
    rows = rows or results_rows(3)
    rows[2][1] = "=1"
    return workbook({"Results": rows})


def many_parts(count: int) -> bytes:
    """A results workbook with `count` extra tiny parts."""
    def change(members: dict[str, bytes]) -> None:
        members.update({f"customXml/item{i}.xml": b"<a/>" for i in range(count)})
    return rewritten(workbook({"Results": results_rows(2)}), change)


def nested_json(levels: int = 100_000) -> bytes:
    return b"[" * levels + b"]" * levels


def huge_integer_json(digits: int = 50_000) -> bytes:
    return b'{"schema_version": 1, "students": 1' + b"0" * digits + b"}"


def link(packed: bytes) -> str:
    return "v1." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def spaces_link(size: int = 100_000_000) -> str:
    """A share link whose JSON is `size` bytes of spaces around {}: about 130,000 characters."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(size >> 20)]
    return link(b"".join(parts) + packer.compress(b"{}") + packer.flush())


def link_of_87_kb() -> str:
    """A link of about 87 KB whose JSON is a list of tens of millions of zeros: parsed, gigabytes."""
    packer = zlib.compressobj(9)
    chunk = b"0," * (1 << 19)
    parts = [packer.compress(b"[")] + [packer.compress(chunk) for _ in range(64)]
    value = link(b"".join(parts) + packer.compress(b"0]") + packer.flush())
    return value


def mixed_encoding_csv(rows: int = 1200, latin1_row: int = 57) -> bytes:
    """A UTF-8 results CSV (names with accents) in which one student id is typed in Latin-1."""
    lines = ["student_id,name,served,Growth,Score"]
    for i in range(2, rows + 2):
        lines.append(f"S{i:05d},Zoë Müller,1,1,60")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    target = f"S{latin1_row:05d},".encode()
    return data.replace(target, f"S{latin1_row:05d}é,".encode("latin-1"))


def deal_json(**fields) -> bytes:
    data = {"schema_version": 1, "name": "Test deal", "students": 100, "total_cost": 100_000,
            "performance_share": 0.4, "outcomes": [{"name": "Growth", "expected_rate": 0.5}]}
    return json.dumps(data | fields).encode()
