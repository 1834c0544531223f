"""The budget workbook's payment formulas, as obc_calc.core.scenarios and obc_calc.core.groups pay.

Each outcome's payment in a Scenarios row is its basis's formula from obc_calc.core.bases, given
the figure the basis's rule reads (core.groups.measure): the outcome's rate; in a deal with
student groups, the overall rate Σ rate × students ÷ Students, or for a per-student basis the
price-weighted rate Σ rate × priced students ÷ PricedStudents; for a banded outcome its band value
Σ share × payout (by group, weighted by priced students as rates are). Sums over groups or bands
are SUMPRODUCTs of cells side by side, so a formula stays short however many groups a deal has.
"""

from __future__ import annotations

from obc_calc.core.bases import BASES, Refs
from obc_calc.io.workbook_layout import (
    GROUP_PRICED_ROW,
    GROUP_STUDENTS_ROW,
    NO,
    Layout,
    band_headers,
    tier_headers,
)


def _row_range(columns: list[str], row: int) -> str:
    return f"{columns[0]}{row}:{columns[-1]}{row}"


def overall_rate(lay: Layout, j: int, row: int) -> str:
    """The share of the outcome's students achieving: its rate, or its groups' rates by students."""
    columns = lay.sc_inputs[j]
    if not lay.groups:
        return f"{columns.rate}{row}"
    rates = _row_range(list(columns.group_rates.values()), row)
    return f"SUMPRODUCT({rates},{lay.gr(GROUP_STUDENTS_ROW)})/Students"


def priced_rate(lay: Layout, j: int, row: int) -> str:
    """What a price by group pays, as a share of the allocation: rates weighted by priced students."""
    if not lay.groups:
        return overall_rate(lay, j, row)
    rates = _row_range(list(lay.sc_inputs[j].group_rates.values()), row)
    return f"SUMPRODUCT({rates},{lay.gr(GROUP_PRICED_ROW)})/PricedStudents"


def payouts(lay: Layout, j: int) -> str:
    """The outcome's band payouts on the Rate Card, as one range."""
    return lay.rc_range([band_headers(b)[1] for b in range(1, lay.bands[j] + 1)], j)


def band_value(lay: Layout, j: int, row: int) -> str:
    """Σ share × payout, from -1 to 1: what the banded rule pays per student, as a share of the price."""
    columns = lay.sc_inputs[j]
    if not lay.groups:
        return f"SUMPRODUCT({_row_range(columns.shares, row)},{payouts(lay, j)})"
    terms = [f"SUMPRODUCT({_row_range(shares, row)},{payouts(lay, j)})*{lay.gr(GROUP_PRICED_ROW, group)}"
             for group, shares in columns.group_shares.items()]
    return f"({'+'.join(terms)})/PricedStudents"


def _measured(lay: Layout, j: int, row: int, record) -> str:
    if record.banded:
        return band_value(lay, j, row)
    return priced_rate(lay, j, row) if record.per_head else overall_rate(lay, j, row)


def payment_formula(lay: Layout, j: int, row: int) -> str:
    """One outcome's payment in one Scenarios row: each basis's formula from obc_calc.core.bases,
    chosen by the outcome's Basis cell, which holds the basis's label (the words the app shows).

    A row has a rate or band shares, not both, so it holds only the bases that read what it has:
    a basis the table does not know, or one the row has no cells for, pays #N/A rather than some
    other basis's payment.
    """
    banded = lay.bands[j] > 0
    allocation = lay.rc("Allocation", j)
    basis_cell = lay.rc("Basis", j)
    chosen = "NA()"
    for record in reversed(BASES.values()):
        if record.banded != banded:
            continue
        refs = Refs(
            allocation=allocation, rate=_measured(lay, j, row, record),
            served=f"(${lay.sc_served}{row}/Students)", target=lay.rc("Target rate", j),
            floor=lay.rc("Floor rate", j),
            tiers=tuple((lay.rc(start, j), lay.rc(pays, j))
                        for start, pays in map(tier_headers, range(1, lay.tier_slots + 1))),
        )
        chosen = f'IF({basis_cell}="{record.label}",{record.formula(refs)},{chosen})'
    return f'=IF(${lay.sc_committed}{row}="{NO}",{allocation},{chosen})'


def performance_formula(lay: Layout, row: int) -> str:
    """The outcomes' payments together, never below -MaxPenalty (0: penalties only offset)."""
    return f"=MAX(SUM({lay.sc_pay[0]}{row}:{lay.sc_pay[-1]}{row}),-MaxPenalty)"


def floor_formula(lay: Layout) -> str:
    """Nothing achieved, every banded outcome's students in its lowest-paying band when that band
    takes money back (core.scenarios.floor): the base less what penalties can take."""
    penalties = [f"{lay.rc('Allocation', j)}*MIN(0,{payouts(lay, j)})"
                 for j, bands in enumerate(lay.bands) if bands]
    if not penalties:
        return "=BaseMax"
    return f"=BaseMax+MAX(-MaxPenalty,{'+'.join(penalties)})"
