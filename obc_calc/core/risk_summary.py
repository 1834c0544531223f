"""A simulation's summary, as JSON-ready data and as text for a terminal: the spread of what the
district pays and the provider earns, and the chances that matter to each side."""

from __future__ import annotations

from obc_calc.core.limits import terminal_safe
from obc_calc.core.model import Deal
from obc_calc.core.money import money, percent
from obc_calc.core.scenarios import expected
from obc_calc.core.simulate import (
    SimulationResult,
    probability_earnings_below,
    probability_total_exceeds,
    risk_settings,
)

_ROWS = (
    ("mean", "mean"), ("std", "standard deviation"), ("p5", "5th percentile"), ("p25", "25th percentile"),
    ("p50", "median"), ("p75", "75th percentile"), ("p95", "95th percentile"),
)

RELIEF_LINE = "Penalties beyond max_penalty, given back"


def settings_summary(deal: Deal) -> dict:
    """What every trial of a run assumes, as plain figures: the outcomes drawn from a rate range and
    those held at their expected rate (each in the deal's order), the students served (with whether
    that is every planned student, every trial), the correlation and the chance of missed commitments."""
    ranged = [o.name for o in deal.outcomes if o.rate_low is not None and o.rate_high is not None]
    settings = risk_settings(deal)
    low, high = settings["students_served_low"], settings["students_served_high"]
    return settings | {
        "ranged_outcomes": ranged,
        "fixed_outcomes": [o.name for o in deal.outcomes if o.name not in ranged],
        "all_planned_served": low == high == deal.students,
    }


def risk_figures(deal: Deal, result: SimulationResult, budget_line: float | None,
                 earnings_share: float) -> dict:
    """Everything a simulation reports, as JSON-ready data; no budget line means the expected total."""
    if budget_line is None:
        budget_line = expected(deal).total
    return {"deal": deal.name} | result.to_dict() | {
        "risk": risk_settings(deal),
        "budget_line": budget_line,
        "probability_total_exceeds_budget_line": probability_total_exceeds(result, budget_line),
        "earnings_share": earnings_share,
        "earnings_line": earnings_share * deal.performance_pool,
        "probability_earnings_below_share": probability_earnings_below(result, earnings_share),
    }


def risk_text(data: dict) -> str:
    """risk_figures for a terminal: the deal's and outcomes' names are user text, so control codes go."""
    risk = data["risk"]
    low, high = risk["students_served_low"], risk["students_served_high"]
    served = f"{low:,}" if low == high else f"{low:,} to {high:,}"
    lines = [
        f"{data['deal']}: {data['trials']:,} trials, seed {data['seed']}",
        f"Correlation between outcomes {risk['correlation']:.2f}; students served {served}; "
        f"chance the district misses its commitments {percent(risk['commitments_miss_probability'])}",
        "",
        f"{'':20}  {'District total':>16}  {'Provider earnings':>17}",
    ]
    if data["total"]["std"] == 0 and data["provider_earnings"]["std"] == 0:
        lines.insert(2, "Nothing in this deal varies, so every trial is the expected case: add rate ranges "
                        "or risk settings (docs/risk.md).")
    for key, label in _ROWS:
        lines.append(
            f"{label:20}  {money(data['total'][key]):>16}  {money(data['provider_earnings'][key]):>17}"
        )
    lines += [
        "",
        f"Chance the total exceeds {money(data['budget_line'])}: "
        f"{percent(data['probability_total_exceeds_budget_line'])}",
        f"Chance the provider earns less than {percent(data['earnings_share'])} of the pool "
        f"({money(data['earnings_line'])}): {percent(data['probability_earnings_below_share'])}",
        "",
        "Expected payment by outcome",
    ]
    payments = dict(data["expected_payments"])
    if data["expected_penalty_relief"]:  # so that the lines add up to the mean earnings
        payments[RELIEF_LINE] = data["expected_penalty_relief"]
    width = max(len(name) for name in payments)
    lines += [f"  {name:{width}}  {money(value):>14}" for name, value in payments.items()]
    return terminal_safe("\n".join(lines))
