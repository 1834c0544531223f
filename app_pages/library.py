"""Library: the deals saved in a workspace, their versions, what changed between two, signing, the
trash, and the workspace's overview (one row per deal, downloadable as CSV).

The actions are ui.library_state's callbacks; the tables come from ui.library_views. The questions an
action may leave (drop unsaved changes? a stale save?) are asked above every page by app.py.
"""

from __future__ import annotations

import streamlit as st

from obc_calc.store.library import LibraryError, Workspace
from ui import library_state, library_views, messages, state, widgets


def workspace_section(ws: Workspace) -> None:
    st.header(f"Workspace: {ws.name}")
    new = st.session_state.pop(state.LIB_NEW_CODE, None)
    if new:
        st.success(f"The workspace **{messages.markdown_text(new[0])}** is ready, and you are in it. "
                   f"Its access code is\n\n### `{new[1]}`\n\nWrite the code down now and give it to the "
                   "people who will join: it is shown only this once, and nobody can look it up later.",
                   icon=":material/key:")
    if ws.name == library_state.DEFAULT:
        st.caption("The default workspace is open to everyone who uses this calculator. A cohort keeps its "
                   "deals in a workspace of its own, opened with its access code.")
    else:
        st.caption("Only people with this workspace's access code can see or open its deals.")
    with st.expander("Join or create a workspace", icon=":material/group:"):
        join, create, default = st.columns(3)
        join.text_input("Workspace name", key=state.LIB_JOIN_NAME)
        join.text_input("Access code", key=state.LIB_JOIN_CODE, type="password",
                        help="The code the workspace's creator was given.")
        join.button("Join", on_click=library_state.join, icon=":material/login:")
        create.text_input("New workspace's name", key=state.LIB_CREATE_NAME,
                          help="For example the cohort's name. You get its access code once.")
        create.button("Create the workspace", on_click=library_state.create, icon=":material/add:")
        default.caption("The default workspace needs no code.")
        default.button("Use the default workspace", on_click=library_state.use_default,
                       disabled=ws.name == library_state.DEFAULT)


def save_section(ws: Workspace) -> None:
    deal = state.current()
    st.header("Save the deal you are editing")
    parent = library_state.based_on(ws, deal)
    name = messages.markdown_text(deal.name)
    if parent is not None:
        st.caption(f"Saves **{name}** as a new version, after version {parent} (the one you opened or "
                   "saved last). If someone saved a newer version since, nothing is overwritten.")
    else:
        st.caption(f"Saves **{name}** in the workspace {messages.markdown_text(ws.name)}. The deal's name "
                   "(set on Deal & split) is its name in the library.")
    note, author, button = st.columns([4, 2, 2], vertical_alignment="bottom")
    note.text_input("Note", key=state.LIB_NOTE, placeholder="What changed, e.g. board draft",
                    help="A few words kept with the version, shown in its history.")
    author.text_input("Your name", **state.kept(state.LIB_AUTHOR, ""),
                      help="Kept with the version, so others know who saved it.")
    button.button("Save as a new version", key=state.LIB_SAVE, type="primary", icon=":material/save:",
                  on_click=library_state.save_current, width="stretch")


def overview_section(ws: Workspace) -> None:
    st.header("The workspace's deals")
    frame = library_views.overview(ws)
    if frame.empty:
        st.info("No deal is saved in this workspace yet. Save the deal you are editing above.",
                icon=":material/info:")
        return
    columns = {name: st.column_config.TextColumn(name, help=text, alignment="right")
               for name, text in library_views.SHORT_HELP.items()}
    columns["Deal"] = st.column_config.TextColumn("Deal", width="medium", pinned=True)
    st.dataframe(library_views.shown_overview(frame), hide_index=True, width="stretch", column_config=columns)
    st.caption("The figures of each deal's newest version. Per pupil: divided by the deal's planned "
               "students.")
    st.download_button("Download the overview (CSV)", library_views.overview_csv(frame),
                       file_name=f"{widgets.slug(ws.name, 'workspace')}_deals.csv", mime="text/csv",
                       key=state.LIB_OVERVIEW_CSV, icon=":material/download:")


def pick_deal(ws: Workspace) -> str:
    names = [summary.deal for summary in ws.deals()]
    own = library_state.identity()
    if st.session_state.get(state.LIB_PICK) not in names:
        st.session_state[state.LIB_PICK] = own.name if own and own.name in names else names[0]
    return st.selectbox("Deal", names, key=state.LIB_PICK)


