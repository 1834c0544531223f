"""The payment schedule by month and fiscal year, checked by hand on the example deal."""

from pathlib import Path

import pytest

from obc_calc.core.scenarios import all_scenarios, expected, floor, maximum
from obc_calc.core.schedule import (
    encumbrance_by_fiscal_year,
    fiscal_year,
    fiscal_year_schedule,
    monthly_schedule,
    term_months,
)
from obc_calc.io.dealfile import load_deal
from tests.helpers import make_deal

EXAMPLE = Path(__file__).parents[1] / "data" / "example_deal.json"


@pytest.fixture(scope="module")
def deal():
    return load_deal(EXAMPLE)


def test_fiscal_years_are_named_by_the_year_they_end():
    assert fiscal_year(2026, 7, 7) == 2027  # July 2026 opens FY2027
    assert fiscal_year(2027, 6, 7) == 2027  # June 2027 closes it
    assert fiscal_year(2026, 6, 7) == 2026
    assert fiscal_year(2026, 12, 1) == 2026  # calendar fiscal years
    assert fiscal_year(2026, 10, 10) == 2027  # a federal-style October start


def test_term_months_cross_the_new_year():
    term = make_deal(term={"start": "2026-11", "months": 3}).term
    assert term_months(term) == [(2026, 10), (2026, 11), (2027, 0)]  # zero-based months


def test_expected_case_month_by_month(deal):
    table = monthly_schedule(deal, expected(deal))
    assert list(table["Month"]) == [f"2026-{m:02d}" for m in range(9, 13)] + [
        f"2027-{m:02d}" for m in range(1, 7)]
    # Base $852,000: 20% upfront ($170,400) then $681,600 over 10 months ($68,160 each).
    assert table["Base"].iloc[0] == pytest.approx(170_400 + 68_160)
    assert list(table["Base"].iloc[1:]) == pytest.approx([68_160] * 9)
    # Dosage ($106,500) falls in month 5 (January 2027); the rest in month 10 (June 2027).
    assert table["Dosage"].iloc[4] == pytest.approx(106_500)
    assert table["Dosage"].sum() == pytest.approx(106_500)
    assert table["Total"].iloc[4] == pytest.approx(68_160 + 106_500)
    assert table["Total"].iloc[9] == pytest.approx(68_160 + 255_600 + 56_800 + 28_400)
    assert table["Cumulative"].iloc[-1] == pytest.approx(1_299_300)


def test_fiscal_year_split(deal):
    table = fiscal_year_schedule(deal, expected(deal))
    # September 2026 to June 2027 all fall in FY2027.
    assert list(table["Fiscal year"]) == ["FY2027"]
    assert table["Total"].iloc[0] == pytest.approx(1_299_300)


def test_a_term_across_two_fiscal_years():
    deal = make_deal(term={"start": "2027-01", "months": 12, "base_upfront_share": 0.5},
                     outcomes=[{"name": "Growth", "expected_rate": 0.5, "paid_in_month": 12}])
    table = fiscal_year_schedule(deal, expected(deal))
    assert list(table["Fiscal year"]) == ["FY2027", "FY2028"]
    # Base $60,000: $30,000 upfront + $2,500 a month. Jan-Jun 2027 (6 months) are FY2027.
    assert table["Base"].tolist() == pytest.approx([30_000 + 6 * 2_500, 6 * 2_500])
    # The outcome ($40,000 x 50% = $20,000) is paid in December 2027: FY2028.
    assert table["Growth"].tolist() == pytest.approx([0, 20_000])


def test_every_schedule_adds_up_to_its_scenario_total(deal):
    for result in all_scenarios(deal):
        monthly = monthly_schedule(deal, result)
        assert monthly["Total"].sum() == pytest.approx(result.total, abs=0.005)
        assert fiscal_year_schedule(deal, result)["Total"].sum() == pytest.approx(result.total, abs=0.005)
        for outcome in result.outcomes:
            assert monthly[outcome.name].sum() == pytest.approx(outcome.payment, abs=0.005)


def test_encumbrance_by_fiscal_year_side_by_side():
    deal = make_deal(term={"start": "2027-01", "months": 12},
                     outcomes=[{"name": "Growth", "expected_rate": 0.5, "paid_in_month": 12}])
    table = encumbrance_by_fiscal_year(deal, [maximum(deal), expected(deal), floor(deal)])
    assert list(table.columns) == ["Fiscal year", "Maximum", "Expected", "Floor"]
    # Base $60,000 at $5,000 a month: 6 months in FY2027, 6 in FY2028 with the outcome in December.
    assert table["Maximum"].tolist() == pytest.approx([30_000, 30_000 + 40_000])
    assert table["Expected"].tolist() == pytest.approx([30_000, 30_000 + 20_000])
    assert table["Floor"].tolist() == pytest.approx([30_000, 30_000])
