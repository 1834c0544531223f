"""The Monte Carlo simulation: exact where nothing is uncertain, right on average, reproducible."""

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from obc_calc.core.beta import beta_shape
from obc_calc.core.errors import DealError
from obc_calc.core.scenarios import expected
from obc_calc.core.simulate import (
    CHUNK,
    SimulationResult,
    allocation_shares,
    cumulative,
    earnings_line,
    histogram,
    nothing_uncertain,
    probability_earnings_below,
    probability_total_exceeds,
    risk_settings,
    share_of_pool,
    simulate,
    starting_served_range,
)
from obc_calc.io.dealfile import deal_from_dict, load_deal
from tests.helpers import BANDS, banded_example, deal_problems, groups_example, make_deal

EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "example_deal.json").read_text())
MATH = Path(__file__).parents[2] / "sample_data" / "math_tutoring.json"
CENT = 0.005


def one_outcome(mean=0.5, low=0.4, high=0.6, **fields):
    """The helpers' deal: $60,000 fixed base, one per-student outcome worth $40,000, 100 students."""
    outcome = {"name": "Growth", "expected_rate": mean, "rate_low": low, "rate_high": high}
    return make_deal(outcomes=[outcome], **fields)


def test_no_uncertainty_pays_the_expected_evaluation_in_every_trial():
    data = copy.deepcopy(EXAMPLE)  # all four bases and a per-student base
    for outcome in data["outcomes"]:
        outcome["rate_low"] = outcome["rate_high"] = outcome["expected_rate"]
    deal = deal_from_dict(data)
    result = simulate(deal, 5_000, seed=1)
    # Base $852,000; Dosage 75% of $142,000 = 106,500; Math growth 55% reaches 50%: 255,600;
    # Proficiency 25% reaches the 20% tier: half of $113,600 = 56,800; Same tutor
    # (0.7 - 0.5) / (0.9 - 0.5) = half of $56,800 = 28,400.
    hand = 852_000 + 106_500 + 255_600 + 56_800 + 28_400
    assert expected(deal).total == pytest.approx(hand, abs=CENT)
    assert np.all(result.totals == expected(deal).total)
    assert np.all(result.earnings == expected(deal).performance)
    assert result.total.std == 0 and result.total.p5 == result.total.p95 == expected(deal).total
    assert result.expected_payments["Math growth"] == pytest.approx(255_600, abs=CENT)


def test_a_per_student_outcome_pays_allocation_times_expected_rate_on_average():
    result = simulate(one_outcome(), 60_000, seed=2)
    standard_error = result.provider_earnings.std / np.sqrt(result.trials)
    assert standard_error > 0
    # $40,000 x 50% = $20,000; the base is a fixed $60,000.
    assert abs(result.provider_earnings.mean - 20_000) < 3 * standard_error
    assert abs(result.expected_payments["Growth"] - 20_000) < 3 * standard_error
    assert abs(result.total.mean - 80_000) < 3 * standard_error


def test_students_served_scale_a_per_student_base_and_outcome():
    risk = {"students_served_low": 50, "students_served_high": 100}
    result = simulate(one_outcome(low=0.5, high=0.5, base_basis="per_student", risk=risk), 20_000, seed=3)
    # Each trial: base $60,000 / 100 = $600 per student served, plus $40,000 x 50% x served / 100
    # = $200 per student served: $800 per student served, served a whole number from 50 to 100.
    served = result.totals / 800
    assert np.allclose(served, np.round(served), rtol=0, atol=1e-9)
    assert served.min() == pytest.approx(50) and served.max() == pytest.approx(100)
    assert len(np.unique(np.round(served))) == 51
    # Uniform on 50..100 has mean 75 and variance (51^2 - 1) / 12 = 216.67.
    assert abs(served.mean() - 75) < 3 * np.sqrt(216.67 / 20_000)


