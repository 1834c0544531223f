"""What a run assumes, as plain figures, checked by hand on small deals."""

from obc_calc.core.risk_summary import settings_summary
from tests.helpers import make_deal

OUTCOMES = [
    {"name": "Dosage", "weight": 0.4, "expected_rate": 0.5, "rate_low": 0.4, "rate_high": 0.6},
    {"name": "Growth", "weight": 0.3, "expected_rate": 0.5},
    {"name": "Score", "weight": 0.3, "expected_rate": 0.5, "rate_low": 0.3, "rate_high": 0.7},
]


def test_defaults_every_outcome_fixed_and_every_student_served():
    assert settings_summary(make_deal()) == {
        "correlation": 0.0,
        "students_served_low": 100,
        "students_served_high": 100,
        "commitments_miss_probability": 0.0,
        "ranged_outcomes": [],
        "fixed_outcomes": ["Growth"],
        "all_planned_served": True,
    }


def test_ranged_and_fixed_outcomes_in_the_deals_order():
    risk = {"correlation": 0.3, "commitments_miss_probability": 0.05,
            "students_served_low": 80, "students_served_high": 95}
    summary = settings_summary(make_deal(outcomes=OUTCOMES, risk=risk))
    assert summary["ranged_outcomes"] == ["Dosage", "Score"]
    assert summary["fixed_outcomes"] == ["Growth"]
    assert (summary["students_served_low"], summary["students_served_high"]) == (80, 95)
    assert summary["all_planned_served"] is False
    assert (summary["correlation"], summary["commitments_miss_probability"]) == (0.3, 0.05)


def test_a_fixed_count_below_the_plan_is_not_every_planned_student():
    risk = {"students_served_low": 90, "students_served_high": 90}
    summary = settings_summary(make_deal(risk=risk))
    assert (summary["students_served_low"], summary["students_served_high"]) == (90, 90)
    assert summary["all_planned_served"] is False
