"""A budget workbook back into a deal, from the visible input cells (so edits made in Excel count).

Cells that follow a default by formula (a scenario rate equal to the expected rate, eligible
students equal to all students, payment in the term's last month) come back as "not set". A cell
holding some other formula is read from the value the spreadsheet program saved with it, and one
saved without a value is a problem at its cell. The workbook is opened by obc_calc.io.xlsx_reader,
which streams only the four sheets read and keeps their filled cells (at most MAX_WORKBOOK_CELLS).
Every problem names the sheet, row and column; problems the deal checks find by field path
(outcomes[2].weight) are moved to the cell they came from.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.groups import OTHER_STUDENTS
from obc_calc.core.limits import MAX_COLUMNS, MAX_WORKBOOK_CELLS, shown
from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_from_dict
from obc_calc.io.ratecard import is_blank, parse_count, parse_number
from obc_calc.io.user_file import read_file
from obc_calc.io.workbook import (
    COMMITMENT_HEADER,
    COMMITTED,
    EXPECTED,
    NO,
    NOTES,
    RATE_CARD,
    RATE_CARD_INPUTS,
    SCENARIO,
    SCENARIOS,
    SERVED,
    SUMMARY,
    SUMMARY_INPUTS,
    TOTAL_ROW_LABEL,
    YES,
    tier_headers,
)
from obc_calc.io.workbook_import_groups import (
    ScenarioRow,
    base_basis_code,
    outcome_text,
    rate_card_extras,
    read_groups,
    scenario_columns,
)
from obc_calc.io.workbook_import_groups import plain as _plain
from obc_calc.io.workbook_import_groups import where_at as _where
from obc_calc.io.workbook_layout import GROUPS, OPTIONAL_SUMMARY_INPUTS
from obc_calc.io.xlsx_reader import NO_SAVED_VALUE, Book, Formula

SUMMARY_FIELDS = {  # Summary label -> deal field path
    "Deal name": "name", "District": "district", "Provider": "provider", "Program": "program",
    "Students": "students", "Total cost (not-to-exceed)": "total_cost",
    "Performance share": "performance_share", "Base basis": "base_basis",
    "Term starts: year": "term.start", "Term starts: month": "term.start", "Term months": "term.months",
    "Fiscal year starts in month": "term.fiscal_year_start_month",
    "Base paid upfront": "term.base_upfront_share",
    "Rate correlation (simulation)": "risk.correlation",
    "Students served, low (simulation)": "risk.students_served_low",
    "Students served, high (simulation)": "risk.students_served_high",
    "Chance commitments are missed (simulation)": "risk.commitments_miss_probability",
    "Most penalties can take back": "max_penalty",
}
COUNT_PATHS = ("students", "term.months", "term.fiscal_year_start_month", "risk.students_served_low",
               "risk.students_served_high")
NUMBER_PATHS = ("total_cost", "performance_share", "term.base_upfront_share", "risk.correlation",
                "risk.commitments_miss_probability", "max_penalty")
REQUIRED_OUTCOME_FIELDS = ("name", "basis", "data_source", "weight", "expected_rate")
# Follow formulas, as the export writes them, mean "not set" (compared without spaces, $ or case).
FOLLOWS = {"eligible_students": "=STUDENTS", "paid_in_month": "=TERMMONTHS", "students_served": "=STUDENTS"}


class _Grid:
    """A budget sheet's filled cells by (row, column), formula cells as Formula."""

    def __init__(self, cells: dict[tuple[int, int], object]):
        self.cells = cells
        self.max_row = max((row for row, _ in cells), default=0)
        self.max_column = max((column for _, column in cells), default=0)

    def cell(self, row: int, column: int):
        return self.cells.get((row, column))

    def value(self, row: int, column: int):
        """What Excel's formula bar shows: the value, or the formula."""
        value = self.cells.get((row, column))
        return value.text if isinstance(value, Formula) else value


