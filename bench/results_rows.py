"""Benchmark: read and check the largest results files the calculator takes, against the math sample.

A 1,048,576-row CSV (Excel's row limit, header included) and a 200,000-row XLSX are written to a
temporary folder a block of rows at a time, then read with obc_calc.io.results_file.read_results. Each
is timed on its own, with the process's peak resident memory after it, then read again under
tracemalloc for the peak of Python's own allocations (pandas' Arrow strings are not traced).

Run `python bench/results_rows.py`; it exits 1 when a goal is missed.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from obc_calc.core.limits import MAX_ROWS  # noqa: E402
from obc_calc.io.dealfile import load_deal  # noqa: E402
from obc_calc.io.results_file import read_results  # noqa: E402

XLSX_ROWS = 200_000
HEADER = ["student_id", "grade", "served", "Dosage", "Math growth", "Same tutor"]
GOALS = {"csv": 15.0, "xlsx": 30.0}  # seconds to read and check, on a shared 2-core machine


def students(count: int, seed: int = 11):
    """Rows like sample_data/math_tutoring_results.csv's, a few values missing, made a block at a time."""
    rng = np.random.default_rng(seed)
    for start in range(0, count, 65_536):
        size = min(65_536, count - start)
        served = np.where(rng.random(size) < 0.95, "1", "0")
        dosage = np.round(rng.beta(9.0, 1.8, size), 3).astype(str)
        growth = np.round(rng.normal(1.0, 0.45, size), 2).astype(str)
        tutor = np.where(rng.random(size) < 0.8, "yes", "no")
        for column in (dosage, growth, tutor):
            column[rng.random(size) < 0.02] = ""
        grades = rng.integers(6, 9, size)
        for i in range(size):
            yield [f"CC-{start + i:07d}", str(grades[i]), served[i], dosage[i], growth[i], tutor[i]]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        out.writelines(",".join(row) + "\n" for row in students(count))


def write_xlsx(path: Path, count: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Results")
    sheet.append(HEADER)
    for row in students(count):
        sheet.append(row)
    book.save(path)


def timed(data: bytes, name: str, deal) -> tuple[float, float, int]:
    """Seconds to read and check, the process's peak resident memory since it started (MB), students read."""
    start = time.perf_counter()
    students_read = len(read_results(data, name, deal))
    return time.perf_counter() - start, peak_rss(), students_read


def traced(data: bytes, name: str, deal) -> float:
    """The tracemalloc peak (MB) of reading and checking: slower, so timed reads go first."""
    tracemalloc.start()
    read_results(data, name, deal)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return peak


def main() -> int:
    deal = load_deal(ROOT / "sample_data" / "math_tutoring.json")
    with tempfile.TemporaryDirectory() as folder:
        built = time.perf_counter()
        files = {"xlsx": Path(folder) / "results.xlsx", "csv": Path(folder) / "results.csv"}
        write_xlsx(files["xlsx"], XLSX_ROWS)
        write_csv(files["csv"], MAX_ROWS - 1)
        print(f"wrote the files in {time.perf_counter() - built:.1f} s; process peak resident memory so far "
              f"{peak_rss():,.0f} MB")
        # The smaller file first: the resident peak only rises, so each figure is its own read's.
        data = {kind: path.read_bytes() for kind, path in files.items()}
        figures = {kind: timed(data[kind], files[kind].name, deal) for kind in files}
        for kind, (seconds, rss, read) in figures.items():
            peak = traced(data[kind], files[kind].name, deal)
            size = len(data[kind]) / 1e6
            print(f"{kind}: {read + 1:,} rows ({size:.1f} MB): read and check {seconds:.2f} s (goal < "
                  f"{GOALS[kind]:g} s); process peak resident memory {rss:,.0f} MB; tracemalloc peak "
                  f"{peak:,.0f} MB")
    return 1 if any(seconds >= GOALS[kind] for kind, (seconds, _, _) in figures.items()) else 0


def peak_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    sys.exit(main())
