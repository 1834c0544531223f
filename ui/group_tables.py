"""The student groups' tables as pure conversions: the groups themselves and each outcome's expected
rate by group, from the deal to a DataFrame and back. No streamlit, so tests/app/test_ui_tables.py
checks them with plain pytest.

Renaming a group in its table renames it wherever the deal gives it a rate or band shares; removing
one removes those entries, so that an edit never leaves a rate for a group that is gone.
"""

from __future__ import annotations

import pandas as pd

from obc_calc.core.bases import BASES
from obc_calc.core.groups import OTHER_STUDENTS, groups, unit_price
from obc_calc.core.model import Deal
from obc_calc.core.model_rules import name_key
from ui.tables import blank, count, text

ORIGINAL = "original"  # hidden column: the group's name when the table was built (blank for a new row)
GROUP_COLUMNS = ["Group", "Students", "Price multiplier"]


def percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def kept_share(cell, old: float | None) -> float | None:
    """A percent cell as a share; an untouched cell keeps the deal's value exactly (no % round trip)."""
    if blank(cell):
        return None
    if old is not None and abs(float(cell) - old * 100) < 1e-9:
        return old
    return float(cell) / 100


def by_name(mapping: dict | None, name: str):
    """The entry for a group, matched as the deal matches names (ignoring case and spacing)."""
    return next((v for k, v in (mapping or {}).items() if name_key(k) == name_key(name)), None)


# ---- the groups ---------------------------------------------------------------------------------

def groups_frame(deal: dict) -> pd.DataFrame:
    """One row per named group; "Other students" is not a row: it is whoever the groups leave."""
    rows = [{"Group": g["name"], "Students": g["students"],
             "Price multiplier": g.get("price_multiplier", 1.0), ORIGINAL: g["name"]}
            for g in deal.get("student_groups", [])]
    frame = pd.DataFrame(rows, columns=[*GROUP_COLUMNS, ORIGINAL])
    return frame.astype({"Students": "float64", "Price multiplier": "float64"})


def groups_from_frame(edited: pd.DataFrame, deal: dict) -> dict:
    """The deal with the table's groups, and every rate or share by group following renames."""
    student_groups, renames = [], {}
    for _, row in edited.iterrows():
        multiplier = row["Price multiplier"]
        if blank(row["Group"]) and blank(row["Students"]) and (blank(multiplier) or multiplier == 1.0):
            continue  # a row just added and not filled in yet (its multiplier is the default, 1)
        name = text(row["Group"])
        student_groups.append({
            "name": name, "students": 0 if blank(row["Students"]) else count(float(row["Students"])),
            "price_multiplier": 1.0 if blank(row["Price multiplier"]) else float(row["Price multiplier"])})
        if not blank(row[ORIGINAL]):
            renames[name_key(row[ORIGINAL])] = name
    if student_groups:
        renames[name_key(OTHER_STUDENTS)] = OTHER_STUDENTS
    candidate = {k: v for k, v in deal.items() if k != "student_groups"}
    if student_groups:
        candidate["student_groups"] = student_groups
    candidate["outcomes"] = [_renamed_fields(o, renames, ("group_expected_rates", "group_band_shares"))
                             for o in deal["outcomes"]]
    candidate["scenarios"] = [_renamed_scenario(s, renames) for s in deal.get("scenarios", [])]
    return candidate


def _renamed(mapping: dict, renames: dict) -> dict:
    return {renames[name_key(name)]: value for name, value in mapping.items() if name_key(name) in renames}


def _renamed_fields(item: dict, renames: dict, fields: tuple[str, ...]) -> dict:
    """The item with each by-group mapping renamed; one left empty is left out, as the deal writes it."""
    result = {k: v for k, v in item.items() if k not in fields}
    for field in fields:
        renamed = _renamed(item.get(field) or {}, renames)
        if renamed:
            result[field] = renamed
    return result


def _renamed_scenario(scenario: dict, renames: dict) -> dict:
    result = {k: v for k, v in scenario.items() if k not in ("group_rates", "group_band_shares")}
    for field in ("group_rates", "group_band_shares"):
        by_outcome = {o: _renamed(m, renames) for o, m in (scenario.get(field) or {}).items()}
        by_outcome = {o: m for o, m in by_outcome.items() if m}
        if by_outcome:
            result[field] = by_outcome
    return result


def group_prices_frame(deal: Deal) -> pd.DataFrame:
    """Every group, "Other students" included, with its price per achiever on each per-student outcome
    and its price per student at a 100% band on each banded outcome: unit price × multiplier."""
    priced = [o for o in deal.outcomes if BASES[o.basis].per_head or BASES[o.basis].banded]
    rows = []
    for group in groups(deal):
        row = {"Group": group.name, "Students": f"{group.students:,}",
               "Price multiplier": f"{group.multiplier:g}"}
        for outcome in priced:
            column = price_column(outcome.name, BASES[outcome.basis].banded)
            row[column] = f"${unit_price(deal, outcome) * group.multiplier:,.2f}"
        rows.append(row)
    return pd.DataFrame(rows)


def price_column(outcome: str, banded: bool) -> str:
    return f"{outcome}: per student at 100%" if banded else f"{outcome}: per achiever"


# ---- each outcome's expected rate by group -----------------------------------------------------

def rate_column(group: str) -> str:
    return f"{group} (%)"


def group_rates_frame(deal: Deal) -> pd.DataFrame:
    """One row per outcome paid on a rate (not banded), one column per group; blank: the outcome's rate."""
    names = [g.name for g in groups(deal)]
    rows = [{"Outcome": o.name, "Expected rate (%)": percent(o.expected_rate),
             **{rate_column(g): percent(by_name(o.group_expected_rates, g)) for g in names}}
            for o in deal.outcomes if not BASES[o.basis].banded]
    frame = pd.DataFrame(rows, columns=["Outcome", "Expected rate (%)", *map(rate_column, names)])
    frame = frame.astype({c: "float64" for c in frame.columns[1:]})
    frame.attrs["groups"] = names
    return frame


def group_rates_from_frame(edited: pd.DataFrame, deal: dict) -> dict:
    """The deal with each outcome's expected rates by group as edited; blanks are left out."""
    names = edited.attrs.get("groups", [])
    edited_rows = {row["Outcome"]: row for _, row in edited.iterrows()}
    outcomes = []
    for outcome in deal["outcomes"]:
        row = edited_rows.get(outcome["name"])
        if row is None:  # banded: its groups' shares are not rates
            outcomes.append(outcome)
            continue
        old = outcome.get("group_expected_rates")
        rates = {g: kept_share(row[rate_column(g)], by_name(old, g)) for g in names}
        rates = {g: r for g, r in rates.items() if r is not None}
        kept = {k: v for k, v in outcome.items() if k != "group_expected_rates"}
        outcomes.append({**kept, "group_expected_rates": rates} if rates else kept)
    return {**deal, "outcomes": outcomes}