def test_the_simulated_rate_has_the_fitted_beta_distribution():
    result = simulate(one_outcome(), 40_000, seed=4)
    rates = result.earnings / 40_000  # all students served, so payment = $40,000 x rate
    # A Beta with mean 0.5 and a symmetric 40%..60% range has exactly those percentiles.
    low, high = np.percentile(rates, [10, 90])
    assert low == pytest.approx(0.4, abs=0.004)
    assert high == pytest.approx(0.6, abs=0.004)
    # The whole curve, not only two points: the share at or below each point is the Beta's CDF
    # within 4 standard errors (at most 4 x sqrt(0.25 / 40,000) = 0.01).
    shape = beta_shape(0.5, 0.2)
    for point in (0.3, 0.45, 0.5, 0.55, 0.7):
        assert np.mean(rates <= point) == pytest.approx(stats.beta.cdf(point, *shape), abs=0.01)


def test_a_skewed_range_gets_close_percentiles():
    # Mean 70% with 60%..80%: the width is matched exactly, the ends within a percentage point.
    result = simulate(one_outcome(mean=0.7, low=0.6, high=0.8), 40_000, seed=5)
    low, high = np.percentile(result.earnings / 40_000, [10, 90])
    assert high - low == pytest.approx(0.2, abs=0.006)
    assert low == pytest.approx(0.6, abs=0.01)
    assert high == pytest.approx(0.8, abs=0.01)


def three_outcomes(correlation: float):
    outcomes = [
        {"name": name, "weight": weight, "expected_rate": 0.5, "rate_low": 0.4, "rate_high": 0.6}
        for name, weight in (("Dosage", 0.3), ("Growth", 0.3), ("Attendance", 0.4))
    ]
    return make_deal(outcomes=outcomes, risk={"correlation": correlation})


def test_correlation_widens_the_spread_of_the_total():
    independent = simulate(three_outcomes(0.0), 30_000, seed=6)
    together = simulate(three_outcomes(0.9), 30_000, seed=6)
    # Equal spreads s, weights .3/.3/.4: variance (.09+.09+.16) s^2 = .34 s^2 when independent,
    # and .34 s^2 + 2 (.09 + .12 + .12) x ~0.9 s^2 = ~0.93 s^2 at 0.9: about 1.65 times the spread.
    assert together.total.std > 1.4 * independent.total.std
    assert together.total.mean == pytest.approx(independent.total.mean, rel=0.003)


@settings(max_examples=25, deadline=None)
@given(
    correlation=st.floats(0, 0.95), miss=st.floats(0, 1), fewest=st.integers(0, 1000),
    spread=st.floats(0, 0.2), seed=st.integers(0, 2**32),
)
def test_every_trial_stays_between_the_floor_and_the_contract_value(correlation, miss, fewest, spread, seed):
    data = copy.deepcopy(EXAMPLE)  # $1,420,000: per-student base $852 a student, $568,000 pool
    for outcome in data["outcomes"]:
        outcome["rate_low"] = max(outcome["expected_rate"] - spread, 0.0)
        outcome["rate_high"] = min(outcome["expected_rate"] + spread, 1.0)
    data["risk"] = {"correlation": correlation, "commitments_miss_probability": miss,
                    "students_served_low": fewest, "students_served_high": 1000}
    result = simulate(deal_from_dict(data), 500, seed)
    assert np.all(result.earnings >= 0) and np.all(result.earnings <= 568_000 + CENT)
    assert np.all(result.totals <= 1_420_000 + CENT)
    assert np.all(result.totals - result.earnings >= 852 * fewest - CENT)


def test_the_same_seed_gives_the_same_figures_and_another_seed_does_not():
    deal = load_deal(MATH)
    first, again, other = simulate(deal, 3_000, 11), simulate(deal, 3_000, 11), simulate(deal, 3_000, 12)
    assert first.to_dict() == again.to_dict()
    assert np.array_equal(first.totals, again.totals)
    assert first.to_dict()["total"] != other.to_dict()["total"]


