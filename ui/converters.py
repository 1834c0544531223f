"""The editable tables as pure conversions: a deal's JSON form -> a DataFrame, and an edited
DataFrame -> the deal's fields again. No streamlit here, so tests/app/test_ui_tables.py checks
them with plain pytest.

Rates are shares in the deal (0.7) and percents in the tables (70.0). Each table carries the deal
as it was when the table was built in `frame.attrs`, so that fields the table does not show are
carried over and renamed outcomes take their scenario rates with them.
"""

from __future__ import annotations

import pandas as pd

from obc_calc.core.bases import BASES
from obc_calc.core.errors import DealError
from obc_calc.core.model import DATA_SOURCES
from obc_calc.io.ratecard import rescaled_weights
from obc_calc.io.tiers import parse_tiers, tiers_to_text
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
# The money-moving columns first, so they show without scrolling; the descriptive ones after.
RATE_CARD_COLUMNS = ["Outcome", "Basis", "Weight (%)", "Expected rate (%)", "Target rate (%)",
                     "Floor rate (%)", "Tiers", "Month paid", "Eligible students", "Data source",
                     "Threshold", "Threshold value", "Metric"]
NUMBER_COLUMNS = {"Threshold value": "threshold_value", "Eligible students": "eligible_students",
                  "Month paid": "paid_in_month"}
KEY_COLUMNS = ("Outcome", "Metric", "Threshold", "Weight (%)")  # all blank: a row not filled in yet


def percent(share: float | None) -> float | None:
    return None if share is None else share * 100


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
        row |= {column: percent(outcome.get(field)) for column, field in PERCENT_COLUMNS.items()}
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*RATE_CARD_COLUMNS, ORIGINAL])
    for column in (*NUMBER_COLUMNS, *PERCENT_COLUMNS):
        frame[column] = frame[column].astype("float64")
    frame.attrs["scenarios"] = deal.get("scenarios", [])
    frame.attrs["outcomes"] = {o["name"]: o for o in deal["outcomes"]}
    return frame


def outcome_from_row(row, originals: dict) -> tuple[dict, list[str]]:
    """One table row as an outcome, and what cannot be read in it (the tiers' text).

    Fields its basis does not use are dropped, not reported; an unknown basis or data source is
    read as the default one.
    """
    basis = row["Basis"] if row["Basis"] in BASES else "per_student"
    original = {} if blank(row[ORIGINAL]) else originals.get(row[ORIGINAL], {})
    outcome = {k: v for k, v in original.items() if k not in RATE_CARD_FIELDS}
    outcome |= {
        "name": text(row["Outcome"]), "metric": text(row["Metric"]), "threshold": text(row["Threshold"]),
        "basis": basis, "weight": share(row["Weight (%)"]) or 0.0,
        "expected_rate": share(row["Expected rate (%)"]) or 0.0,
        "data_source": row["Data source"] if row["Data source"] in DATA_SOURCES else "district",
    }
    for column, field in NUMBER_COLUMNS.items():
        if not blank(row[column]):
            value = float(row[column])
            outcome[field] = value if field == "threshold_value" else count(value)
    errors = []
    for field in BASES[basis].fields:
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


def renamed_scenarios(base_scenarios: list[dict], edited: pd.DataFrame) -> list[dict]:
    """Scenario rates follow renamed outcomes and drop removed ones."""
    names = {r[ORIGINAL]: text(r["Outcome"]) for _, r in edited.iterrows() if not blank(r[ORIGINAL])}
    return [{**scenario, "rates": {names[old]: rate for old, rate in scenario.get("rates", {}).items()
                                   if old in names}}
            for scenario in base_scenarios]


def rate_card_from_frame(edited: pd.DataFrame, deal: dict) -> tuple[dict, list[str]]:
    """The deal with the table's outcomes (and renamed scenario rates); the rows' problems.

    A problem reads 'Rate card, row 2 (Math growth), tiers: <what is wrong>'.
    """
    outcomes, errors = [], []
    for number, (_, row) in enumerate(edited.iterrows(), start=1):
        if all(blank(row[c]) for c in KEY_COLUMNS):
            continue  # a row just added and not filled in yet
        outcome, row_errors = outcome_from_row(row, edited.attrs.get("outcomes", {}))
        outcomes.append(outcome)
        label = f"Rate card, row {number}" + (f" ({outcome['name']})" if outcome["name"] else "")
        errors += [f"{label}, tiers: {e[:1].upper()}{e[1:].rstrip('.')}." for e in row_errors]
    scenarios = renamed_scenarios(edited.attrs.get("scenarios", []), edited)
    return {**deal, "outcomes": outcomes, "scenarios": scenarios}, errors


