"""Monitoring a deal over its term: snapshots of results, the district's commitments, the invoice ledger.

Only aggregates are stored: per outcome the students in the file, served, eligible, achievers and
missing (and the band counts of a banded outcome), never a student's row or id. Each record belongs
to a library deal by name; the deal it is measured against is the deal's signed version, else its
latest (`Workspace.signed_or_latest`), and the version is stored with the record. See docs/library.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert, select

from obc_calc.core.forecast import COMMITMENT_STATUSES, CommitmentStatus, OutcomeCounts, Snapshot
from obc_calc.core.ledger import LedgerLine, RecordedInvoice
from obc_calc.core.model import Deal
from obc_calc.store.database import LibraryError, reading, writing
from obc_calc.store.library import MAX_NAME_LENGTH, VersionInfo, Workspace, checked_text
from obc_calc.store.schema import commitment_records, invoices, snapshots

__all__ = ["COMMITMENT_STATUSES", "Monitor"]

MAX_NOTE_LENGTH = 2000


def _now() -> datetime:
    return datetime.now(UTC)


# --- aggregates to JSON and back ------------------------------------------------------------------


def _plain(value):
    """A dataclass field's value as JSON holds it (tuples as lists, dates as ISO text)."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _tupled(value):
    return tuple(_tupled(item) for item in value) if isinstance(value, list) else value


def _counts_from(data: dict) -> OutcomeCounts:
    known = {f.name for f in dataclasses.fields(OutcomeCounts)}
    return OutcomeCounts(**{key: _tupled(value) for key, value in data.items() if key in known})


def snapshot_body(snapshot: Snapshot) -> str:
    body = {"students_served": snapshot.students_served,
            "outcomes": [_plain(counts) for counts in snapshot.outcomes]}
    return json.dumps(body, sort_keys=True)


def _snapshot(row) -> Snapshot:
    body = json.loads(row.body)
    return Snapshot(as_of=row.as_of, final=bool(row.final), students_served=body["students_served"],
                    outcomes=tuple(_counts_from(counts) for counts in body["outcomes"]))


def _invoice(row) -> RecordedInvoice:
    lines = tuple(LedgerLine(**line) for line in json.loads(row.body))
    return RecordedInvoice(period=row.period, date=row.invoice_date, lines=lines)


def _commitment(row) -> CommitmentStatus:
    return CommitmentStatus(name=row.name, status=row.status, as_of=row.as_of, note=row.note)


# --- the records --------------------------------------------------------------------------------


class Monitor:
    """The monitoring records of the deals of one workspace."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._engine = workspace._engine

    def deal(self, name: str) -> tuple[Deal, VersionInfo]:
        """The deal monitored: its signed version, else its latest."""
        return self.workspace.signed_or_latest(name)

    def _deal_id(self, db: Connection, name: str, writing_to: bool = False) -> int:
        row = self.workspace._find(db, name, lock=writing_to)
        if writing_to and row.deleted_at is not None:
            raise LibraryError(f"{row.name} is in the trash; restore it before recording for it")
        return row.id

    def _version(self, db: Connection, deal_id: int) -> int:
        latest, signed = self.workspace._latest(db, deal_id)
        return signed or latest

    # snapshots

    def record_snapshot(self, name: str, snapshot: Snapshot) -> int:
        """Store a snapshot's aggregates; returns its id."""
        with writing(self._engine) as db:
            deal_id = self._deal_id(db, name, writing_to=True)
            return db.execute(insert(snapshots).values(
                deal_id=deal_id, version=self._version(db, deal_id), as_of=snapshot.as_of,
                final=bool(snapshot.final), recorded_at=_now(),
                body=snapshot_body(snapshot))).inserted_primary_key[0]

    def snapshots(self, name: str) -> list[Snapshot]:
        """The deal's snapshots, by date and, on one date, in the order recorded (the last counts)."""
        with reading(self._engine) as db:
            deal_id = self._deal_id(db, name)
            rows = db.execute(select(snapshots).where(snapshots.c.deal_id == deal_id)
                              .order_by(snapshots.c.as_of, snapshots.c.id)).all()
        return [_snapshot(row) for row in rows]

    # commitments

    def record_commitment(self, name: str, commitment: CommitmentStatus) -> None:
        if commitment.status not in COMMITMENT_STATUSES:
            raise LibraryError(f"a commitment's status is one of {', '.join(COMMITMENT_STATUSES)}, "
                               f"not {commitment.status!r}")
        title = checked_text(commitment.name, "commitment name", MAX_NAME_LENGTH)
        if not title:
            raise LibraryError("a commitment needs a name")
        note = checked_text(commitment.note, "note", MAX_NOTE_LENGTH)
        with writing(self._engine) as db:
            deal_id = self._deal_id(db, name, writing_to=True)
            db.execute(insert(commitment_records).values(
                deal_id=deal_id, name=title, status=commitment.status, as_of=commitment.as_of,
                note=note, recorded_at=_now()))

    def commitment_history(self, name: str) -> list[CommitmentStatus]:
        """Every commitment record, by date and, on one date, in the order recorded."""
        with reading(self._engine) as db:
            deal_id = self._deal_id(db, name)
            rows = db.execute(select(commitment_records)
                              .where(commitment_records.c.deal_id == deal_id)
                              .order_by(commitment_records.c.as_of, commitment_records.c.id)).all()
        return [_commitment(row) for row in rows]

    def commitments(self, name: str) -> list[CommitmentStatus]:
        """The latest record of each commitment (names compare without case), by name."""
        latest: dict[str, CommitmentStatus] = {}
        for record in self.commitment_history(name):
            latest[record.name.casefold()] = record
        return sorted(latest.values(), key=lambda record: record.name.casefold())

    # the invoice ledger

    def invoices(self, name: str) -> list[RecordedInvoice]:
        """The deal's recorded invoices, in the order recorded."""
        with reading(self._engine) as db:
            return self._invoices(db, self._deal_id(db, name))

    @staticmethod
    def _invoices(db: Connection, deal_id: int) -> list[RecordedInvoice]:
        rows = db.execute(select(invoices).where(invoices.c.deal_id == deal_id)
                          .order_by(invoices.c.id)).all()
        return [_invoice(row) for row in rows]

    def record_invoice(self, name: str, invoice: RecordedInvoice) -> RecordedInvoice:
        return self.record_true_up(name, lambda _previous: invoice)

    def record_true_up(self, name: str,
                       make: Callable[[list[RecordedInvoice]], RecordedInvoice]) -> RecordedInvoice:
        """`make(previous invoices)` and store what it returns, in one transaction with the deal
        locked, so two recordings at once cannot both count the same ledger."""
        with writing(self._engine) as db:
            deal_id = self._deal_id(db, name, writing_to=True)
            recorded = make(self._invoices(db, deal_id))
            body = json.dumps([_plain(line) for line in recorded.lines])
            db.execute(insert(invoices).values(
                deal_id=deal_id, version=self._version(db, deal_id), period=recorded.period,
                invoice_date=recorded.date, recorded_at=_now(), body=body,
                total=round(float(recorded.total), 2)))
        return recorded
