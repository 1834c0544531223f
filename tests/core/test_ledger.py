"""The invoice ledger (core.ledger), by hand: a mid-year invoice of some outcomes, the year-end
true-up ($15,000 due, or a −$10,000 credit), the base paid once, and the not-to-exceed limits."""

from dataclasses import replace
from datetime import date

import pytest

from obc_calc.core.errors import DealError
from obc_calc.core.ledger import LedgerLine, RecordedInvoice, ledger_summary, true_up
from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.results_file import read_results
from tests.helpers import make_deal

# $250,000 for 100 students, 80% performance -> pool $200,000, fixed base $50,000.
# Growth: per student, half the pool = $100,000, $1,000 per achiever (flag 1).
# Reading: cohort threshold at 50%, the other $100,000.
DEAL = make_deal(total_cost=250_000, performance_share=0.8, outcomes=[
    {"name": "Growth", "weight": 0.5}, {"name": "Reading", "weight": 0.5, "basis": "cohort_threshold",
                                        "target_rate": 0.5}])
MID, END = date(2027, 1, 31), date(2027, 6, 30)


def invoice(growth: int, reading: int, period="Year end", day=END):
    """The settled invoice of 100 served students, `growth` and `reading` of them achieving."""
    rows = [f"S{i},1,{int(i < growth)},{int(i < reading)}" for i in range(100)]
    text = "student_id,served,Growth,Reading\n" + "\n".join(rows) + "\n"
    results = read_results(text.encode(), "results.csv", DEAL)
    return settle(DEAL, results, SettleOptions(period=period, invoice_date=day))


def lines(recorded):
    return {line.name: (line.earned, line.invoiced_before, line.payment) for line in recorded.lines}


def mid_year(growth=40):
    # 40 achievers × $1,000 = $40,000 for Growth alone.
    return true_up(DEAL, invoice(growth, 60, "Mid-year", MID), [], outcomes=["Growth"])


def test_a_mid_year_invoice_of_some_outcomes_has_no_base_line():
    recorded = mid_year()
    assert (recorded.period, recorded.date) == ("Mid-year", MID)
    assert lines(recorded) == {"Growth": (40_000, 0, 40_000)}
    assert recorded.total == 40_000


def test_the_year_end_true_up_pays_the_difference():
    # Growth worth 55 × $1,000 = $55,000, $40,000 paid: $15,000 due. Reading 60% >= 50%: $100,000.
    # The base, never invoiced: $50,000. Due now: 50,000 + 15,000 + 100,000 = $165,000.
    recorded = true_up(DEAL, invoice(55, 60), [mid_year()])
    assert lines(recorded) == {"Base": (50_000, 0, 50_000), "Growth": (55_000, 40_000, 15_000),
                               "Reading": (100_000, 0, 100_000)}
    assert recorded.total == 50_000 + 15_000 + 100_000


def test_a_year_end_worth_less_than_paid_is_a_credit():
    # Growth worth 30 × $1,000 = $30,000, $40,000 paid: −$10,000. Reading 40% < 50%: $0.
    recorded = true_up(DEAL, invoice(30, 40), [mid_year()])
    assert lines(recorded) == {"Base": (50_000, 0, 50_000), "Growth": (30_000, 40_000, -10_000),
                               "Reading": (0, 0, 0)}
    assert recorded.total == 50_000 - 10_000


def test_the_base_is_not_invoiced_twice():
    first = true_up(DEAL, invoice(55, 60), [mid_year()])
    again = true_up(DEAL, invoice(55, 60, "Corrected year end"), [mid_year(), first])
    assert lines(again) == {"Base": (50_000, 50_000, 0), "Growth": (55_000, 55_000, 0),
                            "Reading": (100_000, 100_000, 0)}
    assert again.total == 0


def test_an_outcome_never_passes_its_allocation():
    # An invoice line worth more than the allocation ($120,000 > $100,000) earns the allocation only.
    settled = invoice(55, 60)
    growth = replace(settled.outcomes[0], payment=120_000.0)
    settled = replace(settled, outcomes=(growth, *settled.outcomes[1:]))
    recorded = true_up(DEAL, settled, [mid_year()])
    assert lines(recorded)["Growth"] == (100_000, 40_000, 60_000)  # cumulative 40,000 + 60,000 = 100,000


def test_the_deal_never_passes_its_total_cost():
    # $30,000 already paid on a line no longer in the deal; the full $250,000 is then worth paying,
    # but only 250,000 − 30,000 = $220,000 is left: Base 50,000, Growth 100,000, Reading 70,000.
    old = RecordedInvoice("Old", MID, (LedgerLine("Renamed outcome", 30_000, 0, 30_000),))
    recorded = true_up(DEAL, invoice(100, 100), [old])
    assert lines(recorded) == {"Base": (50_000, 0, 50_000), "Growth": (100_000, 0, 100_000),
                               "Reading": (70_000, 0, 70_000)}
    assert old.total + recorded.total == 250_000


def test_the_ledger_summary():
    ledger = [mid_year()]
    ledger.append(true_up(DEAL, invoice(55, 60), ledger))
    assert ledger_summary(DEAL, ledger) == [
        {"name": "Base", "paid": 50_000, "not_to_exceed": 50_000, "remaining": 0},
        {"name": "Growth", "paid": 55_000, "not_to_exceed": 100_000, "remaining": 45_000},  # 100,000 − 55,000
        {"name": "Reading", "paid": 100_000, "not_to_exceed": 100_000, "remaining": 0},
    ]


def test_a_mid_year_invoice_of_an_unknown_outcome_is_refused():
    with pytest.raises(DealError, match="no outcome is named Math"):
        true_up(DEAL, invoice(40, 60), [], outcomes=["Math"])


def test_an_invoice_of_another_deal_is_refused():
    other = replace(invoice(40, 60), deal_name="Another deal")
    with pytest.raises(DealError, match="Another deal"):
        true_up(DEAL, other, [])


def test_the_recorded_invoice_json():
    assert mid_year().to_dict() == {
        "period": "Mid-year", "date": "2027-01-31", "total_due": 40_000,
        "lines": [{"name": "Growth", "earned": 40_000, "invoiced_before": 0, "payment": 40_000}]}
