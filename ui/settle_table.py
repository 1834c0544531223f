"""The Settle-up page's text and tables: the columns a results file needs, the roles to map columns
to, and the invoice as a table of text (counts, percents, cents)."""

from __future__ import annotations

import pandas as pd

from obc_calc.core.bases import LABELS
from obc_calc.core.groups import OTHER_STUDENTS
from obc_calc.core.model import Deal
from obc_calc.core.settle import Invoice, OutcomeLine
from obc_calc.core.settle_groups import band_label, prices_groups
from obc_calc.io.results_file import GROUP, ID, SERVED
from ui import messages, widgets

COLUMN_HELP = {
    "Outcome": "Each outcome on the rate card (with its groups' and bands' lines under it when it pays "
               "student by student), then the base and the total due.",
    "Group": "A student group's line: its served students, its achievers and its price per achiever.",
    "Band": "A band's line: the students whose measured value falls in it, and what they earn (a "
            "negative amount is a penalty).",
    "Basis": "How the outcome pays: per student who meets the threshold, all or nothing at a cohort "
             "target, by tiers, or graduated (linear) between a floor and a target rate.",
    "Threshold": "What a student must reach to count as an achiever.",
    "Eligible": "Served students the rate counts: all of them, less those with no value when missing "
                "values are excluded. On the Base line: the students served.",
    "Achievers": "Served students who meet the threshold.",
    "Rate": "Achievers divided by eligible students.",
    "Price": "Per achieving student (per student at a 100% band, for a banded outcome); with student "
             "groups, at a multiplier of 1 on the outcome's line and the group's own price on its line.",
    "Missing": "Served students with no value for this outcome; the missing-values rule decides "
               "whether they are left out of the rate or counted as not achieved.",
    "Up to": "The outcome's share of the performance pool: the most it can pay.",
    "Amount due": "What this line pays, to the cent.",
}


def describe_columns(deal: Deal) -> str:
    lines = [
        "- `student_id`: one row per student.",
        "- `served`: 1/0, yes/no or true/false; or the number of sessions attended (set a minimum below).",
    ]
    for outcome in deal.outcomes:
        if outcome.bands:
            kind = "the measured value; the band it falls in sets what the student earns"
        elif outcome.threshold_value is None:
            kind = "1 if the student achieved it, 0 if not"
        else:
            kind = f"the measured value; a student meets it at {outcome.threshold_value:g} or more"
        lines.append(f"- `{outcome.name}`: {messages.markdown_text(kind)}.")
    if deal.student_groups:
        names = ", ".join(g.name for g in deal.student_groups)
        need = "needed" if prices_groups(deal) else "optional"
        lines.append(f"- `{GROUP}` ({need}): the student's group ({messages.markdown_text(names)}); "
                     f"blank means {OTHER_STUDENTS}.")
    return "\n".join(lines)


def column_roles(deal: Deal) -> list[tuple[str, str]]:
    """(role, label) for each column the settle-up needs."""
    roles = [(ID, "Student id"), (SERVED, "Served")]
    for outcome in deal.outcomes:
        measured = outcome.threshold_value is not None
        kind = ("value, paid by band" if outcome.bands else f"value, meets at {outcome.threshold_value:g}"
                if measured else "achieved flag")
        roles.append((outcome.name, f"{outcome.name} ({kind})"))
    if deal.student_groups:
        roles.append((GROUP, "Student group" + ("" if prices_groups(deal) else " (optional)")))
    return roles


def invoice_frame(invoice: Invoice) -> pd.DataFrame:
    """The invoice lines as text: counts with separators, rates as percentages, money to the cent; an
    outcome paid student by student is followed by a line per group and per band."""
    rows = []
    for line in invoice.outcomes:
        rows.append({
            "Outcome": line.name, "Basis": LABELS.get(line.basis, line.basis),
            "Threshold": line.threshold,
            "Eligible": f"{line.eligible:,}", "Achievers": f"{line.achievers:,}",
            "Rate": widgets.percent(line.rate), "Missing": f"{line.missing:,}",
            "Price": "" if line.price is None else widgets.money(line.price, cents=True),
            "Up to": widgets.money(line.allocation, cents=True),
            "Amount due": widgets.money(line.payment, cents=True),
        })
        rows += detail_rows(line)
    if invoice.penalty_relief:
        limit = f"penalties take back at most {widgets.money(invoice.max_penalty)}"
        rows.append({"Outcome": "Penalty limit", "Threshold": limit,
                     "Amount due": widgets.money(invoice.penalty_relief, cents=True)})
    rows.append({"Outcome": "Base", "Eligible": f"{invoice.students_served:,}",
                 "Amount due": widgets.money(invoice.base_due, cents=True)})
    rows.append({"Outcome": "Total due", "Amount due": widgets.money(invoice.total_due, cents=True)})
    frame = pd.DataFrame(rows, columns=list(COLUMN_HELP), dtype=object).fillna("")
    if not any(line.groups or line.bands for line in invoice.outcomes):
        frame = frame.drop(columns=["Group", "Band"])
    return frame


def detail_rows(line: OutcomeLine) -> list[dict]:
    """A group's line counts its served students and achievers; a band's, the students in it."""
    rows = [{"Outcome": line.name, "Group": g.name, "Eligible": f"{g.served:,}",
             "Achievers": f"{g.achievers:,}", "Price": widgets.money(g.price, cents=True),
             "Amount due": widgets.money(g.payment, cents=True)} for g in line.groups]
    for band in line.bands:
        # With groups a band's price differs by group, so the band's line shows none.
        one_price = not line.groups and line.price is not None
        price = widgets.money(line.price * band.payout, cents=True) if one_price else ""
        rows.append({"Outcome": line.name, "Band": f"{band_label(band.min_value, band.upper)} "
                                                   f"(pays {band.payout:.0%})",
                     "Eligible": f"{band.students:,}", "Price": price,
                     "Amount due": widgets.money(band.payment, cents=True)})
    return rows
