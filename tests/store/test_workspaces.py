"""Workspaces: created with an access code, opened only with it, the code stored hashed."""

import pytest
from sqlalchemy import create_engine, text

from obc_calc.store import Library, LibraryError
from obc_calc.store.codes import ALPHABET
from tests.helpers import make_deal

REFUSAL = "no workspace by that name opens with that code"


@pytest.fixture
def library(library_url):
    with Library(library_url) as library:
        yield library


def test_create_and_open_with_the_code(library):
    code = library.create_workspace("Cohort 2026")
    assert len(code.replace("-", "")) == 12 and set(code.replace("-", "")) <= set(ALPHABET)
    workspace = library.workspace("Cohort 2026", code)
    assert workspace.name == "Cohort 2026"
    workspace.save(make_deal(name="District A"))
    # the same workspace however the name and code are typed
    again = library.workspace("  cohort   2026", code.lower().replace("-", ""))
    assert [s.deal for s in again.deals()] == ["District A"]


def test_deals_are_kept_apart_by_workspace(library):
    code = library.create_workspace("Cohort")
    library.workspace("Cohort", code).save(make_deal(name="District A"))
    library.workspace().save(make_deal(name="Mine"))
    assert [s.deal for s in library.workspace().deals()] == ["Mine"]
    assert [s.deal for s in library.workspace("Cohort", code).deals()] == ["District A"]
    with pytest.raises(LibraryError, match="no deal called 'District A' in workspace 'default'"):
        library.workspace().open("District A")


def test_wrong_code_and_unknown_workspace_get_the_same_refusal(library):
    code = library.create_workspace("Cohort")
    other = library.create_workspace("Other")
    messages = set()
    for name, wrong in [("Cohort", "AAAA-BBBB-CCCC"), ("Cohort", other), ("Cohort", None), ("Cohort", ""),
                        ("No such cohort", code), ("No such cohort", None)]:
        with pytest.raises(LibraryError) as refused:
            library.workspace(name, wrong)
        messages.add(str(refused.value))
    assert messages == {REFUSAL}


def test_the_default_workspace_needs_no_code(library):
    assert library.workspace().name == "default"
    assert library.workspace("default").name == "default"


def test_a_taken_name_is_refused(library):
    library.create_workspace("Cohort")
    with pytest.raises(LibraryError, match="a workspace called 'COHORT' already exists"):
        library.create_workspace("COHORT")
    with pytest.raises(LibraryError, match="already exists"):
        library.create_workspace("Default")
    with pytest.raises(LibraryError, match="needs a name"):
        library.create_workspace("   ")


def test_codes_are_stored_hashed(library_url):
    with Library(library_url) as library:
        code = library.create_workspace("Cohort")
    engine = create_engine(library_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM workspaces")).all()
    engine.dispose()
    stored = " ".join(str(value) for row in rows for value in row)
    assert "Cohort" in stored
    assert code not in stored and code.replace("-", "") not in stored


def test_the_code_appears_nowhere_in_the_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'library.sqlite3'}"
    with Library(url) as library:
        code = library.create_workspace("Cohort")
        library.workspace("Cohort", code).save(make_deal(name="District A"))
    files = [p for p in tmp_path.iterdir() if p.name.startswith("library.sqlite3")]
    content = b"".join(p.read_bytes() for p in files)
    assert b"Cohort" in content
    for form in (code, code.replace("-", ""), code.lower()):
        assert form.encode() not in content
