"""The deal library as the app uses it: one Library per server process, the session's workspace,
the library identity of the deal being edited, and the actions the Library page and the sidebar offer.

Every action is an on_click callback: it calls the store, updates the session keys (ui/state.py) and
says what happened once, above the page (state.APP). A refusal from the store is said in its own
plain sentence; a stale save is kept as a question (state.LIB_CONFLICT) with two ways on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from obc_calc.core.model import Deal
from obc_calc.core.model_rules import name_key
from obc_calc.store.library import Library, LibraryError, Workspace
from ui import state

DEFAULT = "default"  # the workspace that needs no code
URL_VARIABLE = "OBC_DATABASE_URL"


@dataclass(frozen=True)
class LibraryDeal:
    """Which saved version the deal being edited is: its workspace, its name there and its version."""
    workspace: str
    name: str
    version: int


@st.cache_resource(show_spinner=False)
def _open_library(url: str | None) -> Library:
    return Library(url)


def library() -> Library:
    """The server process's one Library (opened at first use, shared by every session); raises
    LibraryError when the database cannot be opened."""
    return _open_library(os.environ.get(URL_VARIABLE) or None)


def workspace() -> Workspace:
    """The session's workspace: the default one until the user joins or creates another."""
    if st.session_state.get(state.LIB_WORKSPACE) is None:
        st.session_state[state.LIB_WORKSPACE] = library().workspace(DEFAULT)
    return st.session_state[state.LIB_WORKSPACE]


def identity() -> LibraryDeal | None:
    return st.session_state.get(state.LIB_DEAL)


def tell(text: str, kind: str = "success", icon: str | None = None) -> None:
    state.flash(text, kind, icon, where=state.APP)


def refused(error: LibraryError) -> None:
    tell(str(error), "warning", ":material/block:")


# ---- which version a save is based on --------------------------------------------------------

def latest_version(ws: Workspace, name: str) -> int | None:
    """The newest version of the deal called `name` in the workspace (trash included), None if none."""
    found = [s.latest for s in ws.deals() + ws.trash() if name_key(s.deal) == name_key(name)]
    return found[0] if found else None


def based_on(ws: Workspace, deal: Deal) -> int | None:
    """The version the deal being edited was opened or saved as, when it is this workspace's deal of
    the same name; None when it is new here (a sample, a file, a renamed deal, another workspace)."""
    own = identity()
    if own is None or own.workspace != ws.name or name_key(own.name) != name_key(deal.name):
        return None
    return own.version


# ---- saving ----------------------------------------------------------------------------------

def save_current(on_top: bool = False) -> None:
    """on_click: save the deal being edited as a new version, based on the version it came from.

    A save based on an older version than the newest, or a new deal whose name is already taken, is
    not made: the question is kept, with "Open the newer version" and "Save on top of it anyway"
    (on_top: based on the newest version, knowingly)."""
    st.session_state[state.LIB_CONFLICT] = None
    deal, parent = state.current(), None
    try:
        ws = workspace()
        latest = latest_version(ws, deal.name)
        parent = latest if on_top else based_on(ws, deal)
        if parent is None and latest is not None:
            st.session_state[state.LIB_CONFLICT] = (deal.name, latest, (
                f"{deal.name}: a deal by this name is already in the workspace {ws.name} (version {latest} "
                "is its newest), and the deal you are editing was not opened from it; nothing was saved. "
                f"Open version {latest}, or save on top of it knowingly."))
            return
        note = st.session_state.get(state.LIB_NOTE, "") or ""
        author = state.kept_values().get(state.LIB_AUTHOR, "") or ""
        info = ws.save(deal, note=note.strip(), author=author.strip(), parent=parent)
    except LibraryError as error:
        newest = latest_or_none(deal.name)
        if parent is not None and newest is not None and newest > parent:
            st.session_state[state.LIB_CONFLICT] = (deal.name, newest, str(error))
        else:
            refused(error)
        return
    st.session_state[state.BASELINE] = deal
    st.session_state[state.LIB_DEAL] = LibraryDeal(ws.name, info.deal, info.version)
    st.session_state[state.LIB_NOTE] = ""
    amends = f", an amendment of signed version {info.amends}" if info.amends else ""
    tell(f'Saved "{info.deal}" as version {info.version}{amends}.', icon=":material/save:")


