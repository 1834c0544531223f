"""Settle-up: from checked student-level results to the invoice due for a period.

Counting is ours; paying is the scenarios' rules: the measured rates and the students served go
into a Scenario, and `evaluate` prices it, so an invoice always equals the scenario evaluation at
the same rates. See docs/settle-up.md for what the rate and the achievers mean.
Each line (base and every outcome) is rounded to the cent, half up as Excel's ROUND does, and the
totals add the rounded lines, as a real invoice does.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from obc_calc.errors import DealError, Problem
from obc_calc.model import Deal, Outcome, Scenario
from obc_calc.report import cents
from obc_calc.results_file import ResultsTable
from obc_calc.scenarios import ScenarioResult, evaluate

MISSING_RULES = ("excluded", "not_achieved")
FORMULA_STARTS = ("=", "+", "-", "@")


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


def excel_threshold(value: float) -> float:
    """The threshold as the workbook's criterion (">="&cell) reads it: written with 15 digits."""
    return float(f"{value:.15g}")


def settle(deal: Deal, results: ResultsTable, options: SettleOptions | None = None) -> Invoice:
    """Count achievers per outcome among served students and price the rates by the rate card."""
    options = options or SettleOptions()
    if options.missing not in MISSING_RULES:
        raise DealError([Problem("missing values", f"the rule must be one of {', '.join(MISSING_RULES)}")])
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
        name=options.period or "Settle-up", rates=rates, students_served=n_served,
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
        achieved = values >= excel_threshold(outcome.threshold_value)  # NaN compares False
    achievers = int((served & achieved).sum())
    eligible = int(served.sum()) - (missing if rule == "excluded" else 0)
    return missing, achievers, eligible


def _line(deal: Deal, outcome: Outcome, priced: ScenarioResult, rule: str, not_served: int,
          counts: tuple[int, int, int]) -> OutcomeLine:
    missing, achievers, eligible = counts
    priced_line = next(line for line in priced.outcomes if line.name == outcome.name)
    measured = outcome.threshold_value is not None
    return OutcomeLine(
        name=outcome.name,
        basis=outcome.basis,
        threshold=f"value >= {outcome.threshold_value:g}" if measured else "achieved (flag 1)",
        threshold_value=outcome.threshold_value,
        allocation=deal.allocation(outcome),
        not_served=not_served,
        missing=missing,
        left_out=missing if rule == "excluded" else 0,
        eligible=eligible,
        achievers=achievers,
        rate=priced_line.rate,
        payment=cents(priced_line.payment),
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
        notes.append(
            f"{line.name}: {students(line.left_out, 'served student')} with no value left out of its rate "
            f"(rule: excluded); the rate of the {line.eligible:,} counted stands for them."
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


# --- outputs ---------------------------------------------------------------------------------


def invoice_to_dict(invoice: Invoice) -> dict:
    return {
        "deal": invoice.deal_name,
        "period": invoice.period,
        "date": invoice.invoice_date.isoformat(),
        "source": invoice.source,
        "students_in_file": invoice.students_in_file,
        "students_served": invoice.students_served,
        "min_sessions": invoice.min_sessions,
        "missing_rule": invoice.missing_rule,
        "commitments_met": invoice.commitments_met,
        "base_due": invoice.base_due,
        "outcomes": [
            {
                "name": line.name,
                "basis": line.basis,
                "threshold": line.threshold,
                "eligible": line.eligible,
                "achievers": line.achievers,
                "rate": line.rate,
                "allocation": cents(line.allocation),
                "payment": line.payment,
            }
            for line in invoice.outcomes
        ],
        "performance_due": invoice.performance_due,
        "total_due": invoice.total_due,
        "excluded": [
            {
                "name": line.name,
                "count": line.not_served + line.left_out,
                "not_served": line.not_served,
                "missing_value": line.missing,
                "left_out_missing": line.left_out,
                "counted_not_achieved": line.counted_not_achieved,
                "reason": _excluded_reason(line),
            }
            for line in invoice.outcomes
        ],
        "notes": list(invoice.notes),
    }


def _excluded_reason(line: OutcomeLine) -> str:
    parts = []
    if line.not_served:
        parts.append(f"{line.not_served:,} not served")
    if line.left_out:
        parts.append(f"{line.left_out:,} served with no value (rule: excluded)")
    return "; ".join(parts) if parts else "none left out"


def invoice_table(invoice: Invoice) -> pd.DataFrame:
    """The invoice's lines as a table: each outcome, then the base and the total due."""
    rows = [
        {
            "Line": line.name, "Eligible": line.eligible, "Achievers": line.achievers, "Rate": line.rate,
            "Threshold": line.threshold, "Missing": line.missing, "Left out": line.not_served + line.left_out,
            "Amount": line.payment,
        }
        for line in invoice.outcomes
    ]
    rows.append({"Line": "Base", "Eligible": invoice.students_served, "Amount": invoice.base_due})
    rows.append({"Line": "Total due", "Amount": invoice.total_due})
    return pd.DataFrame(rows, columns=["Line", "Eligible", "Achievers", "Rate", "Threshold", "Missing",
                                       "Left out", "Amount"])


def invoice_csv(invoice: Invoice) -> str:
    """The invoice as CSV, one row per line; text that a spreadsheet would run as a formula is quoted."""
    table = invoice_table(invoice)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Period", "Date", *table.columns])
    for row in table.to_dict("records"):
        amount = f"{row.pop('Amount'):.2f}"
        cells = [_csv_cell(value) for value in row.values()]
        writer.writerow([_csv_cell(invoice.period), invoice.invoice_date.isoformat(), *cells, amount])
    return out.getvalue()


def _csv_cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # counts come back as floats from a table with gaps
    return str(value)
