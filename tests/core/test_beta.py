"""Fitting a Beta to a rate's mean and 10th-90th range, and the deal checks of rate ranges."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from obc_calc.core.beta import beta_shape, fitted_range, width_problem
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict
from tests.helpers import deal_problems, make_deal


def test_mean_half_and_width_0_8_is_the_uniform():
    # Beta(1, 1) is uniform on 0..1: mean 0.5, 10th percentile 0.1, 90th 0.9, width 0.8.
    alpha, beta = beta_shape(0.5, 0.8)
    assert alpha == pytest.approx(1.0, rel=1e-6)
    assert beta == pytest.approx(1.0, rel=1e-6)


def test_a_skewed_case_by_hand():
    # Beta(1, 3): mean 1/4; CDF 1 - (1 - x)^3, so the q-quantile is 1 - (1 - q)^(1/3).
    width = (1 - 0.1 ** (1 / 3)) - (1 - 0.9 ** (1 / 3))
    alpha, beta = beta_shape(0.25, width)
    assert alpha == pytest.approx(1.0, rel=1e-6)
    assert beta == pytest.approx(3.0, rel=1e-6)


def test_the_fitted_range_shows_where_the_ends_land():
    # Symmetric about a 50% mean: both ends exactly. Lopsided (20% within 10%..40%): the width
    # holds, the ends move, since the mean is fixed.
    assert fitted_range(0.5, 0.2) == pytest.approx((0.4, 0.6), abs=1e-9)
    low, high = fitted_range(0.2, 0.3)
    assert high - low == pytest.approx(0.3, abs=1e-9)
    assert low < 0.1 and high < 0.4
    assert fitted_range(0.3, 0.0) == (0.3, 0.3)


def test_zero_width_is_no_uncertainty():
    assert beta_shape(0.4, 0.0) is None
    assert width_problem(0.4, 0.0) is None


def test_a_width_no_beta_can_have_is_an_error():
    # Markov: a rate averaging 5% is at least 50% with chance at most 0.05 / 0.5 = 10%, so its
    # 90th percentile is at most 50% and its 10th-90th range can never be 60% wide.
    assert "impossible" in width_problem(0.05, 0.6)
    with pytest.raises(ValueError, match="impossible"):
        beta_shape(0.05, 0.6)
    # A rate that is always 0% cannot vary at all; nor can any rate span all of 0% to 100%.
    assert width_problem(0.0, 0.1) is not None
    assert width_problem(0.5, 1.0) is not None


@settings(max_examples=40, deadline=None)
@given(mean=st.floats(0.12, 0.88), share=st.floats(0.01, 0.9))
def test_the_fitted_beta_has_the_mean_and_the_width(mean, share):
    width = share * min(mean, 1 - mean) * 2  # comfortably inside what a Beta can reach
    alpha, beta = beta_shape(mean, width)
    assert alpha / (alpha + beta) == pytest.approx(mean, rel=1e-9)
    low, high = stats.beta.ppf([0.1, 0.9], alpha, beta)
    assert high - low == pytest.approx(width, rel=1e-6, abs=1e-9)


def test_a_small_mean_takes_the_more_concentrated_of_two_fits():
    # Near 0% the width first grows, then shrinks, as the Beta spreads; the fit must be the one
    # on the side of certainty, so narrowing the range always concentrates the distribution.
    narrow, wide = beta_shape(0.05, 0.05), beta_shape(0.05, 0.1)
    assert sum(narrow) > sum(wide)
    assert stats.beta.ppf(0.9, *wide) - stats.beta.ppf(0.1, *wide) == pytest.approx(0.1, rel=1e-6)


def problem_lines(outcome_fields: dict, position: int = 0) -> list[str]:
    outcomes = [{"name": "Growth", "expected_rate": 0.5, "weight": 0.5},
                {"name": "Dosage", "expected_rate": 0.5, "weight": 0.5}]
    outcomes[position].update(outcome_fields)
    return deal_problems(outcomes=outcomes)


def test_a_range_needs_both_ends():
    assert problem_lines({"rate_low": 0.4}) == [
        "outcomes[0].rate_high: give rate_low and rate_high together, or neither"
    ]
    assert problem_lines({"rate_high": 0.6}, 1) == [
        "outcomes[1].rate_low: give rate_low and rate_high together, or neither"
    ]


def test_the_range_must_hold_the_expected_rate():
    assert problem_lines({"rate_low": 0.55, "rate_high": 0.6}) == [
        "outcomes[0].rate_low: 55.0% is above the expected rate (50.0%)"
    ]
    assert problem_lines({"rate_low": 0.4, "rate_high": 0.45}, 1) == [
        "outcomes[1].rate_high: 45.0% is below the expected rate (50.0%)"
    ]


def test_an_impossible_width_names_the_outcome():
    lines = problem_lines({"expected_rate": 0.05, "rate_low": 0.0, "rate_high": 0.6}, 1)
    assert len(lines) == 1
    assert lines[0].startswith("outcomes[1].rate_high: a range 60.0% wide is impossible")


def test_a_version_1_deal_without_ranges_loads_and_saves_as_before():
    deal = make_deal()
    assert deal.outcomes[0].rate_low is None and deal.outcomes[0].rate_high is None
    saved = deal_to_dict(deal)
    assert "risk" not in saved
    assert "rate_low" not in saved["outcomes"][0]


def test_a_range_round_trips():
    deal = make_deal(outcomes=[{"name": "Growth", "expected_rate": 0.5, "rate_low": 0.4, "rate_high": 0.6}])
    saved = deal_to_dict(deal)["outcomes"][0]
    assert (saved["rate_low"], saved["rate_high"]) == (0.4, 0.6)
    assert deal_from_dict(deal_to_dict(deal)) == deal


def test_an_impossible_width_names_what_is_drawn():
    # Around a mean of 0% a Beta has no width at all, so any range is impossible.
    assert width_problem(0.0, 0.2, "a share of students in paying bands") == (
        "a range 20.0% wide is impossible for a share of students in paying bands averaging 0.0%: "
        "its 10th-to-90th percentile range must be under 0.0% wide")
