"""Deals side by side, checked by hand on two variants of one small deal."""

import pytest

from obc_calc.core.compare import compare_table, cost_curves, differing_rows
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
