"""Settle-up: from checked student-level results to the invoice due for a period.

Counting is ours. A per-student outcome pays each achiever counted the price of the student's
group, and a banded one pays each student counted the price times the payout of the student's band
(obc_calc.core.settle_groups), since an invoice that says "12 achievers" must pay for 12; the other
bases pay on the measured rate by the basis rules, and the base by the scenarios' rule
(docs/settle-up.md says why). Each line is rounded to the cent, half up as Excel's ROUND does, and
the totals add the rounded lines, as invoices do. Penalties together never take back more than the
deal's max_penalty: the rest is relieved on a line of its own.

The invoice's views (JSON, text, table) are in obc_calc.core.report; its CSV in obc_calc.io.invoice_csv.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from obc_calc.core.bases import BASES
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.groups import OTHER_STUDENTS, unit_price
from obc_calc.core.limits import MAX_NAME_CHARS, file_slug, has_control_characters, shown
from obc_calc.core.model import Deal, Outcome, Term
from obc_calc.core.money import cents, cents_down, excel_number, money
from obc_calc.core.scenarios import base_due
from obc_calc.core.schedule import fiscal_year
from obc_calc.core.settle_groups import (
    BandLine,
    Detail,
    GroupLine,
    banded_detail,
    per_student_detail,
    prices_groups,
)

if TYPE_CHECKING:  # read by obc_calc.io.results_file; core imports no file format
    from obc_calc.io.results_file import ResultsTable

GROUP = "group"  # the results file's column of student groups (obc_calc.io.results_file reads it)

MISSING_RULES = ("excluded", "not_achieved")
# What each rule does, in the words an invoice's reader sees.
MISSING_RULE_WORDS = {"excluded": "left out of the rate", "not_achieved": "counted as not achieved"}
MAX_STEM_CHARS = 100  # an invoice file name's length, before its extension


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
    price: float | None  # per achiever (per student, banded) at multiplier 1: see price_per_achiever
    payment: float  # to the cent
    groups: tuple[GroupLine, ...] = ()  # per-student and banded outcomes of a deal with groups
    bands: tuple[BandLine, ...] = ()  # banded outcomes
    below: int = 0  # banded: served students with a value below the first band (they pay nothing)

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
    max_penalty: float = 0.0  # the most the outcome payments together may take back
    penalty_relief: float = 0.0  # to the cent: added back so that they take back no more

    @property
    def performance_due(self) -> float:
        return cents(sum(line.payment for line in self.outcomes) + self.penalty_relief)

    @property
    def total_due(self) -> float:
        return cents(self.base_due + self.performance_due)


def price_per_achiever(deal: Deal, outcome: Outcome) -> float | None:
    """What a per-student outcome pays for one achiever (a banded one, for one student at a payout of
    100%): its allocation over the students the deal lists as eligible for it, or over Σ multiplier ×
    students with groups (the price at multiplier 1). None for the bases that pay on the rate."""
    record = BASES[outcome.basis]
    return unit_price(deal, outcome) if record.per_head or record.banded else None


def period_problem(period: str) -> str | None:
    """What is wrong with a period's name, or None: it heads the invoice, so it is a short plain name."""
    if len(period) > MAX_NAME_CHARS:
        return f"{len(period):,} characters is more than the {MAX_NAME_CHARS} a period's name may have"
    if has_control_characters(period):
        return f"{shown(period)} holds control characters (such as terminal escape codes); type plain text"
    return None


def default_period(deal: Deal) -> str:
    """'Middle-school math tutoring 2026-27: settle-up': what a finance office heads an invoice with,
    the deal's name and its school year (left out when the name already holds it)."""
    year = school_year(deal.term)
    ending = ": settle-up" if year in deal.name else f" {year}: settle-up"
    return deal.name[:MAX_NAME_CHARS - len(ending)] + ending  # a long name is cut, never the year


def school_year(term: Term) -> str:
    """'2026-27': the fiscal year the term starts in, named by its two calendar years ('2027' when
    the fiscal year is the calendar year)."""
    fy_start = term.fiscal_year_start_month
    ends = fiscal_year(term.start_year, term.start_month, fy_start)
    return str(ends) if fy_start == 1 else f"{ends - 1}-{ends % 100:02d}"


def file_stem(deal_name: str, period: str) -> str:
    """The invoice's file name without its extension, from the deal and the period:
    'middle-school-math-tutoring-2026-27-settle-up'. Only ASCII letters, digits and hyphens, so no
    name can hold a path or a character a file system refuses; the deal's name is not repeated
    when the period starts with it."""
    deal, text = file_slug(deal_name, "-"), file_slug(period, "-")
    repeats = text == deal or text.startswith(f"{deal}-")
    stem = text if repeats else f"{deal}-{text}".strip("-")
    return stem[:MAX_STEM_CHARS].strip("-") or "invoice"


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
    if (priced := prices_groups(deal)) and results.groups is None:
        raise DealError([Problem(f"column {GROUP}", missing_group_column(priced))], results.source)
    lines = tuple(_line(deal, outcome, results, options, n_served) for outcome in deal.outcomes)
    earned = sum(line.payment for line in lines)
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
        base_due=cents(base_due(deal, n_served) if options.commitments_met else deal.base_max),
        outcomes=lines,
        notes=tuple(_notes(deal, results, lines, options)),
        max_penalty=deal.max_penalty,
        penalty_relief=cents(max(0.0, -deal.max_penalty - earned)),
    )


