"""The sample deals: each loads, reads as documented, and its headline figures check by hand."""

from pathlib import Path

import pytest

from obc_calc.core.flags import deal_flags
from obc_calc.core.report import deal_report
from obc_calc.io.dealfile import load_deal

SAMPLES = Path(__file__).parents[2] / "sample_data"
CENT = 0.005


def load(name):
    return load_deal(SAMPLES / f"{name}.json")


def payments(result) -> list[float]:
    return [o.payment for o in result.outcomes]


@pytest.mark.parametrize("name", ["math_tutoring", "literacy_tutoring", "edtech_intervention"])
def test_each_sample_has_low_and_high_scenarios_and_a_commitment(name):
    deal = load(name)
    names = [s.name for s in deal.scenarios]
    assert "Low" in names and "High" in names
    assert deal.commitments


def test_math_tutoring_is_priced_like_duval():
    deal = load("math_tutoring")
    # $670 base + up to $750 on outcomes per student, for 1,250 students: $1,420 x 1,250.
    assert deal.total_cost == 1_420 * 1_250
    assert deal.base_max / deal.students == pytest.approx(670, abs=CENT)
    assert deal.performance_pool / deal.students == pytest.approx(750, abs=CENT)
    report = deal_report(deal)
    # Expected: Dosage 70% of $234,375 = 164,062.50; Math growth 53% of $515,625 = 273,281.25;
    # Same tutor (0.75-0.5)/(0.9-0.5) = 62.5% of $187,500 = 117,187.50.
    assert report.expected.total == pytest.approx(837_500 + 164_062.50 + 273_281.25 + 117_187.50, abs=CENT)
    assert report.floor.total == pytest.approx(670 * 1_250, abs=CENT)
    fewer = next(r for r in report.scenarios if r.name == "Fewer students enrolled")
    # 1,000 served: base $670 x 1,000; per-student outcomes scale by 1,000/1,250 = 0.8.
    assert fewer.total == pytest.approx(
        670_000 + 164_062.50 * 0.8 + 273_281.25 * 0.8 + 117_187.50, abs=CENT)


def test_literacy_tutoring_is_priced_like_denver_and_flagged():
    deal = load("literacy_tutoring")
    # $900 base + up to $1,500 on outcomes for 500 students: a $1.2M maximum, 62.5% contingent.
    assert deal.total_cost == (900 + 1_500) * 500
    assert deal.base_max / deal.students == pytest.approx(900, abs=CENT)
    assert "performance_share_high" in [f.code for f in deal_flags(deal)]
    report = deal_report(deal)
    # Hours 75% of $225,000; growth 50% of $375,000; benchmark 45% reaches its 40% target: $150,000.
    assert report.expected.total == pytest.approx(450_000 + 168_750 + 187_500 + 150_000, abs=CENT)


def test_edtech_intervention_uses_cohort_tiered_and_linear_outcomes():
    deal = load("edtech_intervention")
    assert {o.basis for o in deal.outcomes} == {"cohort_threshold", "tiered", "linear"}
    assert deal.base_basis == "fixed"
    report = deal_report(deal)
    # Pool $480,000 x 30% = $144,000. Usage (0.65-0.4)/(0.8-0.4) = 62.5% of $57,600 = 36,000;
    # growth 52% reaches 50%: $50,400; proficiency 33% is in the 30% tier: 50% of $36,000.
    assert report.expected.total == pytest.approx(336_000 + 36_000 + 50_400 + 18_000, abs=CENT)
    low = next(r for r in report.scenarios if r.name == "Low")
    # Usage 45%: (0.45-0.4)/0.4 = 12.5% of $57,600 = 7,200; growth 45% < 50%; 28% below the first tier.
    assert low.total == pytest.approx(336_000 + 7_200, abs=CENT)


def test_map_growth_banded_is_paid_on_bands_with_a_capped_penalty():
    deal = load("map_growth_banded")
    assert deal.max_penalty == 30_000
    assert [o.basis for o in deal.outcomes] == ["per_student", "per_student_banded", "per_student_banded"]
    report = deal_report(deal)
    # $750,000 x 40% = a $300,000 pool and a $450,000 base ($300 a student for 1,500 students).
    # Allocations: Dosage 20% = $60,000; Mid-year 30% = $90,000; End-of-year 50% = $150,000.
    # Bands pay -25% (decline), 0 (flat), 50% (some growth), 100% (typical growth or more).
    assert report.maximum.total == pytest.approx(750_000, abs=CENT)
    # Expected: Dosage 75% of $60,000 = 45,000.
    # Mid-year 0.15x-0.25 + 0.25x0 + 0.25x0.5 + 0.35x1 = 0.4375 of $90,000 = 39,375.
    # End-of-year 0.1x-0.25 + 0.2x0 + 0.3x0.5 + 0.4x1 = 0.525 of $150,000 = 78,750.
    assert payments(report.expected) == pytest.approx([45_000, 39_375, 78_750], abs=CENT)
    assert report.expected.total == pytest.approx(450_000 + 45_000 + 39_375 + 78_750, abs=CENT)
    # Floor: every student declines, -25% of $90,000 and of $150,000 = -22,500 - 37,500 = -60,000,
    # more than the $30,000 clawback agreed, so the floor is the base less $30,000.
    assert payments(report.floor) == pytest.approx([0, -22_500, -37_500], abs=CENT)
    assert report.floor.penalty_relief == pytest.approx(60_000 - 30_000, abs=CENT)
    assert report.floor.total == pytest.approx(450_000 - min(30_000, 22_500 + 37_500), abs=CENT)