def weights_of(deal: dict) -> list[float]:
    """Each outcome's weight as a share (0.25 for 25%): what rate_card_from_frame read from the table."""
    return [outcome["weight"] for outcome in deal["outcomes"]]


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

SCENARIO_FIELDS = ("name", "rates", "students_served", "commitments_met")  # the rest is carried over


def rate_column(name: str) -> str:
    return f"{name} (%)"


def scenarios_frame(deal: dict) -> pd.DataFrame:
    """One row per scenario: its name, students served, commitments and a rate column per outcome."""
    names = [o["name"] for o in deal["outcomes"]]
    rows = []
    for scenario in deal.get("scenarios", []):
        row = {"Scenario": scenario["name"], "Students served": scenario.get("students_served"),
               "Commitments met": scenario.get("commitments_met", True), ORIGINAL: scenario["name"]}
        row |= {rate_column(n): percent(scenario.get("rates", {}).get(n)) for n in names}
        rows.append(row)
    columns = ["Scenario", "Students served", "Commitments met", *map(rate_column, names)]
    frame = pd.DataFrame(rows, columns=[*columns, ORIGINAL])
    for column in columns[1:]:
        frame[column] = frame[column].astype("bool" if column == "Commitments met" else "float64")
    frame.attrs["scenarios"] = {s["name"]: s for s in deal.get("scenarios", [])}
    return frame


def scenarios_from_frame(edited: pd.DataFrame, outcome_names: list[str]) -> list[dict]:
    """The table's rows as scenarios; a blank rate is left out (the outcome's expected rate)."""
    rate_columns = {rate_column(name): name for name in outcome_names}
    originals = edited.attrs.get("scenarios", {})
    scenarios = []
    for _, row in edited.iterrows():
        if all(blank(row[c]) for c in ["Scenario", "Students served", *rate_columns]):
            continue  # a row just added and not filled in yet
        original = {} if blank(row[ORIGINAL]) else originals.get(row[ORIGINAL], {})
        scenario = {k: v for k, v in original.items() if k not in SCENARIO_FIELDS}
        met = row["Commitments met"]
        scenario |= {"name": text(row["Scenario"]),
                     "rates": {n: share(row[c]) for c, n in rate_columns.items() if not blank(row[c])},
                     "commitments_met": True if blank(met) else bool(met)}
        if not blank(row["Students served"]):
            scenario["students_served"] = count(row["Students served"])
        scenarios.append(scenario)
    return scenarios


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
    frame.attrs = dict(edited.attrs)
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


def ranges_frame(deal: dict) -> pd.DataFrame:
    """Each outcome's expected rate and its plausible low and high, in percent."""
    rows = [{"Outcome": o["name"], "Expected (%)": percent(o["expected_rate"]),
             LOW: percent(o.get("rate_low")), HIGH: percent(o.get("rate_high"))} for o in deal["outcomes"]]
    return pd.DataFrame(rows, columns=["Outcome", "Expected (%)", LOW, HIGH]).astype(
        {"Expected (%)": "float64", LOW: "float64", HIGH: "float64"})


def edited_rate(edited: pd.DataFrame, frame: pd.DataFrame, row: int, column: str, original):
    """The edited cell as a share; an untouched cell keeps the deal's value exactly (no % round trip)."""
    new, old = edited.at[row, column], frame.at[row, column]
    if blank(new):
        return None
    return original if not blank(old) and new == old else float(new) / 100


def ranges_from_frame(edited: pd.DataFrame, frame: pd.DataFrame, deal: dict) -> dict:
    """The deal with each outcome's rate_low and rate_high as edited (`frame`: the table as built)."""
    outcomes = []
    for row, outcome in enumerate(deal["outcomes"]):
        outcomes.append({**outcome, "rate_low": edited_rate(edited, frame, row, LOW, outcome.get("rate_low")),
                         "rate_high": edited_rate(edited, frame, row, HIGH, outcome.get("rate_high"))})
    return {**deal, "outcomes": outcomes}


def ranges_of(deal: dict) -> list[tuple]:
    """(rate_low, rate_high) of each outcome, None where not given: to tell whether an edit changed any."""
    return [(o.get("rate_low"), o.get("rate_high")) for o in deal["outcomes"]]
