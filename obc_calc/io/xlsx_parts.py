"""What the parts of an .xlsx hold, read by expat handlers that keep only what a reader needs.

obc_calc.io.xlsx_reader feeds each part to one of these a chunk at a time, so what they keep is all
that grows: the attributes a reader asked for, the shared strings, and one row of a sheet at a time.
A sheet's rows and cells must come in order, as Excel writes them: a repeated or out-of-order cell
would otherwise silently replace another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

from obc_calc.core.limits import MAX_QUOTED_CHARS, MAX_ROWS, MAX_TEXT_CHARS, shown, terminal_safe

EXCEL_COLUMNS = 16_384  # XFD: no workbook Excel writes has a cell right of it
SHEET_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",  # as Excel saves
                    "http://purl.oclc.org/ooxml/spreadsheetml/main")  # "Strict Open XML"
# The cell elements by their full name: one lookup an element, and a <c> or <f> of another
# namespace (an extension list's) is no cell.
_CELL_TAGS = {f"{{{namespace}}}{name}": name for namespace in SHEET_NAMESPACES
              for name in ("row", "c", "v", "f", "is", "t", "rPh", "si")}
_column_index = lru_cache(maxsize=EXCEL_COLUMNS)(column_index_from_string)


def short(text) -> str:
    """Text from a file (a sheet title, a header) as a message shows it: no control codes, cut short."""
    text = terminal_safe(str(text))
    return text if len(text) <= MAX_QUOTED_CHARS else text[: MAX_QUOTED_CHARS - 1] + "…"


def cell_place(label: str, row: int, column: int | None = None) -> str:
    where = f"sheet {label}, row {row:,}"
    return f"{where}, column {get_column_letter(column)}" if column else where


def whole(text: str | None) -> int | None:
    """A whole number written in the XML (a row number, an index), or None when it is not one."""
    return int(text) if text is not None and text.isascii() and text.isdigit() and len(text) < 10 else None


def local(tag: str) -> str:
    return tag[tag.rfind("}") + 1:]


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell: the value saved with it (None when none was), and what it says."""

    saved: object
    written: str = ""  # the formula where it was written, without '=' (a shared formula is written once)
    origin: str = ""  # the cell it was written in
    at: str = ""  # this cell

    @property
    def text(self) -> str:
        formula = "=" + self.written
        if self.origin == self.at:
            return formula
        try:
            return Translator(formula, self.origin).translate_formula(self.at)
        except Exception:  # noqa: BLE001 - a formula openpyxl cannot move is none the import knows
            return formula


class Collect:
    """The attributes of the elements with the wanted local names, with their parent's local name."""

    def __init__(self, names: set[str], most: int, too_many: Callable):
        self.names, self.most, self.too_many = names, most, too_many
        self.found: list[tuple[str, str, dict]] = []
        self.path: list[str] = []

    def start(self, tag: str, attrib: dict) -> None:
        name = local(tag)
        if name in self.names:
            if len(self.found) == self.most:
                self.too_many()
            self.found.append((name, self.path[-1] if self.path else "", attrib))
        self.path.append(name)

    def end(self, tag: str) -> None:
        self.path.pop()

    def take(self) -> tuple:
        return ()


class Strings:
    """The shared strings table: each <si>'s text, phonetic guides (<rPh>) left out, as openpyxl reads it."""

    def __init__(self):
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.text: list[str] | None = None
        self.phonetic = 0

    def start(self, tag: str, attrib: dict) -> None:
        name = _CELL_TAGS.get(tag)
        if name == "si":
            self.parts = []
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and not self.phonetic:
            self.text = self.parts

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        name = _CELL_TAGS.get(tag)
        if name == "t":
            self.text = None
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si":
            self.strings.append("".join(self.parts).replace("x005F_", ""))

    def take(self) -> tuple:
        return ()


@dataclass(frozen=True)
class SheetContext:
    """What decoding a sheet's cells needs from its workbook, and how to refuse."""

    label: str  # the sheet's title, as messages show it
    strings: list[str]
    dates: dict[str, bool]  # style index -> True for a duration format, False for a date format
    epoch: object
    formula_text: bool  # keep what formulas say (the budget import needs it; the rest need the values)
    fail: Callable[[str], None]  # raises DealError: the file cannot be read
    over: Callable[[str, str], None]  # raises DealError: (where, message) over a limit


