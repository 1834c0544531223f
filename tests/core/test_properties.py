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
OTHER = "Other students"


def shares(count):
    """One share per band, adding up to at most 1 (the rest are below the first band); often every
    student in one band, so that penalties outweigh what other outcomes earn."""
    spread = st.tuples(st.lists(st.floats(0.01, 1), min_size=count, max_size=count), rates).map(
        lambda drawn: [w / sum(drawn[0]) * drawn[1] for w in drawn[0]])
    one_band = st.integers(0, count - 1).map(lambda b: [float(i == b) for i in range(count)])
    return st.just([1.0] + [0.0] * (count - 1)) | spread | one_band


@st.composite
def bands(draw):
    count = draw(st.integers(2, 5))
    starts = sorted(draw(st.lists(st.floats(-5, 5), min_size=count, max_size=count, unique=True)))
    payouts = sorted(draw(st.lists(st.floats(-1, 1), min_size=count - 1, max_size=count - 1))) + [1.0]
    if payouts[0] < 0 or draw(st.booleans()):
        starts[0] = None  # a band that takes money back starts at any value
    return [{"min_value": v, "payout": p} for v, p in zip(starts, payouts, strict=True)]


@st.composite
def outcomes(draw, name, groups):
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
    if "bands" in fields:
        outcome["bands"] = draw(bands())
    if "expected_band_shares" in fields and draw(st.booleans()):
        outcome["expected_band_shares"] = draw(shares(len(outcome["bands"])))
    some = draw(st.lists(st.sampled_from(groups), unique=True)) if groups else []
    if some and "bands" in fields:
        outcome["group_band_shares"] = {g: draw(shares(len(outcome["bands"]))) for g in some}
    elif some:
        outcome["group_expected_rates"] = {g: draw(rates) for g in some}
    return outcome


@st.composite
def student_groups(draw, students):
    groups, left = [], students
    for i in range(draw(st.integers(0, 3))):
        if left == 0:
            break
        size = draw(st.integers(1, left))
        left -= size
        groups.append({"name": f"Group {i}", "students": size, "price_multiplier": draw(st.floats(0.5, 3))})
    return groups


@st.composite
def deals(draw):
    count = draw(st.integers(1, 5))
    raw = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    weights = [w / sum(raw) for w in raw]
    weights[-1] = 1 - sum(weights[:-1])  # exact to the last bit, so they add up to 1
    students = draw(st.integers(1, 5_000))
    months = draw(st.integers(1, 24))
    total_cost = draw(st.floats(1_000, 50_000_000))
    groups = draw(student_groups(students))
    names = [g["name"] for g in groups] + [OTHER] if groups else []
    data = {
        "schema_version": 1, "name": "Generated", "students": students, "total_cost": total_cost,
        "performance_share": draw(rates),
        "base_basis": draw(st.sampled_from(["fixed", "per_student"])),
        "term": {"months": months, "base_upfront_share": draw(rates),
                 "fiscal_year_start_month": draw(st.integers(1, 12))},
        "outcomes": [draw(outcomes(f"Outcome {i}", names)) | {"weight": w, "paid_in_month": draw(
            st.integers(1, months))} for i, w in enumerate(weights)],
        "student_groups": groups,
        "max_penalty": draw(st.sampled_from([0.0, total_cost / 100, total_cost])),
    }
    return deal_from_dict(data)


def group_names(deal):
    return [g.name for g in deal.student_groups] + [OTHER]


@st.composite
def deal_and_scenario(draw):
    deal = draw(deals())
    plain = [o for o in deal.outcomes if o.bands is None]
    banded = [o for o in deal.outcomes if o.bands is not None]
    by_group = deal.student_groups and draw(st.booleans())
    scenario = Scenario(
        name="Drawn",
        rates={o.name: draw(rates) for o in plain},
        band_shares={o.name: draw(shares(len(o.bands))) for o in banded},
        group_rates={o.name: {g: draw(rates) for g in draw(st.lists(st.sampled_from(group_names(deal))))}
                     for o in plain} if by_group else {},
        group_band_shares={o.name: {g: draw(shares(len(o.bands))) for g in draw(st.lists(
            st.sampled_from(group_names(deal))))} for o in banded} if by_group else {},
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
    parts = result.base + sum(o.payment for o in result.outcomes) + result.penalty_relief
    assert parts == cents(result.total)
    assert result.performance >= -deal.max_penalty - 1e-6  # penalties take at most max_penalty
    assert deal.base_max + deal.performance_pool == cents(deal.total_cost)
    assert sum(deal.allocation(o) for o in deal.outcomes) == cents(deal.performance_pool)
    for outcome in result.outcomes:
        if outcome.groups and outcome.groups[0].payment is not None:
            assert sum(g.payment for g in outcome.groups) == cents(outcome.payment)
        if outcome.groups:
            assert sum(g.achievers for g in outcome.groups) == pytest.approx(outcome.achievers, abs=1e-6)


def raised(deal, scenario, outcome, data):
    """The scenario with one of the outcome's rates raised (overall or a group's), or, for a banded
    outcome, some of one band's share moved to a higher band."""
    overall = scenario.rates.get(outcome.name)
    if outcome.bands is None and (not deal.student_groups or data.draw(st.booleans())):
        rates = scenario.rates | {outcome.name: data.draw(st.floats(overall, 1))}
        return scenario.model_copy(update={"rates": rates})
    if outcome.bands is None:
        group = data.draw(st.sampled_from(group_names(deal)))
        given = scenario.group_rates.get(outcome.name, {})
        rate = data.draw(st.floats(given.get(group, overall), 1))  # a group left out has the overall rate
        group_rates = scenario.group_rates | {outcome.name: given | {group: rate}}
        return scenario.model_copy(update={"group_rates": group_rates})
    low, high = sorted(data.draw(st.lists(st.integers(0, len(outcome.bands) - 1), min_size=2, max_size=2,
                                          unique=True)))
    shares = list(scenario.band_shares[outcome.name])
    moved = data.draw(st.floats(0, 1)) * shares[low]
    shares[low], shares[high] = shares[low] - moved, shares[high] + moved
    return scenario.model_copy(update={"band_shares": scenario.band_shares | {outcome.name: shares}})


@settings(max_examples=300, deadline=None)
@given(deal_and_scenario(), st.data())
def test_payments_never_fall_when_a_rate_rises_or_a_share_moves_up_a_band(case, data):
    deal, scenario = case
    outcome = data.draw(st.sampled_from(deal.outcomes))
    old, new = evaluate(deal, scenario), evaluate(deal, raised(deal, scenario, outcome, data))
    assert new.payment(outcome.name) >= old.payment(outcome.name) - 1e-9 * deal.total_cost
    assert new.total >= old.total - 1e-9 * deal.total_cost


@settings(max_examples=200, deadline=None)
@given(deal_and_scenario())
def test_fixed_base_never_pays_less_than_the_floor(case):
    deal, scenario = case
    lowest = floor(deal).total
    assert deal.base_max - deal.max_penalty - 1e-6 <= lowest <= deal.base_max + 1e-6
    if deal.base_basis == "fixed":
        assert evaluate(deal, scenario).total >= lowest - 1e-9 * deal.total_cost


@settings(max_examples=150, deadline=None)
@given(deal_and_scenario())
def test_schedules_add_up_to_the_scenario_total(case):
    deal, scenario = case
    result = evaluate(deal, scenario)
    assert monthly_schedule(deal, result)["Total"].sum() == cents(result.total)
    assert fiscal_year_schedule(deal, result)["Total"].sum() == cents(result.total)
