"""`library ...`: the deal library: save, list, show, diff, sign, delete, restore, history, workspaces.

The database is `--db URL`, else `OBC_DATABASE_URL`, else the embedded SQLite file in the data folder.
`--workspace NAME` and `--code CODE` choose a workspace; the default workspace needs no code.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from obc_calc.cli import COMMANDS, database_options, print_json, whole_number_option, write_output
from obc_calc.core.limits import terminal_safe
from obc_calc.core.money import money
from obc_calc.core.report import text_table
from obc_calc.io.dealfile import deal_to_dict, load_deal, save_deal

if TYPE_CHECKING:
    from obc_calc.store.library import DealSummary, Library, VersionInfo, Workspace

VERSION = whole_number_option(1, 1_000_000_000)
MONEY_LABELS = {
    "maximum": "Maximum",
    "expected": "Expected",
    "floor": "Floor",
    "maximum_per_pupil": "Maximum per pupil",
    "expected_per_pupil": "Expected per pupil",
}
LONGEST_CELL = 60


def say(text: str) -> None:
    """A line for people: user text (deal names, notes) cannot drive the terminal."""
    print(terminal_safe(text))


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Library]:
    # Imported here, so the other commands start without loading the database drivers.
    from obc_calc.store.library import Library

    library = Library(args.db)
    try:
        yield library
    finally:
        library.close()


def in_workspace(action: Callable[[argparse.Namespace, Workspace], None]):
    """A subcommand's `run`: opens the library and the workspace, then does `action` in it."""
    def run(args: argparse.Namespace) -> None:
        with opened(args) as library:
            action(args, library.workspace(args.workspace, args.code))
    return run


def when(moment) -> str:
    return moment.isoformat(sep=" ", timespec="minutes")


# --- the subcommands ---------------------------------------------------------------------------


def save(args: argparse.Namespace, workspace: Workspace) -> None:
    deal = load_deal(args.deal)
    info = workspace.save(deal, note=args.note, author=args.author, parent=args.parent)
    if args.format == "json":
        print_json({"deal": info.deal, "version": info.version})
        return
    amends = f", an amendment to signed version {info.amends}" if info.amends else ""
    say(f'Saved "{info.deal}" as version {info.version}{amends}.')


def summary_to_dict(summary: DealSummary) -> dict:
    return {"deal": summary.deal, "versions": summary.versions, "latest": summary.latest,
            "signed": summary.signed, "updated": summary.updated.isoformat()}


def list_deals(args: argparse.Namespace, workspace: Workspace) -> None:
    summaries = workspace.trash() if args.trash else workspace.deals()
    if args.format == "json":
        print_json([summary_to_dict(s) for s in summaries])
        return
    if not summaries:
        where = "the trash of" if args.trash else "workspace"
        say(f'No deals in {where} "{workspace.name}".')
        return
    rows = [["Deal", "Versions", "Latest", "Signed", "Updated"]]
    rows += [[s.deal, str(s.versions), str(s.latest), "" if s.signed is None else str(s.signed),
              when(s.updated)] for s in summaries]
    say("\n".join(text_table(rows)))


def show(args: argparse.Namespace, workspace: Workspace) -> None:
    deal, info = workspace.open(args.name, args.version)
    if args.output is None:
        print_json(deal_to_dict(deal))  # as deal_to_json writes it, the terminal's codes escaped
        return
    write_output(args.output, "deal", lambda path: save_deal(deal, path))
    say(f'Wrote {args.output} ("{info.deal}" version {info.version}).')


def version_to_dict(info: VersionInfo) -> dict:
    return {"deal": info.deal, "version": info.version, "note": info.note, "author": info.author,
            "created_at": info.created_at.isoformat(), "signed": info.signed, "amends": info.amends}


def history(args: argparse.Namespace, workspace: Workspace) -> None:
    versions = workspace.history(args.name)
    if args.format == "json":
        print_json([version_to_dict(v) for v in versions])
        return
    rows = [["Version", "Saved", "Author", "Signed", "Amends", "Note"]]
    rows += [[str(v.version), when(v.created_at), v.author, "signed" if v.signed else "",
              "" if v.amends is None else f"version {v.amends}", short(v.note)] for v in versions]
    say("\n".join([f'"{versions[0].deal}"', *text_table(rows)]))


def short(value) -> str:
    """A changed value in one table cell: text as is, anything else as compact JSON, cut if long."""
    if value is None:
        text = "(none)"
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= LONGEST_CELL else text[: LONGEST_CELL - 3] + "..."


