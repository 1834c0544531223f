"""obc_calc: the calculation core of the outcomes-based contracting calculator (no UI here).

The public names below are imported when first used, so `python -m obc_calc` starts without
loading every module (pydantic, pandas) a command does not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_HOMES = {
    "obc_calc.core.errors": ("DealError", "Problem"),
    "obc_calc.core.flags": ("Flag", "deal_flags"),
    "obc_calc.core.model": ("Commitment", "Deal", "Outcome", "Scenario", "Term", "Tier"),
    "obc_calc.core.report": ("DealReport", "deal_report"),
    "obc_calc.core.scenarios": ("ScenarioResult", "all_scenarios", "evaluate", "expected", "floor",
                                "maximum"),
    "obc_calc.core.schedule": ("fiscal_year_schedule", "monthly_schedule"),
    "obc_calc.io.dealfile": ("deal_from_dict", "deal_from_json", "deal_to_dict", "deal_to_json", "load_deal",
                             "save_deal"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "Commitment", "Deal", "DealError", "DealReport", "Flag", "Outcome", "Problem", "Scenario",
    "ScenarioResult", "Term", "Tier", "all_scenarios", "deal_flags", "deal_from_dict",
    "deal_from_json", "deal_report", "deal_to_dict", "deal_to_json", "evaluate", "expected",
    "fiscal_year_schedule", "floor", "load_deal", "maximum", "monthly_schedule", "save_deal",
]


def __getattr__(name: str):
    if name not in _HOME_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOME_OF[name]), name)
    globals()[name] = value  # imported once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from obc_calc.core.errors import DealError, Problem
    from obc_calc.core.flags import Flag, deal_flags
    from obc_calc.core.model import Commitment, Deal, Outcome, Scenario, Term, Tier
    from obc_calc.core.report import DealReport, deal_report
    from obc_calc.core.scenarios import ScenarioResult, all_scenarios, evaluate, expected, floor, maximum
    from obc_calc.core.schedule import fiscal_year_schedule, monthly_schedule
    from obc_calc.io.dealfile import (
        deal_from_dict,
        deal_from_json,
        deal_to_dict,
        deal_to_json,
        load_deal,
        save_deal,
    )
