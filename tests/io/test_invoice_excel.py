"""The Excel invoice: recalculated by a formula engine it equals the invoice to the cent (a
per-student line pays its price per achiever, up to its allocation), every figure is a formula over
the Students sheet, and user text is never run as a formula."""

import io
from datetime import date
from pathlib import Path

import formulas
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from obc_calc.core.money import cents
from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.dealfile import load_deal
from obc_calc.io.invoice_excel import COL, OUTCOME_HEADER_ROW, ROW, invoice_workbook
from obc_calc.io.results_file import ReadOptions, read_results
from tests.core.test_settle_groups import DECLINE, RESULTS, banded_only, grouped_deal
from tests.helpers import make_deal
from tests.io.test_workbook import every_basis_deal

DATA = Path(__file__).parents[1] / "data"
EXAMPLE_DEAL = load_deal(DATA / "example_deal.json")
DAY = date(2027, 6, 30)


def build(deal, data: bytes, read=None, **options):
    results = read_results(data, "results.csv", deal, read or ReadOptions())
    invoice = settle(deal, results, SettleOptions(period="End of year", invoice_date=DAY, **options))
    return invoice, invoice_workbook(deal, invoice, results)


def recalculate(workbook: bytes, tmp_path) -> dict[str, object]:
    """Every Invoice cell as the formula engine computes it, keyed like 'B21'."""
    path = tmp_path / "invoice.xlsx"
    path.write_bytes(workbook)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    cells = {}
    for key, value in solution.items():
        sheet, _, ref = key.rpartition("!")
        if sheet.upper().endswith("INVOICE'") and ":" not in ref:
            cells[ref] = value.value[0][0]
    return cells


def cell(cells, name: str, row: int):
    """An outcome row's figure by its column name; a blank cell is None."""
    value = cells.get(f"{COL[name]}{row}")
    return None if value is None or isinstance(value, formulas.functions.XlError) or value == "" else value


def assert_matches(invoice, cells, deal):
    first = OUTCOME_HEADER_ROW + 1
    last = OUTCOME_HEADER_ROW + len(deal.outcomes)
    assert cells[f"B{ROW['served']}"] == invoice.students_served
    assert cells[f"B{ROW['in_file']}"] == invoice.students_in_file
    for row, line in enumerate(invoice.outcomes, start=first):
        assert cell(cells, "Outcome", row) == line.name
        assert cell(cells, "Missing", row) == line.missing
        assert cell(cells, "Eligible", row) == line.eligible
        assert cell(cells, "Achievers", row) == line.achievers
        assert cell(cells, "Rate", row) == pytest.approx(line.rate, abs=1e-15)
        # Excel adds the weights with SUM, the core with fsum: the last bit may differ, never a cent.
        price = cell(cells, "Price per achiever", row)
        assert price == line.price if line.price is None else price == pytest.approx(line.price, rel=1e-12)
        assert cell(cells, "Payment", row) == line.payment  # both rounded to the cent: equal exactly
    assert cells[f"B{last + 2}"] == invoice.base_due
    assert cells[f"B{last + 3}"] == invoice.performance_due
    assert cells[f"B{last + 4}"] == invoice.total_due


@pytest.mark.parametrize("options", [
    {},
    {"missing": "not_achieved"},
    {"commitments_met": False},
])
def test_example_workbook_equals_invoice(tmp_path, options):
    invoice, workbook = build(EXAMPLE_DEAL, (DATA / "results_example.csv").read_bytes(), **options)
    cells = recalculate(workbook, tmp_path)
    assert_matches(invoice, cells, EXAMPLE_DEAL)


def every_basis_results(achieving: int, students: int = 100, missing: int = 0) -> bytes:
    """Every outcome met by the first `achieving` of `students` served students; the last `missing`
    have no values; three more are not served."""
    names = [o.name for o in every_basis_deal().outcomes]
    rows = [",".join(["student_id", "served", *names])]
    for i in range(students):
        value = "" if i >= students - missing else "1" if i < achieving else "0"
        rows.append(",".join([f"S{i}", "1", *[value] * len(names)]))
    rows += [",".join([f"X{i}", "0", *["1"] * len(names)]) for i in range(3)]
    return ("\n".join(rows) + "\n").encode()


