"""Why the simulated average differs from the Expected total (risk_summary.mean_gap), part by part,
checked by hand on small deals: $100,000 for 100 students, 40% on one per-student outcome, so a
$60,000 fixed base and a $40,000 allocation; expected at 50%, the Expected total is
60,000 + 40,000 x 0.5 = 80,000."""

import math

import pytest

import obc_calc.core.simulate as sim
from obc_calc.core.risk_summary import mean_gap
from obc_calc.io.dealfile import load_deal
from tests.helpers import banded_example, make_deal
from ui import state

TRIALS = 100_000


def gap_of(deal, trials=TRIALS):
    return mean_gap(deal, sim.simulate(deal, trials, 1))


def test_missed_commitments_pay_the_full_contract_in_their_share_of_years():
    gap = gap_of(make_deal(risk={"commitments_miss_probability": 0.1}))
    assert gap.expected == 80_000
    assert gap.missed_total == 100_000  # the 60,000 base and the whole 40,000 allocation
    # Long run: 0.1 x 100,000 + 0.9 x 80,000 = 82,000, so missing adds 0.1 x (100,000 - 80,000).
    assert gap.missed == pytest.approx(2_000)
    assert gap.served == 0 and gap.uneven == {"Growth": 0} and gap.penalty_limit == 0


def test_chance_is_what_the_run_drew_beyond_the_long_run_average():
    deal = make_deal(risk={"commitments_miss_probability": 0.1})
    result = sim.simulate(deal, TRIALS, 1)
    gap = mean_gap(deal, result)
    # Every trial pays 80,000, or 100,000 when missed: the mean is 80,000 + 20,000 x the share
    # missed, and the long run 82,000, so chance is 20,000 x (share missed - 0.1).
    share_missed = (result.totals == 100_000).sum() / TRIALS
    assert gap.chance == pytest.approx(20_000 * (share_missed - 0.1), abs=1e-6)
    # Two standard errors: the totals' spread is 20,000 x sqrt(p(1 - p)) for the share p missed.
    spread = 20_000 * math.sqrt(share_missed * (1 - share_missed))
    assert gap.chance_band == pytest.approx(2 * spread / math.sqrt(TRIALS))


def test_fewer_students_served_scale_per_student_payments():
    gap = gap_of(make_deal(risk={"students_served_low": 80, "students_served_high": 100}))
    # 90 served on average: 40,000 x 0.5 x 90/100 = 18,000, not 20,000; the fixed base stays.
    assert gap.average_served == 90
    assert gap.served == pytest.approx(-2_000)
    assert gap.missed == 0


def test_a_per_student_base_scales_too():
    deal = make_deal(base_basis="per_student", risk={"students_served_low": 80, "students_served_high": 100})
    # The base 60,000 x 0.9 = 54,000 (-6,000) and the outcome -2,000 as above.
    assert gap_of(deal).served == pytest.approx(-8_000)


def test_missed_commitments_count_after_fewer_students_served():
    risk = {"students_served_low": 80, "students_served_high": 100, "commitments_miss_probability": 0.1}
    gap = gap_of(make_deal(risk=risk))
    # Kept years average 80,000 - 2,000 = 78,000; missing adds 0.1 x (100,000 - 78,000).
    assert gap.served == pytest.approx(-2_000)
    assert gap.missed == pytest.approx(2_200)


def test_a_straight_line_outcome_averages_its_payment_at_the_expected_rate():
    growth = {"name": "Growth", "expected_rate": 0.53, "rate_low": 0.43, "rate_high": 0.63}
    assert gap_of(make_deal(outcomes=[growth])).uneven["Growth"] == pytest.approx(0, abs=1e-6)


def test_a_threshold_at_the_expected_rate_pays_in_half_the_years():
    growth = {"name": "Growth", "basis": "cohort_threshold", "target_rate": 0.5, "expected_rate": 0.5,
              "rate_low": 0.4, "rate_high": 0.6}
    gap = gap_of(make_deal(outcomes=[growth]))
    # Expected pays the whole 40,000 (50% reaches the 50% target); the rate is drawn symmetrically
    # about 50%, so it reaches the target half the time: 20,000 on average, 20,000 less.
    assert gap.expected == 100_000
    assert gap.uneven["Growth"] == pytest.approx(-20_000, abs=1)


def test_the_penalty_limit_counts_what_it_gives_back_beyond_the_expected_case():
    deal = banded_example({"rate_low": 0.2, "rate_high": 0.9})
    result = sim.simulate(deal, TRIALS, 1)
    gap = mean_gap(deal, result)
    # Expected: a band value of -0.25 x 0.1 + 0.5 x 0.4 + 1 x 0.2 = 0.375, nothing to give back;
    # trials with few students in paying bands go below zero, and the default limit of 0 gives it back.
    assert gap.expected == 150_000 + 100_000 * 0.375
    assert gap.penalty_limit == result.expected_penalty_relief > 0


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_the_parts_account_for_the_average_of_every_sample(sample):
    """Each part is exact, so a million trials leave only chance: within its two standard errors."""
    gap = gap_of(load_deal(state.SAMPLES[sample]), 1_000_000)
    parts = sum(gap.uneven.values()) + gap.served + gap.missed + gap.penalty_limit
    assert gap.simulated - gap.expected == pytest.approx(parts + gap.chance)
    assert abs(gap.chance) < gap.chance_band
