"""The session's state, and its one owner: every key the app keeps is named here.

The deal being edited lives in two non-widget keys that survive moving between pages:
`deal_dict` (the JSON form) and `deal` (the last valid Deal, which every figure uses). An edit
builds a candidate dict and validates it; a rejected candidate leaves both keys untouched.
"""

from __future__ import annotations

import copy
from pathlib import Path

import streamlit as st

from obc_calc.core.errors import DealError
from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.io.sharelink import decode_deal, encode_deal
from ui import messages

ROOT = Path(__file__).resolve().parents[1]  # the repository: the samples live in sample_data/


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


PAGE_SHOWN = "page_shown"  # the title of the page the last run showed (app.py sets it)


KEPT = "kept_widgets"  # what the user last chose in widgets that outlive a visit to another page


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
        lines = messages.bullets([messages.sentence(problem, {}) for problem in error.problems])
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
        return [messages.edit_sentence(problem, candidate) for problem in error.problems]
    st.session_state["deal"] = deal
    st.session_state["deal_dict"] = deal_to_dict(deal)
    publish_link()
    return []


def set_problems(where: str, lines: list[str]) -> None:
    st.session_state.setdefault("problems", {})[where] = lines


def problems(where: str) -> list[str]:
    return st.session_state.get("problems", {}).get(where, [])


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
