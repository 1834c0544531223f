"""Export time of the budget workbook: the largest sample deal and a 20-outcome, 20-scenario deal,
without and with five student groups.

Run: `python bench/export.py`. Target: under one second each on a 2-core machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from obc_calc.core.bases import BASES, NAMES  # noqa: E402
from obc_calc.io.dealfile import deal_from_dict, load_deal  # noqa: E402
from obc_calc.io.workbook import workbook_bytes  # noqa: E402

TARGET_SECONDS = 1.0
# What each optional field is set to when a basis reads it.
FIELD_VALUES = {"target_rate": 0.6, "floor_rate": 0.3,
                "tiers": [{"min_rate": 0.3, "payout": 0.5}, {"min_rate": 0.5, "payout": 1.0}],
                "bands": [{"min_value": None, "payout": -0.25}, {"min_value": 0, "payout": 0.0},
                          {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}],
                "expected_band_shares": [0.1, 0.3, 0.4, 0.2]}


def generated_deal(outcomes: int, scenarios: int, groups: int = 0):
    """A deal cycling through the payment bases, with scenarios that set every rate (or band shares),
    and `groups` student groups of 200 students each."""
    rows = []
    for i in range(outcomes):
        basis = NAMES[i % len(NAMES)]
        row = {"name": f"Outcome {i + 1}", "basis": basis, "weight": 1 / outcomes,
               "expected_rate": 0.5, "paid_in_month": 1 + i % 12}
        rows.append(row | {field: FIELD_VALUES[field] for field in BASES[basis].fields})
    rows[-1]["weight"] = 1 - sum(r["weight"] for r in rows[:-1])
    return deal_from_dict({
        "schema_version": 1, "name": "Generated deal", "students": 5000, "total_cost": 7_500_000,
        "performance_share": 0.4, "base_basis": "per_student",
        "term": {"start": "2026-08", "months": 12, "base_upfront_share": 0.25},
        "outcomes": rows,
        "student_groups": [{"name": f"Group {g + 1}", "students": 200, "price_multiplier": 1 + g / 4}
                           for g in range(groups)],
        "scenarios": [
            {"name": f"Scenario {s + 1}",
             "rates": {r["name"]: (s + 1) / (scenarios + 1) for r in rows if "bands" not in r},
             "band_shares": {r["name"]: [0.1, 0.2, 0.3, 0.4] for r in rows if "bands" in r},
             "students_served": 4000 + s * 50, "commitments_met": s != 0}
            for s in range(scenarios)
        ],
    })


def timed(deal) -> float:
    start = time.perf_counter()
    workbook_bytes(deal)
    return time.perf_counter() - start


def main() -> None:
    samples = [load_deal(p) for p in sorted((ROOT / "sample_data").glob("*.json"))]
    largest = max(samples, key=lambda d: len(d.outcomes) * (1 + len(d.scenarios)))
    for label, deal in ((f"largest sample ({largest.name})", largest),
                        ("20 outcomes, 20 scenarios", generated_deal(20, 20)),
                        ("20 outcomes, 20 scenarios, 5 groups", generated_deal(20, 20, 5))):
        seconds = min(timed(deal) for _ in range(3))
        verdict = "ok" if seconds < TARGET_SECONDS else f"SLOW (target {TARGET_SECONDS:.0f} s)"
        print(f"export {label}: {seconds:.3f} s  {verdict}")


if __name__ == "__main__":
    main()
