"""Fuzzing the deal model: whatever JSON-like data comes in, out comes a DealError or a valid deal,
and a valid deal's figures are finite, with the maximum never above the total cost."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obc_calc.core import limits
from obc_calc.core.bases import BASES
from obc_calc.core.errors import DealError
from obc_calc.core.money import cents
from obc_calc.core.report import deal_report, report_text
from obc_calc.core.scenarios import evaluate, floor, maximum
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = [json.loads(p.read_text()) for p in sorted((ROOT / "sample_data").glob("*.json"))]
SAMPLES.append(json.loads((ROOT / "tests" / "data" / "example_deal.json").read_text()))

HOSTILE_NUMBERS = [math.nan, math.inf, -math.inf, -0.0, 1e-320, 5e-324, 1e308, -1e308, 10**400, 2**53 + 1,
                   limits.MAX_MONEY, limits.MAX_STUDENTS, True, False, "5", "1e3", "NaN"]
# Integers past 4,300 digits, which Python cannot print: built when drawn, as no repr may show them.
unprintable = st.integers(4_301, 5_000).map(lambda digits: -(10**digits))
scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
           | st.sampled_from(HOSTILE_NUMBERS) | unprintable)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def paths(data, prefix=()) -> list[tuple]:
    """Every place in a deal's data a value sits, as a tuple of keys and indexes."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*prefix, i))
    return found


@st.composite
def mutated_samples(draw):
    """A sample deal with a few values replaced, removed, or unknown fields added."""
    data = copy.deepcopy(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(data)))
        parent = data
        for step in where[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        if action == "replace":  # often a plausible number, so that some deals stay valid
            parent[where[-1]] = draw(json_values | st.floats(0, 1) | st.integers(0, 2_000))
        elif action == "remove" and isinstance(parent, dict):
            del parent[where[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_values)
        if not paths(data):
            break
    return data


def check(data) -> None:
    try:
        deal = deal_from_dict(data)
    except DealError as error:
        assert error.problems and all(p.message for p in error.problems)
        assert all(isinstance(line, str) for line in error.lines())
        return
    figures_are_sane(deal)
    assert deal_to_dict(deal_from_dict(deal_to_dict(deal))) == deal_to_dict(deal)


def figures_are_sane(deal) -> None:
    results = [maximum(deal), floor(deal)] + [evaluate(deal, s) for s in deal.scenarios]
    can_take_back = {o.name for o in deal.outcomes if BASES[o.basis].banded}  # a band may pay below 0
    for result in results:
        assert math.isfinite(result.total) and math.isfinite(result.base), result
        assert all(math.isfinite(o.payment) for o in result.outcomes), result
        assert all(o.payment >= 0 for o in result.outcomes if o.name not in can_take_back), result
        assert result.performance >= -deal.max_penalty - 0.005, result
    assert maximum(deal).total - deal.total_cost < 0.005
    assert sum(deal.allocation(o) for o in deal.outcomes) - deal.performance_pool < 0.005
    report_text(deal_report(deal))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_value_is_a_deal_error_or_a_deal(data):
    check(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(list(SAMPLES[0]) + ["risk", "junk"]), json_values, max_size=12))
def test_any_object_with_the_deals_fields_is_a_deal_error_or_a_deal(data):
    check(data)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples())
def test_a_sample_with_random_fields_replaced_is_a_deal_error_or_a_deal(data):
    check(data)


@st.composite
def weighted_deals(draw):
    """Deals at the edge: up to 50 outcomes whose weights add up to 1 only within the tolerance,
    a total cost in whole cents up to the limit, any performance share."""
    count = draw(st.integers(1, limits.MAX_OUTCOMES))
    raw = draw(st.lists(st.integers(1, 10**6), min_size=count, max_size=count))
    places = draw(st.integers(2, 9))
    weights = [round(w / sum(raw), places) for w in raw]
    off = 1.0 - sum(weights)
    weights[-1] = round(weights[-1] + off + draw(st.floats(-9e-7, 9e-7)), 12)
    if not 0 <= weights[-1] <= 1:
        weights[-1] = 0.0
    return {
        "schema_version": 1, "name": "Weights", "students": draw(st.integers(1, limits.MAX_STUDENTS - 1)),
        "total_cost": draw(st.integers(1, int(limits.MAX_MONEY) * 100 - 1)) / 100,
        "performance_share": draw(st.floats(0, 1)),
        "outcomes": [{"name": f"Outcome {i}", "weight": w} for i, w in enumerate(weights)],
    }


@settings(max_examples=300)
@given(weighted_deals())
def test_the_maximum_is_never_a_cent_above_the_total_cost(data):
    try:
        deal = deal_from_dict(data)
    except DealError as error:  # the rounding pushed the weights out of the tolerance
        assert [p.path for p in error.problems] == ["outcomes"]
        return
    allocations = [deal.allocation(o) for o in deal.outcomes]
    assert sum(allocations) - deal.performance_pool < 0.005  # float noise only: never a cent
    assert cents(maximum(deal).total) <= cents(deal.total_cost)
    assert cents(maximum(deal).total) == cents(deal.total_cost)