def missing_group_column(outcomes: list[str]) -> str:
    """Why a results file needs a group column: paying every student at multiplier 1 would be wrong."""
    named = " and ".join([", ".join(outcomes[:-1]), outcomes[-1]] if len(outcomes) > 1 else outcomes)
    return (f"there is no such column, and the deal prices student groups apart for {named}; "
            f"add a {GROUP} column naming each student's group (blank for {OTHER_STUDENTS}), "
            f"or map one to {GROUP}")


def _line(deal: Deal, outcome: Outcome, results: ResultsTable, options: SettleOptions, n_served: int,
          ) -> OutcomeLine:
    values = results.values[outcome.name].to_numpy()
    served = results.served
    missing = int((served & np.isnan(values)).sum())
    left_out = missing if options.missing == "excluded" else 0
    eligible = n_served - left_out
    record = BASES[outcome.basis]
    detail = _detail(deal, outcome, results, values)
    rate = detail.achievers / eligible if eligible else 0.0
    allocation = deal.allocation(outcome)
    if not options.commitments_met:
        payment = allocation  # the district broke its side: the full contract value is due
    elif record.per_head or record.banded:
        # More students than the deal lists as eligible cannot pay more than the allocation.
        payment = min(allocation, detail.earned)
    else:
        payment = float(record.pay(outcome, allocation, rate, n_served / deal.students))
    return OutcomeLine(
        name=outcome.name,
        basis=outcome.basis,
        threshold=_threshold(outcome),
        threshold_value=outcome.threshold_value,
        allocation=allocation,
        not_served=len(results) - n_served,
        missing=missing,
        left_out=left_out,
        eligible=eligible,
        achievers=detail.achievers,
        rate=rate,
        price=price_per_achiever(deal, outcome),
        # Cut, not rounded, at the allocation: capped lines then never add up past the pool.
        payment=min(cents(payment), cents_down(allocation)),
        groups=detail.groups,
        bands=detail.bands,
        below=detail.below,
    )


def _detail(deal: Deal, outcome: Outcome, results: ResultsTable, values: np.ndarray) -> Detail:
    served = results.served
    if BASES[outcome.basis].banded:
        return banded_detail(deal, outcome, served, values, results.groups)
    if outcome.threshold_value is None:
        achieved = values == 1.0
    else:
        achieved = values >= excel_number(outcome.threshold_value)  # NaN compares False
    if BASES[outcome.basis].per_head:
        return per_student_detail(deal, outcome, served, achieved, results.groups)
    return Detail(int((served & achieved).sum()), 0.0)


def _threshold(outcome: Outcome) -> str:
    """How a student counts, in the words an invoice's reader uses (the file's 1/0, yes/no or
    true/false for an outcome achieved or not)."""
    if outcome.bands is not None:
        return f"paid by the band of the value ({len(outcome.bands)} bands)"
    if outcome.threshold_value is None:
        return "marked achieved (1, yes or true)"
    return f"{outcome.threshold_value:g} or more"


def students(count: int, noun: str = "student") -> str:
    """'1 student', '1,151 students': counts in notes read as sentences."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _notes(deal: Deal, results: ResultsTable, lines: tuple[OutcomeLine, ...], options: SettleOptions) -> list:
    notes = []
    not_served = len(results) - int(results.served.sum())
    if not_served:
        rule = (f"fewer than {results.min_sessions:g} sessions attended" if results.min_sessions is not None
                else f"not marked as served in the {results.columns['served']} column")
        base = " and no base" if deal.base_basis == "per_student" else ""
        verb = "was" if not_served == 1 else "were"
        notes.append(f"{students(not_served)} in the file {verb} not served ({rule}); "
                     f"they count for no outcome{base}.")
    for line in lines:
        notes += _outcome_notes(deal, line)
    notes += _group_notes(deal, lines)
    earned = sum(line.payment for line in lines)
    if earned < -deal.max_penalty:
        notes.append(f"Penalties would take back {money(-earned)}, more than the deal's limit on penalties "
                     f"of {money(deal.max_penalty)}: {money(-earned - deal.max_penalty)} is relieved.")
    if not options.commitments_met:
        notes.append("The district missed its commitments: the full contract value is due, "
                     "whatever the results.")
    return notes


def _outcome_notes(deal: Deal, line: OutcomeLine) -> list[str]:
    notes = []
    if line.left_out:
        if line.bands:
            stands = "it pays the students counted by their bands, and nothing for them"
        elif line.price is not None:
            stands = f"it pays for the {students(line.achievers, 'achiever')} counted, not for them"
        else:
            stands = f"the rate of the {line.eligible:,} counted stands for them"
        notes.append(
            f"{line.name}: {students(line.left_out, 'served student')} with no value left out of its rate, "
            f"as chosen for missing values; {stands}."
        )
    if line.counted_not_achieved:
        unpaid = "; they are in no band and pay nothing" if line.bands else ""
        notes.append(
            f"{line.name}: {students(line.counted_not_achieved, 'served student')} with no value counted as "
            f"not achieving it, as chosen for missing values{unpaid}."
        )
    if line.below:
        notes.append(f"{line.name}: {students(line.below, 'served student')} below the first band; "
                     "they pay nothing.")
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


def _group_notes(deal: Deal, lines: tuple[OutcomeLine, ...]) -> list[str]:
    """A group with more served students in the file than the deal lists: its price is still the
    deal's, and the line still cannot pass its allocation."""
    line = next((line for line in lines if line.groups), None)
    if line is None:
        return []
    return [f"{group.name}: {group.served:,} served students in the file, more than the {group.students:,} "
            "the deal lists in the group; each is paid the group's price, up to the allocation."
            for group in line.groups if group.served > group.students]
