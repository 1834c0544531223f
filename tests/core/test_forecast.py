"""Monitoring's forecast (core.forecast), every expectation computed by hand: the issue's worked
example, a final snapshot fixing the figures, the prior from a range, missed commitments, the score
against the renewal bar, the Monte Carlo mean against the exact Beta mean, and seeded runs."""

import math
from datetime import date

import pytest
from scipy import stats

from obc_calc.core.forecast import (
    CommitmentStatus,
    OutcomeCounts,
    Snapshot,
    belief,
    counts_from_invoice,
    forecast_status,
    prior,
)
from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.dealfile import deal_to_dict
from obc_calc.io.results_file import read_results
from tests.helpers import banded_example, deal_problems, make_deal

MID, END = date(2027, 1, 31), date(2027, 6, 30)


def counts(name, achievers, eligible, served=None, band_counts=()):
    served = eligible if served is None else served
    return OutcomeCounts(name, served, served, eligible, achievers, 0, band_counts)


def snapshot(*outcomes, final=False, served=100, as_of=MID):
    return Snapshot(as_of, final, tuple(outcomes), served)


# make_deal: $100,000 for 100 students, 40% performance -> pool $40,000, fixed base $60,000.
def one_outcome(**outcome):
    return make_deal(outcomes=[{"name": "Growth", **outcome}])


def test_the_worked_example():
    deal = one_outcome(expected_rate=0.6)
    # No range: Beta(20 × 0.6, 20 × 0.4) = Beta(12, 8); 150 of 300 -> Beta(162, 158).
    assert prior(deal, deal.outcomes[0]) == pytest.approx((12.0, 8.0), rel=1e-12)
    updated = belief(deal, deal.outcomes[0], counts("Growth", 150, 300))
    assert updated == pytest.approx((162.0, 158.0), rel=1e-12)
    status = forecast_status(deal, 3, [snapshot(counts("Growth", 150, 300))], [])
    growth = status.outcomes[0]
    assert growth.forecast_rate == pytest.approx((12 + 150) / (20 + 300), rel=1e-12)  # 50.625%
    assert growth.forecast_rate == pytest.approx(0.50625, rel=1e-12)
    assert (growth.measured_rate, growth.eligible, growth.achievers) == (150 / 300, 300, 150)
    assert not growth.on_track  # 50.625% < the plan's 60%
    assert growth.planned_payment == pytest.approx(40_000 * 0.6)  # $24,000
    assert status.total_planned == pytest.approx(60_000 + 24_000)
    assert growth.payment_p10 < growth.payment_expected < growth.payment_p90
    assert (status.deal, status.version, status.as_of) == ("Test deal", 3, MID)


def test_on_track_at_the_expected_rate_or_above():
    deal = one_outcome(expected_rate=0.6)
    # 168 of 280 is 60%: (12 + 168) ÷ (20 + 280) = 180 ÷ 300 = 60%, exactly the plan.
    status = forecast_status(deal, 1, [snapshot(counts("Growth", 168, 280))], [])
    assert status.outcomes[0].forecast_rate == pytest.approx(0.6)
    assert status.outcomes[0].on_track


def test_no_snapshot_forecasts_the_plan():
    deal = one_outcome(expected_rate=0.6)
    status = forecast_status(deal, 1, [], [])
    assert status.as_of is None
    assert status.outcomes[0].measured_rate is None
    assert status.outcomes[0].forecast_rate == pytest.approx(12 / 20)


def test_a_final_snapshot_fixes_the_rate_exactly():
    deal = make_deal(outcomes=[{"name": "Growth", "weight": 0.5, "expected_rate": 0.6},
                               {"name": "Reading", "weight": 0.5, "basis": "cohort_threshold",
                                "target_rate": 0.5, "expected_rate": 0.6}])
    # Allocations $20,000 each. Final: 90 of the 100 students served.
    # Growth: 45 of 90 = 50% -> 20,000 × 0.5 × 90/100 = $9,000. Reading: 40 of 90 < 50% -> $0.
    final = snapshot(counts("Growth", 45, 90), counts("Reading", 40, 90), final=True, served=90, as_of=END)
    status = forecast_status(deal, 1, [snapshot(counts("Growth", 10, 50)), final], [])
    growth, reading = status.outcomes
    assert growth.final and reading.final
    assert growth.forecast_rate == growth.measured_rate == 0.5
    assert growth.payment_expected == growth.payment_p10 == growth.payment_p90 == 20_000 * 0.5 * 90 / 100
    assert reading.payment_expected == reading.payment_p10 == reading.payment_p90 == 0.0
    # The fixed base is $60,000 whoever is served: total $69,000, exactly.
    assert status.total_expected == status.total_p10 == status.total_p90 == 60_000 + 9_000
    assert status.as_of == END


def test_the_latest_snapshot_counts_whatever_the_order_given():
    deal = one_outcome(expected_rate=0.6)
    later, earlier = snapshot(counts("Growth", 150, 300), as_of=END), snapshot(counts("Growth", 0, 300))
    status = forecast_status(deal, 1, [later, earlier], [])
    assert status.outcomes[0].forecast_rate == pytest.approx(162 / 320)


