"""What the calculator reports, as a dict for JSON and as plain text for people: a deal's headline
figures, and a settled invoice (obc_calc.io.invoice_csv writes the invoice's table as CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from obc_calc.core.flags import Flag, deal_flags
from obc_calc.core.limits import terminal_safe
from obc_calc.core.model import Deal
from obc_calc.core.money import cents, excel_number, money, percent, unit_price
from obc_calc.core.scenarios import ScenarioResult, evaluate, expected, floor, maximum
from obc_calc.core.settle import MISSING_RULE_WORDS, Invoice, OutcomeLine

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DealReport:
    deal: Deal
    flags: list[Flag]
    expected: ScenarioResult
    floor: ScenarioResult
    maximum: ScenarioResult
    scenarios: list[ScenarioResult]

    def per_pupil(self, result: ScenarioResult) -> float:
        """Dollars per planned student, the figure finance offices budget with."""
        return result.total / self.deal.students

    def to_dict(self) -> dict:
        deal = self.deal
        return {
            "deal": deal.name,
            "students": deal.students,
            "total_cost": deal.total_cost,
            "base_max": deal.base_max,
            "performance_pool": deal.performance_pool,
            "performance_share": deal.performance_share,
            "flags": [f.to_dict() for f in self.flags],
            "expected": self.expected.to_dict(),
            "floor": self.floor.to_dict(),
            "maximum": self.maximum.to_dict(),
            "scenarios": [s.to_dict() for s in self.scenarios],
        }


def deal_report(deal: Deal) -> DealReport:
    return DealReport(
        deal=deal,
        flags=deal_flags(deal),
        expected=expected(deal),
        floor=floor(deal),
        maximum=maximum(deal),
        scenarios=[evaluate(deal, s) for s in deal.scenarios],
    )


def text_table(rows: list[list[str]]) -> list[str]:
    """Rows of cells as aligned lines: the first column left, the others right, a rule under the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def report_text(report: DealReport) -> str:
    """The report for a terminal: names and flags are user text, so control codes are replaced."""
    deal = report.deal
    lines = [
        deal.name,
        f"{deal.students:,} students; total cost {money(deal.total_cost)}; "
        f"performance share {percent(deal.performance_share)} "
        f"(base {money(deal.base_max)}, pool {money(deal.performance_pool)}); "
        f"base paid {'per student served' if deal.base_basis == 'per_student' else 'in full'}",
        "",
    ]
    results = [report.maximum, report.expected, report.floor, *report.scenarios]
    header = ["Scenario", "Served", "Commitments", "Base"]
    header += [o.name for o in deal.outcomes] + ["Total", "Per student served", "Savings", "Pool earned"]
    rows = [header]
    for r in results:
        rows.append(
            [r.name, f"{r.students_served:,}", "met" if r.commitments_met else "missed", money(r.base)]
            + [money(o.payment) for o in r.outcomes]
            + [money(r.total), money(r.cost_per_student_served), money(r.district_savings),
               percent(r.pool_earned_share)]
        )
    lines += text_table(rows)
    lines.append("")
    if not report.flags:
        lines.append("No flags.")
    for flag in report.flags:
        lines.append(f"[{flag.level}] {flag.code}: {flag.message}")
    return terminal_safe("\n".join(lines))


# --- the invoice -----------------------------------------------------------------------------


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
        "outcomes": [_line_to_dict(line) for line in invoice.outcomes],
        "max_penalty": invoice.max_penalty,
        "penalty_relief": invoice.penalty_relief,
        "performance_due": invoice.performance_due,
        "total_due": invoice.total_due,
        "excluded": [_excluded_to_dict(line) for line in invoice.outcomes],
        "notes": list(invoice.notes),
    }


def _line_to_dict(line: OutcomeLine) -> dict:
    return {
        "name": line.name,
        "basis": line.basis,
        "threshold": line.threshold,
        "eligible": line.eligible,
        "achievers": line.achievers,
        "rate": line.rate,
        "price": None if line.price is None else excel_number(line.price),
        "allocation": cents(line.allocation),
        "payment": line.payment,
    } | _detail_to_dict(line)


def _detail_to_dict(line: OutcomeLine) -> dict:
    """Each group's and each band's counts and payments, for the outcomes that pay student by student."""
    detail = {}
    if line.groups:
        detail["groups"] = [
            {"name": g.name, "students": g.students, "multiplier": g.multiplier,
             "price": excel_number(g.price), "served": g.served, "achievers": g.achievers,
             "payment": g.payment}
            for g in line.groups
        ]
    if line.bands:
        names = [g.name for g in line.groups]
        detail["bands"] = [
            {"band": b.label, "min_value": b.min_value, "payout": b.payout, "students": b.students,
             "by_group": dict(zip(names, b.by_group, strict=True)), "payment": b.payment}
            for b in line.bands
        ]
        detail["below_first_band"] = line.below
    return detail


