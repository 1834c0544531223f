"""Formats, metrics and flags shared by the pages."""

from __future__ import annotations

import streamlit as st

from obc_calc.core import money as core_money
from obc_calc.core import report
from obc_calc.core.bases import LABELS
from obc_calc.core.flags import Flag
from obc_calc.core.limits import MAX_STUDENTS, file_slug
from obc_calc.core.model import Deal
from obc_calc.core.scenarios import ScenarioResult
from ui import state

BASIS_LABELS = LABELS  # the payment bases' labels, as the app shows them (one record each in core.bases)


# The bound of the students' number inputs: the limit is exclusive.
STUDENTS_INPUT_MAX = MAX_STUDENTS - 1


# A money box keeps its amount at its key and the text shown at the key with this suffix.
TYPED = "_typed"


def money(value: float | None, cents: bool = False) -> str:
    """Dollars with thousands separators; whole dollars unless cents matter (per pupil)."""
    return core_money.money(value, with_cents=cents)


def money_input(where, label: str, key: str, value: float, on_change=None, args: tuple = (),
                help_text: str | None = None) -> float:
    """A box for dollars that reads like money ($1,775,000): Streamlit's number box cannot show
    thousands separators, so this is a text box read by obc_calc.core.money.parse_money.

    The amount lives at `key`, as a number box's would: it starts at `value` when the box appears
    (on arriving at the page, like state.seed), callbacks may set it, and the text always shows it.
    A typed amount is put at `key` before `on_change(*args)` runs; text that is not an amount is
    refused with one sentence, kept as the problems of `key`, and the box shows the amount again.
    """
    typed_key = key + TYPED
    if typed_key not in st.session_state or key not in st.session_state:
        st.session_state[key] = value
        state.set_problems(key, [])
    st.session_state[typed_key] = core_money.typed_money(st.session_state[key])
    where.text_input(label, key=typed_key, on_change=money_typed, args=(key, label, on_change, args),
                     help=help_text)
    return st.session_state[key]


def money_typed(key: str, label: str, on_change, args: tuple) -> None:
    """on_change of a money box: the typed amount at `key`, then the caller's callback."""
    try:
        st.session_state[key] = core_money.parse_money(st.session_state[key + TYPED],
                                                       label.removesuffix(" ($)"))
    except ValueError as error:
        state.set_problems(key, [str(error)])
        return
    state.set_problems(key, [])
    if on_change is not None:
        on_change(*args)


def percent(value: float | None, digits: int = 1) -> str:
    return core_money.percent(value, digits)


def percent_or_dash(value: float | None) -> str:
    """A percent, or a dash where a table has no figure (a field the basis does not use, no pool)."""
    return "—" if value is None else percent(value)


def slug(text: str, empty: str) -> str:
    """A file name from a deal's name: 'Math Tutoring 2026-27' -> 'math_tutoring_2026_27'."""
    return file_slug(text, "_") or empty


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
