"""The status report (obc_calc.io.status_report) read back with openpyxl, every figure by hand.

The deal: $100,000 for 400 students, 40% on outcomes -> a $40,000 pool, a fixed $60,000 base; one
per-student outcome, Growth, expected at 60% ($100 an achiever, $24,000 planned). A final snapshot of
220 achievers of 380 eligible fixes its payment at 220 × $100 = $22,000 exactly.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from obc_calc.core.forecast import CommitmentStatus, OutcomeCounts, Snapshot, forecast_status
from obc_calc.core.ledger import LedgerLine, RecordedInvoice
from obc_calc.io.status_report import status_report
from tests.helpers import make_deal

DEAL = make_deal(name="=Growth tutoring", students=400, outcomes=[{"name": "Growth", "expected_rate": 0.6}])
MID = Snapshot(date(2027, 1, 31), False, (OutcomeCounts("Growth", 300, 300, 300, 150, 0),), 300)
END = Snapshot(date(2027, 6, 30), True, (OutcomeCounts("Growth", 400, 380, 380, 220, 0),), 380)
COMMITMENTS = [CommitmentStatus("Share data on time", "at_risk", date(2027, 3, 1), "=SUM(A1:A9) late")]
INVOICES = [
    RecordedInvoice("Mid-year", date(2027, 1, 31), (LedgerLine("Growth", 15_000.0, 0.0, 15_000.0),)),
    RecordedInvoice("Year end", date(2027, 6, 30), (LedgerLine("Base", 60_000.0, 0.0, 60_000.0),
                                                     LedgerLine("Growth", 22_000.0, 15_000.0, 7_000.0))),
]


def book(commitments=COMMITMENTS) -> openpyxl.Workbook:
    status = forecast_status(DEAL, 2, [MID, END], commitments)
    data = status_report(DEAL, status, [MID, END], INVOICES, made_at=datetime(2027, 7, 1, 9, 30))
    return openpyxl.load_workbook(io.BytesIO(data))


def labelled(ws) -> dict:
    return {row[0]: row[1] for row in ws.iter_rows(min_row=3, max_col=2, values_only=True) if row[0]}


def test_the_sheets_and_the_headline_figures():
    wb = book()
    assert wb.sheetnames == ["Status", "Outcomes", "Measurements", "Commitments", "Ledger"]
    figures = labelled(wb["Status"])
    assert figures["Deal"] == "=Growth tutoring"  # the user's text, kept as text
    assert wb["Status"]["B3"].data_type == "s"
    assert (figures["Version"], figures["Results as of"], figures["Made"]) == ("2", "2027-06-30",
                                                                             "2027-07-01 09:30")
    # Final: $60,000 base + $22,000 exactly, whatever the draws.
    assert figures["Likely to pay in all"] == pytest.approx(82_000)
    assert figures["Could be as low as"] == pytest.approx(82_000)
    assert figures["Could be as high as"] == pytest.approx(82_000)
    assert figures["Planned (at the expected rates)"] == pytest.approx(84_000)
    assert figures["Maximum (total cost)"] == 100_000
    assert figures["Score (outcome payments ÷ performance pool × 100)"] == 55.0  # 100 × 22,000 ÷ 40,000
    assert figures["Renewal bar"] == 90
    assert figures["Meets the renewal bar"] == "No"


def test_the_outcome_table_holds_the_forecast_band():
    ws = book()["Outcomes"]
    header = [cell.value for cell in ws[1]]
    growth = dict(zip(header, [cell.value for cell in ws[2]], strict=True))
    assert growth["Outcome"] == "Growth"
    assert growth["Measured rate"] == pytest.approx(220 / 380)
    assert (growth["Eligible"], growth["Achievers"]) == (380, 220)
    assert growth["Plan's expected rate"] == pytest.approx(0.6)
    assert growth["On track"] == "At risk"  # 57.9% < 60%
    assert growth["Likely to pay"] == pytest.approx(22_000)
    assert growth["Could be as low as (10%)"] == pytest.approx(22_000)
    assert growth["Planned payment"] == pytest.approx(24_000)
    assert growth["Measured at the end of term"] == "Yes"
    assert ws["B2"].number_format == "0.0%"
    total = dict(zip(header, [cell.value for cell in ws[3]], strict=True))
    assert total["Outcome"] == "Total (base and outcomes)"
    assert total["Likely to pay"] == pytest.approx(82_000)
    assert total["Planned payment"] == pytest.approx(84_000)


def test_an_interim_band_is_spread_around_the_worked_example():
    status = forecast_status(DEAL, 2, [MID], [])
    ws = openpyxl.load_workbook(io.BytesIO(status_report(DEAL, status, [MID], [])))["Outcomes"]
    header = [cell.value for cell in ws[1]]
    growth = dict(zip(header, [cell.value for cell in ws[2]], strict=True))
    assert growth["Forecast rate"] == pytest.approx((12 + 150) / (20 + 300))  # 50.625%
    assert growth["Could be as low as (10%)"] < growth["Likely to pay"] < growth["Could be as high as (90%)"]
    assert growth["Measured at the end of term"] == "No"


def test_measurements_commitments_and_ledger():
    wb = book()
    rows = list(wb["Measurements"].iter_rows(min_row=2, values_only=True))
    assert rows == [("2027-01-31", "No", "Growth", 300, 150, 0.5, 0, 300),
                    ("2027-06-30", "Yes", "Growth", 380, 220, pytest.approx(220 / 380), 0, 380)]
    commitments = wb["Commitments"]
    assert [c.value for c in commitments[2]] == ["Share data on time", "At risk", "2027-03-01",
                                                 "=SUM(A1:A9) late"]
    assert commitments["D2"].data_type == "s"  # a note starting with '=' stays text, never a formula
    ledger = list(wb["Ledger"].iter_rows(values_only=True))
    assert ledger[1:4] == [("Mid-year", "2027-01-31", "Growth", 15_000, 0, 15_000),
                           ("Year end", "2027-06-30", "Base", 60_000, 0, 60_000),
                           ("Year end", "2027-06-30", "Growth", 22_000, 15_000, 7_000)]
    assert ledger[5] == ("Line", "Paid so far", "Not to exceed", "Remaining", None, None)
    assert ledger[6][:4] == ("Base", 60_000, 60_000, 0)
    assert ledger[7][:4] == ("Growth", 22_000, 40_000, 18_000)


def test_a_missed_commitment_is_said_on_the_status_sheet():
    missed = [CommitmentStatus("Share data on time", "missed", date(2027, 3, 1), "")]
    ws = book(missed)["Status"]
    figures = labelled(ws)
    assert figures["Likely to pay in all"] == 100_000
    texts = [row[0] for row in ws.iter_rows(values_only=True) if row[0]]
    assert any(str(text).startswith("A district commitment is marked missed: the full contract value")
               for text in texts)
