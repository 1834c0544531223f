"""When the money goes out: a scenario's payments by month of the term and by fiscal year."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from obc_calc.core.model import Deal, Term
from obc_calc.core.scenarios import ScenarioResult

if TYPE_CHECKING:
    import pandas as pd


def term_months(term: Term) -> list[tuple[int, int]]:
    """(year, month) of each month of the term, the first month first."""
    first = term.start_year * 12 + term.start_month - 1
    return [divmod(first + i, 12) for i in range(term.months)]


def fiscal_year(year: int, month: int, fy_start_month: int) -> int:
    """A fiscal year is named by the calendar year it ends in (July 2026 is in FY2027)."""
    return year + 1 if fy_start_month > 1 and month >= fy_start_month else year


def base_by_month(term: Term, base: float) -> np.ndarray:
    """The upfront share in month 1, the rest in equal parts over every month of the term."""
    months = np.full(term.months, base * (1 - term.base_upfront_share) / term.months)
    months[0] += base * term.base_upfront_share
    return months


PENALTY_RELIEF = "Penalty relief"


def _relief_by_month(deal: Deal, result: ScenarioResult) -> np.ndarray:
    """What penalties took beyond max_penalty comes back in the last month outcomes are paid, when
    the year's outcome payments are all known and netted."""
    months = np.zeros(deal.term.months)
    months[max(deal.paid_in_month(o) for o in deal.outcomes) - 1] = result.penalty_relief
    return months


def monthly_schedule(deal: Deal, result: ScenarioResult) -> pd.DataFrame:
    """One row per month: its label, fiscal year, base, each outcome's payment and the total."""
    import pandas as pd  # here: settle-up reads fiscal_year from this module, and needs no pandas

    months = [(y, m + 1) for y, m in term_months(deal.term)]
    table = pd.DataFrame({
        "Month": [f"{y}-{m:02d}" for y, m in months],
        "Fiscal year": [f"FY{fiscal_year(y, m, deal.term.fiscal_year_start_month)}" for y, m in months],
        "Base": base_by_month(deal.term, result.base),
    })
    for outcome, paid in zip(deal.outcomes, result.outcomes, strict=True):
        column = np.zeros(deal.term.months)
        column[deal.paid_in_month(outcome) - 1] = paid.payment
        table[outcome.name] = column
    if any(o.bands is not None for o in deal.outcomes):
        table[PENALTY_RELIEF] = _relief_by_month(deal, result)
    table["Total"] = table.iloc[:, 2:].sum(axis=1)
    table["Cumulative"] = table["Total"].cumsum()
    return table


def fiscal_year_schedule(deal: Deal, result: ScenarioResult) -> pd.DataFrame:
    """The monthly schedule added up by fiscal year."""
    monthly = monthly_schedule(deal, result).drop(columns=["Month", "Cumulative"])
    return monthly.groupby("Fiscal year", sort=True).sum().reset_index()


def encumbrance_by_fiscal_year(deal: Deal, results: list[ScenarioResult]) -> pd.DataFrame:
    """Each result's total by fiscal year, side by side (e.g. Maximum, Expected, Floor).

    What a budget office asks: how much to encumber in each fiscal year, and how much it
    expects to spend there.
    """
    import pandas as pd

    columns = {r.name: fiscal_year_schedule(deal, r).set_index("Fiscal year")["Total"] for r in results}
    return pd.DataFrame(columns).rename_axis("Fiscal year").reset_index()
