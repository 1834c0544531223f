"""The deal's rules beyond single fields: limits checked on the data as read, and rules across fields.

`raw_problems` runs before pydantic reads a single field, so that an over-long list, a huge
number or a deep nesting costs no work and yields one sentence naming the limit. `deal_problems`
runs on the validated deal: weights adding up, tiers rising, names unique, scenario rates naming
real outcomes. Both report each problem at the path of the field a user can find in the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from obc_calc.core.bases import BASES
from obc_calc.core.beta import width_problem
from obc_calc.core.errors import Problem
from obc_calc.core.limits import (
    MAX_BANDS,
    MAX_COMMITMENTS,
    MAX_GROUPS,
    MAX_JSON_DEPTH,
    MAX_NAME_CHARS,
    MAX_OUTCOMES,
    MAX_SCENARIOS,
    MAX_TEXT_CHARS,
    MAX_TIERS,
    shown,
    terminal_safe,
)

if TYPE_CHECKING:
    from obc_calc.core.model import Deal, Outcome, Risk, Scenario, Tier

WEIGHT_TOLERANCE = 1e-6
# Names the exports use for their own columns and rows, and the results file's own columns,
# so user names may not take them (compared as name_key compares names).
EXPORT_NAMES = ("Scenario", "Students served", "Commitments met", "Base", "Performance", "Total", "Savings")
RESULTS_FILE_NAMES = ("student_id", "served", "group")
RESERVED_OUTCOME_NAMES = EXPORT_NAMES + RESULTS_FILE_NAMES
RESERVED_SCENARIO_NAMES = ("Expected", "Floor", "Maximum")
# Which optional outcome fields each basis reads; any other is a mistake worth reporting.
BASIS_FIELDS: dict[str, tuple[str, ...]] = {name: b.fields for name, b in BASES.items()}
# Fields only some bases read: given to a basis that does not read it, each is a mistake to report.
BASIS_SPECIFIC_FIELDS = tuple(dict.fromkeys(f for record in BASES.values() for f in record.fields))
# The lists (and the rates object) that grow with a deal; no other list or object holds more
# than the largest of these, so that is the limit for any other.
COUNT_LIMITS = {"outcomes": MAX_OUTCOMES, "scenarios": MAX_SCENARIOS, "commitments": MAX_COMMITMENTS,
                "tiers": MAX_TIERS, "rates": MAX_OUTCOMES, "student_groups": MAX_GROUPS, "bands": MAX_BANDS,
                "expected_band_shares": MAX_BANDS}
OTHER_COUNT_LIMIT = max(COUNT_LIMITS.values())
# A scenario's mappings keyed by outcome name, whose names lose their surrounding spaces when read.
BY_OUTCOME = ("rates", "group_rates", "band_shares", "group_band_shares")
# 16 digits or more is over every limit and past what a float holds exactly; Python cannot even
# print an integer of more than 4,300 digits, so such a number is refused before anything quotes it.
HUGE_INTEGER = 10**15


def name_key(name: str) -> str:
    """A name as uniqueness reads it: case and spacing do not matter (nor do they to a results
    file's column matching or to the workbook's lookups)."""
    return " ".join(name.split()).casefold()


_RESERVED_FOR = ({name_key(n): "the exports" for n in EXPORT_NAMES + RESERVED_SCENARIO_NAMES}
                 | {name_key(n): "the results file's own columns" for n in RESULTS_FILE_NAMES})


# ---------------------------------------------------------------- the data as read


def raw_problems(data: dict) -> list[Problem]:
    """Everything over a limit in a deal's data before any field is read, and rates that only
    differ in surrounding spaces (stripping the names would silently merge them)."""
    problems: list[Problem] = []
    _scan(data, "", "", 1, problems)
    return problems


def _scan(value, path: str, field: str, depth: int, problems: list[Problem]) -> None:
    if isinstance(value, bool | float):
        return
    if isinstance(value, int):
        if abs(value) >= HUGE_INTEGER:
            problems.append(Problem(path, "a number of more than 15 digits is more than any field takes"))
    elif isinstance(value, str):
        limit, what = (MAX_NAME_CHARS, "a name") if field == "name" else (MAX_TEXT_CHARS, "a text field")
        if len(value) > limit:
            problems.append(Problem(path, f"{len(value):,} characters is more than the limit of {limit:,} "
                                          f"for {what}"))
    elif isinstance(value, list | tuple | dict):
        if depth > MAX_JSON_DEPTH:
            problems.append(Problem(path, f"lists and objects are nested more than {MAX_JSON_DEPTH} deep, "
                                          "the limit"))
        elif not _count_problem(value, path, field, problems):
            _scan_items(value, path, field, depth, problems)


def _count_problem(value, path: str, field: str, problems: list[Problem]) -> bool:
    limit = COUNT_LIMITS.get(field, OTHER_COUNT_LIMIT)
    if len(value) <= limit:
        return False
    what = field if field in COUNT_LIMITS else "items"
    problems.append(Problem(path, f"{len(value):,} {what} are more than the limit of {limit}"))
    return True


def _scan_items(value, path: str, field: str, depth: int, problems: list[Problem]) -> None:
    if not isinstance(value, dict):
        for i, item in enumerate(value):
            _scan(item, f"{path}[{i}]", "", depth + 1, problems)
        return
    stripped: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            continue  # not from JSON; the field check refuses it
        if len(key) > MAX_NAME_CHARS:
            problems.append(Problem(path, f"a field or outcome name of {len(key):,} characters is more "
                                          f"than the limit of {MAX_NAME_CHARS}"))
            continue
        bare = key.strip()
        if field in BY_OUTCOME and bare in stripped:
            what = "rates" if field == "rates" else f"{field} entries"
            problems.append(Problem(f"{path}.{bare}", f"two {what} are given for this outcome "
                                                      f"({shown(stripped[bare])} and {shown(key)})"))
        stripped.setdefault(bare, key)
        _scan(item, f"{path}.{key}" if path else key, key, depth + 1, problems)


# ---------------------------------------------------------------- rules across fields


def deal_problems(deal: Deal) -> list[Problem]:
    """Every rule that spans fields, each reported at the path of the field to fix."""
    problems: list[Problem] = []
    problems += _weight_problems(deal)
    problems += _name_problems([o.name for o in deal.outcomes], "outcomes", "outcome", RESERVED_OUTCOME_NAMES)
    problems += _name_problems([s.name for s in deal.scenarios], "scenarios", "scenario",
                               RESERVED_SCENARIO_NAMES)
    problems += _name_problems([c.name for c in deal.commitments], "commitments", "commitment", ())
    for i, outcome in enumerate(deal.outcomes):
        problems += _outcome_problems(deal, outcome, f"outcomes[{i}]")
    for i, scenario in enumerate(deal.scenarios):
        problems += _scenario_problems(deal, scenario, f"scenarios[{i}]")
    problems += _risk_problems(deal, deal.risk, "risk")
    return problems


def _weight_problems(deal: Deal) -> list[Problem]:
    total = deal.weight_total
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        # In percent, as the Rate card and the workbook show weights (a deal file's 0.3 reads 30%).
        return [Problem("outcomes", f"the weights add up to {total * 100:.10g}%, not 100%")]
    return []


def _name_problems(names: list[str], path: str, kind: str, reserved: tuple[str, ...]) -> list[Problem]:
    problems, seen = [], {}
    reserved_keys = {name_key(n) for n in reserved}
    for i, name in enumerate(names):
        key = name_key(name)
        if key in seen:
            earlier = seen[key]
            how = "" if earlier == name else " (names are compared ignoring case and spacing)"
            problems.append(Problem(f"{path}[{i}].name",
                                    f"another {kind} is already called {earlier!r}{how}"))
        seen.setdefault(key, name)
        if key in reserved_keys:
            problems.append(Problem(
                f"{path}[{i}].name", f"{name!r} is reserved for {_RESERVED_FOR[key]}; pick another name"
            ))
    return problems


def _outcome_problems(deal: Deal, outcome: Outcome, path: str) -> list[Problem]:
    problems = _basis_field_problems(outcome, path)
    if outcome.eligible_students is not None and outcome.eligible_students > deal.students:
        problems.append(Problem(
            f"{path}.eligible_students",
            f"{outcome.eligible_students} eligible students is more than the deal's {deal.students}",
        ))
    if outcome.paid_in_month is not None and outcome.paid_in_month > deal.term.months:
        problems.append(Problem(
            f"{path}.paid_in_month",
            f"month {outcome.paid_in_month} is after the term's last month ({deal.term.months})",
        ))
    drawn = "a share of students in paying bands" if outcome.bands is not None else "an achievement rate"
    problems += _rate_range_problems(outcome, path, _expected_figure(deal, outcome), drawn)
    return problems


def _expected_figure(deal: Deal, outcome: Outcome) -> float:
    """What a range is drawn around: the expected rate, or with groups their overall rate, or for a
    banded outcome its expected share of students in paying bands (core.sensitivity.expected_figure)."""
    if outcome.bands is None and not deal.student_groups:
        return outcome.expected_rate
    from obc_calc.core.groups import measure  # imported here: groups reads name_key from this module
    from obc_calc.core.model import Scenario

    try:
        return measure(deal, outcome, Scenario(name="Expected")).rate
    except ValueError:  # shares that do not match the bands: the group rules report them
        return outcome.expected_rate


def _rate_range_problems(outcome: Outcome, path: str, mean: float, drawn: str) -> list[Problem]:
    """The range is read around `mean`, the expected value of what a run draws (`drawn`)."""
    low, high = outcome.rate_low, outcome.rate_high
    if low is None and high is None:
        return []
    if low is None or high is None:
        missing = "rate_low" if low is None else "rate_high"
        return [Problem(f"{path}.{missing}", "give rate_low and rate_high together, or neither")]
    problems = []
    banded = drawn != "an achievement rate"
    expected = f"the expected {'share of students in paying bands' if banded else 'rate'} ({mean:.1%})"
    if low > mean:
        problems.append(Problem(f"{path}.rate_low", f"{low:.1%} is above {expected}"))
    if high < mean:
        problems.append(Problem(f"{path}.rate_high", f"{high:.1%} is below {expected}"))
    if not problems:
        message = width_problem(mean, high - low, drawn)
        if message:
            problems.append(Problem(f"{path}.rate_high", message))
    return problems


def _basis_field_problems(outcome: Outcome, path: str) -> list[Problem]:
    problems = []
    record = BASES[outcome.basis]
    for field in BASIS_SPECIFIC_FIELDS:
        given = getattr(outcome, field) is not None
        if given and field not in record.fields:
            problems.append(Problem(f"{path}.{field}", f"a {outcome.basis} outcome does not use it"))
        if not given and field in record.required:
            problems.append(Problem(f"{path}.{field}", f"a {outcome.basis} outcome needs it"))
    if outcome.target_rate is not None and outcome.target_rate == 0 and "target_rate" in record.fields:
        problems.append(Problem(
            f"{path}.target_rate",
            "a target of 0% pays at zero achievement; put that money in the base instead",
        ))
    # A floor is read below a target: it must leave room to rise.
    if "floor_rate" in record.fields and outcome.target_rate is not None:
        floor = outcome.floor_rate or 0.0
        if floor >= outcome.target_rate:
            problems.append(Problem(
                f"{path}.floor_rate",
                f"the floor ({floor:.0%}) must be below the target ({outcome.target_rate:.0%})",
            ))
    if "tiers" in record.fields and outcome.tiers is not None:
        problems += _tier_problems(outcome.tiers, f"{path}.tiers")
    return problems


def _tier_problems(tiers: list[Tier], path: str) -> list[Problem]:
    if not tiers:
        return [Problem(path, "a tiered outcome needs at least one tier")]
    problems = []
    if tiers[0].min_rate == 0:
        problems.append(Problem(
            f"{path}[0].min_rate",
            "a first tier at 0% pays at zero achievement; put that money in the base instead",
        ))
    for i, tier in enumerate(tiers):
        if tier.payout == 0:
            problems.append(Problem(f"{path}[{i}].payout", "a tier must pay more than 0%"))
        if i == 0:
            continue
        before = tiers[i - 1]
        if tier.min_rate <= before.min_rate:
            problems.append(Problem(
                f"{path}[{i}].min_rate",
                f"tiers must rise: {tier.min_rate:.0%} is not above the previous {before.min_rate:.0%}",
            ))
        if tier.payout < before.payout:
            problems.append(Problem(
                f"{path}[{i}].payout",
                f"payouts may not fall: {tier.payout:.0%} is below the previous {before.payout:.0%}",
            ))
    return problems


def _scenario_problems(deal: Deal, scenario: Scenario, path: str) -> list[Problem]:
    problems = []
    names = {o.name for o in deal.outcomes}
    for name in scenario.rates:
        if name not in names:
            where = f"{path}.rates.{terminal_safe(name)}"  # a name with control codes is not one
            problems.append(Problem(where, "there is no outcome by that name"))
    served = scenario.students_served
    if served is not None and served > deal.students:
        problems.append(Problem(
            f"{path}.students_served",
            f"{served} students served is more than the deal's {deal.students}",
        ))
    return problems


def _risk_problems(deal: Deal, risk: Risk, path: str) -> list[Problem]:
    low, high = risk.students_served_low, risk.students_served_high
    if low is None and high is None:
        return []
    if low is None or high is None:
        missing = "students_served_low" if low is None else "students_served_high"
        return [Problem(
            f"{path}.{missing}", "give students_served_low and students_served_high together, or neither"
        )]
    problems = []
    for field, served in (("students_served_low", low), ("students_served_high", high)):
        if served > deal.students:
            problems.append(Problem(
                f"{path}.{field}", f"{served} students served is more than the deal's {deal.students}"
            ))
    if low > high:
        problems.append(Problem(f"{path}.students_served_low", f"{low} is above the high end ({high})"))
    return problems