class _Reader:
    def __init__(self, book: Book):
        self.book = book
        self.cells = 0  # filled cells kept so far, across the sheets read
        self.problems: list[Problem] = []
        self.places: dict[str, str] = {}  # deal field path -> sheet, row, column

    def complain(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def reported(self, where: str) -> bool:
        return any(p.path == where for p in self.problems)

    def has_sheet(self, name: str) -> bool:
        return any(s.title == name for s in self.book.sheets)

    def sheet(self, name: str) -> _Grid | None:
        sheet = next((s for s in self.book.sheets if s.title == name), None)
        if sheet is None or sheet.hidden:
            self.complain(f"sheet {name}", "this sheet is hidden; unhide it in Excel so the deal is read as "
                          "you see it" if sheet else "this sheet is missing (is this a budget workbook?)")
            return None
        cells = {}
        for number, row in self.book.rows(sheet, formula_text=True):
            self.cells += len(row)
            if self.cells > MAX_WORKBOOK_CELLS:
                message = (f"its sheets hold over {MAX_WORKBOOK_CELLS:,} filled cells; the calculator reads "
                           f"at most {MAX_WORKBOOK_CELLS:,}")
                raise DealError([Problem("", message)], self.book.source)
            cells.update(((number, column), value) for column, value in row if column <= MAX_COLUMNS)
        return _Grid(cells)

    def value(self, ws: _Grid, row: int, column: int, where: str, follows: str | None = None):
        """A cell's value; None when blank or when it holds the formula that means 'not set'."""
        value = ws.cell(row, column)
        if not isinstance(value, Formula):
            return None if value in (None, "") else value
        if follows and _plain(value.text) == follows:
            return None
        if value.saved is None:
            self.complain(where, NO_SAVED_VALUE)
        return value.saved

    def typed(self, value, kind: str, where: str):
        """The value as text, a number or a whole number; None (and a problem) when it is not one."""
        if kind == "text":
            return value if value is None or isinstance(value, str) else str(value)
        if is_blank(value):
            return None
        try:
            return parse_count(value) if kind == "count" else parse_number(value)
        except ValueError as error:
            self.complain(where, str(error))
            return None


def _summary(reader: _Reader, ws) -> dict:
    rows = {}
    for row in range(1, ws.max_row + 1):
        label = ws.value(row, 1)
        if isinstance(label, str) and label.strip() in SUMMARY_FIELDS:
            rows.setdefault(label.strip(), row)
    deal: dict = {"schema_version": 1, "term": {}}
    start = {}
    for label, _, _ in SUMMARY_INPUTS:
        path = SUMMARY_FIELDS[label]
        if label not in rows and label in OPTIONAL_SUMMARY_INPUTS:
            continue
        if label not in rows:
            reader.complain(f"sheet {SUMMARY}, column A", f"there is no row labelled {label!r}")
            continue
        where = _where(SUMMARY, rows[label], f"B ({label})")
        reader.places.setdefault(path, where)
        kind = "count" if path in COUNT_PATHS or label.startswith("Term starts") else (
            "number" if path in NUMBER_PATHS else "text")
        value = reader.typed(reader.value(ws, rows[label], 2, where), kind, where)
        if label.startswith("Term starts"):
            start[label] = value
        elif value is not None:
            _put(deal, path, base_basis_code(value) if path == "base_basis" else value)
        elif kind == "text" and path != "base_basis" and path != "name":
            _put(deal, path, "")  # a blank district or provider is allowed, and is blank
    year, month = start.get("Term starts: year"), start.get("Term starts: month")
    if year is not None and month is not None:
        deal["term"]["start"] = f"{year:04d}-{month:02d}"
    return deal


def _put(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _rate_card(reader: _Reader, ws, groups: list[str]) -> tuple[list[dict], dict[str, str]]:
    """The outcomes, and the column letter of each Rate Card header (scenario formulas point at them)."""
    headers = {str(ws.value(1, c)).strip(): c for c in range(1, ws.max_column + 1)
               if not is_blank(ws.value(1, c))}
    missing = [h for h, _ in RATE_CARD_INPUTS if h not in headers]
    for header in missing:
        reader.complain(f"sheet {RATE_CARD}, row 1", f"there is no column {header!r}")
    if missing:
        return [], {}
    slots = 0
    while all(h in headers for h in tier_headers(slots + 1)):
        slots += 1
    outcomes = []
    for row in range(2, ws.max_row + 1):
        name = ws.value(row, headers["Outcome"])
        if name in (None, "", TOTAL_ROW_LABEL):
            break
        outcome = _outcome(reader, ws, row, len(outcomes), headers, slots)
        outcomes.append(outcome | rate_card_extras(reader, ws, row, len(outcomes), headers, groups))
    if not outcomes:
        reader.complain(f"sheet {RATE_CARD}, row 2", "there are no outcomes (the first row is blank)")
    reader.places.setdefault("outcomes", f"sheet {RATE_CARD}, column Weight")
    return outcomes, {h: get_column_letter(c) for h, c in headers.items()}


def _outcome(reader: _Reader, ws, row: int, index: int, headers: dict, slots: int) -> dict:
    outcome = {}
    for header, name in RATE_CARD_INPUTS:
        where = _where(RATE_CARD, row, header)
        reader.places[f"outcomes[{index}].{name}"] = where
        kind = "count" if name in FOLLOWS else ("text" if name in ("name", "metric", "threshold", "basis",
                                                                   "data_source") else "number")
        value = reader.typed(reader.value(ws, row, headers[header], where, FOLLOWS.get(name)), kind, where)
        if value is None and name in REQUIRED_OUTCOME_FIELDS:
            if not reader.reported(where):
                reader.complain(where, "this cell is blank; every outcome needs it")
        elif value is not None:
            outcome[name] = outcome_text(name, value)
        elif name in ("metric", "threshold"):
            outcome[name] = ""
    tiers = []
    for slot in range(1, slots + 1):
        pair = []
        for header, key in zip(tier_headers(slot), ("min_rate", "payout"), strict=True):
            where = _where(RATE_CARD, row, header)
            reader.places[f"outcomes[{index}].tiers[{len(tiers)}].{key}"] = where
            pair.append(reader.typed(reader.value(ws, row, headers[header], where), "number", where))
        if pair.count(None) == 1:
            reader.complain(_where(RATE_CARD, row, tier_headers(slot)[pair.index(None)]),
                            "a tier needs both its starting rate and its payout")
        elif None not in pair:
            tiers.append({"min_rate": pair[0], "payout": pair[1]})
    if slots:
        reader.places[f"outcomes[{index}].tiers"] = _where(RATE_CARD, row, tier_headers(1)[0])
    if tiers:
        outcome["tiers"] = tiers
    return outcome


def _scenarios(reader: _Reader, ws, outcomes: list[dict], groups: list[str], rc_letters: dict) -> list[dict]:
    headers = [ws.value(1, c) for c in range(1, ws.max_column + 1)]
    if ws.value(1, 1) != SCENARIO or SERVED not in headers or COMMITTED not in headers:
        reader.complain(f"sheet {SCENARIOS}, row 1",
                        f"the first columns must be {SCENARIO!r}, one per outcome, {SERVED!r}, {COMMITTED!r}")
        return []
    served_col, committed_col = headers.index(SERVED) + 1, headers.index(COMMITTED) + 1
    columns = scenario_columns(reader, ws, served_col, outcomes, groups)
    scenarios = []
    for row in range(2, ws.max_row + 1):
        name = ws.value(row, 1)
        if name in (None, "", EXPECTED):
            continue
        i = len(scenarios)
        where = _where(SCENARIOS, row, SCENARIO)
        reader.places[f"scenarios[{i}].name"] = where
        inputs = ScenarioRow(reader, ws, row, i, columns, rc_letters).read(outcomes, groups)
        scenario = {"name": str(name)} | inputs
        where = _where(SCENARIOS, row, SERVED)
        reader.places[f"scenarios[{i}].students_served"] = where
        value = reader.value(ws, row, served_col, where, FOLLOWS["students_served"])
        served = reader.typed(value, "count", where)
        if served is not None:
            scenario["students_served"] = served
        scenario["commitments_met"] = _committed(reader, ws, row, committed_col)
        scenarios.append(scenario)
    return scenarios


def _committed(reader: _Reader, ws, row: int, column: int) -> bool:
    where = _where(SCENARIOS, row, COMMITTED)
    value = reader.value(ws, row, column, where)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in (YES.lower(), NO.lower()):
        return value.strip().lower() == YES.lower()
    reader.complain(where, f"write {YES} or {NO} (got {shown(value)})")
    return True


def _commitments(reader: _Reader, ws) -> list[dict]:
    top = next((r for r in range(1, ws.max_row + 1)
                if (ws.value(r, 1), ws.value(r, 2)) == COMMITMENT_HEADER), None)
    if top is None:
        reader.complain(f"sheet {NOTES}, column A", f"there is no table headed {COMMITMENT_HEADER[0]!r}")
        return []
    commitments = []
    for row in range(top + 1, ws.max_row + 1):
        name = reader.value(ws, row, 1, _where(NOTES, row, COMMITMENT_HEADER[0]))
        if name is None:
            break
        reader.places[f"commitments[{len(commitments)}].name"] = _where(NOTES, row, COMMITMENT_HEADER[0])
        description = reader.value(ws, row, 2, _where(NOTES, row, COMMITMENT_HEADER[1]))
        description = "" if description is None else str(description)
        commitments.append({"name": str(name), "description": description})
    return commitments


def deal_from_workbook(data: bytes | str | Path, source: str | None = None) -> Deal:
    """The deal in a budget workbook (a path or the file's bytes); DealError names each bad cell."""
    source = source or (str(data) if not isinstance(data, bytes) else "workbook")
    reader = _Reader(Book(data if isinstance(data, bytes) else read_file(data, source), source))
    # The Student Groups sheet is there only when the deal has groups.
    read = (SUMMARY, RATE_CARD, SCENARIOS, NOTES) + ((GROUPS,) if reader.has_sheet(GROUPS) else ())
    sheets = {name: reader.sheet(name) for name in read}
    if reader.problems:
        raise DealError(reader.problems, source)
    deal = _summary(reader, sheets[SUMMARY])
    if GROUPS in sheets:
        deal["student_groups"] = read_groups(reader, sheets[GROUPS])
    named = [g["name"] for g in deal.get("student_groups", [])]
    groups = [*named, OTHER_STUDENTS] if GROUPS in sheets else []
    deal["outcomes"], rc_letters = _rate_card(reader, sheets[RATE_CARD], groups)
    if not deal["outcomes"]:  # the other sheets are read against the outcomes: nothing more to check
        raise DealError(reader.problems, source)
    deal["scenarios"] = _scenarios(reader, sheets[SCENARIOS], deal["outcomes"], groups, rc_letters)
    deal["commitments"] = _commitments(reader, sheets[NOTES])
    unreadable = list(reader.problems)
    try:
        result = deal_from_dict(deal)
    except DealError as error:
        for problem in error.problems:
            where = _place(reader.places, problem.path)
            # A cell already reported needs no second message, and a check across cells (the weights'
            # sum) may only be tripping over a default standing in for an unreadable cell.
            if not reader.reported(where) and not (unreadable and ", row " not in where):
                reader.problems.append(Problem(where, problem.message))
        raise DealError(reader.problems, source) from None
    if reader.problems:
        raise DealError(reader.problems, source)
    return result


def _place(places: dict[str, str], path: str) -> str:
    """The cell of a field path, or of its nearest parent the reader knows."""
    while path in places or "." in path or "[" in path:
        if path in places:
            return places[path]
        path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path)
    return f"the deal's {path}" if path else "the workbook"
