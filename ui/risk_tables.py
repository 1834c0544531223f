"""The Risk page's tables and sentences: what each range is drawn from, the spread of the trials,
each outcome's expected payment, why the simulated average is not the Expected total, and the
assumptions of a run, as text to display."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import obc_calc.core.simulate as sim
from obc_calc.core.beta import fitted_range
from obc_calc.core.model import Deal
from obc_calc.core.risk_summary import MeanGap, mean_gap, settings_summary
from obc_calc.core.scenarios import expected
from obc_calc.core.sensitivity import expected_figure
from ui import widgets

# Each figure in plain words first, its statistical name in brackets for those who know it.
SUMMARY_ROWS = (("Average (mean)", "mean"),
                ("Typical distance from the average (standard deviation)", "std"),
                ("Low: 1 year in 20 comes out below this (5th percentile)", "p5"),
                ("1 year in 4 comes out below this (25th percentile)", "p25"),
                ("Middle: half the years come out below this (median)", "p50"),
                ("1 year in 4 comes out above this (75th percentile)", "p75"),
                ("High: only 1 year in 20 comes out above this (95th percentile)", "p95"))


@dataclass(frozen=True)
class RunFigures:
    """What the results show of a run apart from the two chances: kilobytes, where the run itself
    holds two numbers a trial, so the page can cache and copy these cheaply on every rerun."""

    bars: pd.DataFrame  # the histogram's (sim.histogram)
    curve: pd.DataFrame  # the cumulative chance (sim.cumulative)
    spread: pd.DataFrame  # summary_table
    payments: pd.DataFrame  # expected_payments_table
    gap: MeanGap


def run_figures(deal: Deal, result: sim.SimulationResult, bins: int) -> RunFigures:
    return RunFigures(sim.histogram(result.totals, bins), sim.cumulative(result.totals),
                      summary_table(result), expected_payments_table(deal, result), mean_gap(deal, result))


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
    return (f"Each trial: {rates}; outcomes moving together at {summary['correlation']:.2f} (correlation: "
            f"0 unrelated, 0.95 almost in step); {served}; the district "
            f"misses its commitments in {widgets.percent(summary['commitments_miss_probability'])} "
            "of trials.")


def _served_words(gap: MeanGap, deal: Deal) -> str:
    average = gap.average_served
    shown = f"{average:,.0f}" if average == int(average) else f"{average:,.1f}"
    return f"an average of {shown} students served instead of the {deal.students:,} planned"


def gap_reasons(gap: MeanGap, deal: Deal) -> list[tuple[float, str]]:
    """The parts of obc_calc.core.risk_summary.mean_gap that apply, each (dollars, what it is)."""
    reasons = []
    uneven = [name for name, dollars in gap.uneven.items() if abs(dollars) >= 0.5]
    if uneven:
        reasons.append((sum(gap.uneven.values()),
                        f"{', '.join(uneven)} paying unevenly as rates move (a threshold, steps, a cap or "
                        "group prices: the average payment is not the payment at the average rate)"))
    if abs(gap.served) >= 0.5:
        reasons.append((gap.served, _served_words(gap, deal)))
    if abs(gap.missed) >= 0.5:
        share = widgets.percent(deal.risk.commitments_miss_probability)
        reasons.append((gap.missed, f"the {share} of years in which the district misses its commitments "
                                       f"and pays the full {widgets.money(gap.missed_total)}"))
    if abs(gap.penalty_limit) >= 0.5:
        reasons.append((gap.penalty_limit,
                        "the limit on penalties (money given back when penalties would pass it)"))
    return reasons


def gap_sentence(gap: MeanGap, deal: Deal, trials: int) -> str:
    """Why the simulated average differs from Expected, in one sentence with each part's dollars."""
    difference = gap.simulated - gap.expected
    if gap.chance_band == 0:  # no trial differs from another
        return "The simulated average is the Expected total: nothing in this deal varies."
    direction = "above" if difference > 0 else "below"
    noise = (f"{trials:,} simulated years can move an average by chance alone by up to about "
             f"{widgets.money(gap.chance_band)} either way")
    reasons = gap_reasons(gap, deal)
    if not reasons:
        return (f"The simulated average is {widgets.money(abs(difference))} {direction} Expected by chance "
                f"alone: every outcome that varies pays in a straight line, and {noise}.")
    reasons.append((gap.chance, "chance"))
    parts = [f"{words} {'adds' if dollars > 0 else 'takes off'} {widgets.money(abs(dollars))}"
             for dollars, words in reasons]
    return (f"The simulated average is {widgets.money(abs(difference))} {direction} Expected, which assumes "
            f"the expected rates, every planned student served and the commitments kept: "
            f"{'; '.join(parts)} ({noise}).")
