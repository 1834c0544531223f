"""The command line starts fast: a command imports its own module and the libraries it uses, no others.

Each check runs in a fresh interpreter, since the test process has long since imported everything.
Timing is measured by bench/cli_start.py, never asserted here.
"""

import json
import subprocess
import sys
from pathlib import Path

from obc_calc.cli import COMMANDS

ROOT = Path(__file__).parents[2]
SAMPLE = "sample_data/math_tutoring.json"
# Libraries evaluate does not use: data frames, spreadsheets, Word and PDF files, charts, databases.
NOT_FOR_EVALUATE = ("pandas", "pyarrow", "openpyxl", "lxml", "docx", "fpdf", "matplotlib", "plotly",
                    "sqlalchemy", "psycopg", "streamlit")
COMMAND_MODULES = {f"obc_calc.cli.{command.module}" for command in COMMANDS.values()}

# Runs the command line's main() on argv in this interpreter, then prints the modules it imported.
PROBE = """
import contextlib, io, json, sys
from obc_calc.cli import main
output = io.StringIO()
try:
    with contextlib.redirect_stdout(output):
        status = main(sys.argv[1:])
except SystemExit as stop:  # --help prints and exits
    status = stop.code
print(json.dumps({"status": status, "output": output.getvalue(), "modules": sorted(sys.modules)}))
"""


def run_probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def top_level(modules: list[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_evaluate_loads_no_library_it_does_not_use():
    probe = run_probe("evaluate", SAMPLE)
    assert probe["status"] == 0
    assert probe["output"].startswith("Middle-school math tutoring 2026-27\n")
    assert top_level(probe["modules"]) & set(NOT_FOR_EVALUATE) == set()


def test_evaluate_checks_rate_ranges_without_the_optimizer():
    # Every sample has rate ranges, so evaluate checks each against the widest Beta (scipy.special);
    # scipy.optimize, a fifth of a second to import, is for fitting the simulation's Beta alone.
    probe = run_probe("evaluate", SAMPLE)
    assert "scipy.special" in probe["modules"]
    assert "scipy.optimize" not in probe["modules"]


def test_evaluate_loads_no_other_command():
    probe = run_probe("evaluate", SAMPLE)
    assert COMMAND_MODULES & set(probe["modules"]) == {"obc_calc.cli.evaluate"}


def test_a_module_with_two_commands_loads_for_either():
    # import and import-rate-card both live in obc_calc.cli.import_deal; its help names the option
    probe = run_probe("import-rate-card", "--help")
    assert probe["status"] == 0
    assert "rate_card" in probe["output"]
    assert COMMAND_MODULES & set(probe["modules"]) == {"obc_calc.cli.import_deal"}


def test_help_lists_every_command_without_loading_one():
    probe = run_probe("--help")
    assert probe["status"] == 0
    listed = " ".join(probe["output"].split())  # argparse wraps long help lines
    for name, command in COMMANDS.items():
        assert f"{name} {command.help}" in listed
    assert COMMAND_MODULES & set(probe["modules"]) == set()
