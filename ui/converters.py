"""The editable tables as pure conversions: a deal's JSON form -> a DataFrame, and an edited
DataFrame -> the deal's fields again. No streamlit here, so tests/app/test_ui_tables.py checks
them with plain pytest.

Rates are shares in the deal (0.7) and percents in the tables (70.0). Fields a table does not show
are carried over: the rate card's from the deal as it is now (other tables on its page edit groups
and bands), the scenarios' from the deal as it was when the table was built (`frame.attrs`).
"""

from __future__ import annotations

import pandas as pd

from obc_calc.core.bases import BASES
from obc_calc.core.errors import DealError
from obc_calc.core.model import DATA_SOURCES
from obc_calc.io.ratecard import rescaled_weights
from obc_calc.io.tiers import parse_tiers, tiers_to_text
from ui.band_tables import STARTER_BANDS, parse_shares, shares_to_text
from ui.group_tables import by_name, kept_share, percent
from ui.tables import blank, count, text

ORIGINAL = "original"  # hidden column: the row's name when the table was built (blank for a new row)

# ---- the rate card ---------------------------------------------------------------------------

PERCENT_COLUMNS = {  # table column -> outcome field, shown in percent
    "Weight (%)": "weight",
    "Expected rate (%)": "expected_rate",
    "Target rate (%)": "target_rate",
    "Floor rate (%)": "floor_rate",
}
# Outcome fields the table edits; any other field of an outcome is carried over untouched.
RATE_CARD_FIELDS = ("name", "metric", "threshold", "threshold_value", "basis", "weight", "expected_rate",
                    "target_rate", "floor_rate", "tiers", "eligible_students", "data_source", "paid_in_month")
# Edited in their own tables on the Rate card page: kept for the outcomes whose basis reads them.
BANDED_FIELDS = ("bands", "expected_band_shares", "group_band_shares")
# What an outcome is and pays, and when and on whose data, first: they show at 1440 px without scrolling.
RATE_CARD_COLUMNS = ["Outcome", "Basis", "Weight (%)", "Expected rate (%)", "Metric", "Threshold",
                     "Data source", "Month paid", "Target rate (%)", "Floor rate (%)", "Tiers",
                     "Eligible students", "Threshold value"]
NUMBER_COLUMNS = {"Threshold value": "threshold_value", "Eligible students": "eligible_students",
                  "Month paid": "paid_in_month"}
# A new row's cells (the editor's column defaults): a row holding only these is not filled in yet.
NEW_ROW = {"Basis": "per_student", "Weight (%)": 0.0, "Expected rate (%)": 50.0, "Data source": "district"}


def share(cell) -> float | None:
    return None if blank(cell) else float(cell) / 100


def rate_card_frame(deal: dict) -> pd.DataFrame:
    """One row per outcome; rates in percent, tiers as text, blanks for fields not given."""
    rows = []
    for outcome in deal["outcomes"]:
        row = {"Outcome": outcome["name"], "Metric": outcome.get("metric", ""),
               "Threshold": outcome.get("threshold", ""), "Basis": outcome["basis"],
               "Tiers": tiers_to_text(outcome.get("tiers")), "Data source": outcome["data_source"],
               ORIGINAL: outcome["name"]}
        row |= {column: outcome.get(field) for column, field in NUMBER_COLUMNS.items()}
        row |= {column: percent(outcome.get(field)) for column, field in PERCENT_COLUMNS.items()
                if not (field == "expected_rate" and BASES[outcome["basis"]].banded)}
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*RATE_CARD_COLUMNS, ORIGINAL])
    for column in (*NUMBER_COLUMNS, *PERCENT_COLUMNS):
        frame[column] = frame[column].astype("float64")
    return frame


