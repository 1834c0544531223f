"""Settle-up: from checked student-level results to the invoice due for a period.

Counting is ours. A per-student outcome pays its price for each achiever counted, since an invoice
that says "12 achievers" must pay for 12; the other bases and the base are the scenarios' rules,
priced by `evaluate` at the measured rates (docs/settle-up.md says why). Each line is rounded to
the cent, half up as Excel's ROUND does, and the totals add the rounded lines, as invoices do.

The invoice's views (JSON, text, table) are in obc_calc.core.report; its CSV in obc_calc.io.invoice_csv.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

import numpy as np

from obc_calc.core.bases import BASES
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_NAME_CHARS, has_control_characters, shown, terminal_safe
from obc_calc.core.model import Deal, Outcome, Scenario
from obc_calc.core.money import cents, cents_down, excel_number
from obc_calc.core.scenarios import ScenarioResult, evaluate

if TYPE_CHECKING:  # read by obc_calc.io.results_file; core imports no file format
    from obc_calc.io.results_file import ResultsTable

MISSING_RULES = ("excluded", "not_achieved")


@dataclass(frozen=True)
class SettleOptions:
    period: str = ""
    invoice_date: date | None = None  # None: today
    missing: str = "excluded"  # or "not_achieved"
    commitments_met: bool = True


@dataclass(frozen=True)
class OutcomeLine:
    name: str
    basis: str
    threshold: str  # how a student meets it, in words
    threshold_value: float | None  # None: the file holds achieved flags
    allocation: float
    not_served: int  # students in the file who were not served: never counted
    missing: int  # served students with no value
    left_out: int  # of those, how many the missing rule left out of the rate
    eligible: int  # students the rate counts
    achievers: int
    rate: float
    price: float | None  # per achiever, per-student outcomes only: see price_per_achiever
    payment: float  # to the cent

    @property
    def counted_not_achieved(self) -> int:
        return self.missing - self.left_out


@dataclass(frozen=True)
class Invoice:
    deal_name: str
    district: str
    provider: str
    period: str
    invoice_date: date
    source: str
    students_in_file: int
    students_served: int
    min_sessions: float | None
    missing_rule: str
    commitments_met: bool
    base_due: float  # to the cent
    outcomes: tuple[OutcomeLine, ...]
    notes: tuple[str, ...]

    @property
    def performance_due(self) -> float:
        return cents(sum(line.payment for line in self.outcomes))

    @property
    def total_due(self) -> float:
        return cents(self.base_due + self.performance_due)


def price_per_achiever(deal: Deal, outcome: Outcome) -> float | None:
    """What a per-student outcome pays for one achiever: its allocation over the students the deal
    lists as eligible for it. None for the other bases, which pay on the rate, not per head."""
    if not BASES[outcome.basis].per_head:
        return None
    return deal.allocation(outcome) / deal.eligible(outcome)


def period_problem(period: str) -> str | None:
    """What is wrong with a period's name, or None: it heads the invoice, so it is a short plain name."""
    if len(period) > MAX_NAME_CHARS:
        return f"{len(period):,} characters is more than the {MAX_NAME_CHARS} a period's name may have"
    if has_control_characters(period):
        return f"{shown(period)} holds control characters (such as terminal escape codes); type plain text"
    return None


def default_period(filename: str) -> str:
    """'Settle-up of results.csv': a period named after the results file, which may hold anything a
    file name can, so made a valid period (control codes replaced, cut to the length of a name)."""
    return terminal_safe(f"Settle-up of {PurePath(filename).name}")[:MAX_NAME_CHARS]


def settle(deal: Deal, results: ResultsTable, options: SettleOptions | None = None) -> Invoice:
    """Count achievers per outcome among served students and price them by the rate card."""
    options = options or SettleOptions()
    if options.missing not in MISSING_RULES:
        raise DealError([Problem("missing values", f"the rule must be one of {', '.join(MISSING_RULES)}")])
    if problem := period_problem(options.period):
        raise DealError([Problem("period", problem)])
    served = results.served
    n_served = int(served.sum())
    if n_served > deal.students:
        raise DealError([Problem(
            f"column {results.columns['served']}",
            f"{n_served:,} students are marked served, more than the {deal.students:,} the deal covers; "
            "check the file, or amend the deal's number of students",
        )], results.source)
    counts = [_count(outcome, results, options.missing) for outcome in deal.outcomes]
    rates = {o.name: (a / e if e else 0.0) for o, (_, a, e) in zip(deal.outcomes, counts, strict=True)}
    scenario = Scenario(
        name=options.period.strip() or "Settle-up", rates=rates, students_served=n_served,
        commitments_met=options.commitments_met,
    )
    priced = evaluate(deal, scenario)
    lines = tuple(
        _line(deal, outcome, priced, options.missing, len(results) - n_served, (missing, achievers, eligible))
        for outcome, (missing, achievers, eligible) in zip(deal.outcomes, counts, strict=True)
    )
    return Invoice(
        deal_name=deal.name,
        district=deal.district,
        provider=deal.provider,
        period=options.period,
        invoice_date=options.invoice_date or date.today(),
        source=results.source,
        students_in_file=len(results),
        students_served=n_served,
        min_sessions=results.min_sessions,
        missing_rule=options.missing,
        commitments_met=options.commitments_met,
        base_due=cents(priced.base),
        outcomes=lines,
        notes=tuple(_notes(deal, results, lines, options)),
    )


