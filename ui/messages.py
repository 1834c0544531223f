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
    "student_groups": "student groups", "price_multiplier": "price multiplier",
    "group_expected_rates": "expected rates by group", "bands": "bands", "min_value": "from value",
    "expected_band_shares": "expected band shares", "group_rates": "rates by group",
    "band_shares": "band shares", "group_band_shares": "band shares by group",
    "max_penalty": "most the penalties may take back",
}


TABLE_NAMES = {"outcomes": "Rate card", "scenarios": "Scenarios", "commitments": "District commitments",
               "student_groups": "Student groups"}


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
            else "Rate card" if path.startswith(("student_groups", "max_penalty"))
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
    row = re.match(r"^(outcomes|scenarios|commitments|student_groups)\[(\d+)\]\.?(.*)$", path)
    if not row:
        return TABLE_NAMES.get(path) or (_field_label(path).capitalize() if path else "")
    table, index, rest = row.group(1), int(row.group(2)), row.group(3)
    items = data.get(table) or []
    name = items[index].get("name") if index < len(items) and isinstance(items[index], dict) else None
    if RATE_RANGE.match(path):  # set on the Risk page, in its table of rate ranges
        return f"Rate ranges, {name or f'row {index + 1}'}, {rest.removeprefix('rate_')}"
    label = f"{TABLE_NAMES[table]}, row {index + 1}" + (f" ({name})" if name else "")
    return f"{label}, {_field_label(rest)}" if rest else label


# A field keyed by an outcome or group name ('rates.Dosage'), and what to call it before the name.
BY_NAME = {"rates": "rate for", "group_rates": "rate for", "band_shares": "band shares for",
           "group_band_shares": "band shares for", "group_expected_rates": "expected rate for"}


def _field_label(rest: str) -> str:
    by_name = re.match(r"^(\w+)\.(.+)$", rest)
    if by_name and by_name.group(1) in BY_NAME:
        field, names = by_name.groups()
        if field.startswith("group_") and field != "group_expected_rates":  # outcome, then group
            names = names.replace(".", ", ", 1)
        return f"{BY_NAME[field]} {names}"
    item = re.match(r"^(tiers|bands)\[(\d+)\]\.(\w+)$", rest)
    if item:
        kind = item.group(1).removesuffix("s")
        return f"{kind} {int(item.group(2)) + 1} {FIELD_LABELS.get(item.group(3), item.group(3))}"
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
