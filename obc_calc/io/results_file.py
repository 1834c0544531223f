"""Results files: one row per student, read from CSV or XLSX bytes and checked against a deal.

Every cell is read as text first, so ids keep their leading zeros and every bad value can be
quoted back to the user as the file shows it. Checks are vectorized (obc_calc.io.results_checks).
Rows are named as a spreadsheet shows them: the header is row 1, the first student row 2.

Limits are checked before the work: the file's size before anything; a CSV's encoding, rows and
columns on its bytes before pandas parses it (obc_calc.io.user_file); an XLSX through
obc_calc.io.xlsx_reader, which streams only the sheet it reads, skips hidden sheets and refuses a
formula saved without its value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_TEXT_CHARS, shown
from obc_calc.core.model import Deal
from obc_calc.core.model_rules import name_key as fold  # headers match names as uniqueness does
from obc_calc.core.settle import GROUP as GROUP  # the pages and commands import it from here
from obc_calc.core.settle import missing_group_column
from obc_calc.core.settle_groups import prices_groups
from obc_calc.io.results_checks import MAX_PROBLEMS as MAX_PROBLEMS  # the callers' cap on messages
from obc_calc.io.results_checks import ValueChecks
from obc_calc.io.user_file import check_size, csv_separator, long_text, table_kind, utf8_bytes
from obc_calc.io.xlsx_reader import HEADER_SEARCH_ROWS, Book, find_table, short, table_rows

ID = "student_id"
SERVED = "served"


@dataclass(frozen=True)
class ReadOptions:
    """What the user chooses about the file: a minimum of sessions and column names."""

    min_sessions: float | None = None  # set: the served column counts sessions attended
    # file column -> its role: student_id, served, group or an outcome
    columns: dict[str, str] = field(default_factory=dict)


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
    # Each student's group, by its place in core.groups.groups(deal); None: the file has no group column.
    groups: np.ndarray | None = None

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
    """The file's cells as text: CSV (encodings as obc_calc.io.user_file reads them) or an XLSX."""
    check_size(data, filename)
    if not data or data.isspace():
        raise DealError([Problem("", "the file is empty")], filename)
    if table_kind(data, filename) == "xlsx":
        return _xlsx_table(data, filename, id_header)
    return _csv_table(data, filename)


def _csv_table(data: bytes, source: str) -> RawTable:
    utf8 = utf8_bytes(data, source, "results file")
    separator = csv_separator(utf8, source).decode()
    try:
        cells = pd.read_csv(
            io.BytesIO(utf8), sep=separator, header=None, dtype=str, keep_default_na=False, encoding="utf-8",
            skip_blank_lines=False,  # kept, so row numbers match the file's lines
        )
    except pd.errors.ParserError as error:
        reason = _parser_reason(error)
        raise DealError([Problem("", f"this is not a readable CSV table ({reason})")], source) from None
    except pd.errors.EmptyDataError:
        raise DealError([Problem("", "the file is empty")], source) from None
    cells = cells.fillna("")  # short rows leave NaN
    for position in cells.columns:
        lengths = cells[position].str.len().to_numpy(dtype=float, na_value=0)
        over = np.flatnonzero(lengths > MAX_TEXT_CHARS)
        if len(over):
            where = f"row {over[0] + 1}, column {short(cells.iat[0, position])}"
            raise DealError([Problem(where, long_text(int(lengths[over[0]])))], source)
    return _split_header(cells, source, None, 1, 2 + np.arange(len(cells) - 1))


def _parser_reason(error: Exception) -> str:
    # pandas says "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
    return str(error).split("error: ", 1)[-1].strip()


def _xlsx_table(data: bytes, source: str, id_header: str) -> RawTable:
    book = Book(data, source)
    wanted = fold(id_header)
    found = find_table(book, lambda values: any(isinstance(v, str) and fold(v) == wanted for v in values),
                       f"the {shown(id_header)} column")
    if found is None:
        sheets = _listed([shown(s.title) for s in book.sheets])
        message = (f"no sheet has a {shown(id_header)} column in its first {HEADER_SEARCH_ROWS} rows "
                   f"(sheets: {sheets})")
        raise DealError([Problem("", message)], source)
    sheet, rows = found
    numbers, table = [], []
    for number, values in table_rows(book, sheet, rows):
        numbers.append(number)
        table.append([_cell_text(value) for value in values])
    width = max(map(len, table))
    for row in table:
        row.extend([""] * (width - len(row)))
    cells = pd.DataFrame(table, dtype=str)
    return _split_header(cells, source, sheet.title, numbers[0], np.array(numbers[1:], dtype=int))