# Achievers out of 100: nothing, below, at and above each edge of the generated deal (floor 20%,
# tiers from 30%, 50% and 70%, target 50%), everyone; then rates that are not whole percents.
@pytest.mark.parametrize(("achieving", "missing", "options"), [
    (0, 0, {}), (20, 0, {}), (29, 0, {}), (30, 0, {}), (37, 0, {}), (49, 0, {}), (50, 0, {}), (70, 0, {}),
    (100, 0, {}), (33, 3, {}), (33, 3, {"missing": "not_achieved"}), (45, 0, {"commitments_met": False}),
])
def test_every_basis_of_the_table_equals_the_invoice(tmp_path, achieving, missing, options):
    deal = every_basis_deal()
    invoice, workbook = build(deal, every_basis_results(achieving, missing=missing), **options)
    assert [line.basis for line in invoice.outcomes] == [o.basis for o in deal.outcomes]
    assert_matches(invoice, recalculate(workbook, tmp_path), deal)


def test_sessions_workbook_by_hand(tmp_path):
    # Served = 10 or more sessions: A, B, C. Score >= 70 among them: A, B -> 2/3.
    # linear 40% -> 80%: $40,000 x (2/3 - 0.4) / 0.4 = $26,666.67; fixed base $60,000.
    deal = make_deal(outcomes=[{"name": "Growth", "threshold_value": 70, "basis": "linear",
                                "floor_rate": 0.4, "target_rate": 0.8}])
    data = b"student_id,served,Growth\nA,10,70\nB,30,99\nC,12,69.9\nD,9,100\n"
    invoice, workbook = build(deal, data, ReadOptions(min_sessions=10))
    cells = recalculate(workbook, tmp_path)
    assert_matches(invoice, cells, deal)
    assert cells[f"B{ROW['served']}"] == 3
    assert cell(cells, "Payment", OUTCOME_HEADER_ROW + 1) == 26_666.67
    assert cells[f"B{OUTCOME_HEADER_ROW + 5}"] == 86_666.67


def flags(achieving: int, not_achieving: int, not_served: int = 0) -> bytes:
    rows = [f"A{i},1,1" for i in range(achieving)] + [f"N{i},1,0" for i in range(not_achieving)]
    rows += [f"X{i},0,1" for i in range(not_served)]
    return ("student_id,served,Growth\n" + "\n".join(rows) + "\n").encode()


@pytest.mark.parametrize(("eligible", "data", "price", "payment"), [
    # $200,000 over 800 eligible = $250 per achiever; 12 achievers = $3,000 (not 200,000 x 60% x 20/1,000).
    (800, flags(12, 8, not_served=3), 250, 12 * 250),
    # $200,000 over 3 eligible = $66,666.67 per achiever; 2 achievers = $133,333.33.
    (3, flags(2, 1), 200_000 / 3, 133_333.33),
    # $200,000 over 5 eligible = $40,000 per achiever; 7 achievers would be $280,000: capped at $200,000.
    (5, flags(7, 2), 40_000, 200_000),
])
def test_per_student_pays_the_price_per_achiever(tmp_path, eligible, data, price, payment):
    deal = make_deal(students=1000, total_cost=500_000,
                     outcomes=[{"name": "Growth", "eligible_students": eligible}])
    invoice, workbook = build(deal, data)
    cells = recalculate(workbook, tmp_path)
    assert_matches(invoice, cells, deal)
    row = OUTCOME_HEADER_ROW + 1
    assert cell(cells, "Eligible in deal", row) == eligible
    assert cell(cells, "Price per achiever", row) == pytest.approx(price, rel=1e-12)
    assert cell(cells, "Payment", row) == payment


def test_per_student_eligible_follows_the_students_input(tmp_path):
    # Open to every student: the price is $40,000 / 100 students = $400; 3 achievers = $1,200.
    invoice, workbook = build(make_deal(), flags(3, 1))
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    row = OUTCOME_HEADER_ROW + 1
    assert book["Invoice"][f"{COL['Eligible in deal']}{row}"].value == f"=$B${ROW['students']}"
    assert book["Invoice"][f"{COL['Price per achiever']}{row}"].value == f"=E{row}/F{row}"
    cells = recalculate(workbook, tmp_path)
    assert_matches(invoice, cells, make_deal())
    assert cell(cells, "Payment", row) == 3 * 400


