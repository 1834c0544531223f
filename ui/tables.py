"""The editable tables: their inputs kept stable across reruns, and cell values read as typed."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st


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


# A column of names sized to them: about 7 px a character in the tables' font, plus the cell's padding;
# at most 480 px, so the figures beside a pinned column still show at 1440 px.
CHAR_PX, PADDING_PX, NARROWEST_PX, WIDEST_PX = 7, 32, 100, 480


def fit_width(texts) -> int:
    """The width, in pixels, of a column that shows these texts whole (up to WIDEST_PX)."""
    longest = max((len(text) for text in texts), default=0)
    return min(max(longest * CHAR_PX + PADDING_PX, NARROWEST_PX), WIDEST_PX)


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
