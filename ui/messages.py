"""Problems as sentences a person can act on: where (page, table, row, field) and what is wrong."""

from __future__ import annotations

import re

import streamlit as st

from obc_calc.core.errors import Problem
from ui import state

FIELD_LABELS = {
    "name": "name", "district": "district", "provider": "provider", "program": "program",
    "students": "students", "total_cost": "total cost", "performance_share": "performance share",
    "base_basis": "base basis", "start": "start month", "months": "length in months",
    "fiscal_year_start_month": "fiscal year start", "base_upfront_share": "base paid up front",
    "metric": "metric", "threshold": "threshold", "threshold_value": "threshold value",
    "basis": "basis", "weight": "weight", "expected_rate": "expected rate",
    "eligible_students": "eligible students", "target_rate": "target rate", "floor_rate": "floor rate",
    "tiers": "tiers", "data_source": "data source", "paid_in_month": "month paid",
    "students_served": "students served", "commitments_met": "commitments met",
    "description": "description", "min_rate": "from rate", "payout": "payout",
    "correlation": "correlation between outcomes", "commitments_miss_probability":
    "chance the district misses its commitments", "students_served_low": "students served, low end",
    "students_served_high": "students served, high end",
}


TABLE_NAMES = {"outcomes": "Rate card", "scenarios": "Scenarios", "commitments": "District commitments"}


RATE_RANGE = re.compile(r"^outcomes\[(\d+)\]\.rate_(low|high)$")  # edited on the Risk page


MAX_PROBLEMS = 12  # listed for a file that cannot be used: a wrong one (a whole workbook) can hold hundreds


def sentence(problem: Problem, data: dict) -> str:
    """'outcomes[1].target_rate: ...' -> 'Rate card, row 2 (Math growth), target rate: ...'."""
    where = _place(problem.path, data)
    message = capitalized(problem.message)
    return f"{where}: {message}." if where else f"{message}."


def edit_sentence(problem: Problem, data: dict) -> str:
    """A `sentence` that names the page to go to when an edit here is refused for a field set on another."""
    path, text = problem.path, sentence(problem, data)
    page = ("Risk" if path.startswith("risk.") or RATE_RANGE.match(path)
            else TABLE_NAMES[path.split("[")[0]] if path.startswith(("outcomes", "scenarios"))
            else "Deal & split" if path else None)
    if page in (None, st.session_state.get(state.PAGE_SHOWN)):
        return text
    if text.startswith(page):  # a row of the Rate card's or Scenarios' table, named after its page
        return f"{page} page{text[len(page):]}"
    return f"{page} page, {text[:1].lower()}{text[1:]}"


def cell_sentence(problem: Problem) -> str:
    """A problem whose path already says where in a file: ('sheet Rate Card, row 3, column Weight',
    'expected a number') -> 'Sheet Rate Card, row 3, column Weight: Expected a number.'"""
    message = capitalized(problem.message)
    return f"{capitalized(problem.path)}: {message}." if problem.path else f"{message}."


def capitalized(text: str) -> str:
    """Only the first letter raised: str.capitalize would lower the rest (names, 'FY2027')."""
    return text[:1].upper() + text[1:]


def _place(path: str, data: dict) -> str:
    row = re.match(r"^(outcomes|scenarios|commitments)\[(\d+)\]\.?(.*)$", path)
    if not row:
        return TABLE_NAMES.get(path) or (_field_label(path).capitalize() if path else "")
    table, index, rest = row.group(1), int(row.group(2)), row.group(3)
    items = data.get(table) or []
    name = items[index].get("name") if index < len(items) and isinstance(items[index], dict) else None
    if RATE_RANGE.match(path):  # set on the Risk page, in its table of rate ranges
        return f"Rate ranges, {name or f'row {index + 1}'}, {rest.removeprefix('rate_')}"
    label = f"{TABLE_NAMES[table]}, row {index + 1}" + (f" ({name})" if name else "")
    return f"{label}, {_field_label(rest)}" if rest else label


def _field_label(rest: str) -> str:
    rates = re.match(r"^rates\.(.+)$", rest)
    if rates:
        return f"rate for {rates.group(1)}"
    tier = re.match(r"^tiers\[(\d+)\]\.(\w+)$", rest)
    if tier:
        return f"tier {int(tier.group(1)) + 1} {FIELD_LABELS.get(tier.group(2), tier.group(2))}"
    last = rest.split(".")[-1]
    return FIELD_LABELS.get(last, last.replace("_", " "))


def show_problems(lines: list[str]) -> None:
    if lines:
        st.error("This change was not applied; the figures still show the last valid deal.\n\n"
                 + bullets(lines))


def first_problems(lines: list[str]) -> list[str]:
    """The first MAX_PROBLEMS sentences, then how many more there are."""
    more = len(lines) - MAX_PROBLEMS
    return lines[:MAX_PROBLEMS] + ([f"...and {more} more problems."] if more > 0 else [])


def markdown_text(text: str) -> str:
    """User or file text shown in markdown as typed: '$' would start LaTeX, '*' or '_' emphasis."""
    return re.sub(r"([\\`*_{}\[\]<>#|$~])", r"\\\1", text)


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
