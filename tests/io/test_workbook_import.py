"""Budget workbooks back into deals: round trips, edits made in Excel, and bad files."""

from __future__ import annotations

import math
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from obc_calc.cli import main
from obc_calc.core.errors import DealError
from obc_calc.core.model import BASES, BASIS_FIELDS, RESERVED_OUTCOME_NAMES, RESERVED_SCENARIO_NAMES, name_key
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.io.workbook import workbook_bytes
from obc_calc.io.workbook_import import deal_from_workbook
from tests.io.test_workbook import EL, SWD, grouped_deal

ROOT = Path(__file__).resolve().parents[2]
DEALS = sorted((ROOT / "sample_data").glob("*.json")) + [ROOT / "tests" / "data" / "example_deal.json"]
EXAMPLE = ROOT / "tests" / "data" / "example_deal.json"
HYPERLINK = '=HYPERLINK("http://x","y")'


def edited(deal, change) -> bytes:
    """The deal's workbook after `change(wb)` edits it, as Excel would save it."""
    wb = load_workbook(BytesIO(workbook_bytes(deal)))
    change(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def problems(data: bytes) -> list[str]:
    with pytest.raises(DealError) as caught:
        deal_from_workbook(data, "deal.xlsx")
    return caught.value.lines()


@pytest.mark.parametrize("path", DEALS, ids=lambda p: p.stem)
def test_round_trip(path):
    deal = load_deal(path)
    assert deal_to_dict(deal_from_workbook(workbook_bytes(deal), "x.xlsx")) == deal_to_dict(deal)


def test_round_trip_keeps_formula_like_names():
    data = deal_to_dict(load_deal(EXAMPLE))
    data["name"] = HYPERLINK
    data["outcomes"][3]["name"] = HYPERLINK
    data["scenarios"][0]["rates"][HYPERLINK] = data["scenarios"][0]["rates"].pop("Same tutor")
    data["scenarios"][1]["rates"][HYPERLINK] = data["scenarios"][1]["rates"].pop("Same tutor")
    data["scenarios"][3]["rates"][HYPERLINK] = data["scenarios"][3]["rates"].pop("Same tutor")
    data["scenarios"][2]["name"] = "-fewer"
    data["commitments"][0]["description"] = "=1+2"
    deal = deal_from_dict(data)
    assert deal_to_dict(deal_from_workbook(workbook_bytes(deal))) == data


def test_edits_made_in_the_workbook_come_back(tmp_path):
    deal = load_deal(EXAMPLE)

    def change(wb):
        wb["Summary"]["B10"] = 1500000  # Total cost (not-to-exceed)
        wb["Rate Card"]["H2"] = 0.8  # Dosage's expected rate
        wb["Rate Card"]["I3"] = 900  # Math growth: eligible students, was following all students
        wb["Scenarios"]["C5"] = 0.6  # Fewer students: Math growth was following its expected rate
        wb["Scenarios"]["F5"] = 900  # students served
        wb["Scenarios"]["G3"] = "No"  # Low: commitments missed
        wb["Notes"].cell(wb["Notes"].max_row + 1, 1, "Share data")

    path = tmp_path / "edited.xlsx"
    path.write_bytes(edited(deal, change))
    got = deal_from_workbook(path)
    assert got.total_cost == 1500000 and got.outcomes[0].expected_rate == 0.8
    assert got.outcomes[1].eligible_students == 900
    fewer = got.scenarios[2]
    assert fewer.rates == {"Dosage": 0.75, "Math growth": 0.6} and fewer.students_served == 900
    assert got.scenarios[0].commitments_met is False
    assert [c.name for c in got.commitments] == ["Schedule three sessions a week", "Share data"]
    # Cells left following their defaults stay unset.
    assert got.outcomes[0].eligible_students is None and got.scenarios[0].students_served is None


def test_basis_cells_hold_labels_and_read_back_as_codes():
    """The Basis, Data source and Base basis cells show the app's words; the import reads the words,
    and the codes a workbook made before the words holds, in any case and spacing."""
    deal = load_deal(EXAMPLE)
    wb = load_workbook(BytesIO(workbook_bytes(deal)))
    assert [wb["Rate Card"][f"F{r}"].value for r in range(2, 6)] == [
        "per student", "cohort threshold", "tiered", "graduated (linear)"]
    assert wb["Summary"]["B12"].value == "per student served"

    def change(wb):
        wb["Rate Card"]["F2"] = "per_student"  # the code, as older workbooks hold it
        wb["Rate Card"]["F3"] = "  Cohort   Threshold "
        wb["Rate Card"]["E5"] = "third party"
        wb["Summary"]["B12"] = "In full"

    got = deal_from_workbook(edited(deal, change))
    assert [o.basis for o in got.outcomes] == ["per_student", "cohort_threshold", "tiered", "linear"]
    assert got.outcomes[3].data_source == "third_party" and got.base_basis == "fixed"


def test_tiers_added_in_the_workbook():
    deal = load_deal(EXAMPLE)

    def change(wb):
        ws = wb["Rate Card"]
        headers = [c.value for c in ws[1]]
        ws.cell(4, headers.index("Tier 3 from") + 1, 0.4)
        ws.cell(4, headers.index("Tier 3 pays") + 1, 1.0)
        ws.cell(4, headers.index("Tier 2 pays") + 1, 0.75)

    tiers = deal_from_workbook(edited(deal, change)).outcomes[2].tiers
    assert [(t.min_rate, t.payout) for t in tiers] == [(0.2, 0.5), (0.3, 0.75), (0.4, 1.0)]


def test_not_a_workbook():
    assert problems(b"name,weight\nDosage,1\n") == [
        "deal.xlsx: cannot read the file: it is not an Excel workbook (.xlsx)"]


def test_missing_sheet():
    def change(wb):
        del wb["Notes"]

    assert problems(edited(load_deal(EXAMPLE), change)) == [
        "deal.xlsx: sheet Notes: this sheet is missing (is this a budget workbook?)"]


def test_missing_column():
    def change(wb):
        wb["Rate Card"].delete_cols(7)  # Weight

    assert problems(edited(load_deal(EXAMPLE), change)) == [
        "deal.xlsx: sheet Rate Card, row 1: there is no column 'Weight'"]


def test_bad_values_name_sheet_row_and_column():
    def change(wb):
        wb["Rate Card"]["G3"] = "lots"  # Math growth's weight
        wb["Rate Card"]["H4"] = 1.5  # Proficiency's expected rate
        wb["Rate Card"]["F5"] = "straight line"  # Same tutor's basis
        wb["Scenarios"]["G4"] = "maybe"
        wb["Summary"]["B9"] = "many"  # Students

    lines = problems(edited(load_deal(EXAMPLE), change))
    assert "deal.xlsx: sheet Rate Card, row 3, column Weight: expected a number, got 'lots'" in lines
    assert "deal.xlsx: sheet Scenarios, row 4, column Commitments met: write Yes or No (got 'maybe')" in lines
    assert "deal.xlsx: sheet Summary, row 9, column B (Students): expected a number, got 'many'" in lines
    assert any(x.startswith("deal.xlsx: sheet Rate Card, row 4, column Expected rate: input should be less")
               for x in lines)
    basis = "deal.xlsx: sheet Rate Card, row 5, column Basis: input should be"
    assert any(x.startswith(basis) for x in lines)
    assert len(lines) == len(set(lines))


def test_weights_and_rates_checked_at_their_cells():
    def change(wb):
        wb["Rate Card"]["G2"] = 0.5  # weights now add to 1.25
        wb["Scenarios"]["F5"] = 5000

    lines = problems(edited(load_deal(EXAMPLE), change))
    assert "deal.xlsx: sheet Rate Card, column Weight: the weights add up to 125%, not 100%" in lines
    assert ("deal.xlsx: sheet Scenarios, row 5, column Students served: 5000 students served is more than "
            "the deal's 1000") in lines


def test_formula_without_a_saved_value():
    def change(wb):
        wb["Rate Card"]["G2"] = "=0.25"  # openpyxl saves no value with it; Excel would

    assert problems(edited(load_deal(EXAMPLE), change)) == [
        "deal.xlsx: sheet Rate Card, row 2, column Weight: this cell holds a formula with no saved value; "
        "open the file in Excel and save it again, or type the value itself"]


def test_a_column_filled_down_in_excel_still_follows():
    """Excel saves a filled-down column as one shared formula: written in its first cell, referred to in
    the rest. Those cells follow their defaults as the export wrote them, one formula a cell."""
    deal = load_deal(EXAMPLE)
    with zipfile.ZipFile(BytesIO(workbook_bytes(deal))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    following = re.compile(rb'(<c r="F[2-6]"[^>]*>)<f>Students</f>')  # students served: all of them
    cells = following.findall(members["xl/worksheets/sheet3.xml"])
    assert len(cells) == 4
    shared = iter([b'<f t="shared" ref="F2:F6" si="0">Students</f>'] + [b'<f t="shared" si="0"/>'] * 3)
    members["xl/worksheets/sheet3.xml"] = following.sub(lambda m: m[1] + next(shared),
                                                        members["xl/worksheets/sheet3.xml"])
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    assert deal_to_dict(deal_from_workbook(out.getvalue())) == deal_to_dict(deal)


def test_renamed_outcome_header():
    def change(wb):
        wb["Scenarios"]["B1"] = "Attendance"

    assert problems(edited(load_deal(EXAMPLE), change)) == [
        "deal.xlsx: sheet Scenarios, row 1, column Attendance: no outcome on the Rate Card has this name; "
        "rename the column to match one"]


def test_cli_export_and_import(tmp_path, capsys):
    xlsx, back = tmp_path / "deal.xlsx", tmp_path / "back.json"
    assert main(["export", str(EXAMPLE), "-o", str(xlsx)]) == 0
    assert main(["import", str(xlsx), "-o", str(back)]) == 0
    assert deal_to_dict(load_deal(back)) == deal_to_dict(load_deal(EXAMPLE))


def test_cli_bad_workbook_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["import", str(bad), "-o", str(tmp_path / "out.json")]) == 2
    assert capsys.readouterr().err == f"{bad}: cannot read the file: it is not an Excel workbook (.xlsx)\n"
    assert not (tmp_path / "out.json").exists()


# A name must hold more than spaces, and names are told apart ignoring case and spacing.
NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12).filter(str.strip)
RESERVED_OUTCOME_KEYS = {name_key(n) for n in RESERVED_OUTCOME_NAMES}
RESERVED_SCENARIO_KEYS = {name_key(n) for n in RESERVED_SCENARIO_NAMES}
RATES = st.floats(0.0, 1.0)