def test_the_block_size_does_not_change_any_figure():
    deal = load_deal(MATH)  # ranges, correlation, students served and missed commitments
    trials = 2 * CHUNK + CHUNK // 2 + 17  # a last chunk cut short
    small = simulate(deal, trials, 7, block_size=CHUNK)
    large = simulate(deal, trials, 7, block_size=3 * CHUNK)
    assert small.to_dict() == large.to_dict()
    assert np.array_equal(small.totals, large.totals)
    assert np.array_equal(small.earnings, large.earnings)


def test_missing_the_commitments_pays_the_full_contract_value():
    result = simulate(one_outcome(risk={"commitments_miss_probability": 1.0}), 2_000, seed=8)
    assert np.allclose(result.totals, 100_000, rtol=0, atol=CENT)
    assert np.allclose(result.earnings, 40_000, rtol=0, atol=CENT)
    assert result.expected_payments["Growth"] == pytest.approx(40_000, abs=CENT)


def test_commitments_are_missed_as_often_as_the_probability_says():
    result = simulate(one_outcome(risk={"commitments_miss_probability": 0.25}), 20_000, seed=9)
    # Only a missed trial pays all $100,000: kept ones pay $60,000 + $40,000 x a rate below 1.
    missed = np.mean(result.totals == 100_000)
    assert abs(missed - 0.25) < 3 * np.sqrt(0.25 * 0.75 / 20_000)


def test_probabilities_against_a_budget_line_and_a_share_of_the_pool():
    result = simulate(one_outcome(low=0.5, high=0.5), 1_000, seed=10)
    # Every trial: $60,000 + $40,000 x 50% = $80,000 total; $20,000 earned, half the pool.
    assert probability_total_exceeds(result, 80_000) == 0.0
    assert probability_total_exceeds(result, 79_999.99) == 1.0
    assert probability_earnings_below(result, 0.5) == 0.0
    assert probability_earnings_below(result, 0.51) == 1.0


def test_shares_of_the_pool_and_of_each_allocation():
    deal = one_outcome(low=0.5, high=0.5)
    result = simulate(deal, 1_000, seed=10)
    # Pool $40,000: $20,000 is half of it; a quarter of it is $10,000.
    assert share_of_pool(result, 20_000) == pytest.approx(0.5)
    assert earnings_line(result, 0.25) == pytest.approx(10_000)
    # Every trial pays $40,000 x 50% = $20,000 of the outcome's $40,000 allocation.
    assert allocation_shares(deal, result) == {"Growth": pytest.approx(20_000 / 40_000)}


def test_a_deal_without_a_pool_has_no_shares_of_it():
    deal = one_outcome(low=0.5, high=0.5, performance_share=0.0)
    result = simulate(deal, 100, seed=1)
    assert share_of_pool(result, 0.0) is None
    assert allocation_shares(deal, result) == {"Growth": None}


def test_varying_enrollment_starts_from_ninety_percent_rounded_down():
    assert starting_served_range(1_250) == (1_125, 1_250)  # 0.9 x 1,250 = 1,125
    assert starting_served_range(15) == (13, 15)  # 0.9 x 15 = 13.5, rounded down


def test_progress_is_reported_after_each_block():
    seen, trials = [], 2 * CHUNK + 5
    simulate(one_outcome(), trials, seed=1, block_size=CHUNK, progress=lambda done, n: seen.append((done, n)))
    assert seen == [(CHUNK, trials), (2 * CHUNK, trials), (trials, trials)]


def test_histogram_and_cumulative_curve():
    values = np.array([1.0, 2.0, 2.0, 3.0])
    bars = histogram(values, bins=2)  # 1..2 and 2..3; numpy puts 2.0 in the second bar
    assert list(bars["start"]) == [1.0, 2.0] and list(bars["end"]) == [2.0, 3.0]
    assert list(bars["share"]) == [0.25, 0.75]
    curve = cumulative(values, points=3)
    assert list(curve["probability"]) == [0.0, 0.5, 1.0]
    assert list(curve["value"]) == [1.0, 2.0, 3.0]


