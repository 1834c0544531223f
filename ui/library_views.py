"""The deal library's tables as people read them: the workspace overview (and its CSV), a deal's
history, and what changed between two versions (fields by plain label, the money that moved)."""

from __future__ import annotations

import json
import re

import pandas as pd

from obc_calc.core.compare import deal_column
from obc_calc.core.deal_diff import DealDiff
from obc_calc.core.errors import Problem
from obc_calc.core.money import cents
from obc_calc.io.dealfile import deal_to_dict
from obc_calc.store.library import VersionInfo, Workspace
from ui import messages, widgets

# The overview's figures, as obc_calc.core.compare names them.
OVERVIEW_MONEY = ("Maximum (encumber)", "Expected", "Floor (nothing achieved)", "Maximum per pupil",
                  "Expected per pupil")
# The overview's headers on screen, short so that every column fits; help texts say the rest.
SHORT = {"Maximum (encumber)": "Maximum", "Floor (nothing achieved)": "Floor", "Maximum per pupil":
         "Max. per pupil", "Performance share": "On outcomes", "Latest version": "Latest",
         "Signed version": "Signed"}
SHORT_HELP = {"Maximum": "What the district encumbers: the base plus the whole performance pool.",
              "Expected": "What the district pays if every outcome reaches its expected rate.",
              "Floor": "What the district pays if no outcome is reached.",
              "Max. per pupil": "The maximum divided by the deal's planned students.",
              "Expected per pupil": "The expected cost divided by the deal's planned students.",
              "On outcomes": "The performance share: the part of the price paid only when outcomes are met.",
              "Latest": "The newest version saved.", "Signed": "The newest version the parties signed."}
MONEY_LABELS = {"maximum": "Maximum (encumber)", "expected": "Expected", "floor": "Floor (nothing achieved)",
                "maximum_per_pupil": "Maximum per pupil", "expected_per_pupil": "Expected per pupil"}
# Fields held as a share (0.7) that people read as a percent (70%); rates keyed by name too.
PERCENT_FIELDS = {"performance_share", "weight", "expected_rate", "target_rate", "floor_rate", "min_rate",
                  "payout", "base_upfront_share", "rate_low", "rate_high", "students_served",
                  "correlation", "commitments_miss_probability", "students_served_low",
                  "students_served_high", "min_value"}
PERCENT_MAPS = ("rates", "group_rates", "group_expected_rates", "band_shares", "expected_band_shares")
MONEY_FIELDS = {"total_cost", "max_penalty"}


# ---- the workspace overview ---------------------------------------------------------------------

def overview(ws: Workspace) -> pd.DataFrame:
    """Each deal's headline figures (its newest version), one row each, as numbers."""
    rows = []
    for summary in ws.deals():
        deal, _ = ws.open(summary.deal)
        figures = deal_column(deal)
        rows.append({"Deal": summary.deal, **{name: figures[name] for name in OVERVIEW_MONEY},
                     "Performance share": figures["Performance share"], "Latest version": summary.latest,
                     "Signed version": summary.signed, "Last saved": summary.updated})
    return pd.DataFrame(rows)


def shown_overview(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.copy()
    for name in OVERVIEW_MONEY:
        shown[name] = [widgets.money(v, cents="per pupil" in name) for v in frame[name]]
    shown["Performance share"] = [widgets.percent(v) for v in frame["Performance share"]]
    shown["Latest version"] = [str(v) for v in frame["Latest version"]]
    shown["Signed version"] = [signed_text(v) for v in frame["Signed version"]]
    return shown.drop(columns=["Last saved"]).rename(columns=SHORT)  # the CSV has the long names and times


def signed_text(version) -> str:
    return "none" if version is None or pd.isna(version) else str(int(version))


def overview_csv(frame: pd.DataFrame) -> bytes:
    """The overview for a spreadsheet: dollars to the cent (as the screen rounds them), the share in percent,
    times in UTC."""
    table = frame.copy()
    for name in OVERVIEW_MONEY:
        table[name] = [cents(v) for v in frame[name]]
    table = table.rename(columns={name: f"{name} ($)" for name in OVERVIEW_MONEY})
    table["Performance share"] = [round(v * 100, 4) for v in frame["Performance share"]]
    table = table.rename(columns={"Performance share": "Performance share (%)"})
    table["Signed version"] = [None if signed_text(v) == "none" else int(v) for v in frame["Signed version"]]
    table["Last saved"] = [when(v) for v in frame["Last saved"]]
    return table.to_csv(index=False).encode("utf-8")


def when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


# ---- a deal's history ---------------------------------------------------------------------------

def history_frame(history: list[VersionInfo]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Version": str(info.version), "Saved": when(info.created_at), "Author": info.author or "—",
        "Note": info.note or "—", "Signed": "yes" if info.signed else "",
        "Amends": f"signed version {info.amends}" if info.amends else "",
    } for info in history])


def version_label(info: VersionInfo) -> str:
    """'Version 3 (signed), 2026-05-01 14:03 UTC, by Ana: board draft' for pickers."""
    signed = " (signed)" if info.signed else ""
    by = f", by {info.author}" if info.author else ""
    note = f": {info.note}" if info.note else ""
    return f"Version {info.version}{signed}, {when(info.created_at)}{by}{note}"


# ---- two versions compared ------------------------------------------------------------------------

def money_frame(diff: DealDiff, v1: int, v2: int) -> pd.DataFrame:
    rows = []
    for name, label in MONEY_LABELS.items():
        if name not in diff.money:
            continue
        a, b = diff.money[name]
        cents = "per pupil" in label
        moved = b - a
        change = "no change" if round(moved, 2) == 0 else (
            ("+" if moved > 0 else "−") + widgets.money(abs(moved), cents=cents))
        rows.append({"Figure": label, f"Version {v1}": widgets.money(a, cents=cents),
                     f"Version {v2}": widgets.money(b, cents=cents), "Change": change})
    return pd.DataFrame(rows)


def changes_frame(diff: DealDiff, before, after) -> pd.DataFrame:
    """Every changed field by the label the pages use ('Rate card, row 2 (Math growth), weight')."""
    earlier, later = deal_to_dict(before), deal_to_dict(after)
    rows = [{"Field": field_label(change.path, later, earlier),
             "From": value_text(change.path, change.from_), "To": value_text(change.path, change.to)}
            for change in diff.changes]
    return pd.DataFrame(rows, columns=["Field", "From", "To"])


def field_label(path: str, data: dict, fallback: dict) -> str:
    """A field path as the pages name it; a row only one version has takes its name from that one."""
    text = messages.sentence(Problem(path, "x"), data)
    if "(" not in text and re.match(r"^\w+\[\d+\]", path):
        text = messages.sentence(Problem(path, "x"), fallback)
    return path if text == "X." else text.removesuffix(": X.")


def value_text(path: str, value) -> str:
    if value is None:
        return "—"
    field = path.rsplit(".", 1)[-1] if "." in path else path
    in_map = any(f".{name}." in f".{path}" or path.startswith(f"{name}.") for name in PERCENT_MAPS)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if field in PERCENT_FIELDS or in_map:
            return widgets.percent(value)
        if field in MONEY_FIELDS:
            return widgets.money(value, cents=True)
        return f"{value:,}"
    if field in ("basis", "base_basis") and isinstance(value, str):
        return {"fixed": "in full", "per_student": "per student served"}.get(value, value) \
            if field == "base_basis" else widgets.BASIS_LABELS.get(value, value)
    if isinstance(value, dict) and "name" in value:
        return f"{value['name']} (whole row)"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
