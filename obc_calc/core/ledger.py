"""The invoice ledger: each recorded invoice pays the difference from what the ledger already holds.

A line earns what the settled invoice says it is worth now (an outcome's payment, or the base) and
pays, to the cent, that less what earlier invoices paid on it: an outcome paid $40,000 at mid-year
and worth $55,000 at year end is invoiced $15,000; worth $30,000, it is credited −$10,000. A
mid-year invoice of some outcomes only has no base line. The base is paid once: a later invoice
carries it only as a difference (normally $0). No outcome's cumulative payments ever pass its
allocation (cut to the cent), and the deal's never pass its total cost. See docs/monitoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.model import Deal
from obc_calc.core.money import cents, cents_down
from obc_calc.core.settle import Invoice

BASE = "Base"
PENALTY_RELIEF = "Penalty relief"  # what the deal's max_penalty gives back, when penalties pass it


@dataclass(frozen=True)
class LedgerLine:
    name: str  # BASE, an outcome's name, or PENALTY_RELIEF
    earned: float  # what the line is worth now, to the cent
    invoiced_before: float  # what earlier invoices in the ledger paid on it
    payment: float  # earned − invoiced_before, to the cent; below 0 a credit

    def to_dict(self) -> dict:
        return {"name": self.name, "earned": self.earned, "invoiced_before": self.invoiced_before,
                "payment": self.payment}


@dataclass(frozen=True)
class RecordedInvoice:
    period: str
    date: date
    lines: tuple[LedgerLine, ...]

    @property
    def total(self) -> float:
        """The amount due now: the lines' payments added (a credit makes it smaller)."""
        return cents(sum(line.payment for line in self.lines))

    def to_dict(self) -> dict:
        return {"period": self.period, "date": self.date.isoformat(),
                "lines": [line.to_dict() for line in self.lines], "total_due": self.total}


def paid_so_far(invoices: list[RecordedInvoice]) -> dict[str, float]:
    """Each line's cumulative payments across the ledger, to the cent."""
    paid: dict[str, float] = {}
    for invoice in invoices:
        for line in invoice.lines:
            paid[line.name] = cents(paid.get(line.name, 0.0) + line.payment)
    return paid


def not_to_exceed(deal: Deal, name: str) -> float | None:
    """The most a line may take in all: the base, an outcome's allocation (cut to the cent); None for
    the penalty relief, which only gives back what penalties took."""
    if name == BASE:
        return cents_down(deal.base_max)
    if name == PENALTY_RELIEF:
        return None
    return cents_down(deal.allocation(deal.outcome_named(name)))


def _worth(deal: Deal, invoice: Invoice, outcomes: list[str] | None) -> list[tuple[str, float]]:
    """(line, what it is worth now) for the lines this invoice carries."""
    if outcomes is None:
        worth = [(BASE, invoice.base_due)] + [(line.name, line.payment) for line in invoice.outcomes]
        return worth + ([(PENALTY_RELIEF, invoice.penalty_relief)] if invoice.penalty_relief else [])
    by_name = {line.name: line.payment for line in invoice.outcomes}
    unknown = [name for name in outcomes if name not in by_name]
    if unknown or not outcomes:
        known = ", ".join(line.name for line in invoice.outcomes)
        what = f"no outcome is named {', '.join(unknown)}" if unknown else "no outcome is named"
        raise DealError([Problem("outcomes", f"{what}; the deal's outcomes are {known}")])
    return [(line.name, line.payment) for line in invoice.outcomes if line.name in outcomes]


def true_up(deal: Deal, invoice: Invoice, previous: list[RecordedInvoice],
            outcomes: list[str] | None = None) -> RecordedInvoice:
    """The invoice to record: each line pays what it is worth now less what the ledger already paid on it.

    `outcomes` given: a mid-year invoice of only those outcomes, with no base line.
    """
    if invoice.deal_name != deal.name:
        raise DealError([Problem("deal", f"the invoice is for {invoice.deal_name!r}, not {deal.name!r}")])
    before = paid_so_far(previous)
    room = cents_down(deal.total_cost) - cents(sum(before.values()))
    lines = []
    for name, worth in _worth(deal, invoice, outcomes):
        paid = before.get(name, 0.0)
        cap = not_to_exceed(deal, name)
        earned = cents(worth) if cap is None else min(cents(worth), cap)
        payment = cents(earned - paid)
        if payment > room:  # the deal's total cost is never passed
            payment = max(cents(room), 0.0)
            earned = cents(paid + payment)
        room = cents(room - payment)
        lines.append(LedgerLine(name, earned, paid, payment))
    return RecordedInvoice(invoice.period, invoice.invoice_date, tuple(lines))


def ledger_summary(deal: Deal, invoices: list[RecordedInvoice]) -> list[dict]:
    """Per line (the base, each outcome in the deal's order, then any other line): the cumulative
    paid, the not-to-exceed and what remains to it (None where a line has no limit)."""
    paid = paid_so_far(invoices)
    names = [BASE] + [o.name for o in deal.outcomes]
    names += [name for name in paid if name not in names]
    limited = set(names[:len(deal.outcomes) + 1])  # a line of an outcome no longer in the deal has none
    rows = []
    for name in names:
        cap = not_to_exceed(deal, name) if name in limited else None
        so_far = paid.get(name, 0.0)
        rows.append({"name": name, "paid": so_far, "not_to_exceed": cap,
                     "remaining": None if cap is None else cents(cap - so_far)})
    return rows
