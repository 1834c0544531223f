"""Shared pieces of the Streamlit app: the page list, the deal in session state, formats, flags, charts.

The deal being edited lives in two non-widget keys that survive moving between pages:
`deal_dict` (the JSON form) and `deal` (the last valid Deal, which every figure uses). An edit
builds a candidate dict and validates it; a rejected candidate leaves both keys untouched.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from obc_calc import report
from obc_calc.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.errors import DealError, Problem
from obc_calc.flags import Flag
from obc_calc.model import Deal

ROOT = Path(__file__).parent
# The app's pages in menu order: (script, title, icon). app.py and the browser test both read it.
PAGES: list[tuple[str, str, str]] = [
    ("pages/home.py", "Home", ":material/home:"),
    ("pages/deal_split.py", "Deal & split", ":material/handshake:"),
    ("pages/rate_card.py", "Rate card", ":material/table_chart:"),
    ("pages/scenarios.py", "Scenarios", ":material/stacked_bar_chart:"),
    ("pages/budget.py", "Budget", ":material/account_balance:"),
    ("pages/risk.py", "Risk", ":material/casino:"),
    ("pages/settle_up.py", "Settle-up", ":material/receipt_long:"),
    ("pages/compare.py", "Compare", ":material/compare_arrows:"),
    ("pages/provider.py", "Provider view", ":material/storefront:"),
]
SAMPLES: dict[str, Path] = {
    "Math tutoring (per-student payments)": ROOT / "sample_data" / "math_tutoring.json",
    "Literacy tutoring (62.5% on outcomes)": ROOT / "sample_data" / "literacy_tutoring.json",
    "Edtech software (threshold, tiers, graduated)": ROOT / "sample_data" / "edtech_intervention.json",
}
FIRST_SAMPLE = "Math tutoring (per-student payments)"
BLANK_DEAL = {
    "schema_version": 1,
    "name": "New deal",
    "students": 100,
    "total_cost": 100000,
    "performance_share": 0.3,
    "outcomes": [{"name": "Outcome 1", "metric": "", "threshold": "", "basis": "per_student",
                  "weight": 1.0, "expected_rate": 0.5}],
}
BASIS_LABELS = {
    "per_student": "per student",
    "cohort_threshold": "cohort threshold",
    "tiered": "tiered",
    "linear": "graduated (linear)",
}
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
    "rate_low": "low end of the rate range", "rate_high": "high end of the rate range",
}
TABLE_NAMES = {"outcomes": "Rate card", "scenarios": "Scenarios", "commitments": "District commitments"}


# ---- the deal in session state -------------------------------------------------------------

def init_state() -> None:
    """On a session's first run, open the first sample deal."""
    if "deal" not in st.session_state:
        load(load_deal(SAMPLES[FIRST_SAMPLE]))


def load(deal: Deal) -> None:
    """Replace the whole deal (sample, upload, blank): every editor starts again from it."""
    st.session_state["deal"] = deal
    st.session_state["deal_dict"] = deal_to_dict(deal)
    st.session_state["deal_version"] = st.session_state.get("deal_version", 0) + 1
    st.session_state["frames"] = {}
    st.session_state["replaced_frames"] = set()
    st.session_state["problems"] = {}


def current() -> Deal:
    return st.session_state["deal"]


def deal_data() -> dict:
    """A copy of the deal's JSON form to build a candidate from."""
    return copy.deepcopy(st.session_state["deal_dict"])


def apply(candidate: dict) -> list[str]:
    """Adopt the candidate if it is a valid deal; otherwise return one sentence per problem."""
    try:
        deal = deal_from_dict(candidate)
    except DealError as error:
        return [sentence(problem, candidate) for problem in error.problems]
    st.session_state["deal"] = deal
    st.session_state["deal_dict"] = deal_to_dict(deal)
    return []


def sentence(problem: Problem, data: dict) -> str:
    """'outcomes[1].target_rate: ...' -> 'Rate card, row 2 (Math growth), target rate: ...'."""
    where = _place(problem.path, data)
    message = problem.message[:1].upper() + problem.message[1:]
    return f"{where}: {message}." if where else f"{message}."


def _place(path: str, data: dict) -> str:
    row = re.match(r"^(outcomes|scenarios|commitments)\[(\d+)\]\.?(.*)$", path)
    if row:
        table, index, rest = row.group(1), int(row.group(2)), row.group(3)
        items = data.get(table) or []
        name = items[index].get("name") if index < len(items) and isinstance(items[index], dict) else None
        label = f"{TABLE_NAMES[table]}, row {index + 1}" + (f" ({name})" if name else "")
        return f"{label}, {_field_label(rest)}" if rest else label
    if path in TABLE_NAMES:
        return TABLE_NAMES[path]
    return _field_label(path).capitalize() if path else ""


