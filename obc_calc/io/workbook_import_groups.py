"""A budget workbook's student groups, bands and band shares, and each scenario's rates and shares,
read back (obc_calc.io.workbook_import reads the rest, with the same reader).

A cell still holding the formula the export wrote to follow another cell (obc_calc.io.workbook_groups)
is "not set". Shares come as a list: a list some of whose cells follow is completed with what those
cells show (the followed shares), so the deal pays what the workbook showed.
"""

from __future__ import annotations

import re

from openpyxl.utils import column_index_from_string as _index
from openpyxl.utils import get_column_letter

from obc_calc.core.bases import BASES
from obc_calc.core.groups import OTHER_STUDENTS
from obc_calc.io.ratecard import is_blank
from obc_calc.io.workbook_layout import (
    GROUP_MULTIPLIER_ROW,
    GROUP_NAME_ROW,
    GROUP_STUDENTS_ROW,
    GROUPS,
    RATE_CARD,
    SCENARIOS,
    band_headers,
    follow_unless_given,
    group_rate_header,
    group_share_header,
    scenario_header,
)
from obc_calc.io.workbook_notes import BASE_BASIS_LABELS, DATA_SOURCE_LABELS
from obc_calc.io.xlsx_reader import short

EVERY_SHARE = "give a share for every band (0% for none), or leave every band's share blank"


# The Basis and Base basis cells hold labels; the codes (as older workbooks hold them) are read too.
BASIS_CODES = {key.casefold(): name for name, b in BASES.items() for key in (name, b.label)}
SOURCE_CODES = {k.casefold(): name for name, words in DATA_SOURCE_LABELS.items() for k in (name, words)}
BASE_BASIS_CODES = {k.casefold(): name for name, words in BASE_BASIS_LABELS.items() for k in (name, words)}


def code(value, codes: dict[str, str]):
    """A basis as the deal names it, from the plain label the workbook shows (or the code itself, as
    workbooks made before the labels hold it); anything else as typed, for the deal's checks to name."""
    if not isinstance(value, str):
        return value
    return codes.get(" ".join(value.split()).casefold(), value.strip())


def base_basis_code(value):
    return code(value, BASE_BASIS_CODES)


def outcome_text(field: str, value):
    """A Rate Card text cell as the deal holds it: a basis or data source by its code, the rest as typed."""
    codes = {"basis": BASIS_CODES, "data_source": SOURCE_CODES}.get(field)
    return code(value, codes) if codes else value


def plain(formula: str) -> str:
    """A formula as compared with the one the export wrote: without spaces or $, in capitals."""
    return re.sub(r"[\s$]", "", formula).upper()


def where_at(sheet: str, row: int, column: str) -> str:
    return f"sheet {sheet}, row {row}, column {column}"


def _rc_cell(letter: str, row: int) -> str:
    return f"'{RATE_CARD}'!{letter}{row}"


def read_groups(reader, ws) -> list[dict]:
    """The named groups, one a column from B, up to "Other students" (which the deal derives)."""
    groups = []
    for column in range(2, ws.max_column + 1):
        name = ws.value(GROUP_NAME_ROW, column)
        if is_blank(name) or str(name).strip() == OTHER_STUDENTS:
            break
        letter, i = get_column_letter(column), len(groups)
        group = {"name": str(name).strip()}
        reader.places[f"student_groups[{i}].name"] = where_at(GROUPS, GROUP_NAME_ROW, letter)
        for row, key, kind in ((GROUP_STUDENTS_ROW, "students", "count"),
                               (GROUP_MULTIPLIER_ROW, "price_multiplier", "number")):
            where = where_at(GROUPS, row, f"{letter} ({group['name']})")
            reader.places[f"student_groups[{i}].{key}"] = where
            value = reader.typed(reader.value(ws, row, column, where), kind, where)
            if value is not None:
                group[key] = value
            elif not reader.reported(where):
                reader.complain(where, "this cell is blank; every group needs it")
        groups.append(group)
    reader.places["student_groups"] = f"sheet {GROUPS}, row {GROUP_STUDENTS_ROW}"
    return groups


def _shares(reader, values: list, blanks: list[str], fallback: list[float] | None) -> list[float] | None:
    """A list of shares: None when no cell gives one, else the cells completed by `fallback` (None:
    every cell must give a share, and each blank one is reported)."""
    if all(v is None for v in values):
        return None
    if fallback is None and None in values:
        for value, where in zip(values, blanks, strict=True):
            if value is None and not reader.reported(where):
                reader.complain(where, EVERY_SHARE)
        return None
    return [fallback[b] if v is None else v for b, v in enumerate(values)]


