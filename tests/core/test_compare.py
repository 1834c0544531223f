"""Deals side by side, checked by hand on two variants of one small deal."""

import pandas as pd
import pytest

from obc_calc.core.compare import compare_table, cost_curves, current_column, differing_rows, p95_note
from tests.helpers import make_deal


@pytest.fixture
def deals():
    # Both $100,000 for 100 students with one per-student outcome expected at 50%.
    return {"A": make_deal(performance_share=0.4), "B": make_deal(performance_share=0.65)}


def test_figures_by_hand(deals):
    table = compare_table(deals, simulated={"B": (80_000.0, 95_000.0)})
    a, b = table["A"], table["B"]
    assert a["Maximum (encumber)"] == pytest.approx(100_000)
    assert a["Expected"] == pytest.approx(60_000 + 40_000 * 0.5)  # 80,000
    assert b["Expected"] == pytest.approx(35_000 + 65_000 * 0.5)  # 67,500
    assert b["Floor (nothing achieved)"] == pytest.approx(35_000)
    assert b["Floor per pupil"] == pytest.approx(350)
    assert a["Simulated median"] is None and b["Simulated 95th percentile"] == 95_000
    assert a["Warnings"] == [] and b["Warnings"] == ["performance_share_high"]


def test_differences_are_the_rows_that_disagree(deals):
    rows = differing_rows(compare_table(deals))
    assert "Students" not in rows and "Maximum (encumber)" not in rows
    assert {"Performance share", "Expected", "Floor (nothing achieved)", "Warnings"} <= set(rows)


def test_cost_curves_run_from_floor_to_maximum(deals):
    curves = cost_curves(deals, points=5)
    assert curves["Achievement rate"].tolist() == [0, 0.25, 0.5, 0.75, 1]
    # Deal B: 35,000 base + 65,000 x rate.
    assert curves["B"].tolist() == pytest.approx([35_000, 51_250, 67_500, 83_750, 100_000])


def test_differences_are_in_values_not_in_rounding():
    table = pd.DataFrame({"A": {
        "Expected per pupil": 1113.625, "Base": 837_500.0, "Floor per pupil": 100.0,
        "Performance share": 0.528, "Simulated median": None, "Students": 100, "Warnings": [],
    }, "B": {
        # The same number, one floating-point step apart: $1,113.63 both (rounding each to the cent
        # put one at 1,113.62 and the other at 1,113.63).
        "Expected per pupil": 1113.6250000000002,
        "Base": 837_500.004,  # $837,500.00 both: under half a cent apart
        "Floor per pupil": 100.01,  # a cent apart
        "Performance share": 0.525,  # 52.8% against 52.5% (both 0.53 at two decimals)
        "Simulated median": 1000.0,  # not run for A: unknown, not a difference
        "Students": 100, "Warnings": [],
    }})
    assert differing_rows(table) == ["Floor per pupil", "Performance share"]


def test_the_current_deals_column_is_its_name_told_apart_when_shared():
    assert current_column("Reading 2026-27", ["Variant A", "Math tutoring"]) == "Reading 2026-27"
    assert current_column("Reading 2026-27", ["Reading 2026-27"]) == "Reading 2026-27 (current deal)"


def test_p95_note_names_the_deals_whose_missed_commitments_set_it():
    # Each deal's maximum is its price, $100,000.
    deals = {"A": make_deal(risk={"commitments_miss_probability": 0.05}),
             "B": make_deal(risk={"commitments_miss_probability": 0.02}),
             "C": make_deal(risk={"commitments_miss_probability": 0.1})}
    # A and C at the maximum with a 5% and 10% chance: named. B at the maximum with 2%: another reason.
    note = p95_note(deals, dict.fromkeys("ABC", (80_000.0, 100_000.0)))
    assert note == ("For A and C the simulated 95th percentile is the maximum: the chance that the district "
                    "misses its commitments (set on the Risk page) is 5% or more, and in those years it pays "
                    "the full price.")
    # A 95th percentile below the maximum needs no explaining.
    assert p95_note(deals, {"A": (80_000.0, 99_990.0)}) == ""
