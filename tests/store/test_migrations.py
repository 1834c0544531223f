"""The schema made and upgraded by the migrations; databases the library cannot open."""

import time

import pytest
from sqlalchemy import create_engine, inspect, text

from obc_calc.io.dealfile import deal_to_json
from obc_calc.store import Library, LibraryError
from obc_calc.store.database import head_revision, make_engine, migrate
from tests.helpers import make_deal

WHEN = "2026-01-02 03:04:05"  # as plain SQL writes a time


def _revision(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    return revision


def test_from_an_empty_database(library_url):
    with Library(library_url) as library:
        assert library.workspace().deals() == []
    assert _revision(library_url) == head_revision() == "0003"
    engine = create_engine(library_url)
    tables = set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("versions")}
    engine.dispose()
    assert {"workspaces", "deals", "versions", "alembic_version"} <= tables
    assert {"signed_at", "amends", "body", "number"} <= columns


def test_opening_again_changes_nothing(library_url):
    with Library(library_url) as library:
        library.workspace().save(make_deal(name="Math deal"))
    with Library(library_url) as library:
        assert library.workspace().history("Math deal")[0].version == 1


def test_from_the_previous_revision(library_url):
    engine = make_engine(library_url)
    migrate(engine, "0001")
    deal = make_deal(name="Old deal", performance_share=0.3)
    with engine.begin() as db:
        default = db.execute(text("SELECT id FROM workspaces WHERE name_key = 'default'")).scalar_one()
        db.execute(text("INSERT INTO deals (workspace_id, name, name_key, created_at, updated_at) "
                        "VALUES (:w, 'Old deal', 'old deal', :t, :t)"), {"w": default, "t": WHEN})
        deal_id = db.execute(text("SELECT id FROM deals")).scalar_one()
        for number, note in [(1, "first"), (2, "second")]:
            db.execute(text("INSERT INTO versions (deal_id, number, body, note, author, created_at) "
                            "VALUES (:d, :n, :b, :note, 'Ana', :t)"),
                       {"d": deal_id, "n": number, "b": deal_to_json(deal), "note": note, "t": WHEN})
    engine.dispose()
    assert _revision(library_url) == "0001"
    with Library(library_url) as library:
        workspace = library.workspace()
        assert _revision(library_url) == "0003"
        assert workspace.open("Old deal")[0] == deal
        history = workspace.history("Old deal")
        assert [(v.version, v.note, v.author, v.signed, v.amends) for v in history] == [
            (1, "first", "Ana", False, None), (2, "second", "Ana", False, None)]
        assert history[0].created_at.year == 2026
        assert [(s.deal, s.versions, s.latest) for s in workspace.deals()] == [("Old deal", 2, 2)]
        workspace.sign("Old deal", 2)
        assert workspace.save(deal).amends == 2


def test_a_newer_schema_revision_is_refused(library_url):
    Library(library_url).close()
    engine = create_engine(library_url)
    with engine.begin() as db:
        db.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(LibraryError) as refused:
        Library(library_url)
    assert str(refused.value) == ("this database was made by a newer version of the calculator (schema "
                                  "revision 0099); upgrade the calculator")


def test_an_unreachable_server_is_a_plain_error_soon():
    started = time.monotonic()
    with pytest.raises(LibraryError) as refused:
        Library("postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing")
    assert time.monotonic() - started < 15
    message = str(refused.value)
    where = "postgresql+psycopg://nobody:***@127.0.0.1:1/nothing"
    assert message.startswith(f"cannot open the deal library at {where}: ")
    assert "secret" not in message and "\n" not in message


@pytest.mark.parametrize("url", ["not a database url", "mysql+nosuchdriver://x@y/z",
                                 "sqlite:////no/such/folder/library.sqlite3"])
def test_unusable_urls_are_plain_errors(url):
    with pytest.raises(LibraryError, match=r"^cannot open the deal library at .+: .+$"):
        Library(url)


def test_the_embedded_file_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("OBC_DATABASE_URL", raising=False)
    monkeypatch.setenv("OBC_DATA_DIR", str(tmp_path / "data"))
    with Library() as library:
        library.workspace().save(make_deal(name="Math deal"))
    assert (tmp_path / "data" / "library.sqlite3").is_file()
    monkeypatch.setenv("OBC_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    with Library() as library:
        assert library.workspace().deals() == []
    assert (tmp_path / "elsewhere.sqlite3").is_file()
