"""A user's file, the one byte reader for every file format: its bytes read within the size limit,
what kind of file the first bytes say it is (sniff, table_kind), one "cannot read the file" message,
and CSV text decoded by one rule (utf8_bytes; decoded_text for the text itself).

The encoding rule for CSV files (results files and rate cards):

- a UTF-16 byte-order mark means UTF-16;
- otherwise the file is UTF-8 (a UTF-8 byte-order mark is dropped) if every byte of it reads so;
- a file in which no character is UTF-8 (each byte above 127 stands alone) was saved by an older
  spreadsheet program in Windows Latin-1 (cp1252), and is read so;
- a file holding both UTF-8 characters and bytes that are not UTF-8 was put together from two
  sources: read either way, some ids would silently become other text. It is refused, naming the
  rows that are not UTF-8, so the user can save the file as UTF-8 and upload it again.

The shape of a CSV table (rows, columns) is measured on the bytes before any parser builds it.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, MAX_TEXT_CHARS

MAX_LISTED_ROWS = 20  # rows named one by one in a message; the rest are counted
# Excel writes ';' where the decimal mark is a comma, and tabs for "Unicode text".
SEPARATORS = (b",", b";", b"\t")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, as surrogateescape keeps them
_UTF8_CHARACTER = re.compile("[^\x00-\x7f\udc80-\udcff]")
_QUOTED = re.compile(rb'"[^"]*"')
_FIRST_LINE = re.compile(rb"[\r\n]*([^\n]*)")
# A line with more than MAX_COLUMNS separators (possessive: a long line is scanned once).
_WIDE = {s: re.compile(rb"^(?:[^\n%b]*+%b){%d}" % (s, s, MAX_COLUMNS), re.MULTILINE) for s in SEPARATORS}


OLD_XLS = "this is an old-style .xls workbook; save it as .xlsx or CSV and upload that"
CANNOT_READ = "cannot read the file"


def unreadable(reason: str) -> Problem:
    """The one message for a file that cannot be read: 'cannot read the file: <reason>'."""
    return Problem("", f"{CANNOT_READ}: {reason}")


def unopenable(error: OSError) -> Problem:
    """The same message for a file the system cannot open: 'cannot read the file (<reason>)'."""
    return Problem("", f"{CANNOT_READ} ({error.strerror})")


def sniff(data: bytes) -> str:
    """What the first bytes say a file is: 'xlsx' (a zip archive), 'xls' (old OLE2) or 'text'."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "text"


def table_kind(data: bytes, filename: str) -> str:
    """'xlsx' or 'text' for a file holding a table; DealError for an old .xls, or a file named .xlsx
    that is not one."""
    kind = sniff(data)
    if kind == "xls":
        raise DealError([Problem("", OLD_XLS)], filename)
    if kind == "text" and filename.lower().endswith((".xlsx", ".xlsm")):
        reason = "it is not an Excel workbook (.xlsx), though its name says so"
        raise DealError([unreadable(reason)], filename)
    return kind


def too_big(size: int, limit: int, what: str = "file") -> Problem:
    return Problem("", f"the {what} is {size:,} bytes; the calculator reads at most {limit:,}")


def long_text(characters: int) -> str:
    return f"this cell holds {characters:,} characters; the calculator reads at most {MAX_TEXT_CHARS:,}"