OTHER = "Other students"


@st.composite
def bands(draw) -> list[dict]:
    """Two to four bands: values rising (the first may take any value), payouts never falling, the
    last paying 100%."""
    n = draw(st.integers(2, 4))
    starts = sorted(draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n, unique=True)))
    payouts = sorted(draw(st.lists(st.floats(-1, 1), min_size=n - 1, max_size=n - 1))) + [1.0]
    # A first band taking money back takes it from any value, or students below it would pay more.
    any_value = payouts[0] < 0 or draw(st.booleans())
    first = [{"payout": payouts[0]} if any_value else {"min_value": starts[0], "payout": payouts[0]}]
    return first + [{"min_value": v, "payout": p} for v, p in zip(starts[1:], payouts[1:], strict=True)]


def shares_for(draw, count: int) -> list[float]:
    return draw(st.lists(st.floats(0.0, 1 / count), min_size=count, max_size=count))


@st.composite
def student_groups(draw) -> list[dict]:
    names = draw(st.lists(NAMES.map(str.strip).filter(lambda n: name_key(n) != name_key(OTHER)), max_size=2,
                          unique_by=name_key))
    return [{"name": n, "students": draw(st.integers(1, 40)), "price_multiplier": draw(st.floats(0.5, 3.0))}
            for n in names]


