"""`python -m obc_calc library ...`: every subcommand, in process through main(), against SQLite and
(with the `library_url` fixture of tests/conftest.py) PostgreSQL; bad input is exit 2 and one line."""

import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from obc_calc.io.dealfile import deal_to_json, load_deal
from tests.helpers import CommandLine, make_deal

ROOT = Path(__file__).parents[2]
MATH = ROOT / "sample_data" / "math_tutoring.json"
MATH_NAME = "Middle-school math tutoring 2026-27"


class Cli(CommandLine):
    """`library` subcommands against one database."""

    prefix = ("library",)

    def ok(self, *argv: str) -> str:
        code, out, err = self.run(*argv)
        assert code == 0, err
        assert err == ""
        return out

    def refused(self, *argv: str) -> str:
        """The one line of a refusal (exit 2, nothing on stdout, no traceback)."""
        lines = super().refused(*argv).splitlines()
        assert len(lines) == 1, lines
        return lines[0]


@pytest.fixture
def cli(library_url, capsys) -> Cli:
    return Cli(capsys, library_url)


def deal_file(folder: Path, name: str = "Test deal", **fields) -> Path:
    path = folder / f"{name.replace(' ', '_')}_{len(list(folder.iterdir()))}.json"
    path.write_text(deal_to_json(make_deal(name=name, **fields)), encoding="utf-8")
    return path


def math_with_share(folder: Path, share: float) -> Path:
    data = json.loads(MATH.read_text(encoding="utf-8"))
    data["performance_share"] = share
    path = folder / f"math_{share}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- save, show, list ----------------------------------------------------------------------------


def test_save_then_show_gives_the_same_deal(cli, tmp_path):
    assert cli.json("save", str(MATH)) == {"deal": MATH_NAME, "version": 1}
    shown = tmp_path / "shown.json"
    shown.write_text(cli.ok("show", MATH_NAME), encoding="utf-8")
    assert load_deal(shown) == load_deal(MATH)
    written = tmp_path / "written.json"
    assert "version 1" in cli.ok("show", MATH_NAME, "--version", "1", "-o", str(written))
    assert load_deal(written) == load_deal(MATH)
    assert written.read_text(encoding="utf-8") == deal_to_json(load_deal(MATH))


def test_save_prints_the_new_version(cli, tmp_path):
    path = deal_file(tmp_path)
    assert cli.ok("save", str(path)).strip() == 'Saved "Test deal" as version 1.'
    assert cli.ok("save", str(path), "--note", "again").strip() == 'Saved "Test deal" as version 2.'
    assert cli.json("save", str(path)) == {"deal": "Test deal", "version": 3}


def test_show_opens_any_version(cli, tmp_path):
    cli.ok("save", str(deal_file(tmp_path, students=100)))
    cli.ok("save", str(deal_file(tmp_path, students=250)))
    assert json.loads(cli.ok("show", "Test deal", "--version", "1"))["students"] == 100
    assert json.loads(cli.ok("show", "Test deal"))["students"] == 250
    assert json.loads(cli.ok("show", "test  DEAL"))["students"] == 250  # names compare loosely


def test_list_json(cli, tmp_path):
    assert cli.json("list") == []
    cli.ok("save", str(deal_file(tmp_path, "Zeta")))
    cli.ok("save", str(deal_file(tmp_path, "Alpha")))
    cli.ok("save", str(deal_file(tmp_path, "Alpha")))
    listed = cli.json("list")
    assert [row["deal"] for row in listed] == ["Alpha", "Zeta"]
    assert all(set(row) == {"deal", "versions", "latest", "signed", "updated"} for row in listed)
    assert (listed[0]["versions"], listed[0]["latest"], listed[0]["signed"]) == (2, 2, None)
    assert (listed[1]["versions"], listed[1]["latest"], listed[1]["signed"]) == (1, 1, None)
    assert all(isinstance(datetime.fromisoformat(row["updated"]), datetime) for row in listed)


def test_list_table(cli, tmp_path):
    assert "No deals" in cli.ok("list")
    cli.ok("save", str(deal_file(tmp_path, "Alpha")))
    lines = cli.ok("list").splitlines()
    assert lines[0].split() == ["Deal", "Versions", "Latest", "Signed", "Updated"]
    assert lines[2].split()[:3] == ["Alpha", "1", "1"]


# --- diff and history ----------------------------------------------------------------------------


