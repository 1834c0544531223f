"""Small deals built in tests, so each test shows the figures it computes by hand."""

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import deal_from_dict


def deal_dict(**fields) -> dict:
    """A $100,000 deal for 100 students, 40% on one per-student outcome; fields override."""
    data = {
        "schema_version": 1,
        "name": "Test deal",
        "students": 100,
        "total_cost": 100_000,
        "performance_share": 0.4,
        "outcomes": [{"name": "Growth", "expected_rate": 0.5}],
    }
    data.update(fields)
    return data


def make_deal(**fields):
    return deal_from_dict(deal_dict(**fields))


def deal_problems(**fields) -> list[str]:
    """What deal_from_dict finds wrong with deal_dict(**fields): one 'path: message' line a problem."""
    with pytest.raises(DealError) as caught:
        deal_from_dict(deal_dict(**fields))
    return [str(p) for p in caught.value.problems]