def some(draw, names: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(names), unique=True)) if names else []


def filled(mapping: dict) -> dict:
    """Without empty inner mappings: they say nothing, and a workbook has no cell for them."""
    return {k: v for k, v in mapping.items() if v}


@st.composite
def outcome(draw, name: str, count: int, groups: list[str]) -> dict:
    basis = draw(st.sampled_from(BASES))
    fields = BASIS_FIELDS[basis]  # the fields each basis reads, so a new basis is covered too
    found = {"name": name, "basis": basis, "weight": 1 / count, "expected_rate": draw(RATES),
             "metric": draw(st.text(max_size=8).filter(lambda t: not any(ord(c) < 32 for c in t)))}
    if "target_rate" in fields:
        found["target_rate"] = draw(st.floats(0.5, 1.0))
    if "floor_rate" in fields and draw(st.booleans()):
        found["floor_rate"] = draw(st.floats(0.0, 0.49))
    if "tiers" in fields:
        found["tiers"] = [{"min_rate": 0.1, "payout": 0.5}, {"min_rate": draw(st.floats(0.2, 1.0)),
                                                            "payout": 1.0}][: draw(st.integers(1, 2))]
    if "bands" in fields:
        found["bands"] = draw(bands())
        n = len(found["bands"])
        if draw(st.booleans()):
            found["expected_band_shares"] = shares_for(draw, n)
        found["group_band_shares"] = {g: shares_for(draw, n) for g in some(draw, groups)}
    elif groups:
        found["group_expected_rates"] = {g: draw(RATES) for g in some(draw, groups)}
    if draw(st.booleans()) and not (groups and basis in ("per_student", "per_student_banded")):
        found["eligible_students"] = draw(st.integers(1, 100))
    if draw(st.booleans()):
        found["paid_in_month"] = draw(st.integers(1, 10))
    return {k: v for k, v in found.items() if v != {}}


