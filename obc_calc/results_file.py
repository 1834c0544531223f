"""Results files: one row per student, read from CSV or XLSX bytes and checked against a deal.

Every cell is read as text first, so ids keep their leading zeros and every bad value can be
quoted back to the user as the file shows it. Checks are vectorized: each check finds its bad rows
with a mask, and only the first MAX_PROBLEMS become messages (plus a count of the rest).
Rows are named as a spreadsheet shows them: the header is row 1, the first student row 2.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass, field

import numpy as np
import openpyxl
import pandas as pd

from obc_calc.errors import DealError, Problem
from obc_calc.model import Deal, Outcome

ID = "student_id"
SERVED = "served"
MAX_PROBLEMS = 20
HEADER_SEARCH_ROWS = 10  # an XLSX sheet may have a title or notes above its header row
MISSING_WORDS = ("", "na", "n/a", "nan", "null", "none", "missing")
FLAG_WORDS = {"1": 1.0, "yes": 1.0, "y": 1.0, "true": 1.0, "0": 0.0, "no": 0.0, "n": 0.0, "false": 0.0}
FLAG_HINT = "use 1/0, yes/no or true/false"


@dataclass(frozen=True)
class ReadOptions:
    """What the user chooses about the file: a minimum of sessions and column names."""

    min_sessions: float | None = None  # set: the served column counts sessions attended
    columns: dict[str, str] = field(default_factory=dict)  # file column -> student_id, served or outcome


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text, before any check: what a page previews."""

    source: str
    sheet: str | None  # the XLSX sheet read; None for CSV
    header_row: int  # the header's row number as a spreadsheet shows it
    header: list[str]
    cells: pd.DataFrame  # one str column per header entry, by position; blank rows dropped
    rows: np.ndarray  # each row's number as a spreadsheet shows it

    def preview(self, rows: int = 10) -> pd.DataFrame:
        frame = self.cells.head(rows).copy()
        frame.columns = _unique_labels(self.header)
        frame.index = self.rows[:rows]
        return frame


@dataclass(frozen=True)
class ResultsTable:
    """Checked results: served flags and outcome values as numbers, missing values as NaN."""

    source: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]  # role (student_id, served or an outcome name) -> the file's header
    min_sessions: float | None
    student_ids: pd.Series  # str
    sessions: np.ndarray | None  # sessions attended, when the served column counts them
    served: np.ndarray  # bool
    values: pd.DataFrame  # one float column per outcome; a measured value, or 1/0 for a flag

    def __len__(self) -> int:
        return len(self.student_ids)


# --- reading bytes ---------------------------------------------------------------------------


def read_results(data: bytes, filename: str, deal: Deal, options: ReadOptions | None = None) -> ResultsTable:
    """Read and check a results file; DealError lists every problem (the first MAX_PROBLEMS)."""
    options = options or ReadOptions()
    raw = read_table(data, filename, id_column(options))
    return check_results(raw, deal, options)


def id_column(options: ReadOptions) -> str:
    """The header naming the student id column (used to find the sheet in an XLSX)."""
    return next((column for column, role in options.columns.items() if role == ID), ID)


def read_table(data: bytes, filename: str, id_header: str = ID) -> RawTable:
    """The file's cells as text: CSV in UTF-8 (BOM or not), UTF-16 or Latin-1, or an XLSX."""
    if not data.strip():
        raise DealError([Problem("", "the file is empty")], filename)
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_table(data, filename, id_header)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        message = "this is an old-style .xls workbook; save it as .xlsx or CSV and upload that"
        raise DealError([Problem("", message)], filename)
    return _csv_table(decode_text(data, filename), filename)


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (a byte-order mark is dropped), UTF-16 with its mark, else Windows Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", source)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Windows-1252 is Latin-1 with printable characters where Latin-1 has control codes;
            # the five bytes it leaves undefined mean the file is not text in either.
            text = _decode(data, "cp1252", source)
    if "\x00" in text:  # a binary file can be valid UTF-8 and still not be text
        raise DealError([_undecodable(data, data.index(b"\x00"), "text")], source)
    return text


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DealError([_undecodable(data, error.start, "UTF-8, UTF-16 or Latin-1")], source) from None


