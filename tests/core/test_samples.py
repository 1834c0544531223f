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
