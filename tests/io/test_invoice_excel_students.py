"""The Excel invoice's Students sheet, whose rows are written as XML rather than cell by cell
through openpyxl (2.5 s for 100,000 students otherwise): it holds the data as read, text that
could break the XML or run as a formula stays text, and openpyxl's own work does not grow with
the number of students."""

import io

import openpyxl
import openpyxl.worksheet._writer as sheet_writer

from obc_calc.core.settle import settle
from obc_calc.io.invoice_excel import invoice_workbook
from obc_calc.io.results_file import read_results
from tests.core.test_settle_groups import grouped_deal
from tests.helpers import make_deal

# Reading is met or not (1/0); Growth is a measured value. Groups: SWD (1), EL (2), Other students (3).
DATA = ("student_id,served,group,Reading,Growth\n"
        "<b>&co,1,SWD,1,2.5\n"
        "=A1+1,1,el,0,-1\n"
        "A\x01B,1,,,2.0\n"
        "Q,0,EL,1,\n")


def students_sheet(deal, data: str):
    results = read_results(data.encode("utf-8"), "results.csv", deal)
    workbook = invoice_workbook(deal, settle(deal, results), results)
    return openpyxl.load_workbook(io.BytesIO(workbook))["Students"]


def test_students_sheet_holds_the_data_as_read():
    sheet = students_sheet(grouped_deal(), DATA)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["Student ID", "Served (1 = yes)", "Reading", "Growth", "Group", "Group no."],
        ["<b>&co", 1, 1, 2.5, "SWD", 1],  # XML's own characters kept as text
        ["=A1+1", 1, 0, -1, "EL", 2],  # a formula-like id stays text
        ["AB", 1, None, 2, "Other students", 3],  # missing Reading blank; 2.0 a whole number
        ["Q", 0, 1, None, "EL", 2],  # not served
    ]
    assert all(isinstance(row[3], int) for row in rows[2:4])  # whole numbers are written without a point
    ids = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in ids)
    assert [cell.quotePrefix for cell in ids] == [False, True, False, False]


def test_openpyxl_writes_the_same_cells_for_10_or_12000_students(monkeypatch):
    written = []

    def counting(xf, ws, cell, styled=False):
        written.append(cell)
        return write_cell(xf, ws, cell, styled)

    write_cell = sheet_writer.write_cell
    monkeypatch.setattr(sheet_writer, "write_cell", counting)
    counts = []
    for students in (10, 12_000):  # 12,000 rows span three of the blocks the rows are written in
        deal = make_deal(students=students)
        data = "student_id,served,Growth\n" + "".join(f"S{i},1,{i % 2}\n" for i in range(students))
        written.clear()
        sheet = students_sheet(deal, data)
        counts.append(len(written))
        # The last student is S9 or S11999, odd, so Growth 1; the header is row 1.
        assert sheet.max_row == students + 1
        assert [c.value for c in sheet[sheet.max_row]] == [f"S{students - 1}", 1, 1]
    assert counts[0] == counts[1]