def latest_or_none(name: str) -> int | None:
    try:
        return latest_version(workspace(), name)
    except LibraryError:
        return None


# ---- opening, with a question first when the deal being edited has unsaved changes -------------

def ask_first(what: str, action: Callable, *args) -> None:
    """on_click: run `action(*args)` (an open) at once, or, when the deal being edited has unsaved
    changes, keep it as a question: the app asks before dropping them (go_ahead, keep_editing)."""
    if state.unsaved():
        st.session_state[state.LIB_PENDING] = (what, action, args)
    else:
        st.session_state[state.LIB_PENDING] = None
        action(*args)


def go_ahead() -> None:
    pending = st.session_state.get(state.LIB_PENDING)
    st.session_state[state.LIB_PENDING] = None
    if pending:
        _, action, args = pending
        action(*args)


def keep_editing() -> None:
    st.session_state[state.LIB_PENDING] = None


def open_version(name: str, version: int | None = None) -> None:
    """Open a saved version (None: the newest) as the deal being edited."""
    try:
        ws = workspace()
        deal, info = ws.open(name, version)
    except LibraryError as error:
        refused(error)
        return
    state.open_deal(deal, LibraryDeal(ws.name, info.deal, info.version))
    st.session_state[state.LIB_CONFLICT] = None
    tell(f'Opened "{info.deal}", version {info.version}.', icon=":material/folder_open:")


# ---- workspaces --------------------------------------------------------------------------------

def join() -> None:
    name = (st.session_state.get(state.LIB_JOIN_NAME) or "").strip()
    code = (st.session_state.get(state.LIB_JOIN_CODE) or "").strip()
    try:
        st.session_state[state.LIB_WORKSPACE] = library().workspace(name or DEFAULT, code or None)
    except LibraryError as error:
        refused(error)
        return
    st.session_state[state.LIB_JOIN_CODE] = ""
    tell(f"Joined the workspace {name or DEFAULT}.", icon=":material/group:")


def create() -> None:
    name = (st.session_state.get(state.LIB_CREATE_NAME) or "").strip()
    if not name:
        tell("Type a name for the new workspace first.", "warning")
        return
    try:
        code = library().create_workspace(name)
        st.session_state[state.LIB_WORKSPACE] = library().workspace(name, code)
    except LibraryError as error:
        refused(error)
        return
    st.session_state[state.LIB_CREATE_NAME] = ""
    st.session_state[state.LIB_NEW_CODE] = (name, code)


def use_default() -> None:
    try:
        st.session_state[state.LIB_WORKSPACE] = library().workspace(DEFAULT)
    except LibraryError as error:
        refused(error)
        return
    tell("Using the default workspace.", icon=":material/group:")


# ---- signing and the trash -----------------------------------------------------------------------

def ask_to_sign(name: str, version: int) -> None:
    st.session_state[state.LIB_SIGNING] = (name, version)


def sign() -> None:
    name, version = st.session_state.pop(state.LIB_SIGNING)
    _run(lambda ws: ws.sign(name, version),
         f"Signed version {version} of {name}. It is frozen; the next save becomes an amendment of it.")


def cancel_signing() -> None:
    st.session_state[state.LIB_SIGNING] = None


def delete(name: str) -> None:
    _run(lambda ws: ws.delete(name), f"Moved {name} to the trash. Restore it from the trash below.")


def restore(name: str) -> None:
    _run(lambda ws: ws.restore(name), f"Restored {name} from the trash.")


def _run(action: Callable[[Workspace], object], done: str) -> None:
    try:
        action(workspace())
    except LibraryError as error:
        refused(error)
        return
    tell(done)


def workspace_deals() -> dict[str, Deal]:
    """The newest version of every deal of the open workspace, by 'name (version N)'."""
    ws = workspace()
    opened = [ws.open(summary.deal) for summary in ws.deals()]
    return {f"{info.deal} (version {info.version})": deal for deal, info in opened}
