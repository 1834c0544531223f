"""The deal library: deals named within workspaces, each saved as numbered, immutable versions.

A save stores the whole deal JSON as a new version; a signed version is frozen and every later save
records the signed version it amends. A save that names the version it was based on is refused,
with nothing saved, when someone saved a newer one since (no lost update), and two processes saving
at once never give two versions one number. See docs/library.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from obc_calc.core.deal_diff import DealDiff, deal_diff
from obc_calc.core.limits import has_control_characters
from obc_calc.core.model import Deal
from obc_calc.core.model_rules import name_key
from obc_calc.io.dealfile import deal_from_json, deal_to_json
from obc_calc.store import codes
from obc_calc.store.database import LibraryError, open_engine, reading, writing
from obc_calc.store.schema import deals, versions, workspaces

__all__ = ["DealSummary", "Library", "LibraryError", "VersionInfo", "Workspace"]

DEFAULT_WORKSPACE = "default"
MAX_NAME_LENGTH = 200
WRONG_CODE = "no workspace by that name opens with that code"
_SAVE_ATTEMPTS = 10


@dataclass(frozen=True)
class VersionInfo:
    deal: str
    version: int
    note: str
    author: str
    created_at: datetime
    signed: bool
    amends: int | None


@dataclass(frozen=True)
class DealSummary:
    deal: str
    versions: int
    latest: int
    signed: int | None  # the latest signed version
    updated: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    """SQLite gives back times without their zone; they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def checked_text(text: str, what: str, longest: int) -> str:
    """Typed text as stored: spacing collapsed, no control characters, within `longest` characters."""
    text = " ".join(str(text).split())
    if has_control_characters(text):
        raise LibraryError(f"a {what} may not hold control characters")
    if len(text) > longest:
        raise LibraryError(f"a {what} may be at most {longest:,} characters long")
    return text


def _plain_name(name: str, what: str) -> str:
    name = checked_text(name, f"{what} name", MAX_NAME_LENGTH)
    if not name:
        raise LibraryError(f"a {what} needs a name")
    return name