def test_figures_are_formulas_over_the_students_sheet():
    _, workbook = build(EXAMPLE_DEAL, (DATA / "results_example.csv").read_bytes())
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book["Invoice"]
    row = OUTCOME_HEADER_ROW + 1
    assert sheet[f"B{ROW['served']}"].value == "=COUNTIFS(Students!$B$2:$B$11,1)"
    assert sheet[f"J{row}"].value == '=COUNTIFS(Students!$B$2:$B$11,1,Students!$C$2:$C$11,">="&C24)'
    assert sheet[f"N{row}"].value == (
        f'=MIN(ROUND(IF($B$16="yes",MIN(E{row},G{row}*J{row}),E{row}),2),ROUNDDOWN(E{row},2))')
    for name in ("Allocation", "Price per achiever", "Missing", "Eligible", "Achievers", "Rate", "Payment"):
        assert sheet[f"{COL[name]}{row}"].data_type == "f"
    students = book["Students"]
    assert [c.value for c in students[1]] == ["Student ID", "Served (1 = yes)", "Dosage", "Math growth",
                                              "Proficiency", "Same tutor"]
    assert [c.value for c in students[6]] == ["S05", 1, None, 0, 0, None]  # blanks stay blank


def test_user_text_starting_like_a_formula_stays_text(tmp_path):
    deal = make_deal(name="=1+1 deal", district="@district")
    data = b"student_id,served,Growth\n=1+1,1,1\n-5,1,0\n+7,0,1\n@x,1,1\n"
    results = read_results(data, "r.csv", deal)
    invoice = settle(deal, results, SettleOptions(period="-Q1", invoice_date=DAY))
    book = openpyxl.load_workbook(io.BytesIO(invoice_workbook(deal, invoice, results)))
    ids = [book["Students"][f"A{row}"] for row in range(2, 6)]
    assert [c.value for c in ids] == ["=1+1", "-5", "+7", "@x"]
    assert all(c.data_type == "s" for c in ids)
    sheet = book["Invoice"]
    assert sheet["B2"].value == "-Q1" and sheet["B2"].data_type == "s"
    assert sheet["B4"].value == "@district" and sheet["B4"].data_type == "s"
    assert sheet["A1"].value == "Invoice: =1+1 deal"
    cells = recalculate(invoice_workbook(deal, invoice, results), tmp_path)
    assert_matches(invoice, cells, deal)


# --- by student group and by band (obc_calc.io.invoice_excel_detail) --------------------------


def block_row(cells, title: str) -> int:
    """The row of a detail block's title in column A."""
    return next(int(ref[1:]) for ref, value in cells.items() if ref.startswith("A") and value == title)


def assert_detail_matches(invoice, cells):
    """Each group's and each band's counts and payments in the workbook equal the invoice's, to the cent."""
    for line in invoice.outcomes:
        if line.bands:
            top = block_row(cells, f"{line.name}: by band")
            groups = len(line.groups)
            first = top + 2 + (1 if groups else 0)  # with groups, a row of prices above the counts
            total, pay = get_column_letter(5 + groups), get_column_letter(6 + groups)
            for at, band in enumerate(line.bands, start=first):
                assert cells[f"{total}{at}"] == band.students
                by_group = [cells[f"{get_column_letter(5 + g)}{at}"] for g in range(groups)]
                assert by_group == list(band.by_group)
                assert cents(cells[f"{pay}{at}"]) == band.payment
            for g, group in enumerate(line.groups):
                column = get_column_letter(5 + g)
                assert cells[f"{column}{first - 1}"] == pytest.approx(group.price, rel=1e-12)
                after = first + len(line.bands) + (1 if line.bands[0].min_value is not None else 0)
                assert cells[f"{column}{after}"] == group.achievers
                assert cents(cells[f"{column}{after + 1}"]) == group.payment
        elif line.groups:
            first = block_row(cells, f"{line.name}: by student group") + 2
            for at, group in enumerate(line.groups, start=first):
                assert cells[f"A{at}"] == group.name
                assert cells[f"B{at}"] == pytest.approx(group.price, rel=1e-12)
                assert (cells[f"C{at}"], cells[f"D{at}"]) == (group.served, group.achievers)
                assert cents(cells[f"E{at}"]) == group.payment


