"""ui/state.py as plain functions (no AppTest): the flash messages and the kept widget values."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ui import state


@pytest.fixture
def shown(monkeypatch):
    """A session of plain dicts; the alerts drawn are recorded as (kind, text, icon)."""
    drawn: list[tuple] = []
    monkeypatch.setattr(state, "st", SimpleNamespace(session_state={}))
    monkeypatch.setattr(state, "FLASH_KINDS", {
        kind: (lambda text, icon=None, kind=kind: drawn.append((kind, text, icon)))
        for kind in ("success", "info", "warning")})
    return drawn


def test_a_flash_is_shown_once_where_it_belongs(shown):
    state.flash("Opened the sample deal.")
    state.flash("The link could not be opened.", "warning", ":material/link_off:", where=state.APP)
    state.show_flash()
    assert shown == [("success", "Opened the sample deal.", None)]
    state.show_flash()  # said once
    assert len(shown) == 1
    state.show_flash(state.APP)
    assert shown[-1] == ("warning", "The link could not be opened.", ":material/link_off:")
    assert state.st.session_state[state.FLASH] == []


def test_kept_values_come_back_when_the_widget_is_drawn_again(shown):
    args = state.kept(state.PROVIDER_FIXED, 0.0, state.PROVIDER_PER_STUDENT)
    assert args == {"key": state.PROVIDER_FIXED, "on_change": state.keep,
                    "args": (state.PROVIDER_FIXED, state.PROVIDER_PER_STUDENT)}
    session = state.st.session_state
    session[state.PROVIDER_FIXED], session[state.PROVIDER_PER_STUDENT] = 50_000.0, 900.0
    state.keep(*args["args"])
    del session[state.PROVIDER_FIXED]  # Streamlit forgets a widget on a page without it
    state.kept(state.PROVIDER_FIXED, 0.0)
    assert session[state.PROVIDER_FIXED] == 50_000.0
    assert state.kept_values() == {state.PROVIDER_FIXED: 50_000.0, state.PROVIDER_PER_STUDENT: 900.0}


def test_every_key_is_named_once():
    keys = {name: value for name, value in vars(state).items()
            if name.isupper() and isinstance(value, str) and name not in ("FIRST_SAMPLE", "LINK_PARAM")}
    doubled = {value for value in keys.values() if list(keys.values()).count(value) > 1}
    assert doubled <= {"page"}, doubled  # PAGE is a place for flashes, not a session key