def outcome_from_row(row, original: dict) -> tuple[dict, list[str]]:
    """One table row as an outcome, and what cannot be read in it (the tiers' text).

    Fields its basis does not use are dropped, not reported; an unknown basis or data source is
    read as the default one.
    """
    basis = row["Basis"] if row["Basis"] in BASES else "per_student"
    outcome = {k: v for k, v in original.items() if k not in RATE_CARD_FIELDS}
    # A banded outcome pays by band shares, not rates; switched to it, it starts from STARTER_BANDS.
    dropped = ("group_expected_rates",) if BASES[basis].banded else BANDED_FIELDS
    outcome = {k: v for k, v in outcome.items() if k not in dropped}
    if BASES[basis].banded and not outcome.get("bands"):
        outcome["bands"] = [dict(band) for band in STARTER_BANDS]
    outcome |= {
        "name": text(row["Outcome"]), "metric": text(row["Metric"]), "threshold": text(row["Threshold"]),
        "basis": basis, "weight": share(row["Weight (%)"]) or 0.0,
        "expected_rate": (original.get("expected_rate", 0.0) if BASES[basis].banded  # shares, not a rate
                          else share(row["Expected rate (%)"]) or 0.0),
        "data_source": row["Data source"] if row["Data source"] in DATA_SOURCES else "district",
    }
    for column, field in NUMBER_COLUMNS.items():
        if not blank(row[column]):
            value = float(row[column])
            outcome[field] = value if field == "threshold_value" else count(value)
    errors = []
    for field in (f for f in BASES[basis].fields if f not in BANDED_FIELDS):
        if field == "tiers":
            try:
                outcome["tiers"] = parse_tiers(text(row["Tiers"]))
            except DealError as error:
                errors += [problem.message for problem in error.problems]
            continue
        column = next(c for c, f in PERCENT_COLUMNS.items() if f == field)
        if not blank(row[column]):
            outcome[field] = share(row[column])
    return outcome, errors


SCENARIO_BY_OUTCOME = ("rates", "group_rates", "band_shares", "group_band_shares")  # keyed by outcome name


def renamed_scenarios(base_scenarios: list[dict], names: dict[str, str], banded: set[str]) -> list[dict]:
    """Scenario rates and band shares follow renamed outcomes (`names`: old -> new) and drop removed
    ones; rates go from an outcome now banded and band shares from one no longer banded (`banded`:
    old names), as its basis no longer reads them."""
    renamed = []
    for scenario in base_scenarios:
        result = dict(scenario)
        for field in SCENARIO_BY_OUTCOME:
            for_banded = "band" in field  # band shares are read by banded outcomes, rates by the others
            by_outcome = {names[old]: value for old, value in scenario.get(field, {}).items()
                          if old in names and (old in banded) == for_banded}
            if by_outcome or field == "rates":
                result[field] = by_outcome
            else:
                result.pop(field, None)
        renamed.append(result)
    return renamed


def rate_card_from_frame(edited: pd.DataFrame, deal: dict) -> tuple[dict, list[str]]:
    """The deal with the table's outcomes (and renamed scenario rates); the rows' problems.

    A row is the deal's outcome of its name, or else of the name it had when the table was built
    (renamed this run), and keeps that outcome's fields the table does not show.
    A problem reads 'Rate card, row 2 (Math growth), tiers: <what is wrong>'.
    """
    current = {o["name"]: o for o in deal["outcomes"]}
    outcomes, errors, names, banded = [], [], {}, set()
    for number, (_, row) in enumerate(edited.iterrows(), start=1):
        if all(blank(row[c]) or row[c] == NEW_ROW.get(c) for c in RATE_CARD_COLUMNS):
            continue  # a row just added and not filled in yet
        if blank(row["Outcome"]):  # refused, not dropped: its weight would vanish from the allocations
            errors.append(f"Rate card, row {number}: Name this outcome; a row counts once it has a name.")
            continue
        named = (text(row["Outcome"]), row[ORIGINAL])
        matched = next((n for n in named if not blank(n) and n in current), None)
        outcome, row_errors = outcome_from_row(row, current.get(matched, {}))
        outcomes.append(outcome)
        if matched is not None:
            names[matched] = outcome["name"]
            if BASES[outcome["basis"]].banded:
                banded.add(matched)
        label = f"Rate card, row {number}" + (f" ({outcome['name']})" if outcome["name"] else "")
        errors += [f"{label}, tiers: {e[:1].upper()}{e[1:].rstrip('.')}." for e in row_errors]
    scenarios = renamed_scenarios(deal.get("scenarios", []), names, banded)
    return {**deal, "outcomes": outcomes, "scenarios": scenarios}, errors


def weights_of(deal: dict) -> list[float]:
    return [outcome["weight"] for outcome in deal["outcomes"]]  # shares, as rate_card_from_frame read them