@st.composite
def scenario(draw, name: str, outcomes: list[dict], groups: list[str]) -> dict:
    rated = [o["name"] for o in outcomes if "bands" not in o]
    banded = {o["name"]: len(o["bands"]) for o in outcomes if "bands" in o}
    found = {"name": name, "rates": {o: draw(RATES) for o in some(draw, rated)},
             "commitments_met": draw(st.booleans()),
             "band_shares": {o: shares_for(draw, banded[o]) for o in some(draw, list(banded))}}
    if groups:
        found["group_rates"] = filled({o: {g: draw(RATES) for g in some(draw, groups)}
                                       for o in some(draw, rated)})
        found["group_band_shares"] = filled({o: {g: shares_for(draw, banded[o]) for g in some(draw, groups)}
                                             for o in some(draw, list(banded))})
    return {k: v for k, v in found.items() if k in ("name", "rates", "commitments_met") or v}


@st.composite
def deals(draw):
    """Valid deals of every basis, with student groups and bands, and any printable text a user might
    type as a name."""
    names = draw(st.lists(NAMES.filter(lambda n: name_key(n) not in RESERVED_OUTCOME_KEYS), min_size=1,
                          max_size=4, unique_by=name_key))
    names = [n.strip() for n in names]  # as the deal keeps them, so scenario mappings name them so
    groups = draw(student_groups())
    group_names = [g["name"] for g in groups] + ([OTHER] if groups else [])
    outcomes = [draw(outcome(n, len(names), group_names)) for n in names]
    outcomes[-1]["weight"] = 1 - sum(o["weight"] for o in outcomes[:-1])
    scenario_names = draw(st.lists(NAMES.filter(lambda n: name_key(n) not in RESERVED_SCENARIO_KEYS),
                                   max_size=3, unique_by=name_key))
    return deal_from_dict({
        "schema_version": 1, "name": draw(NAMES), "district": draw(NAMES), "students": 100,
        "total_cost": draw(st.floats(1.0, 1e9)), "performance_share": draw(RATES),
        "base_basis": draw(st.sampled_from(["fixed", "per_student"])), "term": {"months": 10},
        "commitments": [{"name": draw(NAMES), "description": draw(NAMES)}],
        "student_groups": groups, "max_penalty": draw(st.sampled_from([0.0, 1000.0, 2.5e6])),
        "outcomes": outcomes, "scenarios": [draw(scenario(s, outcomes, group_names)) for s in scenario_names],
    })


def same(a, b) -> bool:
    """Equal, numbers to 15 significant digits: openpyxl writes 16 (Excel shows 15)."""
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-15, abs_tol=1e-300)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=40, deadline=None)
@given(deals())
def test_any_deal_round_trips(deal):
    back = deal_to_dict(deal_from_workbook(workbook_bytes(deal)))
    assert same(back, deal_to_dict(deal)), (back, deal_to_dict(deal))


# ---------------------------------------------------------------- student groups and bands

def at(ws, header: str, row: int):
    """The cell in `row` under `header` (row 1)."""
    return ws.cell(row, next(c.column for c in ws[1] if c.value == header))