def test_json_ready_figures():
    result = simulate(one_outcome(), 1_000, seed=0)
    assert isinstance(result, SimulationResult)
    data = result.to_dict()
    assert set(data) == {"trials", "seed", "total", "provider_earnings", "expected_payments",
                         "expected_penalty_relief"}
    assert data["expected_penalty_relief"] == 0.0  # no band takes money back
    assert set(data["total"]) == {"mean", "std", "p5", "p25", "p50", "p75", "p95"}
    assert json.loads(json.dumps(data)) == data


def test_risk_defaults_are_shown_filled_in():
    assert risk_settings(make_deal()) == {
        "correlation": 0.0,
        "students_served_low": 100,
        "students_served_high": 100,
        "commitments_miss_probability": 0.0,
    }


def test_risk_settings_are_checked_with_their_paths():
    assert deal_problems(risk={"students_served_low": 50}) == [
        "risk.students_served_high: give students_served_low and students_served_high together, or neither"
    ]
    assert deal_problems(risk={"students_served_low": 50, "students_served_high": 120}) == [
        "risk.students_served_high: 120 students served is more than the deal's 100"
    ]
    assert deal_problems(risk={"students_served_low": 90, "students_served_high": 80}) == [
        "risk.students_served_low: 90 is above the high end (80)"
    ]
    assert deal_problems(risk={"correlation": 0.96})[0].startswith("risk.correlation: ")
    miss = deal_problems(risk={"commitments_miss_probability": 1.5})
    assert miss[0].startswith("risk.commitments_miss_probability: ")
    assert deal_problems(risk={"seed": 1})[0].startswith("risk.seed: unknown field")


def test_a_range_made_impossible_after_loading_is_caught_when_simulated():
    deal = one_outcome()
    outcome = deal.outcomes[0].model_copy(update={"rate_low": 0.0, "rate_high": 1.0})
    changed = deal.model_copy(update={"outcomes": [outcome]})  # model_copy does not validate
    with pytest.raises(DealError) as caught:
        simulate(changed, 100, seed=0)
    assert caught.value.problems[0].path == "outcomes[0].rate_high"


def test_bad_run_settings_are_refused():
    with pytest.raises(ValueError):
        simulate(one_outcome(), 0, seed=0)
    with pytest.raises(ValueError):
        simulate(one_outcome(), 10, seed=-1)
    with pytest.raises(ValueError):
        simulate(one_outcome(), 10, seed=0, block_size=CHUNK + 1)


def test_nothing_uncertain_until_a_range_enrollment_or_miss_chance_is_set():
    assert nothing_uncertain(make_deal())
    assert nothing_uncertain(make_deal(outcomes=[{"name": "G", "expected_rate": 0.5,
                                                  "rate_low": 0.5, "rate_high": 0.5}]))
    assert not nothing_uncertain(make_deal(outcomes=[{"name": "G", "expected_rate": 0.5,
                                                      "rate_low": 0.4, "rate_high": 0.6}]))
    assert not nothing_uncertain(make_deal(risk={"students_served_low": 80, "students_served_high": 100}))
    assert not nothing_uncertain(make_deal(risk={"commitments_miss_probability": 0.1}))


# ---------------------------------------------------------------- student groups and bands



def test_zero_spread_pays_the_worked_example_of_groups_in_every_trial():
    deal = groups_example()
    result = simulate(deal, 2_000, seed=1)
    # u = 200,000 / (1.5 x 100 + 1.25 x 200 + 700) = 200,000 / 1,100; achievers 40, 100 and 420
    # pay u x (1.5 x 40 + 1.25 x 100 + 420) = u x 605 = $110,000, on a $300,000 base.
    assert result.expected_payments["Growth"] == pytest.approx(110_000, abs=CENT)
    assert np.allclose(result.totals, 410_000, rtol=0, atol=CENT)
    assert np.all(result.totals == expected(deal).total)