def _undecodable(data: bytes, position: int, kind: str) -> Problem:
    line = data.count(b"\n", 0, position) + 1
    return Problem(
        f"line {line}",
        f"byte 0x{data[position]:02X} cannot be read as {kind}; is this a CSV or XLSX results file?",
    )


def _csv_table(text: str, source: str) -> RawTable:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # Excel writes ';' where the decimal mark is a comma, and tabs for "Unicode text".
    separator = max([",", ";", "\t"], key=first_line.count)
    try:
        cells = pd.read_csv(
            io.StringIO(text), sep=separator, header=None, dtype=str, keep_default_na=False,
            skip_blank_lines=False,  # kept, so row numbers match the file's lines
        )
    except pd.errors.ParserError as error:
        reason = _parser_reason(error)
        raise DealError([Problem("", f"this is not a readable CSV table ({reason})")], source) from None
    except pd.errors.EmptyDataError:
        raise DealError([Problem("", "the file is empty")], source) from None
    return _split_header(cells.fillna(""), source, None, 1)  # short rows leave NaN


def _parser_reason(error: Exception) -> str:
    # pandas says "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
    return str(error).split("error: ", 1)[-1].strip()


def _xlsx_table(data: bytes, source: str, id_header: str) -> RawTable:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DealError([Problem("", "this is not a readable XLSX workbook")], source) from None
    try:
        for sheet in book.worksheets:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            header_index = _header_index(rows, id_header)
            if header_index is not None:
                cells = pd.DataFrame(rows[header_index:], dtype=object)
                cells = cells.map(_cell_text).astype(str) if len(cells.columns) else cells
                return _split_header(cells, source, sheet.title, header_index + 1)
        sheets = ", ".join(repr(s.title) for s in book.worksheets)
    finally:
        book.close()
    message = f"no sheet has a {id_header!r} column in its first {HEADER_SEARCH_ROWS} rows (sheets: {sheets})"
    raise DealError([Problem("", message)], source)


def _header_index(rows: list[list], id_header: str) -> int | None:
    wanted = fold(id_header)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(isinstance(v, str) and fold(v) == wanted for v in row):
            return index
    return None


