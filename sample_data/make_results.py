"""Write sample_data/math_tutoring_results.csv: end-of-year results for sample_data/math_tutoring.json.

Seeded, so running it again writes the same file: `python sample_data/make_results.py`.
1,200 of the deal's 1,250 students are on the roster; about 4% never started (served 0).
Dosage is the share of scheduled sessions attended (threshold 0.8), Math growth the years of
typical i-Ready growth (threshold 1.0), Same tutor a yes/no flag. A few values are missing, as in
real data: students who moved before the spring test, or sessions not yet reconciled.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20270615
STUDENTS = 1200
OUT = Path(__file__).with_name("math_tutoring_results.csv")


def results(seed: int = SEED, students: int = STUDENTS) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    served = rng.random(students) >= 0.04
    # Attendance: most students attend well, a tail does not; those never served barely started.
    dosage = np.clip(rng.beta(9.0, 1.8, students), 0.0, 1.0)
    dosage[~served] = rng.uniform(0.0, 0.15, (~served).sum())
    # Growth rises with attendance: about half of the served students reach a year of growth.
    growth = rng.normal(0.55 + 0.55 * dosage, 0.42)
    same_tutor = rng.random(students) < 0.55 + 0.3 * dosage
    frame = pd.DataFrame({
        "student_id": [f"CC-{100000 + i:06d}" for i in rng.permutation(students)],
        "grade": rng.choice([6, 7, 8], students),
        "served": np.where(served, 1, 0),
        "Dosage": np.round(dosage, 3),
        "Math growth": np.round(growth, 2),
        "Same tutor": np.where(same_tutor, "yes", "no"),
    })
    frame["Dosage"] = frame["Dosage"].astype(object)
    frame["Math growth"] = frame["Math growth"].astype(object)
    frame["Same tutor"] = frame["Same tutor"].astype(object)
    frame.loc[rng.random(students) < 0.03, "Math growth"] = ""  # left before the spring test
    frame.loc[rng.random(students) < 0.005, "Dosage"] = ""  # attendance not reconciled
    frame.loc[rng.random(students) < 0.01, "Same tutor"] = ""
    return frame


def main() -> None:
    results().to_csv(OUT, index=False, lineterminator="\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
