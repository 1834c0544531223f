"""Rate cards kept as spreadsheets: a CSV or XLSX table, one row per outcome, brought into a deal.

The columns are named like the outcome fields of the deal format (name, metric, threshold,
threshold_value, basis, weight, expected_rate, eligible_students, target_rate, floor_rate, tiers,
data_source, paid_in_month, rate_low, rate_high); only `name` is required and a blank cell leaves
the field unset.
Rates may be written 0.25 or 25%; tiers as "20%:50%; 30%:100%" (from rate : payout).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from openpyxl import load_workbook

from obc_calc.dealfile import deal_from_dict, deal_to_dict
from obc_calc.errors import DealError, Problem
from obc_calc.model import Deal

TEXT_FIELDS = ("name", "metric", "threshold", "basis", "data_source")
RATE_FIELDS = ("weight", "expected_rate", "target_rate", "floor_rate", "rate_low", "rate_high")
COUNT_FIELDS = ("eligible_students", "paid_in_month")
FIELDS = (
    "name", "metric", "threshold", "threshold_value", "basis", "weight", "expected_rate",
    "eligible_students", "target_rate", "floor_rate", "tiers", "data_source", "paid_in_month",
    "rate_low", "rate_high",
)
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d*)?$")


@dataclass
class RateCard:
    """The outcomes read from a rate-card file, and where each came from for error messages."""

    source: str
    outcomes: list[dict]
    rows: list[int]  # the spreadsheet row of each outcome
    columns: dict[str, str] = field(default_factory=dict)  # deal field -> column header as written
    sheet: str | None = None

    def where(self, row: int | None = None, column: str | None = None) -> str:
        parts = [f"sheet {self.sheet}"] if self.sheet else []
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column {self.columns.get(column, column)}")
        return ", ".join(parts)


# ---------------------------------------------------------------- values


def parse_number(value) -> float:
    """A number typed in a cell: 1250, 1,250, 0.25 or 25% (a percent sign divides by 100)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value}")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    divisor = 1.0
    if text.endswith("%"):
        text, divisor = text[:-1].strip(), 100.0  # dividing keeps 70% at exactly 0.7
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        return float(text) / divisor
    except ValueError:
        raise ValueError(f"expected a number, got {value!r}") from None


def parse_count(value) -> int:
    number = parse_number(value)
    if number != int(number):
        raise ValueError(f"expected a whole number, got {value!r}")
    return int(number)


def parse_tiers(value) -> list[dict]:
    """'20%:50%; 30%:100%' or '0.2:0.5; 0.3:1' -> [{'min_rate': 0.2, 'payout': 0.5}, ...]."""
    tiers = []
    for part in str(value).split(";"):
        if not part.strip():
            continue
        pieces = part.split(":")
        if len(pieces) != 2:
            raise ValueError(f"write each tier as from-rate:payout, such as 20%:50%; got {part.strip()!r}")
        tiers.append({"min_rate": parse_number(pieces[0]), "payout": parse_number(pieces[1])})
    return tiers


def parse_field(name: str, value):
    """A cell's value as the deal format wants the field (raises ValueError with a plain message)."""
    if name in ("basis", "data_source"):
        return str(value).strip()
    if name in TEXT_FIELDS:
        return str(value)
    if name in COUNT_FIELDS:
        return parse_count(value)
    if name == "tiers":
        return parse_tiers(value)
    return parse_number(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def header_field(header) -> str:
    """'Expected rate', 'expected-rate' and 'expected_rate' all name the expected_rate field."""
    return re.sub(r"[\s\-]+", "_", str(header or "").strip().lower())


# ---------------------------------------------------------------- files


def _csv_rows(raw: bytes) -> list[list]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # what older spreadsheet programs save as "CSV"
    first = text.splitlines()[0] if text.strip() else ""
    # Judge the delimiter by the header alone: tier text in the rows holds semicolons.
    delimiter = max(",;\t", key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(raw: bytes) -> tuple[str, list[list]]:
    wb = load_workbook(io.BytesIO(raw), data_only=True, read_only=True)
    ws = wb.worksheets[0]
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    wb.close()
    return ws.title, rows


def _read_bytes(data: bytes | str | Path, filename: str) -> bytes:
    if isinstance(data, bytes):
        return data
    try:
        return Path(data).read_bytes()
    except OSError as error:
        raise DealError([Problem("", f"cannot read the file ({error.strerror})")], filename) from None


def _table(raw: bytes, filename: str) -> tuple[str | None, list[list]]:
    if raw[:2] == b"PK":  # an .xlsx is a zip archive
        try:
            return _xlsx_rows(raw)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            problem = Problem("", "this is not a readable Excel workbook (.xlsx)")
            raise DealError([problem], filename) from None
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise DealError([Problem("", "this is not an Excel workbook (.xlsx), though its name says so")],
                        filename)
    if b"\x00" in raw:
        raise DealError([Problem("", "this is neither a CSV file nor an Excel workbook (.xlsx)")], filename)
    return None, _csv_rows(raw)


def read_rate_card(data: bytes | str | Path, filename: str) -> RateCard:
    """The outcomes of a CSV or XLSX rate card, or DealError with one problem per bad cell."""
    sheet, rows = _table(_read_bytes(data, filename), filename)
    card = RateCard(filename, [], [], sheet=sheet)
    header_at = next((i for i, row in enumerate(rows) if any(not is_blank(v) for v in row)), None)
    if header_at is None:
        raise DealError([Problem(card.where(), "the rate card is empty")], filename)
    problems, columns = _columns(card, rows[header_at], header_at + 1)
    for offset, row in enumerate(rows[header_at + 1:]):
        number = header_at + 2 + offset
        if all(is_blank(v) for v in row):
            continue
        outcome = {}
        for index, name in columns.items():
            value = row[index] if index < len(row) else None
            if is_blank(value):
                continue
            try:
                outcome[name] = parse_field(name, value)
            except ValueError as error:
                problems.append(Problem(card.where(number, name), str(error)))
        if "name" not in outcome and "name" in columns.values():
            problems.append(Problem(card.where(number, "name"), "every outcome needs a name"))
        card.outcomes.append(outcome)
        card.rows.append(number)
    if not card.outcomes and not problems:
        problems.append(Problem(card.where(), "the rate card has a header row but no outcomes"))
    if problems:
        raise DealError(problems, filename)
    return card


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

    Scenario rates for outcomes the rate card no longer has are dropped; the rest are kept.
    """
    names = {o.get("name") for o in outcomes}
    scenarios = [
        s | {"rates": {k: v for k, v in s.get("rates", {}).items() if k in names}}
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