def _cell_text(value) -> str:
    """An XLSX cell as the text a CSV export would hold (1001.0 -> '1001', TRUE -> 'true')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_header(cells: pd.DataFrame, source: str, sheet: str | None, header_row: int) -> RawTable:
    header = [str(h).strip() for h in cells.iloc[0]] if len(cells) else []
    body = cells.iloc[1:].reset_index(drop=True)
    body.columns = range(len(body.columns))
    # Blank rows (an XLSX range often carries some below the table) are not students.
    filled = (body.apply(lambda column: column.str.strip()) != "").any(axis=1).to_numpy()
    if not header:
        raise DealError([Problem("", "the file is empty")], source)
    if not filled.any():
        raise DealError([Problem("", f"the header (row {header_row}) has no student rows under it")],
                        _where(source, sheet))
    rows = header_row + 1 + np.flatnonzero(filled)
    return RawTable(source, sheet, header_row, header, body[filled].reset_index(drop=True), rows)


def _where(source: str, sheet: str | None) -> str:
    return f"{source}, sheet {sheet}" if sheet else source


def fold(name: str) -> str:
    """A header name as matching reads it: spacing and case do not matter."""
    return " ".join(name.split()).casefold()


def _unique_labels(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    labels = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


# --- checking --------------------------------------------------------------------------------


def check_results(raw: RawTable, deal: Deal, options: ReadOptions | None = None) -> ResultsTable:
    """Resolve the columns and check every value; raise DealError with the problems found."""
    options = options or ReadOptions()
    where = _where(raw.source, raw.sheet)
    if options.min_sessions is not None and options.min_sessions < 0:
        raise DealError([Problem("minimum sessions", "it cannot be negative")], where)
    positions = resolve_columns(raw.header, deal, options, where)
    checks = _Checks(raw)
    ids = checks.student_ids(positions[ID])
    sessions, served = checks.served(positions[SERVED], options.min_sessions)
    values = pd.DataFrame(
        {o.name: checks.outcome(positions[o.name], o) for o in deal.outcomes}, index=ids.index
    )
    checks.raise_problems(where)
    return ResultsTable(
        source=raw.source,
        sheet=raw.sheet,
        header_row=raw.header_row,
        columns={role: raw.header[i] for role, i in positions.items()},
        min_sessions=options.min_sessions,
        student_ids=ids,
        sessions=sessions,
        served=served,
        values=values,
    )


def resolve_columns(header: list[str], deal: Deal, options: ReadOptions, where: str) -> dict[str, int]:
    """Role (student_id, served, outcome name) -> column position, from the map or the names."""
    roles = [ID, SERVED] + [o.name for o in deal.outcomes]
    problems, positions = [], {}
    for column, role in options.columns.items():
        if role not in roles:
            choices = ", ".join(repr(r) for r in roles)
            problems.append(Problem(f"column map {column}={role}", f"{role!r} is not one of {choices}"))
            continue
        found = _find(header, column, exact=True)
        if role in positions:
            message = f"another column is already mapped to {role}"
            problems.append(Problem(f"column map {column}={role}", message))
        elif len(found) != 1:
            problems.append(_column_problem(header, column, found, f"it is mapped to {role}"))
        else:
            positions[role] = found[0]
    mapped = set(positions.values())
    for role in roles:
        if role in positions or role in options.columns.values():
            continue
        # A column mapped to another role is taken, even when its name is this role's.
        found = [i for i in _find(header, role, exact=False) if i not in mapped]
        if len(found) == 1:
            positions[role] = found[0]
        else:
            problems.append(_column_problem(header, role, found, _role_hint(role, deal)))
    if problems:
        raise DealError(problems, where)
    return positions


def _find(header: list[str], name: str, exact: bool) -> list[int]:
    found = [i for i, h in enumerate(header) if h == name.strip()]
    if found or exact:
        return found
    return [i for i, h in enumerate(header) if fold(h) == fold(name)]


def find_column(header: list[str], name: str) -> str | None:
    """The header cell a name refers to: an exact match first, else one that differs only in case and
    spacing; None when there is none."""
    found = _find(header, name, exact=False)
    return header[found[0]] if found else None


def _column_problem(header: list[str], name: str, found: list[int], hint: str) -> Problem:
    if found:
        letters = " and ".join(_letter(i) for i in found)
        return Problem(f"column {name}", f"columns {letters} are both called {name!r}; rename one")
    names = ", ".join(repr(h) for h in header)
    return Problem(f"column {name}", f"there is no such column ({hint}); the header has {names}")


def _role_hint(role: str, deal: Deal) -> str:
    if role == ID:
        return "one row per student needs a student id; map the id column to student_id"
    if role == SERVED:
        return "say which students were served, 1/0 or sessions attended; or map a column to served"
    outcome = deal.outcome_named(role)
    kind = "measured values" if outcome.threshold_value is not None else "achieved flags"
    return f"the outcome {role} needs {kind}; name a column after it or map one to it"


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Checks:
    """Runs the column checks, collecting bad rows as masks; messages are made only when raised."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.rows = raw.rows
        self.found: list[tuple[np.ndarray, int, object]] = []  # (bad rows, column position, message maker)

    def _text(self, position: int) -> pd.Series:
        return self.raw.cells[position].str.strip()

    def _add(self, mask, position: int, message) -> None:
        bad = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(bad):
            self.found.append((bad, position, message))

    def student_ids(self, position: int) -> pd.Series:
        ids = self._text(position)
        missing = ids.str.lower().isin(MISSING_WORDS).to_numpy()
        self._add(missing, position, lambda i, v: "no student id")
        repeated = ids.duplicated(keep="first").to_numpy() & ~missing
        if repeated.any():
            first = pd.Series(np.arange(len(ids))).groupby(ids.to_numpy()).transform("min").to_numpy()
            self._add(repeated, position, lambda i, v: (
                f"{v!r} is a second row for the same student (first on row {self.rows[first[i]]})"
            ))
        return ids

    def served(self, position: int, min_sessions: float | None) -> tuple[np.ndarray | None, np.ndarray]:
        text = self._text(position)
        missing = text.str.lower().isin(MISSING_WORDS).to_numpy()
        if min_sessions is None:
            flags = _flags(text)
            self._add(missing, position, lambda i, v: f"no value; was the student served? ({FLAG_HINT})")
            self._add(~missing & np.isnan(flags), position, lambda i, v: (
                f"{v!r} is not a flag ({FLAG_HINT}); if the column counts sessions attended, "
                "set the minimum number of sessions"
            ))
            return None, flags == 1.0
        sessions = _numbers(text)
        self._add(missing, position, lambda i, v: "no number of sessions attended")
        self._add(~missing & np.isnan(sessions), position, lambda i, v: f"{v!r} is not a number of sessions")
        self._add(sessions < 0, position, lambda i, v: f"{v!r}: a count of sessions cannot be negative")
        return sessions, sessions >= min_sessions

    def outcome(self, position: int, outcome: Outcome) -> np.ndarray:
        text = self._text(position)
        missing = text.str.lower().isin(MISSING_WORDS).to_numpy()
        if outcome.threshold_value is None:
            values = _flags(text)
            bad = ~missing & np.isnan(values)
            self._add(bad, position, lambda i, v: f"{v!r} is not a flag ({FLAG_HINT})")
        else:
            values = _numbers(text)
            self._add(~missing & np.isnan(values), position, lambda i, v: f"{v!r} is not a number")
        values[missing] = np.nan
        return values

    def raise_problems(self, where: str) -> None:
        if not self.found:
            return
        # The first problems in the file's row order, as a reader scanning the sheet meets them.
        order = np.concatenate([bad for bad, _, _ in self.found])
        check = np.concatenate([np.full(len(bad), k) for k, (bad, _, _) in enumerate(self.found)])
        sort = np.argsort(order, kind="stable")
        problems = []
        for i, k in zip(order[sort][:MAX_PROBLEMS], check[sort][:MAX_PROBLEMS], strict=True):
            _, position, message = self.found[k]
            value = self.raw.cells[position].iat[i]
            column = self.raw.header[position]
            problems.append(Problem(f"row {self.rows[i]}, column {column}", message(i, value)))
        if len(order) > MAX_PROBLEMS:
            more = len(order) - MAX_PROBLEMS
            problems.append(Problem("", f"and {more:,} more problems ({len(order):,} in all)"))
        raise DealError(problems, where)


def _numbers(text: pd.Series) -> np.ndarray:
    """Numbers as floats, NaN where a cell is not one; '85%' reads as 0.85."""
    percent = text.str.endswith("%").to_numpy()
    body = text.where(~percent, text.str[:-1].str.strip())
    values = pd.to_numeric(body, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    values[percent] /= 100.0
    values[~np.isfinite(values)] = np.nan
    return values


def _flags(text: pd.Series) -> np.ndarray:
    """1.0 or 0.0 for each flag (1/0, yes/no, y/n, true/false, 1.0/0.0), NaN otherwise."""
    words = text.str.lower().map(FLAG_WORDS).to_numpy(dtype=float, na_value=np.nan, copy=True)
    numbers = _numbers(text)
    return np.where(np.isnan(words) & ((numbers == 0) | (numbers == 1)), numbers, words)
