"""One safe way to open an uploaded .xlsx, for every reader of workbooks: results files, rate cards
and budget workbooks.

Nothing in the archive is trusted before it is measured. The entry count is read from the zip's end
record before its directory is parsed; the members' declared sizes are added up before anything is
inflated, and the bytes inflated are counted as they stream (zipfile never yields more than a member
declares, and checks its CRC at the end). Only the parts a reader needs are parsed, each streamed
through expat to a handler that keeps only what the reader asked for: a sheet's <dimension> is never
read, rows come as the file holds them, and no grid is allocated. A part declaring a DTD (<!DOCTYPE,
<!ENTITY: "billion laughs" entity expansion) is refused before it is parsed.

Cells read as a person sees them in Excel: a formula comes back as a Formula holding the value Excel
saved with it, or None when the file was saved without calculating it (openpyxl's files, some
exports); readers report that at the cell rather than read it as blank. Hidden sheets are skipped
when looking for a table.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from itertools import chain
from xml.etree.ElementTree import ParseError, XMLParser

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import (
    MAX_COLUMNS,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_INFLATED_BYTES,
    MAX_XLSX_PART_BYTES,
    shown,
)

# sniff, table_kind and unreadable live in obc_calc.io.user_file; still imported from here by callers.
from obc_calc.io.user_file import check_size, sniff, table_kind, unreadable
from obc_calc.io.xlsx_parts import (
    Collect,
    Formula,
    SheetContext,
    SheetRows,
    Strings,
    cell_place,
    short,
    whole,
)

__all__ = ["HEADER_SEARCH_ROWS", "Book", "Formula", "Sheet", "cell_place", "find_table", "short", "sniff",
           "table_kind", "table_rows", "unreadable"]

EXCEL_STYLES = 65_490  # Excel's most cell formats in one workbook
HEADER_SEARCH_ROWS = 10  # a sheet may have a title or notes above its table's header row
NO_SAVED_VALUE = ("this cell holds a formula with no saved value; open the file in Excel and save it "
                  "again, or type the value itself")
_CHUNK = 1 << 20
_DIRECTORY_ENTRY_BYTES = 1024  # 46 bytes and a name: a workbook's part names are short
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_XML_ENCODING = re.compile(rb'\s*<\?xml[^>]*?encoding\s*=\s*["\']([^"\']*)')
_UTF8_NAMES = (b"utf-8", b"utf8", b"us-ascii", b"ascii")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
               KeyError, IndexError, struct.error, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class Sheet:
    title: str
    hidden: bool  # 'hidden' or 'veryHidden': Excel shows no tab for it
    part: str  # its path in the archive

    @property
    def label(self) -> str:
        return short(self.title)


class Book:
    """An .xlsx archive opened for reading, its worksheets listed; rows are read when asked for."""

    def __init__(self, data: bytes, source: str):
        check_size(data, source)
        self.source = source
        if sniff(data) != "xlsx":
            self._fail("it is not an Excel workbook (.xlsx)")
        self._inflated = 0
        self._zip = _archive(data, source)
        package = self._relations("_rels/.rels")
        workbook = next((target for kind, target in package.values() if kind == "officeDocument"), None)
        if workbook is None:
            self._fail("it has no workbook part (is it an Excel workbook?)")
        relations = self._relations(posixpath.join(posixpath.dirname(workbook), "_rels",
                                                   posixpath.basename(workbook) + ".rels"))
        parts = {kind: target for kind, target in reversed(relations.values())}
        self.sheets, self._epoch = self._sheets(workbook, relations)
        styles = parts.get("styles", "xl/styles.xml")
        if styles not in self._zip.namelist():  # without it, dates would read as bare numbers
            self._fail(f"its styles part ({shown(styles)}) is missing; open it in Excel and save it again")
        self._dates = self._date_styles(styles)
        self._strings = self._shared_strings(parts.get("sharedStrings"))

    def rows(self, sheet: Sheet, formula_text: bool = False) -> Iterator[tuple[int, list]]:
        """The sheet's rows holding a value, in order: (row number, [(column number, value), ...]).

        A formula cell's value is a Formula; its text is kept only with `formula_text`."""
        context = SheetContext(sheet.label, self._strings, self._dates, self._epoch, formula_text, self._fail,
                               self._over)
        return self._parse(sheet.part, SheetRows(context))

    def saved(self, value, sheet: Sheet, row: int, column: int):
        """A cell's value as Excel shows it: a formula's saved value, or DealError when none was saved."""
        if not isinstance(value, Formula):
            return value
        if value.saved is None:
            raise DealError([Problem(cell_place(sheet.label, row, column), NO_SAVED_VALUE)], self.source)
        return value.saved

    def _fail(self, reason: str):
        raise DealError([unreadable(reason)], self.source)

    def _over(self, where: str, message: str):
        raise DealError([Problem(where, message)], self.source)

    def _sheets(self, workbook: str, relations: dict) -> tuple[list[Sheet], object]:
        epoch, sheets = WINDOWS_EPOCH, []
        for name, parent, attrib in self._collect(workbook, {"sheet", "workbookPr"}, MAX_XLSX_ENTRIES):
            if name == "workbookPr":
                epoch = CALENDAR_MAC_1904 if attrib.get("date1904") in ("1", "true") else epoch
            if parent != "sheets":
                continue
            relation = next((v for k, v in attrib.items() if k.endswith("}id")), None)
            kind, part = relations.get(relation, ("", ""))
            if kind == "worksheet":  # chart sheets hold no cells
                self._member(part, MAX_XLSX_INFLATED_BYTES)
                hidden = attrib.get("state") in ("hidden", "veryHidden")
                sheets.append(Sheet(attrib.get("name", ""), hidden, part))
        return sheets, epoch

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (kind, target part); kind is the type's last word ('worksheet')."""
        base = posixpath.dirname(posixpath.dirname(part))  # targets are relative to the source's folder
        relations = {}
        for _, _, attrib in self._collect(part, {"Relationship"}, MAX_XLSX_ENTRIES):
            target = attrib.get("Target", "")
            if attrib.get("TargetMode") != "External":
                path = posixpath.normpath(posixpath.join(base, target)) if target[:1] != "/" else target[1:]
                relations[attrib.get("Id")] = (attrib.get("Type", "").rsplit("/", 1)[-1], path)
        return relations

    def _date_styles(self, part: str) -> dict[str, bool]:
        """Style index (as a cell writes it) -> True for a duration format, False for a date format."""
        codes, formats = dict(BUILTIN_FORMATS), []
        for name, parent, attrib in self._collect(part, {"numFmt", "xf"}, 2 * EXCEL_STYLES):
            number = whole(attrib.get("numFmtId", "0"))
            if number is None:
                self._fail(f"part {shown(part)} has a number format id that is not a number")
            if name == "numFmt":
                codes[number] = attrib.get("formatCode", "")
            elif parent == "cellXfs":
                formats.append(number)
        return {str(index): is_timedelta_format(codes[number]) for index, number in enumerate(formats)
                if is_date_format(codes.get(number) or "")}

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None:
            return []
        handler = Strings()
        for _ in self._parse(part, handler, MAX_XLSX_PART_BYTES):
            pass
        return handler.strings

    def _collect(self, part: str, names: set[str], most: int) -> list[tuple[str, str, dict]]:
        handler = Collect(names, most, lambda: self._fail(f"part {shown(part)} lists over {most:,} items"))
        for _ in self._parse(part, handler, MAX_XLSX_PART_BYTES):
            pass
        return handler.found

    def _parse(self, part: str, handler, limit: int = MAX_XLSX_INFLATED_BYTES) -> Iterator:
        """Feed the part to expat a chunk at a time, yielding what the handler completes after each."""
        parser = XMLParser(target=handler)
        try:
            for chunk in self._chunks(part, limit):
                parser.feed(chunk)
                yield from handler.take()
            parser.close()
        except ParseError as error:
            line, column = error.position
            self._fail(f"part {shown(part)} is not well-formed XML (line {line:,}, column {column:,})")
        yield from handler.take()

    def _chunks(self, part: str, limit: int) -> Iterator[bytes]:
        info, tail = self._member(part, limit), b""
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    self._inflated += len(chunk)
                    if self._inflated > MAX_XLSX_INFLATED_BYTES:
                        self._over("", _unpacks_to(f"more than {MAX_XLSX_INFLATED_BYTES:,}"))
                    self._check_xml(part, tail, chunk)
                    tail = chunk[-16:]
                    yield chunk
        except _ZIP_ERRORS:
            self._fail(f"part {shown(part)} is damaged or cut short")

    def _check_xml(self, part: str, tail: bytes, chunk: bytes) -> None:
        if not tail:
            declared = _XML_ENCODING.match(chunk.removeprefix(codecs.BOM_UTF8))
            wide = chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in chunk[:2]
            if wide or (declared and declared.group(1).lower() not in _UTF8_NAMES):
                self._fail(f"part {shown(part)} is not UTF-8 XML, as Excel writes it")
        if any(mark in chunk or mark in tail + chunk[:16] for mark in _DECLARATIONS):
            self._fail(f"part {shown(part)} declares XML entities (<!DOCTYPE or <!ENTITY), which Excel "
                       "never writes")

    def _member(self, part: str, limit: int) -> zipfile.ZipInfo:
        try:
            info = self._zip.getinfo(part)
        except KeyError:
            self._fail(f"part {shown(part)} is missing")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            self._fail(f"part {shown(part)} is compressed in a way Excel never uses")
        if info.file_size > limit:
            self._over("", f"part {shown(part)} unpacks to {info.file_size:,} bytes; the calculator reads "
                           f"at most {limit:,}")
        return info


