"""The checks on a results file's values: each finds its bad rows with a vectorized mask, and only
the first MAX_PROBLEMS become messages (plus a count of the rest), in the file's row order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.groups import OTHER_STUDENTS, groups
from obc_calc.core.limits import shown
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.model_rules import name_key
from obc_calc.io.xlsx_reader import short

MAX_PROBLEMS = 20
MISSING_WORDS = ("", "na", "n/a", "nan", "null", "none", "missing")
FLAG_WORDS = {"1": 1.0, "yes": 1.0, "y": 1.0, "true": 1.0, "0": 0.0, "no": 0.0, "n": 0.0, "false": 0.0}
FLAG_HINT = "use 1/0, yes/no or true/false"


class ValueChecks:
    """Runs the column checks, collecting bad rows as masks; messages are made only when raised."""

    def __init__(self, raw):  # a results_file.RawTable
        self.raw = raw
        self.rows = raw.rows
        self.found: list[tuple[np.ndarray, int, object]] = []  # (bad rows, column position, message maker)

    def _text(self, position: int) -> pd.Series:
        return self.raw.cells[position].str.strip()

    def _add(self, mask, position: int, message) -> None:
        bad = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(bad):
            self.found.append((bad, position, message))

    def student_ids(self, position: int) -> pd.Series:
        ids = self._text(position)
        missing = ids.str.lower().isin(MISSING_WORDS).to_numpy()
        self._add(missing, position, lambda i, v: "no student id")
        repeated = ids.duplicated(keep="first").to_numpy() & ~missing
        if repeated.any():
            first = pd.Series(np.arange(len(ids))).groupby(ids.to_numpy()).transform("min").to_numpy()
            self._add(repeated, position, lambda i, v: (
                f"{shown(v)} is a second row for the same student (first on row {self.rows[first[i]]})"
            ))
        return ids

    def served(self, position: int, min_sessions: float | None) -> tuple[np.ndarray | None, np.ndarray]:
        text = self._text(position)
        missing = text.str.lower().isin(MISSING_WORDS).to_numpy()
        if min_sessions is None:
            flags = flag_values(text)
            self._add(missing, position, lambda i, v: f"no value; was the student served? ({FLAG_HINT})")
            self._add(~missing & np.isnan(flags), position, lambda i, v: (
                f"{shown(v)} is not a flag ({FLAG_HINT}); if the column counts sessions attended, "
                "set the minimum number of sessions"
            ))
            return None, flags == 1.0
        sessions = number_values(text)
        self._add(missing, position, lambda i, v: "no number of sessions attended")
        self._add(~missing & np.isnan(sessions), position,
                  lambda i, v: f"{shown(v)} is not a number of sessions")
        self._add(sessions < 0, position, lambda i, v: f"{shown(v)}: a count of sessions cannot be negative")
        return sessions, sessions >= min_sessions

    def outcome(self, position: int, outcome: Outcome) -> np.ndarray:
        text = self._text(position)
        missing = text.str.lower().isin(MISSING_WORDS).to_numpy()
        if outcome.threshold_value is None and outcome.bands is None:
            values = flag_values(text)
            bad = ~missing & np.isnan(values)
            self._add(bad, position, lambda i, v: f"{shown(v)} is not a flag ({FLAG_HINT})")
        else:
            values = number_values(text)
            self._add(~missing & np.isnan(values), position, lambda i, v: f"{shown(v)} is not a number")
        values[missing] = np.nan
        return values

    def groups(self, position: int, deal: Deal) -> np.ndarray:
        """Each student's group by its place in core.groups.groups(deal), matched ignoring case and
        spacing; a blank cell is "Other students". Names are folded once per distinct value, not per row."""
        members = groups(deal)
        known = {name_key(g.name): i for i, g in enumerate(members)}
        other = known.get(name_key(OTHER_STUDENTS), -1)
        text = self._text(position)
        blank = text.str.lower().isin(MISSING_WORDS).to_numpy()
        codes, distinct = pd.factorize(text)
        found = np.array([known.get(name_key(name), -1) for name in distinct], dtype=int)[codes]
        found = np.where(blank & (found == -1), other, found)
        names = _and([g.name for g in members])
        self._add((found == -1) & ~blank, position,
                  lambda i, v: f"{shown(v)} is not a student group of the deal (the groups are {names})")
        self._add((found == -1) & blank, position,
                  lambda i, v: f"no group, and every student of the deal is in a named group ({names})")
        return found

    def raise_problems(self, where: str) -> None:
        if not self.found:
            return
        # The first problems in the file's row order, as a reader scanning the sheet meets them.
        order = np.concatenate([bad for bad, _, _ in self.found])
        check = np.concatenate([np.full(len(bad), k) for k, (bad, _, _) in enumerate(self.found)])
        sort = np.argsort(order, kind="stable")
        problems = []
        for i, k in zip(order[sort][:MAX_PROBLEMS], check[sort][:MAX_PROBLEMS], strict=True):
            _, position, message = self.found[k]
            value = self.raw.cells[position].iat[i]
            column = short(self.raw.header[position])
            problems.append(Problem(f"row {self.rows[i]}, column {column}", message(i, value)))
        if len(order) > MAX_PROBLEMS:
            more = len(order) - MAX_PROBLEMS
            problems.append(Problem("", f"and {more:,} more problems ({len(order):,} in all)"))
        raise DealError(problems, where)


def number_values(text: pd.Series) -> np.ndarray:
    """Numbers as floats, NaN where a cell is not one; '85%' reads as 0.85."""
    percent = text.str.endswith("%").to_numpy()
    body = text.where(~percent, text.str[:-1].str.strip())
    values = pd.to_numeric(body, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    values[percent] /= 100.0
    values[~np.isfinite(values)] = np.nan
    return values


def flag_values(text: pd.Series) -> np.ndarray:
    """1.0 or 0.0 for each flag (1/0, yes/no, y/n, true/false, 1.0/0.0), NaN otherwise."""
    words = text.str.lower().map(FLAG_WORDS).to_numpy(dtype=float, na_value=np.nan, copy=True)
    numbers = number_values(text)
    return np.where(np.isnan(words) & ((numbers == 0) | (numbers == 1)), numbers, words)


def _and(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