def rescaled(edited: pd.DataFrame) -> pd.DataFrame:
    """The table with its weights scaled to add up to 100%, in proportion (equal if all are zero)."""
    frame = edited.copy()
    frame.attrs = dict(edited.attrs)
    frame["Weight (%)"] = rescaled_weights(frame["Weight (%)"].fillna(0.0), 100.0)
    return frame


# ---- the district's commitments ------------------------------------------------------------

COMMITMENT_COLUMNS = ["Commitment", "Description"]


def commitments_frame(deal: dict) -> pd.DataFrame:
    """One row per commitment: its name and what the district will do."""
    rows = [{"Commitment": c["name"], "Description": c.get("description", "")}
            for c in deal.get("commitments", [])]
    return pd.DataFrame(rows, columns=COMMITMENT_COLUMNS)


def commitments_from_frame(edited: pd.DataFrame) -> list[dict]:
    """The table's rows as commitments, in its order; a row with both cells blank is not filled in yet."""
    return [{"name": text(row["Commitment"]), "description": text(row["Description"])}
            for _, row in edited.iterrows()
            if not (blank(row["Commitment"]) and blank(row["Description"]))]


# ---- the scenarios ---------------------------------------------------------------------------

SCENARIO_FIELDS = ("name", "rates", "students_served", "commitments_met", "group_rates", "band_shares")


def rate_column(name: str) -> str:
    return f"{name} (%)"


def scenario_columns(deal: dict, group_names=()) -> dict[str, tuple]:
    """Each rate and share column of the scenarios table -> (field, outcome, group or None): a rate
    per outcome paid on a rate, and one per group when the deal has groups; band shares per banded one."""
    columns = {}
    for outcome in deal["outcomes"]:
        name = outcome["name"]
        if BASES[outcome["basis"]].banded:
            columns[f"{name}: band shares"] = ("band_shares", name, None)
            continue
        columns[rate_column(name)] = ("rates", name, None)
        columns |= {f"{name}: {g} (%)": ("group_rates", name, g) for g in group_names}
    return columns


def scenario_cell(scenario: dict, field: str, outcome: str, group: str | None):
    """What a scenario gives for one column: a rate in percent, or band shares as text."""
    given = scenario.get(field, {}).get(outcome)
    if field == "band_shares":
        return shares_to_text(given)
    return percent(given if group is None else by_name(given, group))


def scenarios_frame(deal: dict, group_names=()) -> pd.DataFrame:
    """One row per scenario: its name, students served, commitments and its rates and band shares."""
    columns = scenario_columns(deal, group_names)
    rows = []
    for scenario in deal.get("scenarios", []):
        row = {"Scenario": scenario["name"], "Students served": scenario.get("students_served"),
               "Commitments met": scenario.get("commitments_met", True), ORIGINAL: scenario["name"]}
        row |= {column: scenario_cell(scenario, *where) for column, where in columns.items()}
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["Scenario", "Students served", "Commitments met", *columns, ORIGINAL])
    frame["Commitments met"] = frame["Commitments met"].astype("bool")
    numbers = ["Students served", *(c for c, where in columns.items() if where[0] != "band_shares")]
    frame = frame.astype(dict.fromkeys(numbers, "float64"))
    frame.attrs["scenarios"] = {s["name"]: s for s in deal.get("scenarios", [])}
    frame.attrs["columns"] = columns
    return frame