def diff(args: argparse.Namespace, workspace: Workspace) -> None:
    found = workspace.diff(args.name, args.v1, args.v2).to_dict()
    if args.format == "json":
        print_json(found)
        return
    say("\n".join(diff_lines(found, args.v1, args.v2)))


def diff_lines(found: dict, v1: int, v2: int) -> list[str]:
    lines = []
    if found["changes"]:
        rows = [["Field", f"Version {v1}", f"Version {v2}"]]
        rows += [[c["path"], short(c["from"]), short(c["to"])] for c in found["changes"]]
        lines += text_table(rows)
    else:
        lines.append(f"No field changed from version {v1} to version {v2}.")
    lines.append("")
    rows = [["Money", f"Version {v1}", f"Version {v2}", "Change"]]
    for key, (a, b) in found["money"].items():
        label = MONEY_LABELS.get(key, key.replace("_", " ").capitalize())
        change = None if a is None or b is None else b - a
        rows.append([label, money(a), money(b), money(change)])
    return lines + text_table(rows)


def sign(args: argparse.Namespace, workspace: Workspace) -> None:
    info = workspace.sign(args.name, args.version)
    say(f'Signed "{info.deal}" version {info.version}: it is frozen, and the next save amends it.')


def delete(args: argparse.Namespace, workspace: Workspace) -> None:
    workspace.delete(args.name)
    say(f'Moved "{args.name}" to the trash (`library restore` brings it back).')


def restore(args: argparse.Namespace, workspace: Workspace) -> None:
    workspace.restore(args.name)
    say(f'Restored "{args.name}" from the trash.')


def create_workspace(args: argparse.Namespace) -> None:
    with opened(args) as library:
        code = library.create_workspace(args.name)
    say(f'Created workspace "{args.name}". Share its access code with the participants; it is '
        "stored only hashed and cannot be shown again:")
    print(code)


# --- the parser --------------------------------------------------------------------------------


def add_deal_commands(subcommands, common: argparse.ArgumentParser) -> None:
    command = subcommands.add_parser("save", parents=[common], help="save a deal file as a new version")
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("--note", default="", help="what changed in this version")
    command.add_argument("--author", default="", help="who saved it")
    command.add_argument("--parent", type=VERSION, default=None, metavar="N",
                         help="the version this one was edited from: refused if a newer one was saved")
    command.add_argument("--format", choices=["text", "json"], default="text")
    command.set_defaults(run=in_workspace(save))
    command = subcommands.add_parser("list", parents=[common], help="the workspace's deals")
    command.add_argument("--trash", action="store_true", help="list the deals in the trash instead")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=in_workspace(list_deals))
    command = subcommands.add_parser("show", parents=[common], help="write a saved version's deal file")
    command.add_argument("name", help="the deal's name")
    command.add_argument("--version", type=VERSION, default=None, help="the version (default: the latest)")
    command.add_argument("-o", "--output", default=None, help="the deal file to write (default: stdout)")
    command.set_defaults(run=in_workspace(show))
    command = subcommands.add_parser("history", parents=[common], help="a deal's versions, oldest first")
    command.add_argument("name", help="the deal's name")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=in_workspace(history))
    command = subcommands.add_parser("diff", parents=[common], help="what changed between two versions")
    command.add_argument("name", help="the deal's name")
    command.add_argument("v1", type=VERSION, help="the earlier version")
    command.add_argument("v2", type=VERSION, help="the later version")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=in_workspace(diff))


def add_state_commands(subcommands, common: argparse.ArgumentParser) -> None:
    command = subcommands.add_parser("sign", parents=[common], help="mark a version signed (frozen)")
    command.add_argument("name", help="the deal's name")
    command.add_argument("version", type=VERSION, help="the version the parties signed")
    command.set_defaults(run=in_workspace(sign))
    for name, action, what in [("delete", delete, "move a deal to the trash"),
                               ("restore", restore, "bring a deal back from the trash")]:
        command = subcommands.add_parser(name, parents=[common], help=what)
        command.add_argument("name", help="the deal's name")
        command.set_defaults(run=in_workspace(action))
    workspaces = subcommands.add_parser("workspace", help="workspaces for cohorts")
    actions = workspaces.add_subparsers(dest="workspace_command", required=True)
    command = actions.add_parser("create", parents=[database_options(workspace=False)],
                                 help="create a workspace; prints its access code on the last line")
    command.add_argument("name", help="the workspace's name")
    command.set_defaults(run=create_workspace)


def add_command(commands) -> None:
    library = commands.add_parser("library", help=COMMANDS["library"].help)
    subcommands = library.add_subparsers(dest="library_command", required=True)
    common = database_options()
    add_deal_commands(subcommands, common)
    add_state_commands(subcommands, common)
