"""Monitoring records in the library (obc_calc.store.monitor): snapshots of aggregates, commitments and
the invoice ledger, against SQLite and PostgreSQL; the upgrade from schema 0002 keeps every deal."""

from datetime import date

import pytest
from sqlalchemy import create_engine, inspect, text

from obc_calc.core.forecast import CommitmentStatus, OutcomeCounts, Snapshot, forecast_status
from obc_calc.io.dealfile import deal_to_json
from obc_calc.store import Library, LibraryError
from obc_calc.store.database import make_engine, migrate
from obc_calc.store.monitor import Monitor
from tests.helpers import make_deal

WHEN = "2026-01-02 03:04:05"
DEAL = "Test deal"


def _snapshot(as_of: date, achievers: int, eligible: int = 300, final: bool = False) -> Snapshot:
    counts = OutcomeCounts(name="Growth", in_file=320, served=310, eligible=eligible, achievers=achievers,
                           missing=10)
    return Snapshot(as_of=as_of, final=final, outcomes=(counts,), students_served=310)


@pytest.fixture
def monitor(library_url):
    with Library(library_url) as library:
        workspace = library.workspace()
        workspace.save(make_deal(name=DEAL))
        yield Monitor(workspace)


def test_snapshots_come_back_as_recorded_by_date(monitor):
    later = _snapshot(date(2027, 6, 1), 160, final=True)
    earlier = _snapshot(date(2027, 1, 15), 150)
    banded = Snapshot(as_of=date(2027, 3, 1), final=False, students_served=50, outcomes=(
        OutcomeCounts("Growth", 60, 50, 48, 30, 2, band_counts=(10, 8, 20, 10)),))
    for snapshot in (later, earlier, banded):
        assert isinstance(monitor.record_snapshot("test  DEAL", snapshot), int)
    assert monitor.snapshots(DEAL) == [earlier, banded, later]
    assert monitor.snapshots(DEAL)[1].outcomes[0].band_counts == (10, 8, 20, 10)


def test_the_latest_record_of_each_commitment(monitor):
    assert monitor.commitments(DEAL) == []
    records = [CommitmentStatus("Rooms for tutoring", "met", date(2026, 9, 1), "all schools"),
               CommitmentStatus("Data by the 10th", "at_risk", date(2026, 10, 1), "late twice"),
               CommitmentStatus("Data by the 10th", "missed", date(2026, 11, 1), "")]
    for record in records:
        monitor.record_commitment(DEAL, record)
    assert monitor.commitments(DEAL) == [records[2], records[0]]
    assert len(monitor.commitment_history(DEAL)) == 3


def test_a_commitment_needs_a_known_status_and_a_name(monitor):
    with pytest.raises(LibraryError, match="met, at_risk, missed"):
        monitor.record_commitment(DEAL, CommitmentStatus("Rooms", "late", date(2026, 9, 1)))
    with pytest.raises(LibraryError, match="needs a name"):
        monitor.record_commitment(DEAL, CommitmentStatus("  ", "met", date(2026, 9, 1)))
    assert monitor.commitments(DEAL) == []


def test_unknown_and_trashed_deals_are_refused(monitor):
    with pytest.raises(LibraryError, match="no deal called 'Other'"):
        monitor.snapshots("Other")
    monitor.workspace.delete(DEAL)
    with pytest.raises(LibraryError, match="in the trash"):
        monitor.record_snapshot(DEAL, _snapshot(date(2027, 1, 15), 150))
    assert monitor.snapshots(DEAL) == []


def test_the_deal_is_the_signed_version_else_the_latest(monitor):
    monitor.workspace.save(make_deal(name=DEAL, students=200))
    assert monitor.deal(DEAL)[1].version == 2
    monitor.workspace.sign(DEAL, 1)
    monitor.workspace.save(make_deal(name=DEAL, students=300))
    deal, info = monitor.deal(DEAL)
    assert (info.version, deal.students) == (1, 100)


def test_invoices_keep_their_lines_in_order(monitor):
    from obc_calc.core.ledger import LedgerLine, RecordedInvoice

    first = RecordedInvoice("Mid-year", date(2027, 1, 31), (LedgerLine("Growth", 40_000.0, 0.0, 40_000.0),))
    second = RecordedInvoice("End of year", date(2027, 6, 30), (
        LedgerLine("Base", 60_000.0, 0.0, 60_000.0), LedgerLine("Growth", 30_000.0, 40_000.0, -10_000.0)))
    assert monitor.invoices(DEAL) == []
    monitor.record_invoice(DEAL, first)
    seen = []
    monitor.record_true_up(DEAL, lambda previous: seen.append(previous) or second)
    assert seen == [[first]]
    assert monitor.invoices(DEAL) == [first, second]
    assert monitor.invoices(DEAL)[1].total == pytest.approx(50_000)


def test_only_aggregates_are_stored(library_url):
    """Every column of every monitoring table: counts, dates and outcome names; no student row."""
    Library(library_url).close()
    engine = create_engine(library_url)
    columns = {table: {c["name"] for c in inspect(engine).get_columns(table)}
               for table in ("snapshots", "commitment_records", "invoices")}
    engine.dispose()
    assert columns == {
        "snapshots": {"id", "deal_id", "version", "as_of", "final", "recorded_at", "body"},
        "commitment_records": {"id", "deal_id", "name", "status", "as_of", "note", "recorded_at"},
        "invoices": {"id", "deal_id", "version", "period", "invoice_date", "recorded_at", "body", "total"},
    }


def test_upgrading_from_0002_keeps_the_deals_and_monitoring_works(library_url):
    engine = make_engine(library_url)
    migrate(engine, "0002")
    deal = make_deal(name="Old deal", students=400, total_cost=200_000,
                     outcomes=[{"name": "Growth", "expected_rate": 0.6}])
    with engine.begin() as db:
        default = db.execute(text("SELECT id FROM workspaces WHERE name_key = 'default'")).scalar_one()
        db.execute(text("INSERT INTO deals (workspace_id, name, name_key, created_at, updated_at) "
                        "VALUES (:w, 'Old deal', 'old deal', :t, :t)"), {"w": default, "t": WHEN})
        deal_id = db.execute(text("SELECT id FROM deals")).scalar_one()
        db.execute(text("INSERT INTO versions (deal_id, number, body, note, author, created_at, signed_at) "
                        "VALUES (:d, 1, :b, 'signed', 'Ana', :t, :t)"),
                   {"d": deal_id, "b": deal_to_json(deal), "t": WHEN})
    engine.dispose()
    with Library(library_url) as library:
        workspace = library.workspace()
        assert workspace.open("Old deal")[0] == deal
        assert [(v.version, v.note, v.signed) for v in workspace.history("Old deal")] == [(1, "signed", True)]
        monitor = Monitor(workspace)
        monitor.record_snapshot("Old deal", _snapshot(date(2027, 1, 15), 150))
        saved, info = monitor.deal("Old deal")
        found = forecast_status(saved, info.version, monitor.snapshots("Old deal"),
                                monitor.commitments("Old deal"), trials=2_000)
    assert found.outcomes[0].forecast_rate == pytest.approx((12 + 150) / (20 + 300))  # 50.625%
    assert found.version == 1
