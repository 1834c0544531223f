"""Write end-of-year results files for the two student-group and banded sample deals.

Seeded, so running it again writes the same files: `python sample_data/make_banded_results.py`.

- `map_growth_banded_results.csv`, for map_growth_banded.json: 1,440 of the deal's 1,500 students;
  about 4% never started (served 0). Dosage is the share of scheduled sessions attended (threshold
  0.8); the two MAP columns are RIT growth as a share of NWEA's typical growth (1.0 = a typical
  year), read by the bands: below 0 a decline, 0 to 0.5 flat, 0.5 to 1.0 some growth, 1.0 and up
  typical growth or more. They are drawn near the deal's expected band shares, with mid-year growth
  noisier (more declines) than fall-to-spring growth, and both rising with attendance.
- `student_groups_priced_results.csv`, for student_groups_priced.json: 980 of its 1,000 students,
  with a `group` column (blank: "Other students") holding about the deal's 150 students with
  disabilities and 200 English learners, whose rates are drawn near the deal's group expected rates.

A few values are missing, as in real data: students who moved before the spring test, or sessions
not yet reconciled.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20270610
HERE = Path(__file__).parent
BANDED_OUT = HERE / "map_growth_banded_results.csv"
GROUPS_OUT = HERE / "student_groups_priced_results.csv"
BANDED_STUDENTS = 1440
GROUPS_STUDENTS = 980
# Normal growth (mean, spread) giving about the deal's expected shares by band:
# fall to winter 15/25/25/35%, fall to spring 10/20/30/40%.
MID_YEAR = (0.73, 0.70)
END_OF_YEAR = (0.835, 0.65)
# Group, students, and its expected Dosage, Reading growth and Placement level gain rates.
GROUPS = [("Students with disabilities", 147, 0.7, 0.4, 0.3), ("English learners", 196, 0.75, 0.45, 0.35),
          ("", GROUPS_STUDENTS - 147 - 196, 0.8, 0.55, 0.45)]


def _blank_some(frame: pd.DataFrame, rng: np.random.Generator, column: str, share: float) -> None:
    frame[column] = frame[column].astype(object)
    frame.loc[rng.random(len(frame)) < share, column] = ""


def banded_results(seed: int = SEED, students: int = BANDED_STUDENTS) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    served = rng.random(students) >= 0.04
    # Share of sessions attended: most students attend well, a tail does not; the unserved barely started.
    dosage = rng.beta(9.0, 1.8, students)
    dosage[~served] = rng.uniform(0.0, 0.15, (~served).sum())
    # One lasting student effect behind both windows, so a student's two growth figures agree.
    lasting = rng.normal(0.0, 1.0, students)
    lift = 0.4 * (dosage - dosage.mean())

    def growth(mean_and_spread):
        mean, spread = mean_and_spread
        return mean + lift + spread * (0.7 * lasting + 0.71 * rng.normal(0.0, 1.0, students))

    frame = pd.DataFrame({
        "student_id": [f"MV-{200000 + i:06d}" for i in rng.permutation(students)],
        "grade": rng.choice([3, 4, 5, 6, 7, 8], students),
        "served": np.where(served, 1, 0),
        "Dosage": np.round(dosage, 3),
        "Mid-year MAP growth": np.round(growth(MID_YEAR), 2),
        "End-of-year MAP growth": np.round(growth(END_OF_YEAR), 2),
    })
    _blank_some(frame, rng, "Mid-year MAP growth", 0.02)  # missed the winter window
    _blank_some(frame, rng, "End-of-year MAP growth", 0.03)  # left before the spring window
    _blank_some(frame, rng, "Dosage", 0.005)  # attendance not reconciled
    return frame


def groups_results(seed: int = SEED, students: int = GROUPS_STUDENTS) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 1)
    parts = []
    for group, count, dosage_rate, growth_rate, placement_rate in GROUPS:
        served = rng.random(count) >= 0.03
        attended = rng.random(count) < dosage_rate
        dosage = np.where(attended, rng.uniform(0.8, 1.0, count), rng.uniform(0.3, 0.8, count))
        dosage[~served] = rng.uniform(0.0, 0.15, (~served).sum())
        # Growth as a share of typical growth: 1.0 or more for about growth_rate of the group.
        grew = rng.random(count) < growth_rate
        growth = np.where(grew, rng.uniform(1.0, 2.0, count), rng.uniform(-0.3, 1.0, count))
        parts.append(pd.DataFrame({
            "group": group, "served": np.where(served, 1, 0), "Dosage": np.round(dosage, 3),
            "Reading growth": np.round(growth, 2),
            "Placement level gain": np.where(rng.random(count) < placement_rate, "yes", "no"),
        }))
    frame = pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame.insert(0, "grade", rng.choice([3, 4, 5], students))
    frame.insert(0, "student_id", [f"RB-{300000 + i:06d}" for i in rng.permutation(students)])
    _blank_some(frame, rng, "Reading growth", 0.03)  # left before the spring test
    _blank_some(frame, rng, "Dosage", 0.005)
    return frame


def main() -> None:
    banded_results().to_csv(BANDED_OUT, index=False, lineterminator="\n")
    groups_results().to_csv(GROUPS_OUT, index=False, lineterminator="\n")
    print(f"wrote {BANDED_OUT} and {GROUPS_OUT}")


if __name__ == "__main__":
    main()
