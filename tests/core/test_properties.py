"""Invariants that hold for every deal a user could write (hypothesis)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obc_calc.core.bases import BASES, NAMES
from obc_calc.core.model import Scenario
from obc_calc.core.scenarios import evaluate, floor
from obc_calc.core.schedule import fiscal_year_schedule, monthly_schedule
from obc_calc.io.dealfile import deal_from_dict

rates = st.floats(0, 1, allow_nan=False)
unit = st.floats(0.01, 0.99, allow_nan=False)


@st.composite
def outcomes(draw, name):
    basis = draw(st.sampled_from(NAMES))
    fields = BASES[basis].fields  # each field the basis reads is drawn, so a new basis is covered too
    outcome = {"name": name, "basis": basis, "expected_rate": draw(rates)}
    if "floor_rate" in fields:
        low, high = sorted(draw(st.lists(unit, min_size=2, max_size=2, unique=True)))
        outcome |= {"floor_rate": low, "target_rate": high}
    elif "target_rate" in fields:
        outcome["target_rate"] = draw(unit)
    if "tiers" in fields:
        edges = sorted(draw(st.lists(unit, min_size=1, max_size=4, unique=True)))
        payouts = sorted(draw(st.lists(st.floats(0.05, 1), min_size=len(edges), max_size=len(edges))))
        outcome["tiers"] = [{"min_rate": e, "payout": p} for e, p in zip(edges, payouts, strict=True)]
    return outcome


@st.composite
def deals(draw):
    count = draw(st.integers(1, 5))
    raw = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    weights = [w / sum(raw) for w in raw]
    weights[-1] = 1 - sum(weights[:-1])  # exact to the last bit, so they add up to 1
    students = draw(st.integers(1, 5_000))
    months = draw(st.integers(1, 24))
    data = {
        "schema_version": 1, "name": "Generated", "students": students,
        "total_cost": draw(st.floats(1_000, 50_000_000)),
        "performance_share": draw(rates),
        "base_basis": draw(st.sampled_from(["fixed", "per_student"])),
        "term": {"months": months, "base_upfront_share": draw(rates),
                 "fiscal_year_start_month": draw(st.integers(1, 12))},
        "outcomes": [
            draw(outcomes(f"Outcome {i}")) | {"weight": w, "paid_in_month": draw(st.integers(1, months))}
            for i, w in enumerate(weights)
        ],
    }
    return deal_from_dict(data)


@st.composite
def deal_and_scenario(draw):
    deal = draw(deals())
    scenario = Scenario(
        name="Drawn",
        rates={o.name: draw(rates) for o in deal.outcomes},
        students_served=draw(st.integers(0, deal.students)),
        commitments_met=draw(st.booleans()),
    )
    return deal, scenario


def cents(x):
    return pytest.approx(x, abs=0.005, rel=1e-12)


@settings(max_examples=300, deadline=None)
@given(deal_and_scenario())
def test_never_more_than_the_total_cost_while_commitments_are_kept(case):
    deal, scenario = case
    result = evaluate(deal, scenario)
    if scenario.commitments_met:
        assert result.total <= deal.total_cost * (1 + 1e-12)
    else:
        assert result.total == cents(deal.total_cost)


@settings(max_examples=300, deadline=None)
@given(deal_and_scenario())
def test_parts_add_up_to_the_total(case):
    deal, scenario = case
    result = evaluate(deal, scenario)
    assert result.base + sum(o.payment for o in result.outcomes) == cents(result.total)
    assert deal.base_max + deal.performance_pool == cents(deal.total_cost)
    assert sum(deal.allocation(o) for o in deal.outcomes) == cents(deal.performance_pool)


@settings(max_examples=300, deadline=None)
@given(deal_and_scenario(), st.data())
def test_payments_never_fall_when_a_rate_rises(case, data):
    deal, scenario = case
    outcome = data.draw(st.sampled_from(deal.outcomes))
    before = scenario.rates[outcome.name]
    higher = data.draw(st.floats(before, 1))
    raised = scenario.model_copy(update={"rates": scenario.rates | {outcome.name: higher}})
    old, new = evaluate(deal, scenario), evaluate(deal, raised)
    assert new.payment(outcome.name) >= old.payment(outcome.name)
    assert new.total >= old.total


@settings(max_examples=200, deadline=None)
@given(deal_and_scenario())
def test_fixed_base_never_pays_less_than_the_floor(case):
    deal, scenario = case
    if deal.base_basis == "fixed":
        assert evaluate(deal, scenario).total >= floor(deal).total - 1e-9


@settings(max_examples=150, deadline=None)
@given(deal_and_scenario())
def test_schedules_add_up_to_the_scenario_total(case):
    deal, scenario = case
    result = evaluate(deal, scenario)
    assert monthly_schedule(deal, result)["Total"].sum() == cents(result.total)
    assert fiscal_year_schedule(deal, result)["Total"].sum() == cents(result.total)
