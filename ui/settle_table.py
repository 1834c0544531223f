"""The Settle-up page's text and tables: the columns a results file needs, the roles to map columns
to, and the invoice as a table of text (counts, percents, cents)."""

from __future__ import annotations

import pandas as pd

from obc_calc.core.bases import LABELS
from obc_calc.core.model import Deal
from obc_calc.core.settle import Invoice
from obc_calc.io.results_file import ID, SERVED
from ui import messages, widgets

COLUMN_HELP = {
    "Outcome": "Each outcome on the rate card, then the base and the total due.",
    "Basis": "How the outcome pays: per student who meets the threshold, all or nothing at a cohort "
             "target, by tiers, or graduated (linear) between a floor and a target rate.",
    "Threshold": "What a student must reach to count as an achiever.",
    "Eligible": "Served students the rate counts: all of them, less those with no value when missing "
                "values are excluded. On the Base line: the students served.",
    "Achievers": "Served students who meet the threshold.",
    "Rate": "Achievers divided by eligible students.",
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
        if outcome.threshold_value is None:
            kind = "1 if the student achieved it, 0 if not"
        else:
            kind = f"the measured value; a student meets it at {outcome.threshold_value:g} or more"
        lines.append(f"- `{outcome.name}`: {messages.markdown_text(kind)}.")
    return "\n".join(lines)


def column_roles(deal: Deal) -> list[tuple[str, str]]:
    """(role, label) for each column the settle-up needs."""
    roles = [(ID, "Student id"), (SERVED, "Served")]
    for outcome in deal.outcomes:
        measured = outcome.threshold_value is not None
        kind = f"value, meets at {outcome.threshold_value:g}" if measured else "achieved flag"
        roles.append((outcome.name, f"{outcome.name} ({kind})"))
    return roles


def invoice_frame(invoice: Invoice) -> pd.DataFrame:
    """The invoice lines as text: counts with separators, rates as percentages, money to the cent."""
    rows = [
        {
            "Outcome": line.name, "Basis": LABELS.get(line.basis, line.basis),
            "Threshold": line.threshold.replace(">=", "≥"),
            "Eligible": f"{line.eligible:,}", "Achievers": f"{line.achievers:,}",
            "Rate": widgets.percent(line.rate), "Missing": f"{line.missing:,}",
            "Up to": widgets.money(line.allocation, cents=True),
            "Amount due": widgets.money(line.payment, cents=True),
        }
        for line in invoice.outcomes
    ]
    rows.append({"Outcome": "Base", "Eligible": f"{invoice.students_served:,}",
                 "Amount due": widgets.money(invoice.base_due, cents=True)})
    rows.append({"Outcome": "Total due", "Amount due": widgets.money(invoice.total_due, cents=True)})
    return pd.DataFrame(rows, columns=list(COLUMN_HELP)).fillna("")