def test_the_prior_from_a_range():
    deal = one_outcome(expected_rate=0.6, rate_low=0.5, rate_high=0.7)
    a, b = prior(deal, deal.outcomes[0])
    assert a / (a + b) == pytest.approx(0.6, rel=1e-9)  # the mean is the expected rate
    low, high = stats.beta.ppf([0.1, 0.9], a, b)
    assert high - low == pytest.approx(0.7 - 0.5, abs=1e-6)  # the width is matched exactly
    assert (low, high) == pytest.approx((0.5, 0.7), abs=0.005)  # the ends nearly (0.6 is off-centre)
    # And updated by 150 of 300 as the worked example is.
    assert belief(deal, deal.outcomes[0], counts("Growth", 150, 300)) == pytest.approx((a + 150, b + 150))


def test_a_symmetric_range_is_matched_at_both_ends():
    deal = one_outcome(expected_rate=0.5, rate_low=0.4, rate_high=0.6)
    low, high = stats.beta.ppf([0.1, 0.9], *prior(deal, deal.outcomes[0]))
    assert (low, high) == pytest.approx((0.4, 0.6), abs=1e-6)


def test_a_missed_commitment_makes_the_total_the_full_cost():
    deal = one_outcome(expected_rate=0.6)
    records = [CommitmentStatus("Space", "met", MID, ""), CommitmentStatus("Space", "missed", END, "no room"),
               CommitmentStatus("Data", "at_risk", MID, "late")]
    status = forecast_status(deal, 1, [snapshot(counts("Growth", 150, 300))], records)
    assert status.commitments_missed
    assert status.total_expected == status.total_p10 == status.total_p90 == 100_000  # the total cost
    assert [(c.name, c.status) for c in status.commitments] == [("Space", "missed"), ("Data", "at_risk")]
    # A later record that the commitment is met again: nothing is missed.
    fixed = forecast_status(deal, 1, [], [*records, CommitmentStatus("Space", "met", date(2027, 7, 1))])
    assert not fixed.commitments_missed
    assert fixed.total_expected < 100_000


def test_an_unknown_commitment_status_is_refused():
    with pytest.raises(ValueError, match="met, at_risk, missed"):
        forecast_status(one_outcome(), 1, [], [CommitmentStatus("Space", "late", MID)])


@pytest.mark.parametrize(("achievers", "score", "eligible_for_renewal"),
                         [(8_999, 89.99, False), (9_000, 90.0, True)])
def test_the_score_and_the_renewal_bar(achievers, score, eligible_for_renewal):
    deal = one_outcome(expected_rate=0.6)
    # Final: 8,999 of 10,000 -> 40,000 × 0.8999 = $35,996 of the $40,000 pool: score 89.99 (< 90);
    # 9,000 of 10,000 -> $36,000: score 90, at the bar.
    final = snapshot(counts("Growth", achievers, 10_000, served=100), final=True, as_of=END)
    status = forecast_status(deal, 1, [final], [])
    assert status.outcomes[0].payment_expected == pytest.approx(40_000 * achievers / 10_000)
    assert status.score == pytest.approx(score, abs=1e-9)
    assert status.renewal_eligible is eligible_for_renewal
    # A deal whose bar is 89.99 renews both.
    lower = forecast_status(one_outcome(expected_rate=0.6).model_copy(update={"renewal_score": 89.99}),
                            1, [final], [])
    assert lower.renewal_eligible


def test_the_score_is_clipped_to_0():
    bands = [{"min_value": None, "payout": -1.0}, {"min_value": 1.0, "payout": 1.0}]
    deal = make_deal(max_penalty=10_000, outcomes=[
        {"name": "MAP", "basis": "per_student_banded", "bands": bands, "expected_band_shares": [0.5, 0.5]}])
    # Final: all 100 students in the penalty band: 40,000 × (100 × −1) ÷ 100 = −$40,000, limited to
    # −$10,000 by max_penalty: the score would be −25, shown as 0.
    final = snapshot(counts("MAP", 0, 100, band_counts=(100, 0)), final=True, as_of=END)
    status = forecast_status(deal, 1, [final], [])
    assert status.outcomes[0].payment_expected == -40_000
    assert status.total_expected == 60_000 - 10_000
    assert status.score == 0.0


def _three_standard_errors(deal, snapshots, a, b, served_share, trials=20_000):
    status = forecast_status(deal, 1, snapshots, [], seed=7, trials=trials)
    growth = status.outcomes[0]
    exact = 40_000 * a / (a + b) * served_share  # allocation × (α + k) ÷ (α + β + n) × served share
    sd = 40_000 * served_share * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))  # the Beta's, scaled
    assert abs(growth.payment_expected - exact) <= 3 * sd / math.sqrt(trials)


def test_the_forecast_payment_is_within_three_standard_errors_of_the_exact_mean():
    deal = one_outcome(expected_rate=0.6)
    _three_standard_errors(deal, [snapshot(counts("Growth", 150, 300))], 12 + 150, 8 + 150, 1.0)