def test_diff_json_by_hand(cli, tmp_path):
    cli.ok("save", str(MATH))
    cli.ok("save", str(math_with_share(tmp_path, 0.4)))
    found = cli.json("diff", MATH_NAME, "1", "2")
    assert found["changes"] == [{"path": "performance_share", "from": 0.528169014084507, "to": 0.4}]
    money = found["money"]
    # $1,775,000 for 1,250 students. Version 1: pool $937,500, base $837,500. Version 2: pool 40%
    # = $710,000, base $1,065,000. Expected earns 0.25 x 0.7 + 0.55 x 0.53 + 0.2 x (0.75 - 0.5) / 0.4
    # = 0.5915 of the pool.
    assert money["maximum"] == pytest.approx([1_775_000, 1_775_000])
    assert money["floor"] == pytest.approx([837_500, 1_065_000])
    assert money["expected"] == pytest.approx([837_500 + 937_500 * 0.5915, 1_065_000 + 710_000 * 0.5915])
    assert money["expected"] == pytest.approx([1_392_031.25, 1_484_965])
    assert money["maximum_per_pupil"] == pytest.approx([1_420, 1_420])
    assert money["expected_per_pupil"] == pytest.approx([1_392_031.25 / 1250, 1_484_965 / 1250])


def test_diff_table(cli, tmp_path):
    cli.ok("save", str(MATH))
    cli.ok("save", str(math_with_share(tmp_path, 0.4)))
    out = cli.ok("diff", MATH_NAME, "1", "2")
    assert "performance_share" in out and "0.4" in out
    expected = next(line for line in out.splitlines() if line.startswith("Expected "))
    assert expected.split()[1:] == ["$1,392,031.25", "$1,484,965.00", "$92,933.75"]
    assert "No field changed" in cli.ok("diff", MATH_NAME, "1", "1")


def test_history(cli, tmp_path):
    path = deal_file(tmp_path)
    cli.ok("save", str(path), "--note", "first draft", "--author", "Ana")
    cli.ok("save", str(path), "--note", "after the board", "--author", "Ben")
    versions = cli.json("history", "Test deal")
    assert [(v["version"], v["note"], v["author"], v["signed"], v["amends"]) for v in versions] == [
        (1, "first draft", "Ana", False, None), (2, "after the board", "Ben", False, None)]
    assert all(v["deal"] == "Test deal" and datetime.fromisoformat(v["created_at"]) for v in versions)
    table = cli.ok("history", "Test deal")
    assert "first draft" in table and "Ben" in table


# --- signing, amendments, stale saves ------------------------------------------------------------


def test_sign_then_save_is_an_amendment(cli, tmp_path):
    path = deal_file(tmp_path)
    cli.ok("save", str(path))
    cli.ok("save", str(path))
    assert "Signed \"Test deal\" version 2" in cli.ok("sign", "Test deal", "2")
    cli.ok("sign", "Test deal", "2")  # signing twice is fine
    out = cli.ok("save", str(deal_file(tmp_path, students=120)))
    assert out.strip() == 'Saved "Test deal" as version 3, an amendment to signed version 2.'
    versions = cli.json("history", "Test deal")
    assert [(v["signed"], v["amends"]) for v in versions] == [(False, None), (True, None), (False, 2)]
    assert cli.json("list")[0]["signed"] == 2
    assert json.loads(cli.ok("show", "Test deal", "--version", "2"))["students"] == 100  # frozen


def test_stale_parent_is_refused_and_nothing_saved(cli, tmp_path):
    path = deal_file(tmp_path)
    cli.ok("save", str(path))
    cli.ok("save", str(path), "--parent", "1")
    line = cli.refused("save", str(path), "--parent", "1")
    assert "version 1" in line and "version 2" in line and "nothing was saved" in line
    assert cli.json("list")[0]["versions"] == 2
    assert len(cli.json("history", "Test deal")) == 2
    assert cli.json("save", str(path), "--parent", "2")["version"] == 3


# --- the trash -----------------------------------------------------------------------------------


def test_delete_and_restore(cli, tmp_path):
    path = deal_file(tmp_path)
    cli.ok("save", str(path))
    assert "trash" in cli.ok("delete", "Test deal")
    assert cli.json("list") == []
    assert [row["deal"] for row in cli.json("list", "--trash")] == ["Test deal"]
    assert "restore" in cli.refused("save", str(path))
    assert "Restored" in cli.ok("restore", "Test deal")
    assert [row["deal"] for row in cli.json("list")] == ["Test deal"]
    assert cli.json("list", "--trash") == []
    assert cli.json("save", str(path))["version"] == 2


# --- workspaces ----------------------------------------------------------------------------------


