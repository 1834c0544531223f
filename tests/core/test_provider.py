"""The provider's view: margins, the break-even rate and the cash shortfall, by hand."""

import json
from pathlib import Path

import pandas as pd
import pytest

from obc_calc.cli import main
from obc_calc.core import limits
from obc_calc.core.pricing import PerPupilPrice
from obc_calc.core.provider import (
    DeliveryCost,
    ProviderScenario,
    break_even_rate,
    cash_flow,
    max_shortfall,
    provider_scenarios,
    starting_cost,
    worst_month,
)
from obc_calc.io.dealfile import load_deal
from tests.helpers import make_deal

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "tests" / "data" / "example_deal.json"


def test_break_even_of_a_one_outcome_deal():
    deal = make_deal()  # $100,000 for 100 students, $60,000 base, $40,000 per student on outcomes
    # Revenue at rate r is 60,000 + 40,000 r; it covers a $70,000 cost at r = 10,000 / 40,000.
    assert break_even_rate(deal, DeliveryCost(fixed=70_000)) == pytest.approx(0.25, abs=1e-6)
    # $500 a student: 50,000 + 10,000 fixed = 60,000, covered by the base alone.
    assert break_even_rate(deal, DeliveryCost(fixed=10_000, per_student=500)) == 0.0
    # More than the whole contract can pay: no break-even.
    assert break_even_rate(deal, DeliveryCost(fixed=100_001)) is None


def test_break_even_at_a_cohort_target():
    deal = make_deal(outcomes=[{"name": "Growth", "basis": "cohort_threshold", "target_rate": 0.6}])
    # Below 60% only the $60,000 base comes in; at 60% the $40,000 allocation too.
    assert break_even_rate(deal, DeliveryCost(fixed=80_000)) == pytest.approx(0.6, abs=1e-6)


def test_break_even_of_the_example_deal():
    deal = load_deal(EXAMPLE)
    # Cost 200,000 + 900 x 1,000 = 1,100,000. Below 50%: 852,000 + 142,000 r + tiers (113,600 from
    # 30%) is at most 1,036,600; at 50% the growth target adds 255,600, which covers it.
    assert break_even_rate(deal, DeliveryCost(200_000, 900)) == pytest.approx(0.5, abs=1e-6)


def test_margin_per_scenario():
    deal = load_deal(EXAMPLE)
    rows = provider_scenarios(deal, DeliveryCost(fixed=100_000, per_student=1_000))
    assert [r.name for r in rows] == ["Expected", "Low", "High", "Fewer students",
                                      "District misses commitments"]
    expected, low, fewer = rows[0], rows[1], rows[3]
    assert expected.revenue == pytest.approx(1_299_300)
    assert expected.cost == pytest.approx(100_000 + 1_000 * 1_000)
    assert expected.margin == pytest.approx(1_299_300 - 1_100_000)
    assert low.margin == pytest.approx(852_000 + 71_000 - 1_100_000)  # a loss of $177,000
    assert fewer.cost == pytest.approx(100_000 + 1_000 * 800)


def test_margin_as_a_share_of_revenue():
    assert ProviderScenario("Expected", revenue=200, cost=150).margin_share == pytest.approx(50 / 200)
    assert ProviderScenario("Nothing paid", revenue=0, cost=10).margin_share is None


def test_starting_cost_is_halfway_into_the_pool_rounded_to_ten_dollars():
    # $60,000 base and $40,000 pool for 100 students: 600 + 400 / 2 = $800 a student.
    assert starting_cost(make_deal()) == DeliveryCost(0.0, 800.0)
    # For 300 students: 200 + 133.33 / 2 = 266.67, rounded to $270.
    assert starting_cost(make_deal(students=300)) == DeliveryCost(0.0, 270.0)


def test_worst_month_is_the_first_with_the_largest_shortfall():
    flow = pd.DataFrame({"Month": ["2026-09", "2026-10", "2026-11"], "Shortfall": [10.0, 30.0, 30.0]})
    assert worst_month(flow) == "2026-10"  # 30 is the largest, first reached in October


def test_cash_flow_and_the_largest_shortfall():
    deal = make_deal(term={"months": 4}, outcomes=[{"name": "Growth", "expected_rate": 0.5,
                                                    "paid_in_month": 4}])
    # Payments: base $60,000 in four parts of $15,000; growth $20,000 in month 4.
    # Costs $72,000 spread evenly: $18,000 a month. Shortfall grows 3,000 a month to 9,000,
    # then month 4 brings 35,000 against 18,000: cumulative 80,000 against 72,000, no shortfall.
    table = cash_flow(deal, DeliveryCost(fixed=72_000))
    assert table["Payments received"].tolist() == pytest.approx([15_000, 15_000, 15_000, 35_000])
    assert table["Costs paid"].tolist() == pytest.approx([18_000] * 4)
    assert table["Shortfall"].tolist() == pytest.approx([3_000, 6_000, 9_000, 0])
    assert max_shortfall(deal, DeliveryCost(fixed=72_000)) == pytest.approx(9_000)


def test_never_short_gives_zero():
    deal = make_deal(term={"months": 4, "base_upfront_share": 1.0})
    assert max_shortfall(deal, DeliveryCost(fixed=50_000)) == 0


def test_cli_json(capsys):
    code = main(["provider", str(EXAMPLE), "--cost-fixed", "200000", "--cost-per-student", "900",
                 "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["break_even_rate"] == pytest.approx(0.5, abs=1e-6)
    assert out["max_shortfall"] >= 0
    assert out["scenarios"][0] == pytest.approx(
        {"name": "Expected", "revenue": 1_299_300, "cost": 1_100_000, "margin": 199_300})


def test_cli_table_and_bad_cost(capsys):
    assert main(["provider", str(EXAMPLE), "--cost-fixed", "5000000"]) == 0
    assert "none: even full achievement does not cover the cost" in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        main(["provider", str(EXAMPLE), "--cost-fixed", "lots"])
    assert caught.value.code == 2


def test_typed_prices_and_costs_are_finite_and_within_limits():
    for bad in (float("nan"), float("inf"), -1.0, 1e14, 10**400, True, "5"):
        with pytest.raises(ValueError, match="delivery cost"):
            DeliveryCost(fixed=bad)
        with pytest.raises(ValueError, match="price per student"):
            PerPupilPrice(base=100.0, outcomes=bad)
    assert DeliveryCost(limits.MAX_MONEY, 0).for_students(1) == limits.MAX_MONEY


def test_cli_reads_a_thousands_separator(capsys):
    assert main(["provider", str(EXAMPLE), "--cost-fixed", "200,000", "--cost-per-student", "900",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["cost_fixed"] == 200_000
