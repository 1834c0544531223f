"""What a results file needs for a deal: its header as a blank template, whether a file's header
covers the deal, and the column choices that pick one file column for two roles."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from obc_calc.core.model import Deal
from obc_calc.core.model_rules import name_key as fold  # headers match names as uniqueness does
from obc_calc.io.results_file import GROUP, ID, SERVED


def template_csv(deal: Deal) -> str:
    """A blank results file for the deal: the header alone (student_id, served, each outcome, and
    group in a deal with student groups)."""
    out = io.StringIO()
    groups = [GROUP] if deal.student_groups else []
    csv.writer(out, lineterminator="\n").writerow([ID, SERVED] + [o.name for o in deal.outcomes] + groups)
    return out.getvalue()


def covers_outcomes(header: list[str], deal: Deal) -> bool:
    """The header has a column for every outcome of the deal (matched as read_results matches them)."""
    names = {fold(name) for name in header}
    return all(fold(o.name) in names for o in deal.outcomes)


def file_covers_outcomes(path: Path, deal: Deal) -> bool:
    """covers_outcomes on a UTF-8 CSV file's first line: only the header is read, so a large sample
    costs nothing to check on every run of a page."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    return covers_outcomes(header, deal)


def joined(names: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def columns_chosen_twice(chosen: dict[str, str | None]) -> tuple[dict[str, str], list[str]]:
    """{role: file column or None} -> ({file column: role}, a sentence for each column chosen for two
    roles). A column chosen twice is mapped to the first role that chose it."""
    used: dict[str, list[str]] = {}
    for role, column in chosen.items():
        if column is not None:
            used.setdefault(column, []).append(role)
    problems = [f"Column {column} is chosen for {joined(roles)}; each needs its own column."
                for column, roles in used.items() if len(roles) > 1]
    return {column: roles[0] for column, roles in used.items()}, problems