def test_map_growth_banded_scenarios_by_hand():
    report = deal_report(load("map_growth_banded"))
    strong, weak, fewer = report.scenarios
    # Strong year: Dosage 85% of $60,000 = 51,000;
    # mid-year 0.1x-0.25 + 0.3x0.5 + 0.4x1 = 0.525 of $90,000 = 47,250;
    # end-of-year 0.05x-0.25 + 0.3x0.5 + 0.5x1 = 0.6375 of $150,000 = 95,625.
    assert payments(strong) == pytest.approx([51_000, 47_250, 95_625], abs=CENT)
    assert strong.total == pytest.approx(450_000 + 51_000 + 47_250 + 95_625, abs=CENT)
    # Weak year: Dosage 40% of $60,000 = 24,000; mid-year 0.55x-0.25 + 0.1x0.5 + 0.05x1 = -0.0375
    # of $90,000 = -3,375; end-of-year 0.6x-0.25 + 0.1x0.5 = -0.1 of $150,000 = -15,000. The
    # penalties only offset what Dosage earned (24,000 - 18,375 = 5,625 > 0), so the cap is not reached.
    assert payments(weak) == pytest.approx([24_000, -3_375, -15_000], abs=CENT)
    assert weak.penalty_relief == 0
    assert weak.total == pytest.approx(450_000 + 24_000 - 3_375 - 15_000, abs=CENT)
    # Fewer students served: 1,200 of 1,500 (0.8): base $300 x 1,200; every outcome at 0.8 of expected.
    assert payments(fewer) == pytest.approx([45_000 * 0.8, 39_375 * 0.8, 78_750 * 0.8], abs=CENT)
    assert fewer.total == pytest.approx(300 * 1_200 + (45_000 + 39_375 + 78_750) * 0.8, abs=CENT)


def test_student_groups_priced_unit_prices_and_expected_case_by_hand():
    deal = load("student_groups_priced")
    report = deal_report(deal)
    # $1,125,000 x 40% = a $450,000 pool and a $675,000 fixed base. Groups: 150 students with
    # disabilities x 1.5 and 200 English learners x 1.25; the other 1,000 - 150 - 200 = 650 x 1.
    # Sum of multiplier x students = 225 + 250 + 650 = 1,125.
    assert report.maximum.total == pytest.approx(1_125_000, abs=CENT)
    assert report.floor.total == pytest.approx(675_000, abs=CENT)
    # Dosage $112,500 / 1,125 = $100 (x1.5 = $150, x1.25 = $125); growth $225,000 / 1,125 = $200.
    # Dosage: 150x0.7 = 105, 200x0.75 = 150, 650x0.8 = 520 achievers: 150x105 + 125x150 + 100x520.
    dosage = 150 * 105 + 125 * 150 + 100 * 520
    # Growth: 150x0.4 = 60, 200x0.45 = 90, 650x0.55 = 357.5 achievers: 300x60 + 250x90 + 200x357.5.
    growth = 300 * 60 + 250 * 90 + 200 * 357.5
    # Placement (linear 25% to 55%) reads the overall rate (45 + 70 + 292.5) / 1,000 = 40.75%:
    # (0.4075 - 0.25) / (0.55 - 0.25) = 0.525 of $112,500.
    placement = 112_500 * (0.4075 - 0.25) / (0.55 - 0.25)
    assert (dosage, growth) == (86_500, 112_000)
    assert payments(report.expected) == pytest.approx([dosage, growth, placement], abs=CENT)
    assert report.expected.total == pytest.approx(675_000 + 86_500 + 112_000 + 59_062.50, abs=CENT)


def test_student_groups_priced_scenarios_by_hand():
    every_group, others_only, low = deal_report(load("student_groups_priced")).scenarios
    # Gains reach every group. Dosage: 150x0.8 = 120, 200x0.85 = 170, 650x0.85 = 552.5 achievers;
    # growth: 150x0.55 = 82.5, 200x0.6 = 120, 650x0.6 = 390; placement overall
    # (150x0.45 + 200x0.5 + 650x0.5) / 1,000 = 49.25%: (0.4925 - 0.25) / 0.3 of $112,500.
    assert payments(every_group) == pytest.approx(
        [150 * 120 + 125 * 170 + 100 * 552.5, 300 * 82.5 + 250 * 120 + 200 * 390,
         112_500 * (0.4925 - 0.25) / 0.3], abs=CENT)
    assert every_group.total == pytest.approx(675_000 + 94_500 + 132_750 + 90_937.50, abs=CENT)
    # Gains only for other students: growth 150x0.2 = 30, 200x0.25 = 50, 650x0.65 = 422.5 achievers,
    # an overall rate of 50.25%, near the expected 50.75%, yet 300x30 + 250x50 + 200x422.5 = 106,000,
    # $6,000 less than expected: the easier students are worth less. Dosage and placement as expected.
    assert payments(others_only) == pytest.approx([86_500, 300 * 30 + 250 * 50 + 200 * 422.5, 59_062.50],
                                                  abs=CENT)
    assert others_only.outcomes[1].rate == pytest.approx((30 + 50 + 422.5) / 1_000)
    assert others_only.total == pytest.approx(675_000 + 86_500 + 106_000 + 59_062.50, abs=CENT)
    # Low: a scenario's overall rate comes before the groups' expected rates, so every group is at
    # it: Dosage 0.6 x $112,500; growth 0.35 x $225,000; placement (0.3 - 0.25) / 0.3 of $112,500.
    assert payments(low) == pytest.approx([67_500, 78_750, 18_750], abs=CENT)
    assert low.total == pytest.approx(675_000 + 67_500 + 78_750 + 18_750, abs=CENT)
