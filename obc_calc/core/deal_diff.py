"""Two versions of a deal compared: every field that changed, by field path, and the money that moved.

Paths are written as in docs/deal-format.md: `outcomes[1].weight`, `scenarios[0].rates.Math growth`.
List items are matched by position; an item or field on one side only appears with None on the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from obc_calc.core.model import Deal
from obc_calc.core.scenarios import expected, floor, maximum

MONEY_FIGURES = ("maximum", "expected", "floor", "maximum_per_pupil", "expected_per_pupil")


@dataclass(frozen=True)
class Change:
    path: str
    from_: Any
    to: Any

    def to_dict(self) -> dict:
        return {"path": self.path, "from": self.from_, "to": self.to}


@dataclass(frozen=True)
class DealDiff:
    changes: list[Change] = field(default_factory=list)
    money: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "changes": [change.to_dict() for change in self.changes],
            "money": {name: [a, b] for name, (a, b) in self.money.items()},
        }


def plain(value: Any) -> Any:
    """A deal (or any part of it) as JSON-like data with every field, defaults included."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(path: str, a: Any, b: Any, out: list[Change]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            _walk(_join(path, key), a.get(key), b.get(key), out)
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            _walk(f"{path}[{i}]", a[i] if i < len(a) else None, b[i] if i < len(b) else None, out)
    elif a != b or type(a) is not type(b) and not _same_number(a, b):
        out.append(Change(path, a, b))


def _same_number(a: Any, b: Any) -> bool:
    numbers = (int, float)
    return (isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool)
            and not isinstance(b, bool) and a == b)


def money_figures(deal: Deal) -> dict[str, float]:
    top, likely, bottom = maximum(deal).total, expected(deal).total, floor(deal).total
    return {
        "maximum": top,
        "expected": likely,
        "floor": bottom,
        "maximum_per_pupil": top / deal.students,
        "expected_per_pupil": likely / deal.students,
    }


def deal_diff(a: Deal, b: Deal) -> DealDiff:
    """What changed from `a` to `b`: the fields in the deal's own order, then the money."""
    changes: list[Change] = []
    _walk("", plain(a), plain(b), changes)
    before, after = money_figures(a), money_figures(b)
    return DealDiff(changes, {name: (before[name], after[name]) for name in MONEY_FIGURES})
