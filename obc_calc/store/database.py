"""Opening the library's database: where it is, the engine, the schema brought up to date.

The URL is the one given, else env OBC_DATABASE_URL, else the embedded SQLite file
`library.sqlite3` in the data folder (env OBC_DATA_DIR, default ./data, created on first use).
SQLite runs in WAL mode with a busy timeout, and a write transaction begins IMMEDIATE so that
processes writing at once wait for each other instead of failing. On PostgreSQL the migrations run
under an advisory lock, so several app replicas starting together upgrade the schema once.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from obc_calc.core.errors import DealError, Problem

DATA_DIR_VARIABLE = "OBC_DATA_DIR"
URL_VARIABLE = "OBC_DATABASE_URL"
FILE_NAME = "library.sqlite3"
BUSY_TIMEOUT_SECONDS = 30
CONNECT_TIMEOUT_SECONDS = 5
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 7_361_013  # the advisory lock the migrations take on PostgreSQL


class LibraryError(DealError):
    """Something about the library in one plain sentence (the CLI exits 2 on it)."""

    def __init__(self, message: str):
        super().__init__([Problem("", message)])
        self.message = message


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_VARIABLE) or "data")


def library_url(url: str | None = None) -> str:
    """The database to open: the URL given, else OBC_DATABASE_URL, else the embedded file."""
    url = url or os.environ.get(URL_VARIABLE)
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / FILE_NAME).resolve()}"


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return unquote(make_url(url).render_as_string(hide_password=True))
    except Exception:  # not a URL at all: hide whatever sits between ':' and '@' anyway
        return re.sub(r"(//[^:/@]*):[^@]*@", r"\1:***@", url)


def _reason(error: BaseException) -> str:
    inner = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    reason = lines[0] if lines else type(inner).__name__
    reason = re.sub(r"\s*\(Background on this error at: [^)]*\)", "", reason)
    return reason if len(reason) <= 200 else reason[:197] + "..."


def cannot_open(url: str, error: BaseException) -> LibraryError:
    return LibraryError(f"cannot open the deal library at {shown_url(url)}: {_reason(error)}")


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection):
        immediate = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"check_same_thread": False,
                                                         "timeout": BUSY_TIMEOUT_SECONDS})
            _sqlite_setup(engine)
            return engine
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if parsed.get_backend_name() == \
            "postgresql" else {}
        return create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as error:
        raise cannot_open(url, error) from None


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _check_known(connection: Connection) -> None:
    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    for revision in MigrationContext.configure(connection).get_current_heads():
        if revision not in known:
            raise LibraryError(f"this database was made by a newer version of the calculator (schema "
                               f"revision {revision}); upgrade the calculator")


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`, in one transaction."""
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        _check_known(connection)
        command.upgrade(_alembic_config(connection), revision)


def open_engine(url: str | None = None) -> tuple[str, Engine]:
    """The URL opened and its engine, the schema at the newest revision; LibraryError if it cannot be."""
    url = library_url(url)
    engine = make_engine(url)
    try:
        migrate(engine)
    except LibraryError:
        engine.dispose()
        raise
    except (DBAPIError, SQLAlchemyError, OSError) as error:
        engine.dispose()
        raise cannot_open(url, error) from None
    return url, engine


@contextmanager
def writing(engine: Engine):
    """A write transaction: IMMEDIATE on SQLite, so writers queue rather than fail."""
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        yield connection


@contextmanager
def reading(engine: Engine):
    with engine.connect() as connection, connection.begin():
        yield connection