class SheetRows:
    """A worksheet's rows, each once it ends: (row number, [(column number, value), ...]) for the cells
    holding a value; formula cells as Formula."""

    def __init__(self, context: SheetContext):
        self.context = context
        self.done: list[tuple[int, list]] = []
        self.cells: list[tuple[int, object]] = []
        self.number = self.column = self.length = self.phonetic = 0
        self.in_row = False
        self.attrib: dict = {}
        self.formula_attrib: dict = {}
        self.text = self.value = self.formula = self.inline = None
        self.shared: dict[str, tuple[str, str]] = {}  # shared formula id -> (formula, cell written in)

    def take(self) -> list:
        done, self.done = self.done, []
        return done

    def start(self, tag: str, attrib: dict) -> None:
        name = _CELL_TAGS.get(tag)
        if name is None:
            return
        if name == "c":
            self.attrib, self.value, self.formula, self.inline = attrib, None, None, None
        elif name == "v":
            self.value = self.text = []
            self.length = 0
        elif name == "f":
            self.formula = self.text = []
            self.formula_attrib, self.length = attrib, 0
        elif name == "is":
            self.inline, self.length = [], 0
        elif name == "t" and self.inline is not None and not self.phonetic:
            self.text = self.inline
        elif name == "rPh":
            self.phonetic += 1
        elif name == "row":
            self._start_row(attrib.get("r"))

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)
            self.length += len(text)
            if self.length > MAX_TEXT_CHARS:  # before a runaway text is held whole
                self._too_long(self._column_at() if self.in_row else None)

    def end(self, tag: str) -> None:
        name = _CELL_TAGS.get(tag)
        if name is None:
            return
        if name in ("v", "f", "t"):
            self.text = None
        elif name == "c" and self.in_row:
            self._end_cell()
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "row":
            if self.cells:
                self.done.append((self.number, self.cells))
            self.cells, self.in_row = [], False

    def _start_row(self, reference: str | None) -> None:
        number = self.number + 1 if reference is None else whole(reference)
        if number is None or number <= self.number:
            self.context.fail(f"sheet {self.context.label} numbers its rows out of order "
                              f"(row {shown(reference)} after row {self.number:,})")
        if number > MAX_ROWS:
            message = f"the sheet has a row {number:,}; the calculator reads at most {MAX_ROWS:,} rows"
            self.context.over(f"sheet {self.context.label}", message)
        self.number, self.column, self.cells, self.in_row = number, 0, [], True

    def _column_at(self) -> int:
        """The open cell's column: its reference's letters, or the next column when it has none."""
        reference = self.attrib.get("r")
        try:
            return self.column + 1 if reference is None else _column_index(reference.rstrip("0123456789"))
        except ValueError:
            return 0

    def _end_cell(self) -> None:
        reference, column = self.attrib.get("r"), self._column_at()
        if not self.column < column <= EXCEL_COLUMNS:
            self.context.fail(f"sheet {self.context.label}, row {self.number:,}: cell {shown(reference)} is "
                              "out of order or past column XFD")
        self.column = column
        value = self._value(self.attrib.get("t", "n"))
        if self.formula is not None:
            value = self._formula(value)
        if value is not None:
            self.cells.append((column, value))

    def _value(self, kind: str):
        """The cell's value, or a formula's saved value; None when blank (or, for a formula, unsaved)."""
        parts = self.inline if kind == "inlineStr" else self.value
        raw = None if parts is None else "".join(parts)
        if not raw and kind != "str":  # a string formula saves an empty result as <v></v>
            return None
        try:
            if kind == "s":
                value = self.context.strings[whole(raw)]
            elif kind in ("str", "inlineStr", "e"):
                value = raw
            elif kind == "b":
                value = raw.strip() in ("1", "true")
            elif kind == "d":
                value = from_ISO8601(raw)
            else:
                value = self._number(raw)
        except (ValueError, IndexError, TypeError, OverflowError):
            place = cell_place(self.context.label, self.number, self.column)
            self.context.fail(f"{place}: its value {shown(raw)} cannot be read")
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            self._too_long(self.column)
        return value

    def _number(self, raw: str):
        number = float(raw) if "." in raw or "e" in raw or "E" in raw else int(raw)
        duration = self.context.dates.get(self.attrib.get("s"))
        if duration is None:
            return number
        try:
            return from_excel(number, self.context.epoch, timedelta=duration)
        except (ValueError, OverflowError):  # a date Excel cannot show either: keep the number
            return number

    def _formula(self, saved) -> Formula:
        if not self.context.formula_text:
            return Formula(saved)
        written, at = "".join(self.formula), f"{get_column_letter(self.column)}{self.number}"
        origin = at
        if self.formula_attrib.get("t") == "shared":
            key = self.formula_attrib.get("si")
            if written:
                self.shared[key] = (written, at)
            else:
                written, origin = self.shared.get(key, ("", at))
        return Formula(saved, written, origin, at)

    def _too_long(self, column: int | None) -> None:
        column = column if column and column <= EXCEL_COLUMNS else None
        self.context.over(cell_place(self.context.label, self.number, column),
                          f"this cell holds more than {MAX_TEXT_CHARS:,} characters; the calculator reads "
                          f"at most {MAX_TEXT_CHARS:,}")
