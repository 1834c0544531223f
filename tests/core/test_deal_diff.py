"""deal_diff: the changed fields by path and the money that moved, checked by hand."""

from obc_calc.core.deal_diff import Change, deal_diff
from tests.helpers import make_deal


def million(**fields):
    """$1,000,000 for 100 students, 40% on one per-student outcome expected at 50%."""
    return make_deal(total_cost=1_000_000, **({"performance_share": 0.4} | fields))


def test_performance_share_40_to_30_percent():
    diff = deal_diff(million(), million(performance_share=0.3))
    assert diff.changes == [Change("performance_share", 0.4, 0.3)]
    # maximum: the whole contract both times; floor: the base (60%, then 70%) with nothing achieved;
    # expected: the base plus half the pool (400,000 / 2, then 300,000 / 2)
    assert diff.money["maximum"] == (1_000_000, 1_000_000)
    assert diff.money["floor"] == (600_000, 700_000)
    assert diff.money["expected"] == (800_000, 850_000)
    assert diff.money["maximum_per_pupil"] == (10_000, 10_000)
    assert diff.money["expected_per_pupil"] == (8_000, 8_500)


def test_to_dict():
    data = deal_diff(million(), million(performance_share=0.3)).to_dict()
    assert data["changes"] == [{"path": "performance_share", "from": 0.4, "to": 0.3}]
    assert data["money"]["floor"] == [600_000, 700_000]
    assert set(data["money"]) == {"maximum", "expected", "floor", "maximum_per_pupil", "expected_per_pupil"}


def test_same_deal_has_no_changes():
    diff = deal_diff(million(), million())
    assert diff.changes == []
    assert diff.money["expected"] == (800_000, 800_000)


def test_paths_into_lists_and_named_rates():
    outcomes = [{"name": "Growth", "weight": 0.5}, {"name": "Math growth", "weight": 0.5}]
    a = million(outcomes=outcomes, scenarios=[{"name": "Low", "rates": {"Math growth": 0.2}}])
    changed = [{"name": "Growth", "weight": 0.4}, {"name": "Math growth", "weight": 0.6}]
    b = million(outcomes=changed, scenarios=[{"name": "Low", "rates": {"Math growth": 0.3}}])
    assert deal_diff(a, b).changes == [
        Change("outcomes[0].weight", 0.5, 0.4),
        Change("outcomes[1].weight", 0.5, 0.6),
        Change("scenarios[0].rates.Math growth", 0.2, 0.3),
    ]


def test_added_and_removed_items_and_fields():
    a = million(scenarios=[{"name": "Low", "rates": {"Growth": 0.2}}])
    b = million(scenarios=[{"name": "Low"}, {"name": "High", "rates": {"Growth": 0.9}}])
    changes = deal_diff(a, b).changes
    assert changes[0] == Change("scenarios[0].rates.Growth", 0.2, None)
    assert changes[1].path == "scenarios[1]" and changes[1].from_ is None
    assert changes[1].to["name"] == "High" and changes[1].to["rates"] == {"Growth": 0.9}
    assert deal_diff(b, a).changes[1] == Change("scenarios[1]", changes[1].to, None)


def test_an_optional_field_set_and_a_default_left_out_of_the_file():
    a = million()
    b = million(outcomes=[{"name": "Growth", "expected_rate": 0.5, "eligible_students": 80}],
                risk={"correlation": 0.3})
    assert deal_diff(a, b).changes == [
        Change("outcomes[0].eligible_students", None, 80),
        Change("risk.correlation", 0.0, 0.3),
    ]