def rate_card_extras(reader, ws, row: int, index: int, headers: dict, groups: list[str]) -> dict:
    """One Rate Card row's group rates, bands, expected band shares and group band shares."""
    letters = {h: get_column_letter(c) for h, c in headers.items()}
    path, out = f"outcomes[{index}]", {}

    def read(header: str, follows: str | None = None, key: str | None = None):
        where = where_at(RATE_CARD, row, header)
        if key:
            reader.places[f"{path}.{key}"] = where
        return reader.typed(reader.value(ws, row, headers[header], where, follows), "number", where)

    rates = {}
    for group in (g for g in groups if group_rate_header(g) in headers):
        rate = read(group_rate_header(group), plain(f"={letters['Expected rate']}{row}"),
                    f"group_expected_rates.{group}")
        if rate is not None:
            rates[group] = rate
    slots = [s for s in range(1, len(headers)) if band_headers(s)[1] in headers]
    bands, used = [], []
    for slot in slots:
        start, pays, share = band_headers(slot)
        k = len(bands)
        payout, min_value = read(pays, key=f"bands[{k}].payout"), read(start, key=f"bands[{k}].min_value")
        if payout is not None:
            bands.append({"min_value": min_value, "payout": payout})
            used.append(slot)
        elif min_value is not None or not is_blank(ws.value(row, headers[share])):
            reader.complain(where_at(RATE_CARD, row, pays), "a band needs its payout (0% for none)")
    if used:
        reader.places[f"{path}.bands"] = where_at(RATE_CARD, row, band_headers(used[0])[0])
        out["bands"] = bands
        share_cells = [band_headers(s)[2] for s in used]
        reader.places[f"{path}.expected_band_shares"] = where_at(RATE_CARD, row, share_cells[0])
        expected = _shares(reader, [read(h) for h in share_cells],
                           [where_at(RATE_CARD, row, h) for h in share_cells], None)
        if expected is not None:
            out["expected_band_shares"] = expected
        by_group = {}
        for group in (g for g in groups if group_share_header(used[0], g) in headers):
            cells = [group_share_header(s, group) for s in used]
            reader.places[f"{path}.group_band_shares.{group}"] = where_at(RATE_CARD, row, cells[0])
            values = [read(h, plain(f"={letters[band_headers(s)[2]]}{row}"))
                      for s, h in zip(used, cells, strict=True)]
            shares = _shares(reader, values, [], expected or [0.0] * len(used))
            if shares is not None:
                by_group[group] = shares
        if by_group:
            out["group_band_shares"] = by_group
    return out | ({"group_expected_rates": rates} if rates else {})


def scenario_columns(reader, ws, served_col: int, outcomes: list[dict], groups: list[str]) -> dict:
    """Each Scenarios input column by its header: (outcome index, group or None, band or None)."""
    known = {}
    for j, outcome in enumerate(outcomes):
        name, bands = outcome.get("name"), range(1, len(outcome.get("bands", [])) + 1)
        for group in (None, *groups):
            keys = [(j, group, b) for b in bands] if bands else [(j, group, None)]
            known |= {scenario_header(name, group, band): (j, group, band) for j, group, band in keys}
    columns = {}
    for column in range(2, served_col):
        header = ws.value(1, column)
        if header in known:
            columns[known[header]] = get_column_letter(column)
        else:
            reader.complain(where_at(SCENARIOS, 1, short(header)),
                            "no outcome on the Rate Card has this name; rename the column to match one")
    return columns


class ScenarioRow:
    """One Scenarios row's inputs, read outcome by outcome into the scenario's mappings."""

    def __init__(self, reader, ws, row: int, index: int, columns: dict, rc_letters: dict[str, str]):
        self.reader, self.ws, self.row, self.path = reader, ws, row, f"scenarios[{index}]"
        self.columns, self.rc_letters = columns, rc_letters
        self.found = {"rates": {}, "group_rates": {}, "band_shares": {}, "group_band_shares": {}}

    def cell(self, key: tuple, header: str, path: str, follows: str | None):
        letter = self.columns.get(key)
        if letter is None:
            return None
        where = where_at(SCENARIOS, self.row, header)
        self.reader.places.setdefault(f"{self.path}.{path}", where)
        value = self.reader.value(self.ws, self.row, _index(letter), where, follows and plain(follows))
        return self.reader.typed(value, "number", where)

    def rc(self, header: str, j: int) -> str:
        return _rc_cell(self.rc_letters.get(header, "?"), 2 + j)

    def read(self, outcomes: list[dict], groups: list[str]) -> dict:
        for j, outcome in enumerate(outcomes):
            if outcome.get("bands"):
                self._shares(j, outcome, groups)
            else:
                self._rates(j, outcome, groups)
        return {key: value for key, value in self.found.items() if value or key == "rates"}

    def _rates(self, j: int, outcome: dict, groups: list[str]) -> None:
        name = outcome.get("name")
        own = self.columns.get((j, None, None), "?")
        rate = self.cell((j, None, None), name, f"rates.{name}", f"={self.rc('Expected rate', j)}")
        if rate is not None:
            self.found["rates"][name] = rate
        for group in groups:
            follows = follow_unless_given(f"{own}{self.row}", self.rc(group_rate_header(group), j))
            header = scenario_header(name, group)
            rate = self.cell((j, group, None), header, f"group_rates.{name}.{group}", follows)
            if rate is not None:
                self.found["group_rates"].setdefault(name, {})[group] = rate

    def _shares(self, j: int, outcome: dict, groups: list[str]) -> None:
        name, bands = outcome.get("name"), range(1, len(outcome["bands"]) + 1)
        expected = outcome.get("expected_band_shares") or [0.0] * len(bands)
        wheres = [where_at(SCENARIOS, self.row, scenario_header(name, band=b)) for b in bands]
        values = [self.cell((j, None, b), scenario_header(name, band=b), f"band_shares.{name}",
                            None if groups else f"={self.rc(band_headers(b)[2], j)}") for b in bands]
        overall = _shares(self.reader, values, wheres, None if groups else expected)
        if overall is not None:
            self.found["band_shares"][name] = overall
        for group in groups:
            own = [f"{self.columns.get((j, None, b), '?')}{self.row}" for b in bands]
            path = f"group_band_shares.{name}.{group}"
            values = [self.cell((j, group, b), scenario_header(name, group, b), path,
                                follow_unless_given(own[b - 1], self.rc(group_share_header(b, group), j)))
                      for b in bands]
            fallback = overall or (outcome.get("group_band_shares") or {}).get(group) or expected
            shares = _shares(self.reader, values, [], fallback)
            if shares is not None:
                self.found["group_band_shares"].setdefault(name, {})[group] = shares
