"""A new number of students for a deal, with every other count of students following it.

Three settings count students and may not exceed the deal's `students`: the risk range of
students served (`risk.students_served_low` and `risk.students_served_high`), each scenario's
`students_served` and each outcome's `eligible_students`. When the number of students changes,
each of them keeps its share of the students:

    new count = old count × new students ÷ old students, to the nearest whole student (halves up),
                never above the new number of students, and at least 1 for eligible students
                (a count that must be above 0).

So 1,100 of 1,250 students served becomes 1,100 × 777 ÷ 1,250 = 683.76, rounded to 684 of 777:
still 88% of them. The same rule applies when the number of students grows: a scenario serving 1,000
of 1,250 serves 2,000 of 2,500. Each count that changes gets one plain sentence saying what it
was and what it is now. A count left unset still means every student, so it needs no change.

This works on the deal's JSON form (the dict the app edits), so the result is then checked like
any other edit. A number of students that is not a whole number above 0 changes nothing else: the
check reports it.
"""

from __future__ import annotations

import copy

FOLLOWED = "scaled to the new number of students"


def change_students(data: dict, students: int) -> tuple[dict, list[str]]:
    """A copy of the deal `data` for `students` students, and one sentence per count that followed."""
    changed = copy.deepcopy(data)
    changed["students"] = students
    old = data.get("students")
    if not (_count(old, 1) and _count(students, 1)) or old == students:
        return changed, []
    notices = _risk_notices(changed.get("risk"), old, students)
    for scenario in changed.get("scenarios") or []:
        notices += _follow("Scenario", scenario, "students_served", old, students, least=0)
    for outcome in changed.get("outcomes") or []:
        notices += _follow("Outcome", outcome, "eligible_students", old, students, least=1)
    return changed, notices


def scaled(count: int, old: int, new: int, least: int = 0) -> int:
    """count × new ÷ old to the nearest whole number, halves up, kept from `least` to `new`.

    In whole numbers, so 0.5 always rounds up (Python's round() takes halves to the even number).
    """
    nearest = (2 * count * new + old) // (2 * old)
    return min(new, max(least, nearest))


def _count(value, least: int = 0) -> bool:
    return isinstance(value, int) and value >= least


def _follow(kind: str, item, field: str, old: int, new: int, least: int) -> list[str]:
    if not isinstance(item, dict) or not _count(item.get(field)):
        return []
    before = item[field]
    item[field] = scaled(before, old, new, least)
    if item[field] == before:
        return []
    what = field.replace("_", " ")
    return [f"{kind} {item.get('name')}: {what} now {item[field]:,} (was {before:,}), {FOLLOWED}."]


def _risk_notices(risk, old: int, new: int) -> list[str]:
    if not isinstance(risk, dict):
        return []
    low, high = risk.get("students_served_low"), risk.get("students_served_high")
    if not (_count(low) and _count(high)):
        return []
    risk["students_served_low"], risk["students_served_high"] = scaled(low, old, new), scaled(high, old, new)
    if (risk["students_served_low"], risk["students_served_high"]) == (low, high):
        return []
    return [f"Risk: students served now {risk['students_served_low']:,} to {risk['students_served_high']:,} "
            f"(was {low:,} to {high:,}), {FOLLOWED}."]
