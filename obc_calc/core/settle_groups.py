"""Settle-up student by student: what per-student and banded outcomes pay for the students counted.

A per-student outcome pays each achieving student the price of the student's group, u × multiplier
(u = core.groups.unit_price: allocation ÷ Σ multiplier × students, or ÷ eligible students without
groups). A banded outcome pays each served student with a value that price times the payout of
the band the value falls in (the last band whose min_value it reaches; none below the first band).
A student with no value is in no band and pays nothing, whatever the missing-values rule: the rule
only decides whether the student counts in the rate.

The sums run in a fixed order (band by band, and within a band group by group) that the Excel
invoice (obc_calc.io.invoice_excel_detail) writes out term by term, so both agree before rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from obc_calc.core.bases import BASES
from obc_calc.core.groups import groups, unit_price
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.money import cents, excel_number

NO_VALUE = -2  # band_of: a student with no value
BELOW = -1  # band_of: a value below the first band


@dataclass(frozen=True)
class GroupLine:
    name: str
    students: int  # in the deal's group
    multiplier: float
    price: float  # per achiever (per student, banded): u × multiplier
    served: int  # served students of the group in the file
    achievers: int  # of those, meeting the threshold (banded: in a band that pays more than 0)
    payment: float  # what the group's students earn, to the cent (the line is rounded once, apart)


@dataclass(frozen=True)
class BandLine:
    min_value: float | None  # None: any value
    upper: float | None  # the next band's min_value; None for the last band
    payout: float
    students: int  # served students whose value falls in the band
    by_group: tuple[int, ...]  # the same by group, in the order of core.groups.groups; () without groups
    payment: float  # to the cent; below 0 for a penalty band

    @property
    def label(self) -> str:
        return band_label(self.min_value, self.upper)


@dataclass(frozen=True)
class Detail:
    achievers: int
    earned: float  # what the students counted earn, before the cap at the allocation and rounding
    groups: tuple[GroupLine, ...] = ()
    bands: tuple[BandLine, ...] = ()
    below: int = 0  # served students with a value below the first band


def prices_groups(deal: Deal) -> list[str]:
    """The outcomes that price students by group: per-student and banded ones in a deal with groups."""
    if not deal.student_groups:
        return []
    return [o.name for o in deal.outcomes if BASES[o.basis].per_head or BASES[o.basis].banded]


def band_label(min_value: float | None, upper: float | None) -> str:
    """'below 0', '0 to 1', '1.5 or more': a band from its min_value (held) to the next one's (not held)."""
    if min_value is None:
        return "any value" if upper is None else f"below {upper:g}"
    return f"{min_value:g} or more" if upper is None else f"{min_value:g} to {upper:g}"


def band_of(outcome: Outcome, values: np.ndarray) -> np.ndarray:
    """Each value's band (0 = the first); BELOW the first band; NO_VALUE for NaN. Edges are read with
    15 significant digits, as the workbook's ">="&cell criteria read them."""
    edges = np.array([-np.inf if b.min_value is None else excel_number(b.min_value) for b in outcome.bands])
    index = np.searchsorted(edges, values, side="right") - 1
    return np.where(np.isnan(values), NO_VALUE, index)


def _prices(deal: Deal, outcome: Outcome) -> list[float]:
    u = unit_price(deal, outcome)
    return [u * g.multiplier for g in groups(deal)] or [u]


def _codes(served: np.ndarray, codes: np.ndarray | None) -> np.ndarray:
    """Each student's group; without groups, everyone in the one price's group 0."""
    return np.zeros(len(served), dtype=int) if codes is None else codes


def per_student_detail(deal: Deal, outcome: Outcome, served: np.ndarray, achieved: np.ndarray,
                       codes: np.ndarray | None) -> Detail:
    """Σ over groups of price × achievers; `codes` is each student's group (None without groups)."""
    prices = _prices(deal, outcome)
    codes = _codes(served, codes)
    in_group = np.bincount(codes[served], minlength=len(prices)).tolist()
    counts = np.bincount(codes[served & achieved], minlength=len(prices)).tolist()
    earned = sum(price * count for price, count in zip(prices, counts, strict=True))
    # Not strict: without groups there is one price and no group line.
    lines = tuple(GroupLine(g.name, g.students, g.multiplier, price, n, count, cents(price * count))
                  for g, price, n, count in zip(groups(deal), prices, in_group, counts, strict=False))
    return Detail(sum(counts), earned, lines)


def banded_detail(deal: Deal, outcome: Outcome, served: np.ndarray, values: np.ndarray,
                  codes: np.ndarray | None) -> Detail:
    """Σ over bands of (Σ over groups of price × students in the band) × payout."""
    prices = _prices(deal, outcome)
    codes = _codes(served, codes)
    bands = band_of(outcome, values)
    placed = served & (bands >= 0)
    size = len(outcome.bands)
    matrix = np.bincount(codes[placed] * size + bands[placed], minlength=len(prices) * size)
    counts = matrix.reshape(len(prices), size).tolist()  # counts[group][band]
    payouts = [band.payout for band in outcome.bands]
    band_earned = [sum(price * row[b] for price, row in zip(prices, counts, strict=True)) * payouts[b]
                   for b in range(size)]
    uppers = [band.min_value for band in outcome.bands[1:]] + [None]
    by_group = bool(deal.student_groups)
    band_lines = tuple(
        BandLine(band.min_value, upper, band.payout, sum(row[b] for row in counts),
                 tuple(row[b] for row in counts) if by_group else (), cents(band_earned[b]))
        for b, (band, upper) in enumerate(zip(outcome.bands, uppers, strict=True)))
    paying = [b for b in range(size) if payouts[b] > 0]
    in_group = np.bincount(codes[served], minlength=len(prices)).tolist()
    # Not strict: without groups there is one price and no group line.
    group_lines = tuple(
        GroupLine(g.name, g.students, g.multiplier, price, n, sum(row[b] for b in paying),
                  cents(price * sum(payouts[b] * row[b] for b in range(size))))
        for g, price, n, row in zip(groups(deal), prices, in_group, counts, strict=False))
    achievers = sum(line.students for line, payout in zip(band_lines, payouts, strict=True) if payout > 0)
    below = int((served & (bands == BELOW)).sum())
    return Detail(achievers, sum(band_earned), group_lines, band_lines, below)