def test_edits_to_groups_and_bands_come_back():
    deal = grouped_deal()  # scenarios from row 3: groups given, overall given, ..., all decline (row 6)

    def change(wb):
        wb["Student Groups"]["C3"] = 2.0  # English learners' multiplier, was 1.25
        card, scenarios = wb["Rate Card"], wb["Scenarios"]
        at(card, f"Expected rate: {EL}", 3).value = 0.35  # cohort: English learners, was following 45%
        at(card, "Band 2 pays", 6).value = 0.1  # the banded outcome's second band, was 0%
        at(scenarios, "per_student outcome", 3).value = 0.65  # groups given: the overall rate, was blank
        at(scenarios, f"linear outcome: {EL}", 6).value = 0.5  # all decline: was following the overall 0%
        at(scenarios, f"per_student_banded outcome: {SWD}: band 1 share", 3).value = 0.0  # was following

    got = deal_from_workbook(edited(deal, change))
    assert got.student_groups[1].price_multiplier == 2.0
    assert got.outcomes[1].group_expected_rates == {"Other students": 0.7, EL: 0.35}
    assert [b.payout for b in got.outcomes[4].bands] == [-0.25, 0.1, 0.5, 1.0]
    groups_given, decline = got.scenarios[0], got.scenarios[3]
    assert groups_given.rates == {"cohort_threshold outcome": 0.55, "per_student outcome": 0.65}
    assert decline.group_rates == {"linear outcome": {EL: 0.5}}
    # The typed share completes the list with what the other cells showed: this group's own expected
    # shares, 30%, 30%, 10% (the scenario gives no overall shares).
    assert groups_given.group_band_shares["per_student_banded outcome"] == {
        EL: [0.5, 0.5, 0.0, 0.0], SWD: [0.0, 0.3, 0.3, 0.1]}


def test_a_share_typed_over_a_following_cell_completes_the_list():
    deal = deal_from_dict({
        "schema_version": 1, "name": "Bands", "students": 500, "total_cost": 200_000,
        "performance_share": 0.5,
        "outcomes": [{"name": "Growth", "basis": "per_student_banded",
                      "expected_band_shares": [0.1, 0.3, 0.4, 0.2],
                      "bands": [{"payout": -0.25}, {"min_value": 0, "payout": 0.0},
                                {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}]}],
        "scenarios": [{"name": "Weaker"}],
    })

    def change(wb):
        at(wb["Scenarios"], "Growth: band 3 share", 3).value = 0.1

    # The typed 10% and the expected 10%, 30% and 20% the other cells showed.
    shares = deal_from_workbook(edited(deal, change)).scenarios[0].band_shares
    assert shares == {"Growth": [0.1, 0.3, 0.1, 0.2]}


def test_a_workbook_made_before_max_penalty_reads_it_as_zero():
    def change(wb):
        ws = wb["Summary"]
        ws.delete_rows(next(c.row for c in ws["A"] if c.value == "Most penalties can take back"))

    assert deal_from_workbook(edited(grouped_deal(), change)).max_penalty == 0


def test_group_and_band_problems_name_their_cells():
    def change(wb):
        wb["Student Groups"]["B2"] = None  # disabilities: students
        wb["Student Groups"]["C3"] = "lots"  # English learners: multiplier
        at(wb["Scenarios"], "per_student_banded outcome: band 2 share", 3).value = 0.5  # one of four

    every = "give a share for every band (0% for none), or leave every band's share blank"
    lines = problems(edited(grouped_deal(), change))
    assert lines == [
        f"deal.xlsx: sheet Student Groups, row 2, column B ({SWD}): this cell is blank; every group needs it",
        f"deal.xlsx: sheet Student Groups, row 3, column C ({EL}): expected a number, got 'lots'",
        *[f"deal.xlsx: sheet Scenarios, row 3, column per_student_banded outcome: band {b} share: {every}"
          for b in (1, 3, 4)],
    ]


def test_the_deals_band_rules_name_the_band_cell():
    def change(wb):
        at(wb["Rate Card"], "Band 3 pays", 6).value = -0.5  # falls below band 2's 0%

    assert problems(edited(grouped_deal(), change)) == [
        "deal.xlsx: sheet Rate Card, row 6, column Band 3 pays: payouts may not fall: -50% is below the "
        "previous 0%"]


def test_groups_over_the_deals_students_named_at_the_groups_row():
    def change(wb):
        wb["Student Groups"]["B2"] = 900  # with 200 English learners: 1,100 of 1,000 students

    assert problems(edited(grouped_deal(), change)) == [
        "deal.xlsx: sheet Student Groups, row 2: the groups hold 1,100 students, more than the deal's 1,000"]