def check_size(data: bytes, source: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> None:
    if len(data) > limit:
        raise DealError([too_big(len(data), limit, what)], source)


def read_file(path: str | Path, source: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> bytes:
    """The bytes of a named file, its size checked before it is read."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise DealError([too_big(size, limit, what)], source)
            data = handle.read(limit + 1)  # the file may have grown since
    except OSError as error:
        raise DealError([unopenable(error)], source) from None
    check_size(data, source, limit, what)
    return data


def utf8_bytes(data: bytes, source: str, what: str) -> bytes:
    """The file's text as UTF-8 bytes without a byte-order mark, by the rule in the module docstring;
    `what` ("results file", "rate card") goes into the message for a file that is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        utf8 = _decode(data, "utf-16", source, what).encode("utf-8")
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        text = data.decode("utf-8", "surrogateescape")
        if not _NOT_UTF8.search(text):
            utf8 = data
        elif _UTF8_CHARACTER.search(text):
            raise DealError(_mixed_rows(text), source)
        else:
            # Windows-1252 is Latin-1 with printable characters where Latin-1 has control codes;
            # the five bytes it leaves undefined mean the file is not text in either.
            utf8 = _decode(data, "cp1252", source, what).encode("utf-8")
    if b"\x00" in utf8:  # a binary file can be valid UTF-8 and still not be text
        raise DealError([_undecodable(utf8, utf8.index(b"\x00"), "text", what)], source)
    return utf8


def decoded_text(data: bytes, source: str, what: str) -> str:
    """The file's text, decoded by the rule in the module docstring (see utf8_bytes)."""
    return utf8_bytes(data, source, what).decode("utf-8")


def _decode(data: bytes, encoding: str, source: str, what: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        kind = "UTF-8, UTF-16 or Latin-1"
        raise DealError([_undecodable(data, error.start, kind, what)], source) from None


def _undecodable(data: bytes, position: int, kind: str, what: str) -> Problem:
    line = data.count(b"\n", 0, position) + 1
    return Problem(
        f"line {line}",
        f"byte 0x{data[position]:02X} cannot be read as {kind}; is this a CSV or XLSX {what}?",
    )


def _mixed_rows(text: str) -> list[Problem]:
    """One problem for each row holding bytes that are not UTF-8, in a file that is UTF-8 elsewhere."""
    rows, line, last = [], 1, 0
    for found in _NOT_UTF8.finditer(text):
        line += text.count("\n", last, found.start())
        last = found.start()
        if not rows or rows[-1][0] != line:
            rows.append((line, ord(found.group()) - 0xDC00))
    problems = [
        Problem(f"row {row}", f"this row is not UTF-8 text (byte 0x{byte:02X}), though the rest of the "
                              "file is; save the file as UTF-8")
        for row, byte in rows[:MAX_LISTED_ROWS]
    ]
    if len(rows) > MAX_LISTED_ROWS:
        problems.append(Problem("", f"and {len(rows) - MAX_LISTED_ROWS:,} more rows that are not UTF-8"))
    return problems


def csv_separator(utf8: bytes, source: str) -> bytes:
    """The separator the header line uses most, once the table's rows and columns are within the limits."""
    first = _FIRST_LINE.match(utf8).group(1)
    # Judge the separator by the header alone: text in the rows (rate-card tiers) holds semicolons.
    separator = max(SEPARATORS, key=first.count)
    rows = utf8.count(b"\n") + (not utf8.endswith(b"\n"))
    if rows > MAX_ROWS:
        message = f"the file has {rows:,} rows; the calculator reads at most {MAX_ROWS:,}"
        raise DealError([Problem("", message)], source)
    width = _fields(first, separator)
    if width > MAX_COLUMNS:
        message = f"the file has {width:,} columns; the calculator reads at most {MAX_COLUMNS:,}"
        raise DealError([Problem("", message)], source)
    for wide in _WIDE[separator].finditer(utf8):
        end = utf8.find(b"\n", wide.start())
        width = _fields(utf8[wide.start(): end if end >= 0 else len(utf8)], separator)
        if width > MAX_COLUMNS:
            row = utf8.count(b"\n", 0, wide.start()) + 1
            message = f"this row has {width:,} columns; the calculator reads at most {MAX_COLUMNS:,}"
            raise DealError([Problem(f"row {row}", message)], source)
    return separator


def _fields(line: bytes, separator: bytes) -> int:
    """Fields in one line; a separator inside quotes is part of its field."""
    return _QUOTED.sub(b"", line).count(separator) + 1