def scenarios_from_frame(edited: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """The table's rows as scenarios, and what cannot be read in them (band shares' text).

    A blank rate or band shares cell is left out (the outcome's expected figure).
    """
    columns, originals = edited.attrs.get("columns", {}), edited.attrs.get("scenarios", {})
    scenarios, errors = [], []
    for number, (_, row) in enumerate(edited.iterrows(), start=1):
        if all(blank(row[c]) for c in ["Scenario", "Students served", *columns]):
            continue  # a row just added and not filled in yet
        original = {} if blank(row[ORIGINAL]) else originals.get(row[ORIGINAL], {})
        scenario = {k: v for k, v in original.items() if k not in SCENARIO_FIELDS}
        met = row["Commitments met"]
        scenario |= {"name": text(row["Scenario"]), "rates": {},
                     "commitments_met": True if blank(met) else bool(met)}
        for column, (field, outcome, group) in columns.items():
            try:
                value = scenario_value(row[column], original, field, outcome, group)
                _put(scenario, field, outcome, group, value)
            except ValueError as error:
                label = f"Scenarios, row {number}" + (f" ({scenario['name']})" if scenario["name"] else "")
                errors.append(f"{label}, band shares for {outcome}: {str(error).capitalize()}.")
        if not blank(row["Students served"]):
            scenario["students_served"] = count(row["Students served"])
        scenarios.append(scenario)
    return scenarios, errors


def scenario_value(cell, original: dict, field: str, outcome: str, group: str | None):
    """A cell as the scenario holds it (a share, or a list of band shares); an untouched one exactly."""
    given = original.get(field, {}).get(outcome)
    return parse_shares(cell, given) if field == "band_shares" else kept_share(
        cell, given if group is None else by_name(given, group))


def _put(scenario: dict, field: str, outcome: str, group: str | None, value) -> None:
    if value is None:
        return  # a blank cell: the outcome's expected figure
    target = scenario.setdefault(field, {})
    if group is None:
        target[outcome] = value
    else:
        target.setdefault(outcome, {})[group] = value


def scenario_names(edited: pd.DataFrame) -> list[str]:
    """The names given in the table, in its order (a new row may have none yet)."""
    return [text(name) for name in edited["Scenario"] if not blank(name)]


def unused_name(edited: pd.DataFrame, stem: str) -> str:
    """'Scenario 1', or the first 'Scenario N' no row is called yet."""
    taken = {text(n) for n in edited["Scenario"]}
    number = 1
    while f"{stem} {number}".strip() in taken:
        number += 1
    return f"{stem} {number}".strip()


def _kept_attrs(edited: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs = dict(edited.attrs)  # the table as built: columns and original scenarios
    return frame


def with_new_scenario(edited: pd.DataFrame) -> pd.DataFrame:
    row = dict.fromkeys(edited.columns)
    row |= {"Scenario": unused_name(edited, "Scenario"), "Commitments met": True}
    return _kept_attrs(edited, pd.concat([edited, pd.DataFrame([row])], ignore_index=True))


def with_copied_scenario(edited: pd.DataFrame, source: str) -> pd.DataFrame | None:
    """A copy of the row named `source` added under a new name; None when there is no such row."""
    match = edited[edited["Scenario"] == source]
    if match.empty:
        return None
    row = match.iloc[[0]].copy()
    row["Scenario"] = unused_name(edited, f"{source} copy")
    return _kept_attrs(edited, pd.concat([edited, row], ignore_index=True))


def without_scenario(edited: pd.DataFrame, source: str) -> pd.DataFrame:
    return _kept_attrs(edited, edited[edited["Scenario"] != source].reset_index(drop=True))


# ---- the risk ranges -------------------------------------------------------------------------

LOW, HIGH = "Low (%)", "High (%)"


def ranges_frame(deal: dict, expected_rates: list[float] | None = None) -> pd.DataFrame:
    """Each outcome's expected rate (the Expected scenario's when given: groups' overall rate, a banded
    outcome's paying share) and its plausible low and high, in percent."""
    rates = expected_rates or [o["expected_rate"] for o in deal["outcomes"]]
    rows = [{"Outcome": o["name"], "Expected (%)": percent(rate),
             LOW: percent(o.get("rate_low")), HIGH: percent(o.get("rate_high"))}
            for o, rate in zip(deal["outcomes"], rates, strict=True)]
    return pd.DataFrame(rows, columns=["Outcome", "Expected (%)", LOW, HIGH]).astype(
        {"Expected (%)": "float64", LOW: "float64", HIGH: "float64"})


def ranges_from_frame(edited: pd.DataFrame, deal: dict) -> dict:
    """The deal with each outcome's rate_low and rate_high as edited; an untouched cell keeps its value."""
    outcomes = []
    for row, outcome in enumerate(deal["outcomes"]):
        outcomes.append({**outcome, "rate_low": kept_share(edited.at[row, LOW], outcome.get("rate_low")),
                         "rate_high": kept_share(edited.at[row, HIGH], outcome.get("rate_high"))})
    return {**deal, "outcomes": outcomes}


def ranges_of(deal: dict) -> list[tuple]:
    """(rate_low, rate_high) of each outcome, None where not given: to tell whether an edit changed any."""
    return [(o.get("rate_low"), o.get("rate_high")) for o in deal["outcomes"]]
