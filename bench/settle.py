"""Benchmark: read, check and settle a generated 100,000-row results file, then write its Excel
invoice (goal: under 2 seconds each; a server writing the workbook runs no one else's page).

Run `python bench/settle.py`; it prints the timings and exits 1 when a goal is missed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from obc_calc.core.settle import settle  # noqa: E402
from obc_calc.io.dealfile import deal_from_dict  # noqa: E402
from obc_calc.io.invoice_excel import invoice_workbook  # noqa: E402
from obc_calc.io.results_file import read_results  # noqa: E402

ROWS = 100_000
GOAL_SECONDS = 2.0


def big_deal(students: int):
    data = json.loads((ROOT / "sample_data" / "math_tutoring.json").read_text(encoding="utf-8"))
    data["students"] = students
    return deal_from_dict(data, "math_tutoring.json")


def big_results(rows: int, seed: int = 7) -> bytes:
    """A results CSV like the sample's, with a few missing values in every outcome column."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "student_id": [f"S{i:07d}" for i in range(rows)],
        "served": np.where(rng.random(rows) < 0.96, "1", "0"),
        "Dosage": np.round(rng.beta(9.0, 1.8, rows), 3).astype(str),
        "Math growth": np.round(rng.normal(1.0, 0.45, rows), 2).astype(str),
        "Same tutor": np.where(rng.random(rows) < 0.8, "yes", "no"),
    })
    for column in ("Dosage", "Math growth", "Same tutor"):
        frame.loc[rng.random(rows) < 0.02, column] = ""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def main() -> int:
    deal = big_deal(ROWS)
    data = big_results(ROWS)
    start = time.perf_counter()
    results = read_results(data, "bench.csv", deal)
    read = time.perf_counter() - start
    invoice = settle(deal, results)
    total = time.perf_counter() - start
    print(f"settle-up of {ROWS:,} rows ({len(data) / 1e6:.1f} MB): read and check {read:.2f} s, "
          f"settle {total - read:.2f} s, total {total:.2f} s (goal < {GOAL_SECONDS:g} s); "
          f"total due ${invoice.total_due:,.2f}")
    start = time.perf_counter()
    workbook = invoice_workbook(deal, invoice, results)
    excel = time.perf_counter() - start
    print(f"Excel invoice of {ROWS:,} students ({len(workbook) / 1e6:.1f} MB): {excel:.2f} s "
          f"(goal < {GOAL_SECONDS:g} s)")
    return 0 if max(total, excel) < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
