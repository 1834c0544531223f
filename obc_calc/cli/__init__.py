"""Command line: `python -m obc_calc COMMAND ...`. Bad input exits 2 with one line per problem.

Each command lives in its own module with `add_command(commands)`, which adds a subparser whose
defaults set `run` to a function taking the parsed arguments; list the command in COMMANDS. Only
the module of the command being run is imported, so a command starts without loading the
libraries of the others (pandas, openpyxl, python-docx, the database drivers).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from importlib import import_module
from typing import NamedTuple

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import finite_number, shown, terminal_safe

EXIT_BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's usage errors: our exit code, one line
        self.exit(EXIT_BAD_INPUT, terminal_safe(f"{self.prog}: {message}") + "\n")


def print_json(data: dict) -> None:
    # json.dumps escapes the C0 control codes but not DEL and the C1 codes (one of them starts a
    # terminal escape sequence), which are escaped here: still the same JSON.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    print(re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text))


def number_option(what: str, low: float, high: float):
    """An argparse type for a number option: finite, from `low` to `high`, or one plain line (exit 2)."""
    def parse(text: str) -> float:
        try:
            return finite_number(text, what, low, high)
        except ValueError as error:  # argparse would replace the message with its own
            raise argparse.ArgumentTypeError(str(error)) from None
    return parse


def whole_number_option(low: int, high: int):
    """An argparse type for a whole number from `low` to `high`, or one plain line (exit 2)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also an integer too long for Python to read
            raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{shown(text)} is not between {low:,} and {high:,}")
        return value
    return parse


def write_output(path: str, what: str, write: Callable[[str], None]) -> None:
    """Call `write(path)`; a file that cannot be written is one plain line naming `what` (exit 2)."""
    try:
        write(path)
    except OSError as error:
        raise DealError([Problem("", f"cannot write the {what} ({error.strerror})")], path) from None


def add_file_command(commands, name: str, what: str, output_help: str, save: Callable) -> None:
    """A command that writes one file from a deal, `NAME DEAL.json -o FILE`: `save(deal, path)` writes
    it, and a file that cannot be written is one plain line naming `what` (exit 2)."""
    def run(args: argparse.Namespace) -> None:
        from obc_calc.io.dealfile import load_deal

        deal = load_deal(args.deal)
        write_output(args.output, what, lambda path: save(deal, path))
        print(terminal_safe(f"Wrote {args.output}"))

    command = commands.add_parser(name, help=COMMANDS[name].help)
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("-o", "--output", required=True, help=output_help)
    command.set_defaults(run=run)


class Command(NamedTuple):
    module: str  # in obc_calc.cli; one module may add several commands
    help: str  # the command's line in `--help`


COMMANDS = {  # in the order `--help` lists them; a module's commands side by side
    "evaluate": Command("evaluate", "a deal's maximum, expected, floor and scenarios"),
    "provider": Command("provider", "the provider's margin, break-even rate and cash flow"),
    "simulate": Command("simulate",
                        "Monte Carlo risk: the spread of what the district pays and the provider earns"),
    "invoice": Command("invoice", "settle up: the invoice due from student-level results"),
    "export": Command("export", "write a deal's budget workbook (.xlsx)"),
    "import": Command("import_deal", "read a budget workbook (.xlsx) back into a deal file"),
    "import-rate-card": Command("import_deal", "replace a deal's outcomes with a rate card "
                                               "(CSV or XLSX, a row per outcome)"),
    "library": Command("library", "the deal library: saved versions, signing, workspaces"),
    "monitor": Command("monitor", "a signed deal over its term: results, status, ledger"),
    "exhibit": Command("exhibit", "write a deal's payment terms exhibit (.docx)"),
    "template": Command("template", "write the results data template for a deal (.xlsx)"),
    "summary": Command("summary", "write a deal's one-page board summary (.pdf)"),
}


def chosen_command(argv: list[str]) -> str | None:
    """The command `argv` runs: its first word that is not an option (the top level has only -h)."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, in which `command`'s module adds its real subparsers. Every other command is
    only a name and its help line, for `--help`: its module is not imported."""
    parser = Parser(prog="python -m obc_calc", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    wanted = COMMANDS[command].module if command in COMMANDS else None
    for name, (module, help_line) in COMMANDS.items():
        if module != wanted:
            commands.add_parser(name, help=help_line)
        elif name not in commands.choices:  # the module adds all its commands at once
            import_module(f"obc_calc.cli.{module}").add_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(chosen_command(argv)).parse_args(argv)
    try:
        args.run(args)
    except DealError as error:
        for line in error.lines():
            print(terminal_safe(line), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed early: not an error; silence the flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def database_options(workspace: bool = True) -> argparse.ArgumentParser:
    """--db, and --workspace with --code: where the library and monitoring commands keep deals."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--db", metavar="URL", default=None,
                         help="the database (default: OBC_DATABASE_URL, else the embedded file)")
    if workspace:
        options.add_argument("--workspace", metavar="NAME", default="default",
                             help="the workspace (default: default)")
        options.add_argument("--code", metavar="CODE", default=None, help="the workspace's access code")
    return options


def column_map(pairs: list[str]) -> dict[str, str]:
    """['growth=Math growth', ...] -> {'growth': 'Math growth'}; the first '=' splits."""
    columns, problems = {}, []
    for pair in pairs:
        column, sign, role = pair.partition("=")
        if not sign or not column.strip() or not role.strip():
            wanted = "COLUMN=OUTCOME (or COLUMN=student_id/served/group)"
            problems.append(Problem("--map", f"{pair!r} is not {wanted}"))
        else:
            columns[column.strip()] = role.strip()
    if problems:
        raise DealError(problems)
    return columns


def results_options() -> argparse.ArgumentParser:
    """How a results file is read and counted, as settle-up does: --missing, --min-sessions, --map."""
    from obc_calc.core.limits import MAX_MIN_SESSIONS
    from obc_calc.core.settle import MISSING_RULES

    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--missing", choices=MISSING_RULES, default="excluded",
                         help="students with no value: left out of the rate, or counted as not achieved")
    minimum = number_option("the minimum number of sessions", 0, MAX_MIN_SESSIONS)
    options.add_argument("--min-sessions", type=minimum, metavar="N",
                         help="the served column counts sessions; N or more counts as served")
    options.add_argument("--map", action="append", default=[], metavar="COLUMN=OUTCOME",
                         help="read COLUMN as an outcome (or as student_id, served or group); "
                              "repeat as needed")
    return options