def test_workspace_needs_its_code(cli, tmp_path):
    out = cli.ok("workspace", "create", "Cohort A")
    code = out.splitlines()[-1]
    assert code and " " not in code and code in out.splitlines()
    path = deal_file(tmp_path, "District 1")
    in_cohort = ("--workspace", "Cohort A", "--code", code)
    assert cli.json("save", str(path), *in_cohort) == {"deal": "District 1", "version": 1}
    assert [row["deal"] for row in cli.json("list", *in_cohort)] == ["District 1"]
    assert cli.json("list") == []  # not in the default workspace
    wrong = cli.refused("list", "--workspace", "Cohort A", "--code", code + "x")
    assert cli.refused("list", "--workspace", "Cohort A") == wrong  # no code at all
    assert cli.refused("list", "--workspace", "Cohort B", "--code", code) == wrong  # no such workspace
    assert cli.refused("save", str(path), "--workspace", "Cohort A", "--code", "nope") == wrong
    assert code not in wrong
    assert cli.json("history", "District 1", *in_cohort)[0]["version"] == 1


def test_workspace_name_taken(cli):
    cli.ok("workspace", "create", "Cohort A")
    assert cli.refused("workspace", "create", "cohort  a")


# --- bad input: one line, exit 2 -----------------------------------------------------------------


def test_unknown_deal_and_version(cli, tmp_path):
    cli.ok("save", str(deal_file(tmp_path)))
    cli.ok("save", str(deal_file(tmp_path)))
    assert "Nothing" in cli.refused("show", "Nothing")
    assert "version 9" in cli.refused("show", "Test deal", "--version", "9")
    assert "version 9" in cli.refused("diff", "Test deal", "1", "9")
    assert "version 9" in cli.refused("sign", "Test deal", "9")
    for command in ("history", "delete", "restore"):
        assert "Nothing" in cli.refused(command, "Nothing")


def test_bad_deal_file_and_bad_numbers(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert str(bad) in cli.refused("save", str(bad))
    assert cli.refused("save", str(tmp_path / "missing.json"))
    assert cli.refused("show", "Test deal", "--version", "two")
    assert cli.refused("diff", "Test deal", "1", "0")
    assert cli.json("list") == []


def test_show_to_an_unwritable_file(cli, tmp_path):
    cli.ok("save", str(deal_file(tmp_path)))
    assert cli.refused("show", "Test deal", "-o", str(tmp_path / "no" / "such" / "folder.json"))


# --- which database ------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_database_from_the_environment(capsys, tmp_path, monkeypatch):
    database = tmp_path / "from_env.sqlite3"
    monkeypatch.setenv("OBC_DATABASE_URL", sqlite_url(database))
    monkeypatch.setenv("OBC_DATA_DIR", str(tmp_path / "unused"))
    cli = Cli(capsys, None)
    assert cli.json("save", str(MATH)) == {"deal": MATH_NAME, "version": 1}
    assert [row["deal"] for row in cli.json("list")] == [MATH_NAME]
    assert database.exists() and not (tmp_path / "unused" / "library.sqlite3").exists()
    assert Cli(capsys, sqlite_url(tmp_path / "other.sqlite3")).json("list") == []  # --db wins


def test_embedded_file_in_the_data_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("OBC_DATABASE_URL", raising=False)
    monkeypatch.setenv("OBC_DATA_DIR", str(tmp_path / "data"))
    cli = Cli(capsys, None)
    cli.ok("save", str(MATH))
    assert (tmp_path / "data" / "library.sqlite3").exists()
    assert cli.json("list")[0]["deal"] == MATH_NAME


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://someone:hunter2@127.0.0.1:1/nowhere",
    "nonsense://what",
    "not a url at all",
])
def test_unreachable_database(capsys, url):
    line = Cli(capsys, url).refused("list")
    assert "cannot open the deal library" in line
    assert "hunter2" not in line


def test_sqlite_file_that_cannot_be_made(capsys, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("", encoding="utf-8")
    line = Cli(capsys, sqlite_url(blocker / "library.sqlite3")).refused("list")
    assert "cannot open the deal library" in line


def test_database_from_a_newer_calculator(capsys, tmp_path):
    database = tmp_path / "newer.sqlite3"
    cli = Cli(capsys, sqlite_url(database))
    cli.ok("save", str(MATH))
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    line = cli.refused("list")
    assert "newer version of the calculator" in line and "9999_from_the_future" in line


def test_as_a_process(tmp_path):
    url = sqlite_url(tmp_path / "process.sqlite3")
    command = [sys.executable, "-m", "obc_calc", "library"]
    saved = subprocess.run([*command, "save", str(MATH), "--db", url, "--format", "json"],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert saved.returncode == 0, saved.stderr
    listed = subprocess.run([*command, "list", "--db", url, "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert [(row["deal"], row["versions"]) for row in json.loads(listed.stdout)] == [(MATH_NAME, 1)]
    refused = subprocess.run([*command, "list", "--db", "postgresql+psycopg://x:pw@127.0.0.1:1/db"],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "Traceback" not in refused.stderr and len(refused.stderr.splitlines()) == 1