def open_section(ws: Workspace, name: str, history: list) -> None:
    by_number = {info.version: info for info in history}
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    version = left.selectbox("Version", list(reversed(by_number)), key=f"{state.LIB_PICK_VERSION}_{name}",
                             format_func=lambda v: library_views.version_label(by_number[v]))
    right.button(f"Open version {version}", type="primary", icon=":material/folder_open:", width="stretch",
                 on_click=library_state.ask_first,
                 args=(f"version {version} of {name}", library_state.open_version, name, version),
                 help="Opens this version as the deal you are editing, on every page.")


def history_section(history: list) -> None:
    st.markdown("**History**")
    st.dataframe(library_views.history_frame(history), hide_index=True, width="stretch")
    st.caption("Signed: the version the parties signed; it never changes. Amends: a version saved after a "
               "signed one, changing that contract.")


def diff_section(ws: Workspace, name: str, history: list) -> None:
    st.markdown("**Compare two versions**")
    numbers = [info.version for info in history]
    if len(numbers) < 2:
        st.caption("Save a second version to compare it with the first.")
        return
    left, right = st.columns(2)
    first = left.selectbox("From version", numbers, index=len(numbers) - 2,
                           key=f"{state.LIB_DIFF_FROM}_{name}")
    second = right.selectbox("To version", numbers, index=len(numbers) - 1, key=f"{state.LIB_DIFF_TO}_{name}")
    if first == second:
        st.caption("Pick two different versions.")
        return
    diff = ws.diff(name, first, second)
    st.dataframe(library_views.money_frame(diff, first, second), hide_index=True, width="stretch",
                 column_config=widgets.right_aligned([f"Version {first}", f"Version {second}", "Change"]))
    changes = library_views.changes_frame(diff, ws.open(name, first)[0], ws.open(name, second)[0])
    if changes.empty:
        st.caption("No field differs between these two versions.")
    else:
        st.caption(f"{len(changes)} field{'s' if len(changes) != 1 else ''} changed:")
        st.dataframe(changes, hide_index=True, width="stretch")


def sign_section(name: str, history: list) -> None:
    st.markdown("**Sign a version**")
    unsigned = [info.version for info in history if not info.signed]
    if not unsigned:
        st.caption("Every version of this deal is signed.")
        return
    waiting = st.session_state.get(state.LIB_SIGNING)
    if waiting and waiting[0] == name:
        version = waiting[1]
        st.warning(f"Sign version {version} of {messages.markdown_text(name)}? Signing records it as the "
                   "contract the parties signed. A signed version never changes, and every later save "
                   "is an amendment of it.", icon=":material/draw:")
        yes, no, _ = st.columns(3)
        yes.button(f"Yes, sign version {version}", type="primary", on_click=library_state.sign,
                   width="stretch")
        no.button("Cancel", on_click=library_state.cancel_signing, width="stretch")
        return
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    version = left.selectbox("Version to sign", list(reversed(unsigned)),
                             key=f"{state.LIB_SIGN_VERSION}_{name}")
    right.button(f"Sign version {version}…", icon=":material/draw:", on_click=library_state.ask_to_sign,
                 args=(name, version), width="stretch", help="Asks you to confirm first.")


def deal_section(ws: Workspace) -> None:
    st.header("A deal's versions")
    name = pick_deal(ws)
    history = ws.history(name)
    open_section(ws, name, history)
    history_section(history)
    diff_section(ws, name, history)
    sign_section(name, history)
    st.button(f"Move {name} to the trash", icon=":material/delete:", on_click=library_state.delete,
              args=(name,), help="It leaves the list above; restore it from the trash at any time.")


def trash_section(ws: Workspace) -> None:
    trash = ws.trash()
    if not trash:
        return
    st.header("Trash")
    for summary in trash:
        left, right = st.columns([4, 1], vertical_alignment="center")
        plural = "s" if summary.versions != 1 else ""
        left.markdown(f"**{messages.markdown_text(summary.deal)}**: {summary.versions} version{plural}, "
                      f"last saved {library_views.when(summary.updated)}")
        right.button("Restore", key=state.LIB_RESTORE + summary.deal, icon=":material/restore_from_trash:",
                     on_click=library_state.restore, args=(summary.deal,), width="stretch")


st.title("Deal library")
st.caption("Save the deal you are editing as a version, open any version saved before, see what changed "
           "between two, and mark the one the parties signed. Versions are never changed once saved.")
try:
    workspace = library_state.workspace()
    workspace_section(workspace)
    save_section(workspace)
    overview_section(workspace)
    if workspace.deals():
        deal_section(workspace)
    trash_section(workspace)
except LibraryError as error:
    st.error(f"The deal library cannot be used right now: {messages.markdown_text(str(error))}",
             icon=":material/cloud_off:")
