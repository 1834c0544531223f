"""The Risk page's tables and sentences: what each range is drawn from, the spread of the trials,
each outcome's expected payment, and the assumptions of a run, as text to display."""

from __future__ import annotations

import pandas as pd

import obc_calc.core.simulate as sim
from obc_calc.core.beta import fitted_range
from obc_calc.core.model import Deal
from obc_calc.core.risk_summary import settings_summary
from obc_calc.core.scenarios import expected
from obc_calc.core.sensitivity import expected_figure
from ui import widgets

SUMMARY_ROWS = (("Mean", "mean"), ("Standard deviation", "std"), ("5th percentile", "p5"),
                ("25th percentile", "p25"), ("Median (50th percentile)", "p50"), ("75th percentile", "p75"),
                ("95th percentile", "p95"))


def drawn_ranges(deal: Deal) -> pd.DataFrame:
    """The range each outcome is really drawn from (see obc_calc.core.beta.fitted_range)."""
    rows = []
    for o in deal.outcomes:
        centre = expected_figure(deal, o)  # a banded outcome's share in paying bands; with groups, theirs
        if o.rate_low is None or o.rate_high is None:
            drawn = f"Not set: always {widgets.percent(centre)}"
        else:
            low, high = fitted_range(centre, o.rate_high - o.rate_low)
            drawn = f"{widgets.percent(low)} to {widgets.percent(high)}"
        rows.append({"Outcome": o.name, "Range drawn": drawn})
    return pd.DataFrame(rows)


def summary_table(result: sim.SimulationResult) -> pd.DataFrame:
    rows = []
    for label, name in SUMMARY_ROWS:
        total, earned = getattr(result.total, name), getattr(result.provider_earnings, name)
        rows.append({"Figure": label, "District total": widgets.money(total),
                     "Provider's outcome earnings": widgets.money(earned),
                     "Earnings as share of the pool":
                         widgets.percent_or_dash(sim.share_of_pool(result, earned))})
    return pd.DataFrame(rows)


def expected_payments_table(deal: Deal, result: sim.SimulationResult) -> pd.DataFrame:
    at_expected = expected(deal)
    shares = sim.allocation_shares(deal, result)
    rows = []
    for outcome, fixed in zip(deal.outcomes, at_expected.outcomes, strict=True):
        rows.append({"Outcome": outcome.name, "Allocation": widgets.money(deal.allocation(outcome)),
                     "Expected payment (simulated average)":
                         widgets.money(result.expected_payments[outcome.name]),
                     "Share of allocation": widgets.percent_or_dash(shares[outcome.name]),
                     "Payment at the expected rate": widgets.money(fixed.payment)})
    return pd.DataFrame(rows)


def assumptions_text(deal: Deal) -> str:
    summary = settings_summary(deal)
    ranged, fixed = summary["ranged_outcomes"], summary["fixed_outcomes"]
    rates = (f"{', '.join(ranged)} drawn from {'its range' if len(ranged) == 1 else 'their ranges'}"
             if ranged else "every outcome at its expected rate")
    if ranged and fixed:
        rates += f"; {', '.join(fixed)} at the expected rate"
    low, high = summary["students_served_low"], summary["students_served_high"]
    served = (f"all {low:,} planned students served" if summary["all_planned_served"]
              else f"{low:,} students served" if low == high else f"{low:,} to {high:,} students served")
    return (f"Each trial: {rates}; correlation {summary['correlation']:.2f}; {served}; the district "
            f"misses its commitments in {widgets.percent(summary['commitments_miss_probability'])} "
            "of trials.")
