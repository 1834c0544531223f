"""Sensitivity: the tornado of the total and one outcome's payment swept across rates."""

import numpy as np
import pytest

from obc_calc.core.sensitivity import DEFAULT_HALF_RANGE, payment_sweep, rate_range, tornado
from tests.helpers import make_deal

CENT = 0.005


def two_outcomes():
    # $100,000: $60,000 fixed base, $40,000 pool. Growth: per student, 60% = $24,000, 40%..60%.
    # Benchmark: $16,000 all-or-nothing at a 50% target, expected 55%, no range given.
    return make_deal(outcomes=[
        {"name": "Growth", "weight": 0.6, "expected_rate": 0.5, "rate_low": 0.4, "rate_high": 0.6},
        {"name": "Benchmark", "weight": 0.4, "expected_rate": 0.55, "basis": "cohort_threshold",
         "target_rate": 0.5},
    ])


def test_tornado_by_hand_widest_swing_first():
    result = tornado(two_outcomes())
    # Expected: 60,000 + 24,000 x 50% + 16,000 = 88,000.
    assert result.expected_total == pytest.approx(88_000, abs=CENT)
    benchmark, growth = result.bars
    # Benchmark over the default 45%..65%: below the target pays 60,000 + 12,000 = 72,000;
    # above it 88,000. A swing of 16,000.
    assert (benchmark.outcome, benchmark.range_given) == ("Benchmark", False)
    assert (benchmark.rate_low, benchmark.rate_high) == pytest.approx((0.45, 0.65))
    assert benchmark.total_low == pytest.approx(72_000, abs=CENT)
    assert benchmark.total_high == pytest.approx(88_000, abs=CENT)
    assert benchmark.swing == pytest.approx(16_000, abs=CENT)
    # Growth over 40%..60%: 60,000 + 24,000 x 0.4 + 16,000 = 85,600 and 24,000 x 0.6: 90,400.
    assert (growth.outcome, growth.range_given) == ("Growth", True)
    assert growth.total_low == pytest.approx(85_600, abs=CENT)
    assert growth.total_high == pytest.approx(90_400, abs=CENT)
    assert growth.swing == pytest.approx(4_800, abs=CENT)


def test_the_default_range_stays_within_0_and_100_percent():
    outcome = make_deal(outcomes=[{"name": "Growth", "expected_rate": 0.95}]).outcomes[0]
    low, high, given = rate_range(outcome)
    assert (low, high, given) == (pytest.approx(0.95 - DEFAULT_HALF_RANGE), 1.0, False)


def test_sweep_of_a_tiered_outcome_by_hand():
    tiers = [{"min_rate": 0.3, "payout": 0.5}, {"min_rate": 0.4, "payout": 1.0}]
    outcome = {"name": "Proficiency", "basis": "tiered", "expected_rate": 0.3, "tiers": tiers}
    deal = make_deal(outcomes=[outcome])
    sweep = payment_sweep(deal, "Proficiency", [0.0, 0.29, 0.3, 0.39, 0.4, 1.0])
    # $40,000 pool: nothing below 30%, half ($20,000) from 30%, all from 40%.
    assert list(sweep["payment"]) == [0.0, 0.0, 20_000.0, 20_000.0, 40_000.0, 40_000.0]


def test_default_sweep_covers_0_to_100_percent():
    sweep = payment_sweep(two_outcomes(), "Growth")
    assert sweep["rate"].iloc[0] == 0.0 and sweep["rate"].iloc[-1] == 1.0
    # Per student: $24,000 x rate, a straight line.
    assert np.allclose(sweep["payment"], 24_000 * sweep["rate"], rtol=0, atol=CENT)
