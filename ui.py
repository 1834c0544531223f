"""Shared pieces of the Streamlit app: the page list, the deal in session state, widgets that keep their
values across pages, formats and text, metrics, flags, charts.

The deal being edited lives in two non-widget keys that survive moving between pages:
`deal_dict` (the JSON form) and `deal` (the last valid Deal, which every figure uses). An edit
builds a candidate dict and validates it; a rejected candidate leaves both keys untouched.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from obc_calc.core import report
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.flags import Flag
from obc_calc.core.grid import achievement_rates, share_grid
from obc_calc.core.limits import MAX_MONEY, MAX_STUDENTS
from obc_calc.core.model import Deal
from obc_calc.core.scenarios import ScenarioResult, all_scenarios, floor, maximum
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.io.sharelink import decode_deal, encode_deal

ROOT = Path(__file__).parent
# The app's pages in menu order: (script, title, icon). app.py and the browser test both read it.
PAGES: list[tuple[str, str, str]] = [
    ("app_pages/home.py", "Home", ":material/home:"),
    ("app_pages/deal_split.py", "Deal & split", ":material/handshake:"),
    ("app_pages/rate_card.py", "Rate card", ":material/table_chart:"),
    ("app_pages/scenarios.py", "Scenarios", ":material/stacked_bar_chart:"),
    ("app_pages/budget.py", "Budget", ":material/account_balance:"),
    ("app_pages/risk.py", "Risk", ":material/casino:"),
    ("app_pages/settle_up.py", "Settle-up", ":material/receipt_long:"),
    ("app_pages/compare.py", "Compare", ":material/compare_arrows:"),
    ("app_pages/provider.py", "Provider view", ":material/storefront:"),
]
# Presentation mode shows this page alone, in place of the pages above.
PRESENTATION_PAGE = ("app_pages/present.py", "Presentation", ":material/co_present:")
SAMPLES: dict[str, Path] = {
    "Math tutoring": ROOT / "sample_data" / "math_tutoring.json",
    "Literacy tutoring": ROOT / "sample_data" / "literacy_tutoring.json",
    "Edtech software": ROOT / "sample_data" / "edtech_intervention.json",
}
SAMPLE_NOTES = {
    "Math tutoring": "Middle-school math tutoring priced like Duval County's ($670 base + up to $750 per "
                     "student), paid per achieving student.",
    "Literacy tutoring": "K-3 literacy tutoring priced like Denver's ($900 base + up to $1,500 per student): "
                         "62.5% on outcomes, above the 60% guardrail.",
    "Edtech software": "An adaptive math licence with a cohort threshold, tiers and a graduated outcome.",
}
FIRST_SAMPLE = "Math tutoring"
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
    "correlation": "correlation between outcomes", "commitments_miss_probability":
    "chance the district misses its commitments", "students_served_low": "students served, low end",
    "students_served_high": "students served, high end",
}
TABLE_NAMES = {"outcomes": "Rate card", "scenarios": "Scenarios", "commitments": "District commitments"}
RATE_RANGE = re.compile(r"^outcomes\[(\d+)\]\.rate_(low|high)$")  # edited on the Risk page
PAGE_SHOWN = "page_shown"  # the title of the page the last run showed (app.py sets it)
# Bounds of number inputs: the limits are exclusive, and money is typed in cents.
MONEY_INPUT_MAX = MAX_MONEY - 0.01
STUDENTS_INPUT_MAX = MAX_STUDENTS - 1
MAX_PROBLEMS = 12  # listed for a file that cannot be used: a wrong one (a whole workbook) can hold hundreds
KEPT = "kept_widgets"  # what the user last chose in widgets that outlive a visit to another page


# ---- the deal in session state -------------------------------------------------------------

def init_state() -> None:
    """On a session's first run, open the deal in the page's link, or else the first sample deal."""
    if "deal" in st.session_state:
        return
    shared = st.query_params.get(LINK_PARAM)
    if shared is None:
        load(load_deal(SAMPLES[FIRST_SAMPLE]))
        return
    try:
        load(decode_deal(shared))
    except DealError as error:
        load(load_deal(SAMPLES[FIRST_SAMPLE]))
        lines = bullets([sentence(problem, {}) for problem in error.problems])
        st.session_state[LINK_MESSAGE] = (
            f"The deal in this link could not be opened, so a sample deal is open instead: "
            f"{current().name}.\n\n{lines}")


def load(deal: Deal) -> None:
    """Replace the whole deal (sample, upload, blank): every editor starts again from it."""
    st.session_state["deal"] = deal
    st.session_state["deal_dict"] = deal_to_dict(deal)
    st.session_state["deal_version"] = st.session_state.get("deal_version", 0) + 1
    st.session_state["frames"] = {}
    st.session_state["replaced_frames"] = set()
    st.session_state["problems"] = {}
    publish_link()


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
        return [edit_sentence(problem, candidate) for problem in error.problems]
    st.session_state["deal"] = deal
    st.session_state["deal_dict"] = deal_to_dict(deal)
    publish_link()
    return []


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
    if page in (None, st.session_state.get(PAGE_SHOWN)):
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


def set_problems(where: str, lines: list[str]) -> None:
    st.session_state.setdefault("problems", {})[where] = lines


def problems(where: str) -> list[str]:
    return st.session_state.get("problems", {}).get(where, [])


def show_problems(lines: list[str]) -> None:
    if lines:
        st.error("This change was not applied; the figures still show the last valid deal.\n\n"
                 + bullets(lines))


def first_problems(lines: list[str]) -> list[str]:
    """The first MAX_PROBLEMS sentences, then how many more there are."""
    more = len(lines) - MAX_PROBLEMS
    return lines[:MAX_PROBLEMS] + ([f"...and {more} more problems."] if more > 0 else [])


# ---- the share link: the deal in the page's address -----------------------------------------

LINK_PARAM = "deal"
LINK_MESSAGE = "link_message"  # why the link in the address could not be opened, to say once


def publish_link() -> None:
    """Keep the current deal in the address bar, so the address is always a link to this deal.

    Setting a query parameter only rewrites the browser's address (no rerun); it is skipped when
    unchanged, and it puts the deal back when a move to another page has dropped it.
    """
    value = encode_deal(current())
    if st.query_params.get(LINK_PARAM) != value:
        st.query_params[LINK_PARAM] = value


# ---- widgets bound to one field of the deal ------------------------------------------------

def seed(key: str, value) -> None:
    """Give a widget its value from the deal when it is (re)created, e.g. on arriving at a page."""
    if key not in st.session_state:
        st.session_state[key] = value
        set_problems(key, [])


def set_field(path: tuple, value, where: str) -> list[str]:
    """Put one value at `path` in a candidate and keep it if the deal stays valid; the problems if not."""
    candidate = deal_data()
    target = candidate
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value
    lines = apply(candidate)
    set_problems(where, lines)
    return lines


def commit(key: str, path: tuple, scale: float = 1.0) -> None:
    """on_change callback: the widget at `key` sets the field at `path` (divided by `scale`).

    A refused value is taken back, so that the widget shows what the deal holds, next to the reason.
    """
    value = st.session_state[key]
    if scale != 1.0 and value is not None:
        value = value / scale
    if set_field(path, value, key):
        kept = current()
        for part in path:
            kept = getattr(kept, part)
        st.session_state[key] = kept * scale if scale != 1.0 else kept


# ---- widgets whose value outlives a visit to another page --------------------------------------

def kept(key: str, default, *together: str) -> dict:
    """Widget arguments (key, on_change, args) for a value that survives visits to other pages.

    Streamlit forgets a widget's value when a page without it runs, so each change is copied to a
    plain session key and given back when the widget is drawn again. `together` names widgets
    whose values are kept along with this one's, as one entry.
    """
    if key not in st.session_state:
        st.session_state[key] = kept_values().get(key, default)
    return {"key": key, "on_change": keep, "args": (key, *together)}


def keep(*keys: str) -> None:
    """on_change callback: copy these widgets' values to the plain session key."""
    values = kept_values()
    for key in keys:
        values[key] = st.session_state[key]


