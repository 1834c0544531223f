"""Rate cards kept as spreadsheets: a CSV or XLSX table, one row per outcome, brought into a deal.

The columns are named like the outcome fields of the deal format (name, metric, threshold,
threshold_value, basis, weight, expected_rate, eligible_students, target_rate, floor_rate, tiers,
data_source, paid_in_month, rate_low, rate_high, group_expected_rates, bands, expected_band_shares,
group_band_shares); only `name` is required and a blank cell leaves the field unset.
Rates may be written 0.25 or 25%; tiers, bands, shares and group mappings as obc_calc.io.tiers reads
them, such as "20%:50%; 30%:100%", "any:-25%, 0:0%, 1.0:50%, 1.5:100%", "10%, 30%, 40%, 20%" and
"Students with disabilities: 40%; English learners: 50%".
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from obc_calc.core.bases import LABELS, basis
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_OUTCOMES, MAX_TEXT_CHARS, shown
from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict
from obc_calc.io.tiers import (
    parse_bands,
    parse_group_rates,
    parse_group_shares,
    parse_number,
    parse_shares,
    parse_tiers,
)
from obc_calc.io.user_file import check_size, csv_separator, long_text, read_file, utf8_bytes
from obc_calc.io.xlsx_reader import Book, find_table, short, table_kind, table_rows

TEXT_FIELDS = ("name", "metric", "threshold", "basis", "data_source")
RATE_FIELDS = ("weight", "expected_rate", "target_rate", "floor_rate", "rate_low", "rate_high")
COUNT_FIELDS = ("eligible_students", "paid_in_month")
FIELDS = (
    "name", "metric", "threshold", "threshold_value", "basis", "weight", "expected_rate",
    "eligible_students", "target_rate", "floor_rate", "tiers", "data_source", "paid_in_month",
    "rate_low", "rate_high", "group_expected_rates", "bands", "expected_band_shares", "group_band_shares",
)
# The fields written in one cell in a syntax of their own (obc_calc.io.tiers), and their readers.
TEXT_SYNTAX = {"tiers": parse_tiers, "bands": parse_bands, "expected_band_shares": parse_shares,
               "group_expected_rates": parse_group_rates, "group_band_shares": parse_group_shares}


@dataclass
class RateCard:
    """The outcomes read from a rate-card file, and where each came from for error messages."""

    source: str
    outcomes: list[dict]
    rows: list[int]  # the spreadsheet row of each outcome
    columns: dict[str, str] = field(default_factory=dict)  # deal field -> column header as written
    sheet: str | None = None

    def where(self, row: int | None = None, column: str | None = None) -> str:
        parts = [f"sheet {short(self.sheet)}"] if self.sheet else []
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column {short(self.columns.get(column, column))}")
        return ", ".join(parts)


# ---------------------------------------------------------------- values


def parse_count(value) -> int:
    number = parse_number(value)
    if number != int(number):
        raise ValueError(f"expected a whole number, got {shown(value)}")
    return int(number)


# A basis cell may hold its name or the label the app shows ("graduated (linear)").
_BASIS_NAMES = {label.casefold(): name for name, label in LABELS.items()}


def parse_field(name: str, value):
    """A cell's value as the deal format wants the field (raises ValueError with a plain message)."""
    if name == "basis":
        return basis(_BASIS_NAMES.get(str(value).strip().casefold(), str(value).strip())).name
    if name == "data_source":
        return str(value).strip()
    if name in TEXT_FIELDS:
        return str(value)
    if name in COUNT_FIELDS:
        return parse_count(value)
    if name in TEXT_SYNTAX:
        return TEXT_SYNTAX[name](value)
    return parse_number(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def header_field(header) -> str:
    """'Expected rate', 'expected-rate' and 'expected_rate' all name the expected_rate field."""
    return re.sub(r"[\s\-]+", "_", str(header or "").strip().lower())


# ---------------------------------------------------------------- files


def _csv_rows(raw: bytes, filename: str) -> Iterator[tuple[int, list]]:
    utf8 = utf8_bytes(raw, filename, "rate card")
    separator = csv_separator(utf8, filename).decode()
    reader = csv.reader(_lines(utf8.decode("utf-8")), delimiter=separator)
    try:
        for number, row in enumerate(reader, 1):
            long = next((i for i, value in enumerate(row) if len(value) > MAX_TEXT_CHARS), None)
            if long is not None:
                problem = Problem(f"row {number}, column {long + 1}", long_text(len(row[long])))
                raise DealError([problem], filename)
            yield number, row
    except csv.Error as error:
        problem = Problem(f"row {reader.line_num}", f"this is not a readable CSV table ({error})")
        raise DealError([problem], filename) from None


def _lines(text: str) -> Iterator[str]:
    """The text's lines, one at a time, for the csv module: io.StringIO would copy the whole text again."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _xlsx_rows(raw: bytes, filename: str) -> tuple[str, Iterator[tuple[int, list]]]:
    """The first visible sheet with a name column in its first rows (else the first visible sheet)."""
    book = Book(raw, filename)
    found = find_table(book, lambda values: "name" in {header_field(v) for v in values if not is_blank(v)},
                       "the rate card's name column")
    if found is None:
        visible = [sheet for sheet in book.sheets if not sheet.hidden]
        if not visible:
            raise DealError([Problem("", "the workbook has no visible sheet")], filename)
        found = visible[0], book.rows(visible[0])
    sheet, rows = found
    return sheet.title, table_rows(book, sheet, rows)


def _table(data: bytes | str | Path, filename: str) -> tuple[str | None, Iterator[tuple[int, list]]]:
    raw = data if isinstance(data, bytes) else read_file(data, filename)
    check_size(raw, filename)
    if table_kind(raw, filename) == "xlsx":
        return _xlsx_rows(raw, filename)
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DealError([Problem("", "this is neither a CSV file nor an Excel workbook (.xlsx)")], filename)
    return None, _csv_rows(raw, filename)


def read_rate_card(data: bytes | str | Path, filename: str) -> RateCard:
    """The outcomes of a CSV or XLSX rate card, or DealError with one problem per bad cell."""
    sheet, rows = _table(data, filename)
    card = RateCard(filename, [], [], sheet=sheet)
    header = next(((number, row) for number, row in rows if any(not is_blank(v) for v in row)), None)
    if header is None:
        raise DealError([Problem(card.where(), "the rate card is empty")], filename)
    problems, columns = _columns(card, header[1], header[0])
    for number, row in rows:
        if all(is_blank(v) for v in row):
            continue
        if len(card.outcomes) == MAX_OUTCOMES:  # the deal could not hold them: read no further
            message = f"the rate card has over {MAX_OUTCOMES} outcomes; a deal holds at most {MAX_OUTCOMES}"
            raise DealError([Problem(card.where(number), message)], filename)
        card.outcomes.append(_outcome(card, columns, number, row, problems))
        card.rows.append(number)
    if not card.outcomes and not problems:
        problems.append(Problem(card.where(), "the rate card has a header row but no outcomes"))
    if problems:
        raise DealError(problems, filename)
    return card


def _outcome(card: RateCard, columns: dict[int, str], number: int, row: list, problems: list) -> dict:
    outcome = {}
    for index, name in columns.items():
        value = row[index] if index < len(row) else None
        if is_blank(value):
            continue
        try:
            outcome[name] = parse_field(name, value)
        except (ValueError, DealError) as error:  # a DealError from TEXT_SYNTAX has one problem, no path
            problems.append(Problem(card.where(number, name), str(error)))
    if "name" not in outcome and "name" in columns.values():
        problems.append(Problem(card.where(number, "name"), "every outcome needs a name"))
    return outcome


def _columns(card: RateCard, header: list, row: int) -> tuple[list[Problem], dict[int, str]]:
    problems, columns = [], {}
    for index, title in enumerate(header):
        if is_blank(title):
            continue
        name = header_field(title)
        card.columns[name] = str(title).strip()
        if name not in FIELDS:
            problems.append(Problem(
                card.where(row, str(title).strip()),
                "unknown column; a rate card's columns are " + ", ".join(FIELDS),
            ))
        elif name in columns.values():
            problems.append(Problem(card.where(row, str(title).strip()), "this column appears twice"))
        else:
            columns[index] = name
    if "name" not in columns.values():
        problems.append(Problem(card.where(row), "there is no name column (each outcome needs a name)"))
    return problems, columns


# ---------------------------------------------------------------- into a deal


def apply_rate_card(deal_dict: dict, outcomes: list[dict]) -> dict:
    """The deal with the rate card's outcomes in place of its own.

    A scenario's rates (and group rates) are kept for the card's outcomes paid on a rate, and its
    band shares (and group band shares) for those paid by bands; the rest are dropped.
    """
    banded = {o.get("name") for o in outcomes if "bands" in o}
    rated = {o.get("name") for o in outcomes} - banded
    keep = {"rates": rated, "group_rates": rated, "band_shares": banded, "group_band_shares": banded}
    scenarios = [
        s | {field: {k: v for k, v in s[field].items() if k in names} for field, names in keep.items()
             if field in s}
        for s in deal_dict.get("scenarios", [])
    ]
    return deal_dict | {"outcomes": [dict(o) for o in outcomes], "scenarios": scenarios}


_OUTCOME_PATH = re.compile(r"^outcomes\[(\d+)\]\.(\w+)")


def rescaled_weights(weights, whole: float = 1.0) -> np.ndarray:
    """Weights scaled to add up to `whole` (1, or 100 for percents), keeping their proportions;
    equal shares when they are all zero, since then there are no proportions to keep."""
    weights = np.asarray(weights, dtype=float)
    total = weights.sum()
    return weights * whole / total if total > 0 else np.full(len(weights), whole / len(weights))


def deal_with_rate_card(deal: Deal, card: RateCard) -> Deal:
    """The deal with the card's outcomes, checked; problems name the card's row and column."""
    try:
        return deal_from_dict(apply_rate_card(deal_to_dict(deal), card.outcomes))
    except DealError as error:
        raise DealError([_on_card(card, p) for p in error.problems], card.source) from None


def _on_card(card: RateCard, problem: Problem) -> Problem:
    match = _OUTCOME_PATH.match(problem.path)
    if match:
        return Problem(card.where(card.rows[int(match[1])], match[2]), problem.message)
    if problem.path == "outcomes":
        return Problem(card.where(column="weight"), problem.message)
    return Problem(f"the deal's {problem.path}" if problem.path else "", problem.message)