def _cell_text(value) -> str:
    """An XLSX cell as the text a CSV export would hold (1001.0 -> '1001', TRUE -> 'true')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_header(cells: pd.DataFrame, source: str, sheet: str | None, header_row: int,
                  numbers: np.ndarray) -> RawTable:
    """The table under its header; `numbers` are the body rows' numbers as a spreadsheet shows them."""
    header = [str(h).strip() for h in cells.iloc[0]] if len(cells) else []
    body = cells.iloc[1:].reset_index(drop=True)
    body.columns = range(len(body.columns))
    # Blank rows (an XLSX range often carries some below the table) are not students. A column at a
    # time: a stripped copy of the whole table would double the memory a large file takes.
    filled = np.zeros(len(body), dtype=bool)
    for position in body.columns:
        filled |= (body[position].str.strip() != "").to_numpy(dtype=bool)
    if not header:
        raise DealError([Problem("", "the file is empty")], source)
    if not filled.any():
        raise DealError([Problem("", f"the header (row {header_row}) has no student rows under it")],
                        _where(source, sheet))
    return RawTable(source, sheet, header_row, header, body[filled].reset_index(drop=True), numbers[filled])


def _listed(names: list[str], most: int = 12) -> str:
    """Names for a message: the first `most`, then how many more."""
    more = f" and {len(names) - most:,} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _where(source: str, sheet: str | None) -> str:
    return f"{source}, sheet {short(sheet)}" if sheet else source


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
    checks = ValueChecks(raw)
    ids = checks.student_ids(positions[ID])
    sessions, served = checks.served(positions[SERVED], options.min_sessions)
    values = pd.DataFrame(
        {o.name: checks.outcome(positions[o.name], o) for o in deal.outcomes}, index=ids.index
    )
    codes = checks.groups(positions[GROUP], deal) if GROUP in positions else None
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
        groups=codes,
    )


def resolve_columns(header: list[str], deal: Deal, options: ReadOptions, where: str) -> dict[str, int]:
    """Role (student_id, served, outcome name, group) -> column position, from the map or the names.
    The group column is read in a deal with student groups, and needed when the deal prices them apart."""
    roles = [ID, SERVED] + [o.name for o in deal.outcomes] + ([GROUP] if deal.student_groups else [])
    problems, positions = [], {}
    for column, role in options.columns.items():
        mapping = f"column map {short(column)}={short(role)}"
        if role not in roles:
            choices = _listed([shown(r) for r in roles])
            problems.append(Problem(mapping, f"{shown(role)} is not one of {choices}"))
            continue
        found = _find(header, column, exact=True)
        if role in positions:
            problems.append(Problem(mapping, f"another column is already mapped to {short(role)}"))
        elif len(found) != 1:
            problems.append(_column_problem(header, column, found, f"it is mapped to {short(role)}"))
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
        elif role != GROUP or found or prices_groups(deal):
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
    where = f"column {short(name)}"
    if found:
        letters = " and ".join(_letter(i) for i in found)
        return Problem(where, f"columns {letters} are both called {shown(name)}; rename one")
    names = _listed([shown(h) for h in header])
    if name == GROUP:
        return Problem(where, f"{hint}; the header has {names}")
    return Problem(where, f"there is no such column ({hint}); the header has {names}")


def _role_hint(role: str, deal: Deal) -> str:
    if role == ID:
        return "one row per student needs a student id; map the id column to student_id"
    if role == SERVED:
        return "say which students were served, 1/0 or sessions attended; or map a column to served"
    if role == GROUP:
        return missing_group_column(prices_groups(deal))
    outcome = deal.outcome_named(role)
    measured = outcome.threshold_value is not None or outcome.bands is not None
    kind = "measured values" if measured else "achieved flags"
    return f"the outcome {role} needs {kind}; name a column after it or map one to it"


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