def test_zero_spread_pays_the_worked_example_of_bands_in_every_trial():
    deal = banded_example()
    result = simulate(deal, 2_000, seed=1)
    # $200 x 500 x (0.1 x -0.25 + 0.3 x 0 + 0.4 x 0.5 + 0.2 x 1) = 100,000 x 0.375 = $37,500,
    # on a $150,000 base.
    assert result.expected_payments["Growth"] == pytest.approx(37_500, abs=CENT)
    assert np.allclose(result.totals, 187_500, rtol=0, atol=CENT)
    assert np.all(result.totals == expected(deal).total)


def test_the_groups_overall_rate_is_drawn_around_its_expected_value():
    deal = groups_example(rate_low=0.46, rate_high=0.66)
    result = simulate(deal, 60_000, seed=2)
    # The overall rate d averages 0.1 x 0.4 + 0.2 x 0.5 + 0.7 x 0.6 = 0.56 and the price-weighted
    # rate is 605 / 1,100 = 0.55 there. Below 0.56 every group's rate is scaled by d / 0.56, so the
    # price-weighted rate is 0.55 d / 0.56; above it every shortfall is scaled by (1 - d) / 0.44,
    # so it is 1 - 0.45 (1 - d) / 0.44. With d ~ Beta(a, b) of mean m = 0.56:
    # E[d; d <= c] = m F(c; a + 1, b) and E[1 - d; d > c] = (1 - m) S(c; a, b + 1).
    a, b, m, c = *beta_shape(0.56, 0.2), 0.56, 0.56
    below = 0.55 / 0.56 * m * stats.beta.cdf(c, a + 1, b)
    above = stats.beta.sf(c, a, b) - 0.45 / 0.44 * (1 - m) * stats.beta.sf(c, a, b + 1)
    exact = 200_000 * (below + above)
    standard_error = result.provider_earnings.std / np.sqrt(result.trials)
    assert abs(result.expected_payments["Growth"] - exact) < 3 * standard_error


def test_a_banded_outcome_with_a_range_averages_its_exact_expectation():
    # $40,000 over 100 students; half below 0 (payout -100%), half from 0 (payout 100%): the
    # paying share p averages 0.5, drawn from a Beta with a 30%..70% range. The paying band holds
    # p, the other 1 - p, so the outcome pays 40,000 (p - (1 - p)) = 80,000 (p - 0.5), and with
    # max_penalty 0 the provider earns max(0, that): 80,000 E[max(p - 0.5, 0)]
    # = 80,000 (E[p; p > 0.5] - 0.5 P(p > 0.5)) = 80,000 (0.5 S(0.5; a + 1, b) - 0.5 S(0.5; a, b)).
    bands = [{"min_value": None, "payout": -1.0}, {"min_value": 0, "payout": 1.0}]
    growth = {"name": "Growth", "basis": "per_student_banded", "bands": bands,
              "expected_band_shares": [0.5, 0.5], "rate_low": 0.3, "rate_high": 0.7}
    result = simulate(make_deal(outcomes=[growth]), 60_000, seed=3)
    a, b = beta_shape(0.5, 0.4)
    exact = 80_000 * (0.5 * stats.beta.sf(0.5, a + 1, b) - 0.5 * stats.beta.sf(0.5, a, b))
    standard_error = result.provider_earnings.std / np.sqrt(result.trials)
    assert standard_error > 0
    assert abs(result.provider_earnings.mean - exact) < 3 * standard_error
    # Before the limit the outcome averages 80,000 (0.5 - 0.5) = 0; what the limit gives back
    # makes up the rest of the earnings.
    assert abs(result.expected_payments["Growth"]) < 3 * 40_000 * 0.4 / np.sqrt(result.trials)
    assert result.expected_payments["Growth"] + result.expected_penalty_relief == pytest.approx(
        result.provider_earnings.mean, abs=CENT)
    assert np.all(result.earnings >= 0)


