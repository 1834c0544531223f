"""The rules of student groups and bands, each reported at the path of the field to fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from obc_calc.core.bases import BASES
from obc_calc.core.errors import Problem
from obc_calc.core.groups import OTHER_STUDENTS
from obc_calc.core.limits import terminal_safe
from obc_calc.core.model_rules import name_key

if TYPE_CHECKING:
    from obc_calc.core.model import Band, Deal, Outcome, Scenario

SHARE_TOLERANCE = 1e-9  # shares computed as counts / students may miss 1 by the last bit


def group_and_band_problems(deal: Deal) -> list[Problem]:
    """Every rule of groups and bands across the deal, its outcomes and its scenarios."""
    problems = group_problems(deal)
    for i, outcome in enumerate(deal.outcomes):
        problems += outcome_group_problems(deal, outcome, f"outcomes[{i}]")
    for i, scenario in enumerate(deal.scenarios):
        problems += scenario_group_problems(deal, scenario, f"scenarios[{i}]")
    return problems


def group_problems(deal: Deal) -> list[Problem]:
    """Group names unique and not "Other students"; no more students in groups than in the deal."""
    problems, seen = [], {}
    for i, group in enumerate(deal.student_groups):
        key, path = name_key(group.name), f"student_groups[{i}].name"
        if key == name_key(OTHER_STUDENTS):
            problems.append(Problem(path, f"{OTHER_STUDENTS!r} is reserved for the students no group names; "
                                          "pick another name"))
        elif key in seen:
            problems.append(Problem(path, f"another group is already called {seen[key]!r} "
                                          "(names are compared ignoring case and spacing)"))
        seen.setdefault(key, group.name)
    grouped = sum(g.students for g in deal.student_groups)
    if grouped > deal.students:
        problems.append(Problem("student_groups", f"the groups hold {grouped:,} students, more than the "
                                                  f"deal's {deal.students:,}"))
    return problems


def _unknown_groups(deal: Deal, by_group: dict | None, path: str) -> list[Problem]:
    """Groups a mapping names that the deal does not have, or names twice (ignoring case and spacing)."""
    known = {name_key(g.name) for g in deal.student_groups} | {name_key(OTHER_STUDENTS)}
    if by_group and not deal.student_groups:
        return [Problem(path, "the deal has no student groups; add them under student_groups first")]
    problems, seen = [], {}
    for name in by_group or {}:
        key, where = name_key(name), f"{path}.{terminal_safe(name)}"
        if key not in known:
            problems.append(Problem(where, "there is no student group by that name"))
        elif key in seen:
            problems.append(Problem(where, f"this group is already given as {seen[key]!r} (names are "
                                           "compared ignoring case and spacing)"))
        seen.setdefault(key, name)
    return problems


def outcome_group_problems(deal: Deal, outcome: Outcome, path: str) -> list[Problem]:
    problems = _unknown_groups(deal, outcome.group_expected_rates, f"{path}.group_expected_rates")
    record = BASES[outcome.basis]
    if record.banded and outcome.group_expected_rates:
        problems.append(Problem(f"{path}.group_expected_rates", "a banded outcome pays by bands, not by "
                                                                "group rates; give group_band_shares"))
    if deal.student_groups and (record.per_head or record.banded) and outcome.eligible_students is not None:
        problems.append(Problem(f"{path}.eligible_students", "in a deal with student groups, the groups say "
                                                             "who is eligible for a per-student outcome"))
    return problems + _outcome_band_problems(deal, outcome, path)


def _outcome_band_problems(deal: Deal, outcome: Outcome, path: str) -> list[Problem]:
    by_group = outcome.group_band_shares
    if not BASES[outcome.basis].banded:
        wrong = Problem(f"{path}.group_band_shares", "only a banded outcome has band shares")
        return [wrong] if by_group else []
    if outcome.bands is None:
        return []  # the basis's own rules report the missing bands
    bands = len(outcome.bands)
    problems = band_problems(outcome.bands, f"{path}.bands")
    if outcome.expected_band_shares is not None:
        problems += share_problems(outcome.expected_band_shares, bands, f"{path}.expected_band_shares")
    problems += _unknown_groups(deal, by_group, f"{path}.group_band_shares")
    for name, shares in (by_group or {}).items():
        problems += share_problems(shares, bands, f"{path}.group_band_shares.{terminal_safe(name)}")
    return problems


def band_problems(bands: list[Band], path: str) -> list[Problem]:
    if len(bands) < 2:
        return [Problem(path, "a banded outcome needs at least two bands")]
    problems = []
    if bands[0].min_value is not None and bands[0].payout < 0:
        # Students below the first band are paid nothing, so they would fare better than those in it.
        problems.append(Problem(f"{path}[0].payout", "a first band that takes money back must start at any "
                                                     "value (min_value null), or students below it would "
                                                     "pay nothing, more than those in it"))
    for i, band in enumerate(bands[1:], start=1):
        before = bands[i - 1]
        if band.min_value is None:
            problems.append(Problem(f"{path}[{i}].min_value", "only the first band may start at any value"))
        elif before.min_value is not None and band.min_value <= before.min_value:
            problems.append(Problem(f"{path}[{i}].min_value", f"bands must rise: {band.min_value:g} is not "
                                                              f"above the previous {before.min_value:g}"))
        if band.payout < before.payout:
            problems.append(Problem(f"{path}[{i}].payout", f"payouts may not fall: {band.payout:.0%} is "
                                                           f"below the previous {before.payout:.0%}"))
    if bands[-1].payout != 1.0:
        problems.append(Problem(f"{path}[{len(bands) - 1}].payout",
                                "the last band pays the whole price per student (100%), "
                                f"not {bands[-1].payout:.0%}"))
    return problems


def share_problems(shares: list[float], bands: int, path: str) -> list[Problem]:
    if len(shares) != bands:
        return [Problem(path, f"give one share per band: {bands} bands, {len(shares)} shares")]
    total = sum(shares)
    if total > 1.0 + SHARE_TOLERANCE:
        return [Problem(path, f"the shares add up to {total:.1%}, more than all of the students (100%)")]
    return []


def scenario_group_problems(deal: Deal, scenario: Scenario, path: str) -> list[Problem]:
    outcomes = {o.name: o for o in deal.outcomes}
    problems = [Problem(f"{path}.rates.{name}", "this outcome pays by bands: give its shares of students "
                                                "by band under band_shares, not a rate")
                for name in scenario.rates if name in outcomes and BASES[outcomes[name].basis].banded]
    for name, rates in scenario.group_rates.items():
        where = f"{path}.group_rates.{terminal_safe(name)}"
        if name not in outcomes:
            problems.append(Problem(where, "there is no outcome by that name"))
        elif BASES[outcomes[name].basis].banded:
            problems.append(Problem(where, "this outcome pays by bands: give its shares of students by band "
                                           "under group_band_shares, not rates"))
        else:
            problems += _unknown_groups(deal, rates, where)
    for name, shares in scenario.band_shares.items():
        where = f"{path}.band_shares.{terminal_safe(name)}"
        problems += _scenario_shares(deal, outcomes.get(name), {None: shares}, where)
    for name, by_group in scenario.group_band_shares.items():
        where = f"{path}.group_band_shares.{terminal_safe(name)}"
        problems += _unknown_groups(deal, by_group, where)
        problems += _scenario_shares(deal, outcomes.get(name), by_group, where)
    return problems


def _scenario_shares(deal: Deal, outcome: Outcome | None, shares_by: dict, where: str) -> list[Problem]:
    """Shares given in a scenario (overall, under the key None, or by group) for one outcome."""
    if outcome is None or outcome.bands is None:
        return [Problem(where, "there is no banded outcome by that name")]
    problems = []
    for group, shares in shares_by.items():
        at = where if group is None else f"{where}.{terminal_safe(group)}"
        problems += share_problems(shares, len(outcome.bands), at)
    return problems
