"""The results data template: the columns settle-up reads, lists on the flag and group columns, and
a filled-in copy settles with no column mapping to figures computed by hand."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.data_template import DICTIONARY_SHEET, RESULTS_SHEET, dictionary_rows, template_bytes
from obc_calc.io.dealfile import load_deal
from obc_calc.io.results_file import read_results

SAMPLES = Path(__file__).parents[2] / "sample_data"
MATH = load_deal(SAMPLES / "math_tutoring.json")
GROUPS = load_deal(SAMPLES / "student_groups_priced.json")


def filled(deal, rows: list[list]) -> bytes:
    """The template with `rows` typed under its header, as the provider and district would."""
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(deal)))
    sheet = book[RESULTS_SHEET]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def invoice(deal, data: bytes):
    results = read_results(data, "filled.xlsx", deal)  # no column mapping
    return settle(deal, results, SettleOptions(period="End of year", invoice_date=date(2027, 6, 30)))


def test_header_is_what_settle_up_reads():
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(GROUPS)))
    sheet = book[RESULTS_SHEET]
    assert [c.value for c in sheet[1]] == ["student_id", "served", "Dosage", "Reading growth",
                                           "Placement level gain", "group"]
    assert sheet.freeze_panes == "A2"
    assert book.sheetnames == [RESULTS_SHEET, DICTIONARY_SHEET]
    lists = {cells: v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"
             for cells in str(v.sqref).split()}
    # served and the flag outcome pick 1 or 0; the group column picks from the dictionary's list
    assert lists["B2:B1048576"] == lists["E2:E1048576"] == '"1,0"'
    assert lists["F2:F1048576"].startswith("'Data dictionary'!$A$")
    assert sheet.column_dimensions["C"].number_format == "0.00"  # Dosage is measured
    assert sheet.column_dimensions["A"].number_format == "@"  # ids stay text


def test_dictionary_says_who_supplies_each_column_and_its_threshold():
    rows = {row[0]: row for row in dictionary_rows(MATH)}
    assert list(rows) == ["student_id", "served", "Dosage", "Math growth", "Same tutor"]
    assert rows["Dosage"][2].startswith("The provider")
    assert rows["Math growth"][2].startswith("The district")
    assert "a value of at least 0.8 counts as achieved" in rows["Dosage"][4]
    assert rows["Same tutor"][3].startswith("1 (yes) or 0 (no)")
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(MATH)))
    sheet = book[DICTIONARY_SHEET]
    assert [c.value for c in sheet[1]] == ["Column", "What it holds", "Who supplies it", "Allowed values",
                                           "Threshold"]
    assert sheet.cell(4, 1).value == "Dosage"


def test_filled_template_settles_with_no_mapping():
    served = [1] * 8 + [0, 0]
    dosage = [0.95, 0.80, 0.79, 0.85, 0.60, 0.90, None, 0.81, 0.99, 0.99]
    growth = [1.2, 0.99, 1.0, 0.5, 1.5, None, 2.0, 0.3, 3.0, 3.0]
    tutor = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1]
    rows = [[f"{n:04d}", served[n - 1], dosage[n - 1], growth[n - 1], tutor[n - 1]] for n in range(1, 11)]
    bill = invoice(MATH, filled(MATH, rows))
    # By hand: pool = $1,775,000 x 0.528169014084507 = $937,500; base = $837,500, paid per student
    # served: $837,500 / 1,250 x 8 = $5,360.00.
    assert bill.students_served == 8 and bill.base_due == 5360.00
    lines = {line.name: line for line in bill.outcomes}
    # Dosage (25%, $234,375, $187.50 per achiever): 0.95, 0.80, 0.85, 0.90, 0.81 reach 0.8 -> 5 x 187.50
    assert lines["Dosage"].achievers == 5 and lines["Dosage"].payment == 937.50
    # Math growth (55%, $515,625, $412.50 each): 1.2, 1.0, 1.5, 2.0 reach 1.0 -> 4 x 412.50
    assert lines["Math growth"].achievers == 4 and lines["Math growth"].payment == 1650.00
    # Same tutor (20%, $187,500, linear from 50% to 90%): 6 of 8 -> 75% -> (0.75 - 0.5) / 0.4 = 62.5%
    assert lines["Same tutor"].rate == 0.75 and lines["Same tutor"].payment == 117187.50
    assert bill.total_due == 5360.00 + 937.50 + 1650.00 + 117187.50 == 125135.00


def test_filled_template_with_groups_settles_with_no_mapping():
    rows = [
        ["A1", 1, 0.9, 1.0, 1, "Students with disabilities"],
        ["A2", 1, 0.9, 0.2, 1, "English learners"],
        ["A3", 1, 0.9, 1.1, 0, None],  # blank: Other students
        ["A4", 1, 0.5, 1.3, 0, "Other students"],
    ]
    bill = invoice(GROUPS, filled(GROUPS, rows))
    # By hand: pool $450,000; base fixed $675,000. Unit price = allocation / (150 x 1.5 + 200 x 1.25
    # + 650 x 1) = allocation / 1,125: Dosage $112,500 -> $100 (x1.5 = $150, x1.25 = $125),
    # Reading growth $225,000 -> $200 ($300, $250).
    lines = {line.name: line for line in bill.outcomes}
    assert bill.base_due == 675000.00
    assert lines["Dosage"].payment == 150 + 125 + 100  # A4's 0.5 is below 0.8
    assert lines["Reading growth"].payment == 300 + 200 + 200  # A2's 0.2 is below 1.0
    # Placement level gain (linear 25% to 55%, $112,500): 2 of 4 -> (0.5 - 0.25) / 0.3 -> $93,750.00
    assert lines["Placement level gain"].payment == 93750.00
    assert bill.total_due == 675000 + 375 + 700 + 93750 == 769825.00


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_sample_template_reads_back(path):
    deal = load_deal(path)
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(deal)))
    header = [c.value for c in book[RESULTS_SHEET][1]]
    assert header[:2] == ["student_id", "served"] and header[2:2 + len(deal.outcomes)] == [
        o.name for o in deal.outcomes]


def test_names_that_look_like_formulas_stay_text():
    deal = MATH.model_copy(update={"outcomes": [
        MATH.outcomes[0].model_copy(update={"name": "=SUM(A1)"}),
        MATH.outcomes[1].model_copy(update={"name": "+growth"}),
        MATH.outcomes[2].model_copy(update={"name": "@tutor"}),
    ]})
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(deal)))
    places = ((book[RESULTS_SHEET], ["C1", "D1", "E1"]), (book[DICTIONARY_SHEET], ["A4", "A5", "A6"]))
    for sheet, cells in places:
        values = [sheet[c].value for c in cells]
        assert values == ["=SUM(A1)", "+growth", "@tutor"]
        assert all(sheet[c].data_type == "s" and sheet[c].quotePrefix for c in cells)
    rows = [["1", 1, 0.9, 1.0, 1]]
    bill = invoice(deal, filled(deal, rows))
    assert [line.name for line in bill.outcomes] == ["=SUM(A1)", "+growth", "@tutor"]