def test_max_penalty_holds_in_every_trial():
    bands = [{"min_value": None, "payout": -1.0}, {"min_value": 0, "payout": 1.0}]
    growth = {"name": "Growth", "basis": "per_student_banded", "bands": bands,
              "expected_band_shares": [0.5, 0.5], "rate_low": 0.1, "rate_high": 0.9}
    result = simulate(make_deal(outcomes=[growth], max_penalty=5_000), 20_000, seed=4)
    # The outcome pays 40,000 (2p - 1), from -$40,000 to $40,000; the $60,000 base less at most
    # $5,000 taken back is $55,000, which the worst trials reach.
    assert result.totals.min() == pytest.approx(55_000, abs=CENT)
    assert np.all(result.totals >= 55_000 - CENT)
    assert np.all(result.totals <= 100_000 + CENT)


@settings(max_examples=25, deadline=None)
@given(max_penalty=st.floats(0, 50_000), correlation=st.floats(0, 0.95), miss=st.floats(0, 1),
       fewest=st.integers(0, 500), seed=st.integers(0, 2**32))
def test_every_trial_of_groups_and_bands_stays_between_the_floor_and_the_contract_value(
        max_penalty, correlation, miss, fewest, seed):
    groups = [{"name": "English learners", "students": 200, "price_multiplier": 1.25}]
    outcomes = [
        {"name": "Growth", "basis": "per_student_banded", "bands": BANDS, "weight": 0.5,
         "expected_band_shares": [0.1, 0.3, 0.4, 0.2], "rate_low": 0.4, "rate_high": 0.8,
         "group_band_shares": {"English learners": [0.3, 0.3, 0.3, 0.1]}},
        {"name": "Reading", "weight": 0.5, "expected_rate": 0.5, "rate_low": 0.3, "rate_high": 0.7},
    ]
    risk = {"correlation": correlation, "commitments_miss_probability": miss,
            "students_served_low": fewest, "students_served_high": 500}
    deal = make_deal(students=500, total_cost=250_000, student_groups=groups, outcomes=outcomes,
                     max_penalty=max_penalty, risk=risk)
    result = simulate(deal, 500, seed)
    # A fixed $150,000 base; the $100,000 pool pays at most itself and takes back at most max_penalty.
    assert np.all(result.totals >= 150_000 - max_penalty - CENT)
    assert np.all(result.earnings >= -max_penalty - CENT)
    assert np.all(result.totals <= 250_000 + CENT)


def test_the_same_seed_gives_the_same_figures_for_groups_and_bands():
    deal = banded_example(outcome={"rate_low": 0.5, "rate_high": 0.7},
                          risk={"correlation": 0.3, "commitments_miss_probability": 0.1})
    first, again = simulate(deal, 3_000, 21), simulate(deal, 3_000, 21)
    assert first.to_dict() == again.to_dict()
    assert np.array_equal(first.totals, again.totals)
    assert first.to_dict() != simulate(deal, 3_000, 22).to_dict()


def test_missing_the_commitments_pays_the_full_contract_value_with_bands():
    deal = banded_example(outcome={"rate_low": 0.5, "rate_high": 0.7},
                          risk={"commitments_miss_probability": 1.0})
    result = simulate(deal, 1_000, seed=8)
    assert np.allclose(result.totals, 250_000, rtol=0, atol=CENT)  # $150,000 base + $100,000 pool


def test_a_range_around_no_paying_students_is_refused_at_its_path():
    outcome = {"rate_low": 0.0, "rate_high": 0.2, "expected_band_shares": [0.5, 0.5, 0.0, 0.0]}
    with pytest.raises(DealError) as caught:
        simulate(banded_example(outcome=outcome), 100, seed=0)
    # Nobody is in a paying band, so the paying share is certain at 0%: no range fits it.
    assert [str(p) for p in caught.value.problems] == [
        "outcomes[0].rate_high: a range 20.0% wide is impossible for a share of students in paying "
        "bands averaging 0.0%: its 10th-to-90th percentile range must be under 0.0% wide"]