def test_an_outcome_a_final_snapshot_lacks_is_drawn_with_the_students_served():
    deal = one_outcome(expected_rate=0.6)
    # The final snapshot counts another outcome only and says 80 of 100 students were served.
    final = snapshot(counts("Other", 1, 2), final=True, served=80, as_of=END)
    _three_standard_errors(deal, [snapshot(counts("Growth", 150, 300)), final], 12, 8, 80 / 100)


def test_seeded_runs_give_identical_figures():
    deal = make_deal(outcomes=[{"name": "Growth", "weight": 0.5, "expected_rate": 0.6, "rate_low": 0.5,
                                "rate_high": 0.7},
                               {"name": "Reading", "weight": 0.5, "basis": "tiered", "expected_rate": 0.4,
                                "tiers": [{"min_rate": 0.3, "payout": 0.5}, {"min_rate": 0.5, "payout": 1}]}])
    shots = [snapshot(counts("Growth", 150, 300), counts("Reading", 100, 300))]
    first = forecast_status(deal, 1, shots, [], seed=11, trials=5_000).to_dict()
    assert forecast_status(deal, 1, shots, [], seed=11, trials=5_000).to_dict() == first
    assert forecast_status(deal, 1, shots, [], seed=12, trials=5_000).to_dict() != first


def test_the_status_json():
    deal = one_outcome(expected_rate=0.6)
    records = [CommitmentStatus("Space", "at_risk", MID, "shared room")]
    data = forecast_status(deal, 2, [snapshot(counts("Growth", 150, 300))], records).to_dict()
    assert list(data) == ["deal", "version", "as_of", "outcomes", "total", "commitments", "score",
                          "renewal_eligible"]
    assert list(data["outcomes"][0]) == ["name", "measured_rate", "eligible", "achievers", "forecast_rate",
                                         "payment_expected", "payment_p10", "payment_p90", "planned_payment",
                                         "on_track"]
    assert list(data["total"]) == ["expected", "p10", "p90", "planned"]
    assert data["commitments"] == [{"name": "Space", "status": "at_risk", "as_of": "2027-01-31",
                                    "note": "shared room"}]
    assert data["as_of"] == "2027-01-31"


def test_counts_from_a_settled_invoice():
    deal = one_outcome(expected_rate=0.6, threshold_value=1.0)
    # 4 students in the file, 3 served; of those, values 1.2 (achieves), 0.5 and blank (missing,
    # left out of the rate by default): 1 achiever of 2 eligible.
    text = "student_id,served,Growth\nA,1,1.2\nB,1,0.5\nC,1,\nD,0,2\n"
    invoice = settle(deal, read_results(text.encode(), "r.csv", deal), SettleOptions(invoice_date=MID))
    (growth,) = counts_from_invoice(invoice)
    assert growth == OutcomeCounts("Growth", in_file=4, served=3, eligible=2, achievers=1, missing=1)


def test_the_renewal_score_is_left_out_of_saved_files_at_its_default():
    assert one_outcome().renewal_score == 90
    assert "renewal_score" not in deal_to_dict(one_outcome())
    assert deal_to_dict(make_deal(renewal_score=95))["renewal_score"] == 95
    assert deal_problems(renewal_score=101) == [
        "renewal_score: input should be less than or equal to 100 (got 101)"]
    assert counts("Growth", 1, 2).rate == 0.5  # 1 of 2


def test_a_banded_outcome_forecasts_its_band_shares_with_a_dirichlet_belief():
    # $250,000 at 40% is $100,000 over 500 students; expected shares 10%, 30%, 40%, 20% (none below
    # the first band), worth 20 students: Dirichlet(2, 6, 8, 4, 0). An interim count of 30, 30, 30, 10
    # of 100 students makes it (32, 36, 38, 14, 0), 120 in all. Paying bands (50% and 100%): (38 + 14)
    # / 120 = 43.33%. The expected band value is (32 x -0.25 + 36 x 0 + 38 x 0.5 + 14 x 1) / 120 =
    # 25 / 120, so the likely payment is 100,000 x 25 / 120 = $20,833.33, every student served.
    # Its standard deviation: the value's variance is (0.2125 - (25 / 120)^2) / 121, where 0.2125 =
    # (0.0625 x 32 + 0.25 x 38 + 1 x 14) / 120; that is 0.0373825, or $3,738.25 of payment, so three
    # standard errors over 20,000 trials are 3 x 3,738.25 / sqrt(20,000) = $79.30.
    deal = banded_example()
    counts = OutcomeCounts("Growth", in_file=100, served=100, eligible=100, achievers=40, missing=0,
                           band_counts=(30, 30, 30, 10))
    status = forecast_status(deal, 1, [Snapshot(date(2027, 1, 15), False, (counts,), 100)], [], seed=3)
    growth = status.outcomes[0]
    assert growth.forecast_rate == pytest.approx(52 / 120, abs=1e-12)
    assert growth.payment_expected == pytest.approx(100_000 * 25 / 120, abs=79.30)
    assert growth.payment_p10 < growth.payment_expected < growth.payment_p90