def _field_label(rest: str) -> str:
    rates = re.match(r"^rates\.(.+)$", rest)
    if rates:
        return f"rate for {rates.group(1)}"
    tier = re.match(r"^tiers\[(\d+)\]\.(\w+)$", rest)
    if tier:
        return f"tier {int(tier.group(1)) + 1} {FIELD_LABELS.get(tier.group(2), tier.group(2))}"
    last = rest.split(".")[-1]
    return FIELD_LABELS.get(last, last.replace("_", " "))


def set_problems(where: str, lines: list[str]) -> None:
    st.session_state.setdefault("problems", {})[where] = lines


def problems(where: str) -> list[str]:
    return st.session_state.get("problems", {}).get(where, [])


def show_problems(lines: list[str]) -> None:
    if lines:
        st.error("This change was not applied; the figures still show the last valid deal.\n\n"
                 + "\n".join(f"- {line}" for line in lines))


# ---- widgets bound to one field of the deal ------------------------------------------------

def seed(key: str, value) -> None:
    """Give a widget its value from the deal when it is (re)created, e.g. on arriving at a page."""
    if key not in st.session_state:
        st.session_state[key] = value
        set_problems(key, [])


def set_field(path: tuple, value, where: str) -> None:
    """Put one value at `path` in a candidate and keep it if the deal stays valid."""
    candidate = deal_data()
    target = candidate
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value
    set_problems(where, apply(candidate))


def commit(key: str, path: tuple, scale: float = 1.0) -> None:
    """on_change callback: the widget at `key` sets the field at `path` (divided by `scale`)."""
    value = st.session_state[key]
    if scale != 1.0 and value is not None:
        value = value / scale
    set_field(path, value, key)


# ---- the editable tables -------------------------------------------------------------------

def editor_key(name: str) -> str:
    counters = st.session_state.setdefault("editor_counters", {})
    return f"{name}_editor_{st.session_state['deal_version']}_{counters.get(name, 0)}"


def base_frame(name: str, build):
    """The editor's input, kept unchanged while its edits live in the widget.

    Writing an editor's output back into its input loses edits, so the input is rebuilt from
    the deal only when the editor has no state of its own (first visit, back from another page).
    """
    frames = st.session_state.setdefault("frames", {})
    replaced = st.session_state.setdefault("replaced_frames", set())
    if name in replaced:  # a new input from an explicit action, shown for the first time
        replaced.discard(name)
    elif editor_key(name) not in st.session_state or name not in frames:
        frames[name] = build()
    return frames[name]


def replace_frame(name: str, frame) -> None:
    """An explicit action (rescale, add, copy) gives the editor a new input and a fresh key."""
    st.session_state.setdefault("frames", {})[name] = frame
    st.session_state.setdefault("replaced_frames", set()).add(name)
    counters = st.session_state.setdefault("editor_counters", {})
    counters[name] = counters.get(name, 0) + 1


def blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))  # NaN, NaT and pd.NA


def text(value) -> str:
    return "" if blank(value) else str(value).strip()


# ---- formats -------------------------------------------------------------------------------

def money(value: float | None, cents: bool = False) -> str:
    """Dollars with thousands separators; whole dollars unless cents matter (per pupil)."""
    return report.money(value, with_cents=cents)


def percent(value: float | None, digits: int = 1) -> str:
    return report.percent(value, digits)


def show_flags(flags: list[Flag], all_clear: str = "No flags: the split and the rate card look reasonable.",
               ) -> None:
    if not flags:
        st.success(all_clear, icon=":material/check_circle:")
    for flag in flags:
        if flag.level == "warning":
            st.warning(flag.message, icon=":material/warning:")
        else:
            st.info(flag.message, icon=":material/info:")


# ---- charts --------------------------------------------------------------------------------

def show_chart(fig: go.Figure, title: str, x_title: str, y_title: str, x_percent: bool = False,
               y_money: bool = True, key: str | None = None) -> None:
    """Every chart gets a title, labelled axes with units, and dollar or percent ticks."""
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title,
                      legend_title_text="", margin={"t": 60, "b": 40}, hovermode="x unified")
    if x_percent:
        fig.update_xaxes(tickformat=".0%")
    if y_money:
        fig.update_yaxes(tickprefix="$", tickformat=",.0f", rangemode="tozero")
    st.plotly_chart(fig, key=key)
