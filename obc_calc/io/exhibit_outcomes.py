"""Section 4 of the payment terms exhibit: the outcomes table, how each outcome pays, and the prices
by student group and by band. Every figure comes from obc_calc.core; the words from the bases' table."""

from __future__ import annotations

from docx.document import Document

from obc_calc.core.bases import BASES, describe_basis
from obc_calc.core.groups import groups, unit_price
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.money import money, percent
from obc_calc.core.money import unit_price as price_text
from obc_calc.core.schedule import term_months
from obc_calc.core.settle_groups import band_label
from obc_calc.io.exhibit_docx import clause, heading, landscape, note, table

SOURCES = {"district": "District", "provider": "Provider", "third_party": "Independent third party"}
OUTCOME_HEADER = ["Outcome", "Metric", "Threshold", "Data source", "Basis", "Weight", "Allocation",
                  "Price", "Paid in"]
OUTCOME_WIDTHS = [1.1, 1.6, 1.35, 0.8, 0.8, 0.55, 0.9, 1.1, 0.8]


def month_name(deal: Deal, month: int) -> str:
    """Month `month` of the term (1 = the first) as a reader names it: 'December 2026'."""
    year, index = term_months(deal.term)[month - 1]
    return f"{MONTHS[index]} {year}"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def paid_in(deal: Deal, outcome: Outcome) -> str:
    month = deal.paid_in_month(outcome)
    return f"{month_name(deal, month)} (month {month})"


def price_cell(deal: Deal, outcome: Outcome) -> str:
    """The price an outcome pays per head, in words: per achieving student, or per student at a band
    paying 100%; an outcome paid on the cohort's rate has none."""
    record = BASES[outcome.basis]
    at_one = " at a multiplier of 1" if deal.student_groups else ""
    if record.per_head:
        return f"{price_text(unit_price(deal, outcome))} per achieving student{at_one}"
    if record.banded:
        return f"{price_text(unit_price(deal, outcome))} per student at a 100% band{at_one}"
    return "none: paid on the cohort's rate"


def outcome_rows(deal: Deal) -> list[list[str]]:
    return [[o.name, o.metric or "-", o.threshold or "-", SOURCES[o.data_source], BASES[o.basis].label,
             percent(o.weight / deal.weight_total), money(deal.allocation(o)), price_cell(deal, o),
             paid_in(deal, o)] for o in deal.outcomes]


def group_rows(deal: Deal) -> list[list[str]]:
    """One row per priced outcome and group: its students, multiplier and price."""
    rows = []
    for outcome in deal.outcomes:
        record = BASES[outcome.basis]
        if not (record.per_head or record.banded):
            continue
        each = "per achieving student" if record.per_head else "per student at a 100% band"
        for group in groups(deal):
            rows.append([outcome.name, group.name, f"{group.students:,}", f"{group.multiplier:g}",
                         f"{price_text(unit_price(deal, outcome) * group.multiplier)} {each}"])
    return rows


def band_rows(deal: Deal) -> list[list[str]]:
    """One row per band of each banded outcome: its range, payout and amount per student (a negative
    payout marked as a penalty that takes money back)."""
    rows = []
    for outcome in deal.outcomes:
        bands = outcome.bands or []
        price = unit_price(deal, outcome)
        for i, band in enumerate(bands):
            upper = bands[i + 1].min_value if i + 1 < len(bands) else None
            amount = price * band.payout
            if band.payout < 0:
                effect = f"Penalty: takes back {price_text(-amount)} per student"
            elif band.payout == 0:
                effect = "Pays nothing"
            else:
                effect = f"Pays {price_text(amount)} per student"
            payout = percent(band.payout, 0) + (" (penalty)" if band.payout < 0 else "")
            rows.append([outcome.name, band_label(band.min_value, upper), payout, effect])
        if bands and bands[0].min_value is not None:
            rows.append([outcome.name, f"below {bands[0].min_value:g}", percent(0.0, 0), "Pays nothing"])
    return rows


def outcomes_section(document: Document, deal: Deal, number: int) -> None:
    """The outcomes table on a landscape page of its own, then the prices by group and band."""
    landscape(document, True)
    heading(document, number, "Outcome Payments")
    clause(document, f"{number}.1", f"The performance pool of {money(deal.performance_pool)} is divided "
           "among the outcomes below by weight. Each outcome pays at most its allocation, and only on "
           "results measured and verified as set out in Section 6.")
    table(document, OUTCOME_HEADER, outcome_rows(deal), OUTCOME_WIDTHS, right={5, 6})
    next_clause = 2
    for outcome in deal.outcomes:
        clause(document, f"{number}.{next_clause}", describe_basis(outcome), bold_lead=f"{outcome.name}.")
        next_clause += 1
    landscape(document, False)
    if deal.student_groups:
        clause(document, f"{number}.{next_clause}", "Student groups are priced apart: each group's price is "
               "the price at a multiplier of 1 times the group's multiplier, so that every student "
               "achieving pays exactly the allocation.", bold_lead="Student groups.")
        next_clause += 1
        table(document, ["Outcome", "Student group", "Students", "Multiplier", "Price"], group_rows(deal),
              [1.5, 1.6, 0.8, 0.8, 1.8], right={2, 3})
    if any(o.bands for o in deal.outcomes):
        clause(document, f"{number}.{next_clause}", "A banded outcome pays each eligible student by the band "
               "of the student's measured value. A band is held from its lower value up to, but not "
               "including, the next band's. A negative payout is a penalty: it takes money back from "
               "what the other outcomes earn, within the limit in Section 6.", bold_lead="Bands.")
        table(document, ["Outcome", "Measured value", "Payout", "Amount per student"], band_rows(deal),
              [2.0, 1.3, 1.1, 2.1], right={2})
        if deal.student_groups:
            note(document, "Amounts per student are at a multiplier of 1; a student group's are its "
                 "multiplier times these.")