def _count(outcome: Outcome, results: ResultsTable, rule: str) -> tuple[int, int, int]:
    """(served students with no value, achievers, students the rate counts)."""
    values = results.values[outcome.name].to_numpy()
    served = results.served
    missing = int((served & np.isnan(values)).sum())
    if outcome.threshold_value is None:
        achieved = values == 1.0
    else:
        achieved = values >= excel_number(outcome.threshold_value)  # NaN compares False
    achievers = int((served & achieved).sum())
    eligible = int(served.sum()) - (missing if rule == "excluded" else 0)
    return missing, achievers, eligible


def _line(deal: Deal, outcome: Outcome, priced: ScenarioResult, rule: str, not_served: int,
          counts: tuple[int, int, int]) -> OutcomeLine:
    missing, achievers, eligible = counts
    priced_line = next(line for line in priced.outcomes if line.name == outcome.name)
    measured = outcome.threshold_value is not None
    allocation = deal.allocation(outcome)
    price = price_per_achiever(deal, outcome)
    payment = priced_line.payment  # the full allocation when the district missed its commitments
    if price is not None and priced.commitments_met:
        # More achievers than the deal lists as eligible cannot pay more than the allocation.
        payment = min(allocation, price * achievers)
    return OutcomeLine(
        name=outcome.name,
        basis=outcome.basis,
        threshold=f"value >= {outcome.threshold_value:g}" if measured else "achieved (flag 1)",
        threshold_value=outcome.threshold_value,
        allocation=allocation,
        not_served=not_served,
        missing=missing,
        left_out=missing if rule == "excluded" else 0,
        eligible=eligible,
        achievers=achievers,
        rate=priced_line.rate,
        price=price,
        # Cut, not rounded, at the allocation: capped lines then never add up past the pool.
        payment=min(cents(payment), cents_down(allocation)),
    )


def students(count: int, noun: str = "student") -> str:
    """'1 student', '1,151 students': counts in notes read as sentences."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _notes(deal: Deal, results: ResultsTable, lines: tuple[OutcomeLine, ...], options: SettleOptions) -> list:
    notes = []
    not_served = len(results) - int(results.served.sum())
    if not_served:
        rule = (f"fewer than {results.min_sessions:g} sessions attended" if results.min_sessions is not None
                else f"not marked served in column {results.columns['served']}")
        base = " and no base" if deal.base_basis == "per_student" else ""
        verb = "was" if not_served == 1 else "were"
        notes.append(f"{students(not_served)} in the file {verb} not served ({rule}); "
                     f"they count for no outcome{base}.")
    for line in lines:
        notes += _outcome_notes(deal, line)
    if not options.commitments_met:
        notes.append("The district missed its commitments: the full contract value is due, "
                     "whatever the results.")
    return notes


def _outcome_notes(deal: Deal, line: OutcomeLine) -> list[str]:
    notes = []
    if line.left_out:
        stands = (f"it pays for the {students(line.achievers, 'achiever')} counted, not for them"
                  if line.price is not None else f"the rate of the {line.eligible:,} counted stands for them")
        notes.append(
            f"{line.name}: {students(line.left_out, 'served student')} with no value left out of its rate "
            f"(rule: excluded); {stands}."
        )
    if line.counted_not_achieved:
        notes.append(
            f"{line.name}: {students(line.counted_not_achieved, 'served student')} with no value counted as "
            "not achieving it (rule: not_achieved)."
        )
    if line.eligible == 0:
        notes.append(f"{line.name}: no served student could be counted, so its rate is 0% and it pays "
                     "nothing on results.")
    planned = deal.eligible(deal.outcome_named(line.name))
    if line.eligible > planned:
        notes.append(
            f"{line.name}: {line.eligible:,} students counted, more than the {planned:,} the deal lists as "
            "eligible; the payment still cannot pass its allocation."
        )
    return notes
