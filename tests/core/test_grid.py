"""Chart curves: payment by achievement rate, total cost by rate, and the split grid, checked by hand."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obc_calc.core.grid import (
    achievement_rates,
    payment_curve,
    price_per_achieving_student,
    share_grid,
    total_cost_curve,
)
from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_to_dict, load_deal

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
MATH = load_deal(SAMPLES / "math_tutoring.json")  # 1,775,000; pool 937,500; per-student base
LITERACY = load_deal(SAMPLES / "literacy_tutoring.json")  # 1,200,000 at 62.5%: pool 750,000
EDTECH = load_deal(SAMPLES / "edtech_intervention.json")  # 480,000 at 30%: pool 144,000; fixed base


def test_achievement_rates_run_from_0_to_1():
    assert achievement_rates(5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_per_student_curve():
    dosage = MATH.outcome_named("Dosage")  # 25% of 937,500 = 234,375
    paid = payment_curve(MATH, dosage, np.array([0.0, 0.4, 1.0]))
    # the share 0.528169014084507 gives a pool a hair under 937,500, hence approx
    assert paid.tolist() == pytest.approx([0.0, 93_750.0, 234_375.0], abs=1e-6)


def test_linear_curve():
    tutor = MATH.outcome_named("Same tutor")  # 20% of 937,500 = 187,500; floor 50%, target 90%
    paid = payment_curve(MATH, tutor, np.array([0.3, 0.5, 0.7, 0.9, 1.0]))
    # (0.7 - 0.5) / (0.9 - 0.5) = half of 187,500
    assert paid.tolist() == pytest.approx([0.0, 0.0, 93_750.0, 187_500.0, 187_500.0])


def test_cohort_threshold_curve():
    benchmark = LITERACY.outcome_named("Reading at benchmark")  # 20% of 750,000 = 150,000 at 40%
    paid = payment_curve(LITERACY, benchmark, np.array([0.39, 0.4, 0.8]))
    assert paid.tolist() == [0.0, 150_000.0, 150_000.0]


def test_tiered_curve():
    proficiency = EDTECH.outcome_named("Proficiency")  # 25% of 144,000 = 36,000
    paid = payment_curve(EDTECH, proficiency, np.array([0.29, 0.30, 0.36, 0.40]))
    # tiers: 50% from 30%, 75% from 35%, 100% from 40%
    assert paid.tolist() == [0.0, 18_000.0, 27_000.0, 36_000.0]


def test_total_cost_curve_math():
    total = total_cost_curve(MATH, np.array([0.0, 0.5, 1.0]))
    # 0%: base 1,775,000 - 937,500 = 837,500.
    # 50%: 837,500 + 234,375 x 0.5 + 515,625 x 0.5 + 0 (graduated: at its 50% floor) = 1,212,500.
    # 100%: everything, 1,775,000.
    assert total.tolist() == pytest.approx([837_500.0, 1_212_500.0, 1_775_000.0])


def test_share_grid_keeps_the_total_cost_and_moves_the_floor():
    grid = share_grid(EDTECH, [0.1, 0.6], np.array([0.0, 1.0]))
    assert list(grid.columns) == ["Achievement rate", 0.1, 0.6]
    # Nothing achieved: the base alone, 480,000 x 0.9 = 432,000 and 480,000 x 0.4 = 192,000.
    assert grid[0.1].tolist() == pytest.approx([432_000.0, 480_000.0])
    assert grid[0.6].tolist() == pytest.approx([192_000.0, 480_000.0])


def test_price_per_achieving_student():
    # 234,375 over 1,250 students
    assert price_per_achieving_student(MATH, MATH.outcome_named("Dosage")) == pytest.approx(187.5, abs=1e-9)
    data = deal_to_dict(MATH)
    data["outcomes"][0]["eligible_students"] = 500
    narrower = Deal.model_validate(data)
    # 234,375 / 500
    assert price_per_achieving_student(narrower, narrower.outcomes[0]) == pytest.approx(468.75)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([MATH, LITERACY, EDTECH]), st.floats(0.0, 1.0))
def test_total_cost_rises_with_achievement_from_base_to_the_maximum(deal, share):
    variant = deal.model_copy(update={"performance_share": share})
    total = total_cost_curve(variant, achievement_rates(201))
    assert np.all(np.diff(total) >= -1e-6)
    assert total[0] == pytest.approx(variant.base_max)
    assert total.max() <= variant.total_cost + 1e-6