def _archive(data: bytes, source: str) -> zipfile.ZipFile:
    """The zip archive, once its directory and its declared sizes are within the limits."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        raise DealError([unreadable("the workbook is cut short or damaged (its zip directory is missing)")],
                        source)
    entries, directory = struct.unpack_from("<HI", data, end + 10)
    too_many = f"the calculator reads at most {MAX_XLSX_ENTRIES:,}"
    # The directory's own size bounds what parsing it costs, even when its entry count lies.
    if entries > MAX_XLSX_ENTRIES or directory > MAX_XLSX_ENTRIES * _DIRECTORY_ENTRY_BYTES:
        count = f"{entries:,}" if entries > MAX_XLSX_ENTRIES else f"more than {MAX_XLSX_ENTRIES:,}"
        raise DealError([Problem("", f"the workbook has {count} parts; {too_many}")], source)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS:
        problem = unreadable("the workbook is damaged (its zip directory cannot be read)")
        raise DealError([problem], source) from None
    if len(infos) > MAX_XLSX_ENTRIES:
        raise DealError([Problem("", f"the workbook has {len(infos):,} parts; {too_many}")], source)
    declared = sum(info.file_size for info in infos)
    if declared > MAX_XLSX_INFLATED_BYTES:
        raise DealError([Problem("", _unpacks_to(f"{declared:,}"))], source)
    return archive


def _unpacks_to(size: str) -> str:
    return f"the workbook unpacks to {size} bytes; the calculator reads at most {MAX_XLSX_INFLATED_BYTES:,}"


# --- tables: finding one on a sheet a person can see, and its rows ---------------------------------


def find_table(book: Book, is_header: Callable[[list], bool], what: str,
               search_rows: int = HEADER_SEARCH_ROWS) -> tuple[Sheet, Iterator] | None:
    """The first visible sheet with a row `is_header` accepts among its first `search_rows` rows, and its
    rows from that one on; None when no sheet has one. DealError when only hidden sheets have one:
    the table would be read from a sheet the person checking the file cannot see."""
    hidden = None
    for sheet in book.sheets:
        rows = book.rows(sheet)
        for number, cells in rows:
            if number > search_rows:
                break
            if is_header([value.saved if isinstance(value, Formula) else value for _, value in cells]):
                if not sheet.hidden:
                    return sheet, chain([(number, cells)], rows)
                hidden = hidden or sheet
                break
    if hidden:
        message = (f"{what} is on this sheet, which is hidden; unhide it in Excel (or copy the table to a "
                   "visible sheet) so the file is read as you see it")
        raise DealError([Problem(f"sheet {hidden.label}", message)], book.source)
    return None


def table_rows(book: Book, sheet: Sheet, rows: Iterator) -> Iterator[tuple[int, list]]:
    """Rows as lists of values (None where blank), formulas as their saved values, within MAX_COLUMNS."""
    for number, cells in rows:
        width = cells[-1][0]
        if width > MAX_COLUMNS:
            message = (f"this row has a value in column {get_column_letter(width)} (column {width:,}); "
                       f"the calculator reads at most {MAX_COLUMNS:,} columns")
            raise DealError([Problem(cell_place(sheet.label, number), message)], book.source)
        values = [None] * width
        for column, value in cells:
            values[column - 1] = book.saved(value, sheet, number, column)
        yield number, values