def _excluded_to_dict(line: OutcomeLine) -> dict:
    return {
        "name": line.name,
        "count": line.not_served + line.left_out,
        "not_served": line.not_served,
        "missing_value": line.missing,
        "left_out_missing": line.left_out,
        "counted_not_achieved": line.counted_not_achieved,
        "reason": _excluded_reason(line),
    }


def _excluded_reason(line: OutcomeLine) -> str:
    parts = []
    if line.not_served:
        parts.append(f"{line.not_served:,} not served")
    if line.left_out:
        parts.append(f"{line.left_out:,} served with no value (left out)")
    return "; ".join(parts) if parts else "none left out"


def invoice_table(invoice: Invoice) -> pd.DataFrame:
    """The invoice's lines as a table: each outcome (then its groups and bands, when it pays student by
    student), the penalty relief when there is one, the base and the total due."""
    import pandas as pd  # here, so `evaluate` and the other reports start without loading pandas

    rows = []
    for line in invoice.outcomes:
        rows.append({
            "Line": line.name, "Eligible": line.eligible, "Achievers": line.achievers, "Rate": line.rate,
            "Threshold": line.threshold, "Missing": line.missing, "Left out": line.not_served + line.left_out,
            "Price": line.price, "Amount": line.payment,
        })
        rows += _detail_rows(line)
    if invoice.penalty_relief:
        rows.append({"Line": "Penalty relief", "Amount": invoice.penalty_relief})
    rows.append({"Line": "Base", "Eligible": invoice.students_served, "Amount": invoice.base_due})
    rows.append({"Line": "Total due", "Amount": invoice.total_due})
    by_part = any(line.groups or line.bands for line in invoice.outcomes)
    detail = ["Group", "Band", "Payout"] if by_part else []
    return pd.DataFrame(rows, columns=["Line", *detail, "Eligible", "Achievers", "Rate", "Threshold",
                                       "Missing", "Left out", "Price", "Amount"])


def _can_be_below(line: OutcomeLine) -> bool:
    """A value can fall below the first band only when that band starts at a value."""
    return bool(line.bands) and line.bands[0].min_value is not None


def _detail_rows(line: OutcomeLine) -> list[dict]:
    """A group's row counts its served students and achievers; a band's, the students in it."""
    rows = [{"Line": line.name, "Group": g.name, "Eligible": g.served, "Achievers": g.achievers,
             "Price": g.price, "Amount": g.payment} for g in line.groups]
    one_price = line.price if not line.groups else None  # with groups a band's price differs by group
    rows += [{"Line": line.name, "Band": b.label, "Payout": b.payout, "Eligible": b.students,
              "Price": None if one_price is None else one_price * b.payout, "Amount": b.payment}
             for b in line.bands]
    if _can_be_below(line):
        rows.append({"Line": line.name, "Band": "below the first band", "Payout": 0.0, "Eligible": line.below,
                     "Amount": 0.0})
    return rows


def invoice_text(invoice: Invoice) -> str:
    """The invoice for a terminal; control codes in user text (names, the period) cannot reach it."""
    commitments = "met" if invoice.commitments_met else "missed"
    lines = [
        f"Invoice: {invoice.deal_name}",
        f"Period {invoice.period}; date {invoice.invoice_date.isoformat()}; results {invoice.source}",
        f"{invoice.students_served:,} of {invoice.students_in_file:,} students in the file served; "
        f"missing values {MISSING_RULE_WORDS[invoice.missing_rule]}; commitments {commitments}",
        "",
    ]
    rows = [["Outcome", "Eligible", "Achievers", "Rate", "Threshold", "Price", "Payment"]]
    for line in invoice.outcomes:
        rows.append([line.name, f"{line.eligible:,}", f"{line.achievers:,}", percent(line.rate),
                     line.threshold, unit_price(line.price), money(line.payment)])
        rows += [[f"  {g.name} (x{g.multiplier:g})", f"{g.served:,}", f"{g.achievers:,}", "", "",
                  unit_price(g.price), money(g.payment)] for g in line.groups]
        rows += [[f"  band {b.label}", f"{b.students:,}", "", "", f"pays {percent(b.payout, 0)}", "",
                  money(b.payment)] for b in line.bands]
        if _can_be_below(line):
            rows.append(["  below the first band", f"{line.below:,}", "", "", "pays nothing", "", money(0.0)])
    if invoice.penalty_relief:
        rows.append(["Penalty relief", "", "", "", f"limit {money(invoice.max_penalty)}", "",
                     money(invoice.penalty_relief)])
    rows += [["Base", "", "", "", "", "", money(invoice.base_due)],
             ["Total due", "", "", "", "", "", money(invoice.total_due)]]
    lines += text_table(rows)
    if invoice.notes:
        lines += ["", "Notes:"] + [f"- {note}" for note in invoice.notes]
    return terminal_safe("\n".join(lines))
