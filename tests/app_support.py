"""Helpers for the tests that drive the Streamlit app under streamlit.testing (AppTest).

Every run goes through app.py, as a browser's does, so its router, sidebar and share link run on
every page (app_pages/ is not Streamlit's legacy pages/ folder, so AppTest never runs a page alone).
"""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_to_dict
from ui.widgets import TYPED

ROOT = Path(__file__).resolve().parent.parent
MATH = ROOT / "sample_data" / "math_tutoring.json"
LITERACY = ROOT / "sample_data" / "literacy_tutoring.json"


def start(sample: str | None = None, link: str | None = None, url: str | None = None,
          deal: Deal | None = None) -> AppTest:
    """The app's first run, opened from a share link (the `deal` query) and at an address, or with a
    deal already open, if given; then the Home page button of a sample deal (or "Start blank")
    pressed, if named."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if deal is not None:  # what state.load does when the user opens a deal
        at.session_state["deal"] = deal
        at.session_state["deal_dict"] = deal_to_dict(deal)
        at.session_state["deal_version"] = 1
    if link is not None:
        at.query_params["deal"] = link
    if url is not None:
        at.context = {"url": url}
    act(at)
    if sample is not None:
        act(button(at, sample).click())
    return at


def go(at: AppTest, path: str) -> AppTest:
    """Move to the page at `path` (one of app.PAGES), as its menu entry does."""
    return act(at.switch_page(path))


def act(target) -> AppTest:
    """Run the app after a click, a new value or a page switch (or just again), and check that it
    ran cleanly. `target` is the widget acted on, or the AppTest itself."""
    at = target.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def editor_key(at: AppTest, name: str) -> str:
    """The widget key of the data editor tables.base_frame(name) feeds (see tables.editor_key)."""
    counters = at.session_state.get("editor_counters", {})
    return f"{name}_editor_{at.session_state['deal_version']}_{counters.get(name, 0)}"


def edit_table(at: AppTest, name: str, edited_rows: dict | None = None, added_rows: list | None = None,
               deleted_rows: list | None = None) -> AppTest:
    """Edit, add or delete rows of that data editor, as the browser reports a user's edits, and run."""
    at.session_state[editor_key(at, name)] = {
        "edited_rows": edited_rows or {}, "added_rows": added_rows or [], "deleted_rows": deleted_rows or []}
    return act(at)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def money_box(at: AppTest, key: str):
    """The text box of the money input (ui.widgets.money_input) whose amount is kept at `key`."""
    return at.text_input(key=key + TYPED)


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def plain(markdown: str) -> str:
    """Markdown as it reads on screen: the pages escape the user's own '_', '$' and the like."""
    return re.sub(r"\\(.)", r"\1", markdown)