@pytest.mark.parametrize("options", [{}, {"missing": "not_achieved"}, {"commitments_met": False}])
def test_groups_and_bands_workbook_equals_invoice(tmp_path, options):
    deal = grouped_deal()
    invoice, workbook = build(deal, RESULTS.encode(), **options)
    cells = recalculate(workbook, tmp_path)
    assert_matches(invoice, cells, deal)
    assert_detail_matches(invoice, cells)
    # By hand (tests/core/test_settle_groups.py): $4,250 + $1,875 on results, or both allocations.
    expected = [4_250, 1_875] if options.get("commitments_met", True) else [7_000, 7_000]
    assert [cell(cells, "Payment", OUTCOME_HEADER_ROW + i) for i in (1, 2)] == expected
    last = OUTCOME_HEADER_ROW + 2
    assert cells[f"{COL['Payment']}{last + 1}"] == 0  # penalty relief: the payments add up above 0


@pytest.mark.parametrize(("max_penalty", "relief"), [(0, 600), (500, 100), (1_000, 0)])
def test_penalty_relief_is_a_formula_line(tmp_path, max_penalty, relief):
    deal = banded_only(max_penalty)
    invoice, workbook = build(deal, DECLINE.encode())
    cells = recalculate(workbook, tmp_path)
    assert_matches(invoice, cells, deal)
    assert_detail_matches(invoice, cells)
    last = OUTCOME_HEADER_ROW + 1
    assert cells[f"B{ROW['max_penalty']}"] == max_penalty
    # -$600 of penalties (3 x $400 x -0.5); relief = max(0, -max_penalty + 600).
    assert cells[f"{COL['Payment']}{last + 1}"] == invoice.penalty_relief == relief
    assert cells[f"B{last + 4}"] == 6_000 - 600 + relief


def test_group_names_that_look_like_wildcards_or_formulas_count_by_number(tmp_path):
    # COUNTIFS matches the group number, so '*' and '=1+1' count as themselves; names stay text.
    weird = [{"name": "*", "students": 2, "price_multiplier": 1.5}, {"name": "=1+1", "students": 3,
                                                                      "price_multiplier": 2}]
    deal = grouped_deal(student_groups=weird)
    text = RESULTS.replace("SWD", "*").replace("swd", "*").replace("EL", "=1+1").replace("el", "=1+1")
    invoice, workbook = build(deal, text.encode())
    cells = recalculate(workbook, tmp_path)
    assert_matches(invoice, cells, deal)
    assert_detail_matches(invoice, cells)
    assert invoice.total_due == 20_125  # the same students and prices as test_settle_groups' deal
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    names = [book["Students"].cell(row, 5).value for row in range(2, 5)]
    assert names == ["*", "*", "=1+1"]
    assert book["Students"].cell(4, 5).data_type == "s"


@pytest.mark.parametrize(("options", "words"), [({}, "left out of the rate"), ({"missing": "not_achieved"},
                                                                   "counted as not achieved")])
def test_the_invoice_shows_words_and_prints_on_letter_one_page_wide(tmp_path, options, words):
    """Basis and missing-value rule in the app's words, which the formulas read too; each
    sheet on Letter paper, one page wide, its header row on every page."""
    deal = every_basis_deal()
    invoice, workbook = build(deal, every_basis_results(33, missing=3), **options)
    assert cents(recalculate(workbook, tmp_path)[f"B{OUTCOME_HEADER_ROW + len(deal.outcomes) + 4}"]) == \
        invoice.total_due
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book["Invoice"]
    assert [sheet[f"B{OUTCOME_HEADER_ROW + i}"].value for i in range(1, len(deal.outcomes) + 1)] == [
        "per student", "cohort threshold", "tiered", "graduated (linear)", "per student, banded"]
    assert sheet[f"B{ROW['missing']}"].value == words
    for ws, orientation in ((sheet, "landscape"), (book["Students"], "portrait")):
        assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (1, orientation)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"


def test_a_yes_no_outcome_names_its_threshold_in_words():
    # Growth has no threshold value: a student achieves it when the file marks it 1 (or yes, true),
    # which the Students sheet holds as 1; the sheet says so in words, with no internal code.
    _, workbook = build(make_deal(), flags(3, 1))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Invoice"]
    threshold = sheet[f"{COL['Threshold']}{OUTCOME_HEADER_ROW + 1}"].value
    assert threshold == "marked achieved (1 on the Students sheet)"