class Library:
    """The library at `url` (None: env OBC_DATABASE_URL, else the embedded SQLite file), its schema
    created or upgraded on opening."""

    def __init__(self, url: str | None = None):
        self.url, self._engine = open_engine(url)

    def create_workspace(self, name: str) -> str:
        """A new workspace; returns its access code, which is shown this once and stored only hashed."""
        name = _plain_name(name, "workspace")
        code, salt = codes.new_code(), codes.new_salt()
        taken = LibraryError(f"a workspace called '{name}' already exists; choose another name")
        try:
            with writing(self._engine) as db:
                if db.execute(select(workspaces.c.id).where(workspaces.c.name_key == name_key(name))).first():
                    raise taken
                db.execute(insert(workspaces).values(
                    name=name, name_key=name_key(name), code_hash=codes.code_hash(code, salt),
                    code_salt=salt, created_at=_now()))
        except IntegrityError:
            raise taken from None
        return code

    def workspace(self, name: str = DEFAULT_WORKSPACE, code: str | None = None) -> Workspace:
        """The workspace, if `code` opens it (the default workspace needs none). A wrong code and an
        unknown name get the same refusal."""
        with reading(self._engine) as db:
            row = db.execute(select(workspaces).where(workspaces.c.name_key == name_key(str(name)))).first()
        if row is not None and row.code_hash is None:
            return Workspace(self._engine, row.id, row.name)
        if row is None or not codes.code_matches(code, row.code_hash, row.code_salt):
            if row is None:
                codes.code_matches(code, None, None)
            raise LibraryError(WRONG_CODE)
        return Workspace(self._engine, row.id, row.name)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class Workspace:
    """The deals of one workspace: save, open, history, compare, sign, delete and restore."""

    def __init__(self, engine, workspace_id: int, name: str):
        self._engine = engine
        self._id = workspace_id
        self.name = name

    # ------------------------------------------------------------------ finding things

    def _deal_row(self, db: Connection, name: str, lock: bool = False):
        query = select(deals).where(deals.c.workspace_id == self._id, deals.c.name_key == name_key(name))
        return db.execute(query.with_for_update() if lock else query).first()

    def _find(self, db: Connection, name: str, lock: bool = False):
        row = self._deal_row(db, name, lock)
        if row is None:
            raise LibraryError(f"no deal called '{name}' in workspace '{self.name}'")
        return row

    @staticmethod
    def _latest(db: Connection, deal_id: int) -> tuple[int, int | None]:
        """The newest version's number (0: none yet) and the newest signed version's."""
        signed = func.max(case((versions.c.signed_at.is_not(None), versions.c.number)))
        latest, newest_signed = db.execute(
            select(func.max(versions.c.number), signed).where(versions.c.deal_id == deal_id)).one()
        return latest or 0, newest_signed

    def _version_row(self, db: Connection, deal, number: int | None):
        latest, _signed = self._latest(db, deal.id)
        wanted = latest if number is None else number
        row = db.execute(select(versions).where(versions.c.deal_id == deal.id,
                                                versions.c.number == wanted)).first()
        if row is None:
            have = f"versions 1 to {latest}" if latest > 1 else f"only version {latest}"
            raise LibraryError(f"{deal.name} has no version {number} (it has {have})")
        return row

    @staticmethod
    def _info(deal_name: str, row) -> VersionInfo:
        return VersionInfo(deal=deal_name, version=row.number, note=row.note, author=row.author,
                           created_at=_utc(row.created_at), signed=row.signed_at is not None,
                           amends=row.amends)

    # ------------------------------------------------------------------ saving

    def save(self, deal: Deal, note: str = "", author: str = "", parent: int | None = None) -> VersionInfo:
        """A new version of the deal named `deal.name`. With `parent` (the version the edit began
        from) and a newer version saved since, nothing is saved and LibraryError names both."""
        body = deal_to_json(deal)
        for _attempt in range(_SAVE_ATTEMPTS):
            try:
                with writing(self._engine) as db:
                    return self._save(db, deal.name, body, str(note), str(author), parent)
            except IntegrityError:  # another process created the deal or took the number first
                continue
        raise LibraryError(f"{deal.name}: the library was too busy to save; nothing was saved. Try again.")

    def _save(self, db: Connection, name: str, body: str, note: str, author: str,
              parent: int | None) -> VersionInfo:
        now = _now()
        row = self._deal_row(db, name, lock=True)
        if row is None:
            deal_id = db.execute(insert(deals).values(
                workspace_id=self._id, name=name, name_key=name_key(name), created_at=now,
                updated_at=now)).inserted_primary_key[0]
            latest, signed = 0, None
        else:
            if row.deleted_at is not None:
                raise LibraryError(f"{row.name} is in the trash; restore it before saving to it")
            deal_id = row.id
            latest, signed = self._latest(db, deal_id)
        if parent is not None and latest:
            if parent < latest:
                raise LibraryError(
                    f"{name}: you edited version {parent}, but version {latest} was saved since; nothing "
                    f"was saved. Open version {latest}, or save on top of it knowingly.")
            if parent > latest:
                raise LibraryError(f"{name} has no version {parent} (its latest is version {latest})")
        number = latest + 1
        db.execute(insert(versions).values(deal_id=deal_id, number=number, body=body, note=note,
                                           author=author, created_at=now, amends=signed))
        db.execute(update(deals).where(deals.c.id == deal_id).values(name=name, updated_at=now))
        return VersionInfo(deal=name, version=number, note=note, author=author, created_at=now,
                           signed=False, amends=signed)

    # ------------------------------------------------------------------ reading

    def _summaries(self, in_trash: bool) -> list[DealSummary]:
        signed = func.max(case((versions.c.signed_at.is_not(None), versions.c.number)))
        trashed = deals.c.deleted_at.is_not(None) if in_trash else deals.c.deleted_at.is_(None)
        query = (select(deals.c.name, func.count(versions.c.id), func.max(versions.c.number), signed,
                        deals.c.updated_at)
                 .join(versions, versions.c.deal_id == deals.c.id)
                 .where(deals.c.workspace_id == self._id, trashed)
                 .group_by(deals.c.id, deals.c.name, deals.c.name_key, deals.c.updated_at)
                 .order_by(deals.c.name_key))
        with reading(self._engine) as db:
            rows = db.execute(query).all()
        return [DealSummary(deal=name, versions=count, latest=latest, signed=newest_signed,
                            updated=_utc(updated))
                for name, count, latest, newest_signed, updated in rows]

    def deals(self) -> list[DealSummary]:
        """The deals not in the trash, by name."""
        return self._summaries(in_trash=False)

    def trash(self) -> list[DealSummary]:
        return self._summaries(in_trash=True)

    def history(self, name: str) -> list[VersionInfo]:
        """Every version of the deal, oldest first."""
        with reading(self._engine) as db:
            deal = self._find(db, name)
            rows = db.execute(select(versions).where(versions.c.deal_id == deal.id)
                              .order_by(versions.c.number)).all()
        return [self._info(deal.name, row) for row in rows]

    def open(self, name: str, version: int | None = None) -> tuple[Deal, VersionInfo]:
        """The deal as saved in `version` (None: the latest)."""
        with reading(self._engine) as db:
            deal = self._find(db, name)
            row = self._version_row(db, deal, version)
        return deal_from_json(row.body), self._info(deal.name, row)

    def signed_or_latest(self, name: str) -> tuple[Deal, VersionInfo]:
        """The latest signed version, else the latest."""
        with reading(self._engine) as db:
            deal = self._find(db, name)
            _latest, signed = self._latest(db, deal.id)
            row = self._version_row(db, deal, signed)
        return deal_from_json(row.body), self._info(deal.name, row)

    def diff(self, name: str, v1: int, v2: int) -> DealDiff:
        return deal_diff(self.open(name, v1)[0], self.open(name, v2)[0])

    # ------------------------------------------------------------------ signing and the trash

    def sign(self, name: str, version: int) -> VersionInfo:
        """Mark the version signed (it was already frozen, as every version is); signing twice is fine."""
        with writing(self._engine) as db:
            deal = self._find(db, name, lock=True)
            if deal.deleted_at is not None:
                raise LibraryError(f"{deal.name} is in the trash; restore it before signing it")
            row = self._version_row(db, deal, version)
            if row.signed_at is None:
                db.execute(update(versions).where(versions.c.id == row.id).values(signed_at=_now()))
                row = self._version_row(db, deal, version)
        return self._info(deal.name, row)

    def delete(self, name: str) -> None:
        """Move the deal to the trash (its versions are kept; `restore` brings it back)."""
        with writing(self._engine) as db:
            deal = self._find(db, name, lock=True)
            if deal.deleted_at is not None:
                raise LibraryError(f"{deal.name} is already in the trash")
            db.execute(update(deals).where(deals.c.id == deal.id).values(deleted_at=_now()))

    def restore(self, name: str) -> None:
        with writing(self._engine) as db:
            deal = self._find(db, name, lock=True)
            if deal.deleted_at is None:
                raise LibraryError(f"{deal.name} is not in the trash")
            db.execute(update(deals).where(deals.c.id == deal.id).values(deleted_at=None))
