"""The CSV invoice of a deal with student groups and bands: a row per group and per band under its
outcome, the penalty relief on a line of its own, and group names kept as text."""

import csv
import io

from obc_calc.io.invoice_csv import invoice_csv
from tests.core.test_settle_groups import DECLINE, RESULTS, banded_only, grouped_deal, settle_text
from tests.helpers import make_deal

HEADER = ["Period", "Date", "Line", "Group", "Band", "Payout", "Eligible", "Achievers", "Rate", "Threshold",
          "Missing", "Left out", "Price", "Amount"]


def rows(invoice) -> list[list[str]]:
    return list(csv.reader(io.StringIO(invoice_csv(invoice))))


def test_groups_and_bands_are_rows_under_their_outcome():
    table = rows(settle_text(grouped_deal(), RESULTS))
    assert table[0] == HEADER
    body = [row[2:] for row in table[1:]]
    # Reading: $500 a unit; SWD 1 x $750, EL 2 x $1,000, Other students 3 x $500 (test_settle_groups).
    assert body[0][:4] == ["Reading", "", "", ""] and body[0][-1] == "4250.00"
    assert [(r[1], r[4], r[5], r[10], r[11]) for r in body[1:4]] == [
        ("SWD", "2", "1", "750", "750.00"), ("EL", "3", "2", "1000", "2000.00"),
        ("Other students", "5", "3", "500", "1500.00")]
    # Growth: groups, then bands (label, payout, students, amount); the first band holds any value,
    # so there is no row for values below it.
    assert body[4][0] == "Growth" and body[4][-1] == "1875.00"
    assert [(r[2], r[3], r[4], r[11]) for r in body[8:12]] == [
        ("below 0", "-0.5", "2", "-625.00"), ("0 to 1", "0", "2", "0.00"), ("1 to 2", "0.5", "2", "750.00"),
        ("2 or more", "1", "3", "1750.00")]
    assert body[12][0] == "Base" and body[12][-1] == "14000.00"
    assert body[13][0] == "Total due" and body[13][-1] == "20125.00"  # 14,000 + 4,250 + 1,875


def test_penalty_relief_is_its_own_line():
    # -$600 of penalties with max_penalty 0: all relieved, so $6,000 of base is due.
    table = rows(settle_text(banded_only(0), DECLINE))
    relief = next(row for row in table if row[2] == "Penalty relief")
    assert relief[-1] == "600.00"
    assert table[-1][2] == "Total due" and table[-1][-1] == "6000.00"
    # Without groups a band's price is the price per student times its payout: $400 x -0.5 = -$200.
    band = next(row for row in table if row[4] == "below 0")
    assert (band[5], band[12], band[-1]) == ("-0.5", "-200", "-600.00")


def test_a_group_named_like_a_formula_is_text():
    deal = grouped_deal(student_groups=[{"name": "=1+1", "students": 2, "price_multiplier": 1.5},
                                        {"name": "EL", "students": 3, "price_multiplier": 2}])
    text = RESULTS.replace("SWD", "=1+1").replace("swd", "=1+1")
    table = rows(settle_text(deal, text))
    assert table[2][3] == "'=1+1"


def test_a_deal_without_groups_or_bands_keeps_its_columns():
    table = rows(settle_text(make_deal(), "student_id,served,Growth\nA,1,1\n"))
    assert table[0] == ["Period", "Date", "Line", "Eligible", "Achievers", "Rate", "Threshold", "Missing",
                        "Left out", "Price", "Amount"]


def test_thresholds_are_in_words():
    # Reading is marked achieved or not in the file; Growth pays by the band of its value (4 bands).
    table = rows(settle_text(grouped_deal(), RESULTS))
    threshold = HEADER.index("Threshold")
    lines = {row[2]: row[threshold] for row in table[1:] if not row[3] and not row[4]}
    assert lines["Reading"] == "marked achieved (1, yes or true)"
    assert lines["Growth"] == "paid by the band of the value (4 bands)"
    # A measured outcome: 'value >= 1' was a formula's words.
    measured = rows(settle_text(make_deal(outcomes=[{"name": "Growth", "threshold_value": 1}]),
                                "student_id,served,Growth\nA,1,1.5\n"))
    assert measured[1][6] == "1 or more"
