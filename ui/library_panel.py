"""The deal library on every page: the sidebar's block (which saved version the deal is, whether it
has unsaved changes, a save button) and the questions the app asks above the page: drop unsaved
changes to open another deal? a save was refused as stale: open the newer version or save on top?"""

from __future__ import annotations

import streamlit as st

from ui import library_state, messages, state


def sidebar_block(saving: bool = True):
    """Compact: the deal's place in the library, its state in plain words, and a save button (unless
    not `saving`). Returns the slot of the state, to refresh once the page has run (an edit in a
    table changes the deal)."""
    slot = st.sidebar.empty()
    show_status(slot)
    if not saving:
        return slot
    st.sidebar.button("Save to the library", key=state.LIB_SIDEBAR_SAVE, icon=":material/save:",
                      on_click=library_state.save_current, width="stretch",
                      help="Saves the deal as a new version in the library's workspace (the Library page "
                           "has the note, the author's name and the versions saved so far).")
    return slot


def show_status(slot) -> None:
    own = library_state.identity()
    box = slot.container()
    if own is None:
        box.caption("Library: not saved yet")
    else:
        where = "" if own.workspace == library_state.DEFAULT else f" (workspace {own.workspace})"
        box.caption(f"Library: **{messages.markdown_text(own.name)}**, version {own.version}"
                    f"{messages.markdown_text(where)}")
    if state.unsaved():
        box.markdown(":orange-badge[:material/edit_note: Unsaved changes]",
                     help="The deal differs from the version last opened or saved. Save it to the library "
                          "to keep the changes; opening another deal asks first.")
    elif own is not None:
        box.markdown(":green-badge[:material/check: Saved]")


def questions() -> None:
    """Above the page: what waits for the user's answer, if anything."""
    pending = st.session_state.get(state.LIB_PENDING)
    if pending:
        leave_question(pending[0])
    conflict = st.session_state.get(state.LIB_CONFLICT)
    if conflict:
        conflict_question(*conflict)


def leave_question(what: str) -> None:
    name = state.current().name
    with st.container(border=True):
        st.warning(f"The deal you are editing, {messages.markdown_text(name)}, has unsaved changes. Opening "
                   f"{messages.markdown_text(what)} replaces it, and the changes are lost unless you save "
                   "them first.", icon=":material/edit_note:")
        left, middle, right = st.columns(3)
        left.button(f"Open {what} without saving", key=state.LIB_CONFIRM_OPEN, type="primary",
                    on_click=library_state.go_ahead, icon=":material/delete_sweep:", width="stretch")
        middle.button("Save, then open", key=state.LIB_SAVE_FIRST, icon=":material/save:",
                      on_click=save_then_keep_asking, width="stretch",
                      help="Saves the deal you are editing as a new version, then opens the other one.")
        right.button("Keep editing", key=state.LIB_KEEP_EDITING, on_click=library_state.keep_editing,
                     width="stretch")


def save_then_keep_asking() -> None:
    library_state.save_current()
    if not state.unsaved():  # saved: the open can go ahead without losing anything
        library_state.go_ahead()


def conflict_question(name: str, latest: int, message: str) -> None:
    with st.container(border=True):
        st.warning(f"{messages.markdown_text(message)}\n\nOpening the newer version drops the changes you "
                   "made here; saving on top of it keeps yours as the newest version, after it.",
                   icon=":material/sync_problem:")
        left, right, _ = st.columns(3)
        left.button("Open the newer version", key=state.LIB_OPEN_NEWER, icon=":material/folder_open:",
                    on_click=library_state.open_version, args=(name, latest), width="stretch",
                    help=f"Opens version {latest} of {name} in place of the deal you are editing.")
        right.button("Save on top of it anyway", key=state.LIB_SAVE_ON_TOP, icon=":material/save:",
                     on_click=library_state.save_current, args=(True,), type="primary", width="stretch",
                     help="Saves your deal as the next version, after the newer one, knowingly.")