def kept_values() -> dict:
    """The values kept so far, by widget key; a widget not yet changed has none."""
    return st.session_state.setdefault(KEPT, {})


def uploader_key(name: str) -> str:
    # A new key empties the uploader, so that it stops showing a file once the page is done with it.
    return f"{name}_{st.session_state.get(name + '_uploads', 0)}"


def empty_uploader(name: str) -> None:
    st.session_state[name + "_uploads"] = st.session_state.get(name + "_uploads", 0) + 1


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


def count(value: float) -> int | float:
    """A count typed in a table cell, as a whole number; infinity is left for the deal's check to refuse."""
    return int(round(value)) if math.isfinite(value) else value


# ---- formats -------------------------------------------------------------------------------

def money(value: float | None, cents: bool = False) -> str:
    """Dollars with thousands separators; whole dollars unless cents matter (per pupil)."""
    return report.money(value, with_cents=cents)


def percent(value: float | None, digits: int = 1) -> str:
    return report.percent(value, digits)


def percent_or_dash(value: float | None) -> str:
    """A percent, or a dash where a table has no figure (a field the basis does not use, no pool)."""
    return "—" if value is None else percent(value)


def markdown_text(text: str) -> str:
    """User or file text shown in markdown as typed: '$' would start LaTeX, '*' or '_' emphasis."""
    return re.sub(r"([\\`*_{}\[\]<>#|$~])", r"\\\1", text)


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def slug(text: str, empty: str) -> str:
    """A file name from a deal's name: 'Math Tutoring 2026-27' -> 'math_tutoring_2026_27'."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or empty


def parties(deal: Deal) -> str:
    """'District and Provider: ', or nothing when the deal names neither; heads a deal's caption."""
    who = " and ".join(part for part in (deal.district, deal.provider) if part)
    return f"{who}: " if who else ""


