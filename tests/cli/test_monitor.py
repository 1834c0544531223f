"""`python -m obc_calc monitor ...` and `invoice --outcomes/--record`, in process through main(), against
SQLite and PostgreSQL (the `library_url` fixture). Figures are computed by hand in each test."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from obc_calc.io.dealfile import deal_to_json
from tests.helpers import CommandLine, make_deal

STATUS_KEYS = {"deal", "version", "as_of", "outcomes", "total", "commitments", "score", "renewal_eligible"}
OUTCOME_KEYS = {"name", "measured_rate", "eligible", "achievers", "forecast_rate", "payment_expected",
                "payment_p10", "payment_p90", "planned_payment", "on_track"}


Cli = CommandLine  # monitor and invoice commands, each given whole


@pytest.fixture
def cli(library_url, capsys) -> Cli:
    return Cli(capsys, library_url)


def deal_file(folder: Path, name: str = "Tutoring", **fields) -> Path:
    """By default $250,000 for 200 students, 40% on Growth: a $100,000 allocation paying $500 an
    achiever (in a file of 200 served students), and a $150,000 base."""
    fields = {"students": 200, "total_cost": 250_000} | fields
    path = folder / f"deal_{len(list(folder.iterdir()))}.json"
    path.write_text(deal_to_json(make_deal(name=name, **fields)), encoding="utf-8")
    return path


def results_file(folder: Path, achievers: int, students: int = 200, eligible: int | None = None) -> Path:
    """`students` served students with ids ZQX-000000...; the first `achievers` achieved Growth; past
    `eligible`, the value is missing (left out of the rate)."""
    eligible = students if eligible is None else eligible
    rows = ["student_id,served,Growth"]
    for i in range(students):
        value = "" if i >= eligible else str(int(i < achievers))
        rows.append(f"ZQX-{i:06d},1,{value}")
    path = folder / f"results_{len(list(folder.iterdir()))}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _snapshot_count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as db:
        count = db.execute(text("SELECT COUNT(*) FROM snapshots")).scalar_one()
    engine.dispose()
    return count


# --- snapshots and status ------------------------------------------------------------------------


def test_the_worked_example_through_record_and_status(cli, tmp_path):
    """Expected 60%, no range: Beta(12, 8); 150 achievers of 300 eligible → 162 ÷ 320 = 50.625%."""
    deal = deal_file(tmp_path, students=300, outcomes=[{"name": "Growth", "expected_rate": 0.6}])
    cli.ok("library", "save", str(deal))
    out = cli.ok("monitor", "record", "Tutoring", str(results_file(tmp_path, 150, students=300)),
                 "--as-of", "2027-01-15")
    assert "aggregates only" in out
    status = cli.json("monitor", "status", "Tutoring", "--seed", "7")
    assert set(status) == STATUS_KEYS
    assert set(status["total"]) == {"expected", "p10", "p90", "planned"}
    assert (status["deal"], status["version"], status["as_of"]) == ("Tutoring", 1, "2027-01-15")
    [growth] = status["outcomes"]
    assert set(growth) == OUTCOME_KEYS
    assert growth["forecast_rate"] == pytest.approx(0.50625)
    assert (growth["measured_rate"], growth["eligible"], growth["achievers"]) == (0.5, 300, 150)
    assert growth["on_track"] is False
    assert growth["payment_p10"] <= growth["payment_expected"] <= growth["payment_p90"]
    assert cli.json("monitor", "status", "Tutoring", "--seed", "7") == status  # seeded: reproducible
    table = cli.ok("monitor", "status", "Tutoring")
    assert "AT RISK" in table and "likely to pay" in table and "as low as" in table


def test_a_results_file_with_problems_stores_nothing(cli, tmp_path, library_url):
    cli.ok("library", "save", str(deal_file(tmp_path)))
    cli.ok("monitor", "record", "Tutoring", str(results_file(tmp_path, 80)), "--as-of", "2027-01-15")
    assert _snapshot_count(library_url) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,served,Growth\nZQX-1,1,1\nZQX-1,1,maybe\n", encoding="utf-8")
    err = cli.refused("monitor", "record", "Tutoring", str(bad), "--as-of", "2027-02-15")
    assert err.strip()
    assert _snapshot_count(library_url) == 1
    cli.refused("monitor", "record", "Tutoring", str(results_file(tmp_path, 80)), "--as-of", "2027-13-01")
    cli.refused("monitor", "record", "Nobody", str(results_file(tmp_path, 80)), "--as-of", "2027-02-01")
    assert _snapshot_count(library_url) == 1


def _everything_stored(url: str) -> str:
    """Every value of every row of every table, as text."""
    engine = create_engine(url)
    found = []
    with engine.connect() as db:
        for table in inspect(engine).get_table_names():
            found += [repr(tuple(row)) for row in db.execute(text(f'SELECT * FROM "{table}"'))]
    engine.dispose()
    return "\n".join(found)


def test_no_student_id_is_stored(cli, tmp_path, library_url):
    cli.ok("library", "save", str(deal_file(tmp_path)))
    cli.ok("monitor", "record", "Tutoring", str(results_file(tmp_path, 80, eligible=190)),
           "--as-of", "2027-01-15")
    cli.ok("monitor", "record", "Tutoring", str(results_file(tmp_path, 110)), "--as-of", "2027-06-15",
           "--final")
    cli.ok("invoice", str(deal_file(tmp_path)), str(results_file(tmp_path, 110)), "--record", "Tutoring")
    stored = _everything_stored(library_url)
    assert "snapshots" not in stored  # the tables' rows, not their names
    assert "ZQX" not in stored and "000042" not in stored
    if library_url.startswith("sqlite:///"):
        database = Path(library_url.removeprefix("sqlite:///"))
        for path in database.parent.glob(database.name + "*"):  # the file and its WAL
            assert b"ZQX" not in path.read_bytes()
    status = cli.json("monitor", "status", "Tutoring")
    [growth] = status["outcomes"]
    assert (growth["measured_rate"], growth["forecast_rate"]) == (0.55, 0.55)  # final: exact
    assert growth["payment_expected"] == growth["payment_p10"] == pytest.approx(55_000)


def test_a_missed_commitment_is_the_full_contract_value(cli, tmp_path):
    cli.ok("library", "save", str(deal_file(tmp_path)))
    cli.ok("monitor", "commitment", "Tutoring", "Rooms for tutoring", "--status", "at_risk",
           "--as-of", "2026-10-01", "--note", "two schools late")
    out = cli.ok("monitor", "commitment", "Tutoring", "Rooms for tutoring", "--status", "missed",
                 "--as-of", "2026-11-01")
    assert "COMMITMENT MISSED" in out
    status = cli.json("monitor", "status", "Tutoring")
    assert status["commitments"] == [{"name": "Rooms for tutoring", "status": "missed",
                                      "as_of": "2026-11-01", "note": ""}]
    assert status["total"]["expected"] == status["total"]["p10"] == status["total"]["p90"] == 250_000
    assert "COMMITMENT MISSED" in cli.ok("monitor", "status", "Tutoring")
    assert "invalid choice" in cli.refused("monitor", "commitment", "Tutoring", "Data", "--status", "late",
                                           "--as-of", "2026-11-01")


# --- the invoice ledger --------------------------------------------------------------------------


def _lines(invoice: dict) -> dict:
    return {line["name"]: (line["earned"], line["invoiced_before"], line["payment"])
            for line in invoice["lines"]}


@pytest.mark.parametrize(("achievers", "earned", "payment"), [(110, 55_000, 15_000), (60, 30_000, -10_000)])
def test_a_year_end_true_up_pays_the_difference(cli, tmp_path, achievers, earned, payment):
    """Mid-year: 80 achievers × $500 = $40,000 on Growth alone. Year end: 110 achievers are worth
    $55,000, invoiced $15,000; 60 are worth $30,000, a −$10,000 credit. The base, $150,000, once."""
    deal = deal_file(tmp_path)
    cli.ok("library", "save", str(deal))
    mid = cli.json("invoice", str(deal), str(results_file(tmp_path, 80)), "--outcomes", "Growth",
                   "--record", "Tutoring", "--period", "Mid-year")
    assert _lines(mid) == {"Growth": (40_000, 0, 40_000)}
    assert (mid["total_due"], mid["recorded"], mid["period"]) == (40_000, "Tutoring", "Mid-year")
    end = cli.json("invoice", str(deal), str(results_file(tmp_path, achievers)), "--record", "Tutoring",
                   "--period", "End of year")
    assert _lines(end) == {"Base": (150_000, 0, 150_000), "Growth": (earned, 40_000, payment)}
    assert end["total_due"] == 150_000 + payment
    again = cli.json("invoice", str(deal), str(results_file(tmp_path, achievers)), "--record", "Tutoring")
    assert _lines(again) == {"Base": (150_000, 150_000, 0), "Growth": (earned, earned, 0)}
    assert again["total_due"] == 0
    ledger = cli.json("monitor", "ledger", "Tutoring")
    assert [(i["period"], i["total"]) for i in ledger["invoices"]] == [
        ("Mid-year", 40_000), ("End of year", 150_000 + payment), (again["period"], 0)]
    summary = {line["name"]: (line["paid"], line["remaining"]) for line in ledger["lines"]}
    assert summary == {"Base": (150_000, 0), "Growth": (earned, 100_000 - earned)}
    table = cli.ok("monitor", "ledger", "Tutoring")
    assert "Mid-year" in table and "not-to-exceed" in table and f"${100_000 - earned:,}" in table


def test_a_mid_year_invoice_without_record_stores_nothing(cli, tmp_path):
    deal = deal_file(tmp_path)
    cli.ok("library", "save", str(deal))
    out = cli.ok("invoice", str(deal), str(results_file(tmp_path, 80)), "--outcomes", "Growth")
    assert "$40,000.00" in out and "Base" not in out
    assert cli.json("monitor", "ledger", "Tutoring")["invoices"] == []
    assert "no outcome is named Speed" in cli.refused(
        "invoice", str(deal), str(results_file(tmp_path, 80)), "--outcomes", "Speed", "--record", "Tutoring")
    assert "No invoices recorded yet." in cli.ok("monitor", "ledger", "Tutoring")


def test_recording_needs_the_signed_else_latest_version(cli, tmp_path):
    first, second = deal_file(tmp_path), deal_file(tmp_path, performance_share=0.3)
    cli.ok("library", "save", str(first))
    results = str(results_file(tmp_path, 80))
    err = cli.refused("invoice", str(second), results, "--record", "Tutoring")
    assert err.splitlines() == [f'{second} is not the latest version (version 1) of "Tutoring" in the '
                                "library, so nothing was recorded; invoice that version (`library show "
                                "NAME -o FILE` writes it)"]
    cli.ok("library", "sign", "Tutoring", "1")
    cli.ok("library", "save", str(second))  # an amendment, not signed: the signed version 1 counts
    assert "the signed version (version 1)" in cli.refused("invoice", str(second), results,
                                                           "--record", "Tutoring")
    assert cli.json("monitor", "ledger", "Tutoring")["invoices"] == []
    assert cli.json("invoice", str(first), results, "--record", "Tutoring")["total_due"] == 190_000
    assert len(cli.json("monitor", "ledger", "Tutoring")["invoices"]) == 1
