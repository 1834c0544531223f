"""obc_calc: the calculation core of the outcomes-based contracting calculator (no UI here)."""

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

__version__ = "0.1.0"

__all__ = [
    "Commitment", "Deal", "DealError", "DealReport", "Flag", "Outcome", "Problem", "Scenario",
    "ScenarioResult", "Term", "Tier", "all_scenarios", "deal_flags", "deal_from_dict",
    "deal_from_json", "deal_report", "deal_to_dict", "deal_to_json", "evaluate", "expected",
    "fiscal_year_schedule", "floor", "load_deal", "maximum", "monthly_schedule", "save_deal",
]