def right_aligned(columns) -> dict:
    """Column settings for text columns holding figures (money, percents), aligned like numbers."""
    right = st.column_config.TextColumn(alignment="right")
    return dict.fromkeys(columns, right)


def total_metric(column, label: str, deal_report: report.DealReport, result: ScenarioResult,
                 help_text: str | None = None) -> None:
    """A scenario's total, with its per-pupil price under it."""
    per_pupil = money(deal_report.per_pupil(result), cents=True)
    column.metric(label, money(result.total), f"{per_pupil} per pupil", delta_color="off", delta_arrow="off",
                  border=True, help=help_text)


def share_metric(column, deal: Deal, help_text: str | None = None) -> None:
    """The share of the price paid on outcomes, with the pool in dollars under it."""
    column.metric("Performance share", percent(deal.performance_share),
                  f"pool {money(deal.performance_pool)}", delta_color="off", delta_arrow="off", border=True,
                  help=help_text)


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
               y_money: bool = True, key: str | None = None, large: bool = False) -> None:
    """Every chart gets a title, labelled axes with units, and dollar or percent ticks.

    `large` is for a projector: fonts read from the back of a room and a taller plot.
    """
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title,
                      legend_title_text="", margin={"t": 60, "b": 40}, hovermode="x unified")
    if large:  # each part's size set on its own: the Streamlit chart theme overrides a general font size
        fig.update_layout(font_size=20, title_font_size=30, legend_font_size=20, height=640,
                          margin={"t": 90, "b": 60})
        fig.update_xaxes(tickfont_size=20, title_font_size=22)
        fig.update_yaxes(tickfont_size=20, title_font_size=22)
        fig.update_annotations(font_size=22)
    if x_percent:
        fig.update_xaxes(tickformat=".0%")
    if y_money:
        fig.update_yaxes(tickprefix="$", tickformat=",.0f", rangemode="tozero")
    st.plotly_chart(fig, key=key)


GRID_SHARES = [0.1, 0.2, 0.4, 0.6]  # splits drawn next to the deal's own in the cost-curve chart


def scenario_results(deal: Deal) -> list[ScenarioResult]:
    """The maximum, the expected case, the deal's scenarios and the floor, in the order charts show them."""
    return [maximum(deal), *all_scenarios(deal), floor(deal)]


def stacked_chart(deal: Deal, results: list[ScenarioResult], key: str, large: bool = False) -> None:
    names = [r.name for r in results]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=[r.base for r in results], name="Base"))
    for i, outcome in enumerate(deal.outcomes):
        fig.add_trace(go.Bar(x=names, y=[r.outcomes[i].payment for r in results], name=outcome.name))
    fig.add_hline(y=deal.total_cost, line_dash="dash", line_color="#b91c1c",
                  annotation_text=f"Maximum {money(deal.total_cost)}", annotation_position="top left")
    fig.update_layout(barmode="stack")
    show_chart(fig, "What the district pays in each scenario, against the maximum", "Scenario",
               "Payment ($)", key=key, large=large)


def grid_chart(deal: Deal, key: str, large: bool = False) -> None:
    shares = sorted(set(GRID_SHARES) | {deal.performance_share})
    grid = share_grid(deal, shares, achievement_rates())
    fig = go.Figure()
    for share in shares:
        mine = share == deal.performance_share
        fig.add_trace(go.Scatter(
            x=grid["Achievement rate"], y=grid[share], mode="lines",
            name=f"{percent(share)} on outcomes" + (" (this deal)" if mine else ""),
            line={"width": (6 if large else 4) if mine else 2, "dash": "solid" if mine else "dot"},
        ))
    show_chart(fig, f"Total cost as achievement rises, for several splits of {money(deal.total_cost)}",
               "Achievement rate (every outcome at this rate)", "Total cost to the district ($)",
               x_percent=True, key=key, large=large)
