"""A deal's headline figures, as a dict for JSON and as a plain-text table for people."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from obc_calc.core.flags import Flag, deal_flags
from obc_calc.core.limits import terminal_safe
from obc_calc.core.model import Deal
from obc_calc.core.scenarios import ScenarioResult, evaluate, expected, floor, maximum


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


def cents(amount: float, places: int = 2) -> float:
    """Round as Excel's ROUND and invoices do: halves away from zero ($0.625 -> $0.63), on the
    15 significant digits Excel keeps, so the app, the CLI and the workbooks agree."""
    if not math.isfinite(amount) or abs(amount) >= 1e15:
        # No cents among 15 significant digits (and Decimal's 28 digits could not hold them).
        return float(f"{amount:.15g}")
    step = Decimal(1).scaleb(-places)
    return float(Decimal(f"{amount:.15g}").quantize(step, rounding=ROUND_HALF_UP))


def cents_down(amount: float) -> float:
    """Cut to the cent, as Excel's ROUNDDOWN does on its 15 significant digits: a line capped at
    an allocation of $33.333... pays $33.33, so capped lines never add up past the pool."""
    if not math.isfinite(amount) or abs(amount) >= 1e15:
        return float(f"{amount:.15g}")
    return float(Decimal(f"{amount:.15g}").quantize(Decimal("0.01"), rounding=ROUND_DOWN))


def money(value: float | None, with_cents: bool = True) -> str:
    """Dollars with thousands separators: -$1,234.56, or whole dollars without cents."""
    if value is None or not math.isfinite(value):
        return "n/a"
    places = 2 if with_cents else 0
    rounded = cents(value, places)
    return f"{'-' if rounded < 0 else ''}${abs(rounded):,.{places}f}"


def percent(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}%}"


def _table(rows: list[list[str]]) -> list[str]:
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
    lines += _table(rows)
    lines.append("")
    if not report.flags:
        lines.append("No flags.")
    for flag in report.flags:
        lines.append(f"[{flag.level}] {flag.code}: {flag.message}")
    return terminal_safe("\n".join(lines))
