"""Reading and checking results files: encodings, XLSX sheets, column maps, and every bad input;
then what a results file needs for a deal: its template, its outcome columns, columns chosen twice."""

import io
import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import load_deal
from obc_calc.io.results_file import MAX_PROBLEMS, ReadOptions, find_column, read_results, read_table
from obc_calc.io.results_template import (
    columns_chosen_twice,
    covers_outcomes,
    file_covers_outcomes,
    joined,
    template_csv,
)
from tests.helpers import make_deal

DATA = Path(__file__).parents[1] / "data"
EXAMPLE_DEAL = load_deal(DATA / "example_deal.json")
# One flag outcome ("Growth" has no threshold_value) and one measured ("Score", >= 50).
DEAL = make_deal(outcomes=[
    {"name": "Growth", "weight": 0.5},
    {"name": "Score", "threshold_value": 50, "weight": 0.5},
])


def read(text: str, deal=DEAL, **options):
    return read_results(text.encode("utf-8"), "results.csv", deal, ReadOptions(**options))


def problems(data, deal=DEAL, filename="results.csv", **options) -> list[str]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    with pytest.raises(DealError) as caught:
        read_results(data, filename, deal, ReadOptions(**options))
    return caught.value.lines()


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- files that are fine ---------------------------------------------------------------------


def test_example_file_values():
    table = read_results((DATA / "results_example.csv").read_bytes(), "results_example.csv", EXAMPLE_DEAL)
    assert len(table) == 10
    assert table.student_ids.tolist()[:3] == ["S01", "S02", "S03"]
    # served: 1, yes count; 0, no do not (S06, S10)
    assert table.served.tolist() == [True] * 5 + [False] + [True] * 3 + [False]
    dosage = table.values["Dosage"].tolist()
    assert dosage[:4] == [0.95, 0.80, 0.79, 0.50]
    assert math.isnan(dosage[4])  # blank
    assert dosage[8] == pytest.approx(0.81)  # written 81%
    # flags: yes/1/true are 1, no/0/false are 0, blank is missing
    assert table.values["Math growth"].tolist()[6:9] == [1.0, 1.0, 0.0]
    assert table.values["Proficiency"].tolist()[6:8] == [0.0, 0.0]
    assert math.isnan(table.values["Proficiency"].tolist()[3])


def test_missing_words_read_as_missing():
    table = read("student_id,served,Growth,Score\nA,1,NA,n/a\nB,1, ,null\nC,1,1,55\n")
    assert table.values["Growth"].isna().tolist() == [True, True, False]
    assert table.values["Score"].isna().tolist() == [True, True, False]


def test_utf8_bom_is_dropped():
    deal = make_deal()
    table = read_results((DATA / "results_bom.csv").read_bytes(), "results_bom.csv", deal)
    assert table.columns["student_id"] == "student_id"  # not '\ufeffstudent_id'
    assert table.student_ids.tolist() == ["B01", "B02"]


def test_latin1_file_reads():
    deal = make_deal()
    raw = read_table((DATA / "results_latin1.csv").read_bytes(), "results_latin1.csv")
    assert raw.cells[1].tolist() == ["André", "Zoë", "François"]
    table = read_results((DATA / "results_latin1.csv").read_bytes(), "results_latin1.csv", deal)
    assert table.served.tolist() == [True, True, False]


def test_utf16_and_semicolons():
    text = "student_id;served;Growth;Score\r\nA;1;1;60,5\r\n".replace("60,5", "60.5")
    deal_table = read_results(text.encode("utf-16"), "results.csv", DEAL)
    assert deal_table.values["Score"].tolist() == [60.5]


def test_case_and_spacing_of_headers_do_not_matter():
    table = read("Student_ID , Served,growth,SCORE\nA,1,1,50\n")
    assert table.columns == {"student_id": "Student_ID", "served": "Served", "Growth": "growth",
                             "Score": "SCORE"}


def test_column_map_for_id_served_and_outcomes():
    text = "pupil,attended,grew,points\nA,1,yes,49.99\nB,0,no,50\n"
    table = read(text, columns={"pupil": "student_id", "attended": "served", "grew": "Growth",
                                "points": "Score"})
    assert table.student_ids.tolist() == ["A", "B"]
    assert table.values["Score"].tolist() == [49.99, 50.0]


def test_sessions_against_a_minimum():
    text = "student_id,served,Growth,Score\nA,12,1,1\nB,11.5,1,1\nC,0,1,1\nD,30,1,1\n"
    table = read(text, min_sessions=12)
    assert table.served.tolist() == [True, False, False, True]
    assert table.sessions.tolist() == [12, 11.5, 0, 30]


def test_xlsx_table_on_another_sheet_below_a_title():
    data = xlsx({
        "About": [["Spring results, verified by the district"]],
        "Results": [["Exported 2027-06-10"], [], ["student_id", "served", "Growth", "Score"],
                    [1001, 1, True, 61.5], ["01002", "yes", False, None]],
    })
    table = read_results(data, "results.xlsx", DEAL)
    assert table.sheet == "Results"
    assert table.header_row == 3
    assert table.student_ids.tolist() == ["1001", "01002"]  # the number 1001 reads without '.0'
    assert table.values["Growth"].tolist() == [1.0, 0.0]
    assert table.values["Score"].tolist()[0] == 61.5


def test_xlsx_problem_names_sheet_and_row():
    data = xlsx({"Notes": [["nothing here"]],
                 "Results": [["title"], ["student_id", "served", "Growth", "Score"], ["A", 1, "maybe", 3]]})
    assert problems(data, filename="results.xlsx") == [
        "results.xlsx, sheet Results: row 3, column Growth: 'maybe' is not a flag "
        "(use 1/0, yes/no or true/false)"
    ]


def test_a_hidden_sheet_is_skipped_for_a_visible_one():
    data = xlsx({"Old": [["student_id", "served", "Growth", "Score"], ["HIDDEN", 1, 1, 99]],
                 "Results": [["student_id", "served", "Growth", "Score"], ["A", 1, 1, 60]]})
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Old"].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    assert read_results(out.getvalue(), "results.xlsx", DEAL).student_ids.tolist() == ["A"]


def test_a_formula_reads_as_the_value_saved_with_it():
    # openpyxl saves no value with a formula; Excel saves <v>, as written here by hand.
    data = xlsx({"Results": [["student_id", "served", "Growth", "Score"], ["A", "=1", 1, "=50+5"]]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    # openpyxl writes the empty value as <v /> or <v></v>, as its XML writer (lxml or not) pleases.
    empty = rb"(<v\s*/>|<v></v>)"
    sheet = re.sub(rb"<f>1</f>" + empty, b"<f>1</f><v>1</v>", sheet)
    members["xl/worksheets/sheet1.xml"] = re.sub(rb"<f>50\+5</f>" + empty, b"<f>50+5</f><v>55</v>", sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    table = read_results(out.getvalue(), "results.xlsx", DEAL)
    assert table.served.tolist() == [True] and table.values["Score"].tolist() == [55.0]


def test_blank_lines_keep_row_numbers():
    text = "student_id,served,Growth,Score\nA,1,1,1\n\nB,1,1,abc\n"
    assert problems(text) == ["results.csv: row 4, column Score: 'abc' is not a number"]


def test_preview_shows_spreadsheet_rows():
    raw = read_table(b"student_id,x,x\nA,1,2\nB,3,4\n", "r.csv")
    preview = raw.preview(1)
    assert preview.index.tolist() == [2]
    assert preview.columns.tolist() == ["student_id", "x", "x (2)"]


# --- bad input -------------------------------------------------------------------------------


def test_empty_file():
    assert problems(b"") == ["results.csv: the file is empty"]
    assert problems(b"  \n\n") == ["results.csv: the file is empty"]


def test_header_without_rows():
    assert problems("student_id,served,Growth,Score\n") == [
        "results.csv: the header (row 1) has no student rows under it"
    ]


def test_missing_id_and_outcome_columns():
    lines = problems("pupil,served,Growth\nA,1,1\n")
    assert len(lines) == 2
    assert lines[0].startswith("results.csv: column student_id: there is no such column")
    assert "'pupil', 'served', 'Growth'" in lines[0]
    assert lines[1].startswith("results.csv: column Score: there is no such column (the outcome Score needs "
                               "measured values")


def test_two_columns_with_one_outcome_name():
    assert problems("student_id,served,Growth,Score,Score\nA,1,1,1,1\n") == [
        "results.csv: column Score: columns D and E are both called 'Score'; rename one"
    ]


def test_bad_column_map():
    lines = problems("student_id,served,Growth,Score\nA,1,1,1\n", columns={"points": "Score", "x": "Nope"})
    assert lines[0] == ("results.csv: column points: there is no such column (it is mapped to "
                        "Score); the header has 'student_id', 'served', 'Growth', 'Score'")
    assert lines[1].startswith("results.csv: column map x=Nope: 'Nope' is not one of 'student_id', 'served'")


def test_a_mapped_column_is_not_read_twice():
    # 'Score' is mapped to Growth, so the Score outcome needs its own column: 'points'.
    table = read("student_id,served,Score,points\nA,1,1,70\n", columns={"Score": "Growth", "points": "Score"})
    assert table.columns["Growth"] == "Score" and table.columns["Score"] == "points"
    lines = problems("student_id,served,Score\nA,1,1\n", columns={"Score": "Growth"})
    assert lines[0].startswith("results.csv: column Score: there is no such column")
    twice = problems("student_id,served,g1,g2,Score\nA,1,1,1,1\n", columns={"g1": "Growth", "g2": "Growth"})
    assert twice == ["results.csv: column map g2=Growth: another column is already mapped to Growth"]


def test_duplicate_ids_name_both_rows():
    text = "student_id,served,Growth,Score\nA,1,1,1\nB,1,1,1\n A ,1,1,1\nB,1,1,1\n"
    assert problems(text) == [
        "results.csv: row 4, column student_id: ' A ' is a second row for the same student (first on row 2)",
        "results.csv: row 5, column student_id: 'B' is a second row for the same student (first on row 3)",
    ]


def test_missing_ids():
    assert problems("student_id,served,Growth,Score\n,1,1,1\n,1,1,1\n") == [
        "results.csv: row 2, column student_id: no student id",
        "results.csv: row 3, column student_id: no student id",
    ]


def test_values_that_are_not_numbers_or_flags():
    text = "student_id,served,Growth,Score\nA,1,1,50\nB,maybe,2,abc\nC,,yes,0,8\n"
    lines = problems(text.replace("0,8", "0.8"))
    assert lines == [
        "results.csv: row 3, column served: 'maybe' is not a flag (use 1/0, yes/no or true/false); "
        "if the column counts sessions attended, set the minimum number of sessions",
        "results.csv: row 3, column Growth: '2' is not a flag (use 1/0, yes/no or true/false)",
        "results.csv: row 3, column Score: 'abc' is not a number",
        "results.csv: row 4, column served: no value; was the student served? "
        "(use 1/0, yes/no or true/false)",
    ]


def test_decimal_comma_is_not_a_number():
    assert problems("student_id,served,Growth,Score\nA,1,1,\"50,5\"\n") == [
        "results.csv: row 2, column Score: '50,5' is not a number"
    ]


def test_negative_and_bad_session_counts():
    text = "student_id,served,Growth,Score\nA,12,1,1\nB,-3,1,1\nC,ten,1,1\nD,,1,1\n"
    assert problems(text, min_sessions=10) == [
        "results.csv: row 3, column served: '-3': a count of sessions cannot be negative",
        "results.csv: row 4, column served: 'ten' is not a number of sessions",
        "results.csv: row 5, column served: no number of sessions attended",
    ]


def test_negative_minimum_sessions():
    assert problems("student_id,served,Growth,Score\nA,1,1,1\n", min_sessions=-1) == [
        "results.csv: minimum sessions: it cannot be negative"
    ]


def test_undecodable_bytes():
    # 0x81 is undefined in Windows Latin-1 and invalid in UTF-8: not text in either.
    data = b"student_id,served,Growth,Score\nA,1,1,1\nB\x81,1,1,1\n"
    assert problems(data) == [
        "results.csv: line 3: byte 0x81 cannot be read as UTF-8, UTF-16 or Latin-1; "
        "is this a CSV or XLSX results file?"
    ]


def test_binary_file_with_nul_bytes():
    lines = problems(b"\x00\x01\x02binary")
    assert lines == [
        "results.csv: line 1: byte 0x00 cannot be read as text; is this a CSV or XLSX results file?"
    ]


def test_old_xls_and_broken_xlsx():
    assert problems(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", filename="r.xls") == [
        "r.xls: this is an old-style .xls workbook; save it as .xlsx or CSV and upload that"
    ]
    broken = problems(b"PK\x03\x04broken", filename="r.xlsx")
    assert broken == ["r.xlsx: cannot read the file: the workbook is cut short or damaged (its zip directory "
                      "is missing)"]


def test_xlsx_without_an_id_column():
    data = xlsx({"One": [["a", "b"]], "Two": [["name"]]})
    assert problems(data, filename="r.xlsx") == [
        "r.xlsx: no sheet has a 'student_id' column in its first 10 rows (sheets: 'One', 'Two')"
    ]


def test_ragged_csv_row():
    lines = problems("student_id,served,Growth,Score\nA,1,1,1\nB,1,1,1,9,9\n")
    assert lines == ["results.csv: this is not a readable CSV table (Expected 4 fields in line 3, saw 6)"]


def test_many_problems_are_capped_with_a_count():
    rows = "".join(f"S{i},1,1,bad{i}\n" for i in range(MAX_PROBLEMS + 15))
    lines = problems("student_id,served,Growth,Score\n" + rows)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0] == "results.csv: row 2, column Score: 'bad0' is not a number"
    assert lines[-1] == f"results.csv: and 15 more problems ({MAX_PROBLEMS + 15} in all)"


def test_find_column_prefers_an_exact_match_then_ignores_case_and_spacing():
    assert find_column(["student_id", "Math  growth", "math growth"], "math growth") == "math growth"
    assert find_column(["student_id", "Math  Growth"], "Math growth") == "Math  Growth"
    assert find_column(["student_id"], "Dosage") is None


# --- what a results file needs for a deal (obc_calc.io.results_template) ----------------------


def test_template_is_the_header_a_deal_needs():
    assert template_csv(DEAL) == "student_id,served,Growth,Score\n"
    quoted = make_deal(outcomes=[{"name": "Reading, grade 3"}])
    assert template_csv(quoted) == 'student_id,served,"Reading, grade 3"\n'


def test_covers_outcomes_ignores_case_spacing_and_other_columns():
    assert covers_outcomes(["student_id", "grade", "GROWTH", " Score "], DEAL)
    assert not covers_outcomes(["student_id", "served", "Growth"], DEAL)


def test_the_sample_results_file_covers_only_its_own_deal(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("student_id,grade,served,Growth,Score\nA1,7,1,1,60\n", encoding="utf-8")
    assert file_covers_outcomes(path, DEAL)
    assert not file_covers_outcomes(path, EXAMPLE_DEAL)
    samples = DATA.parents[1] / "sample_data"
    math = load_deal(samples / "math_tutoring.json")
    assert file_covers_outcomes(samples / "math_tutoring_results.csv", math)


def test_a_column_chosen_for_two_roles_is_named_once():
    chosen = {"student_id": "id", "served": "Growth", "Growth": "Growth", "Score": None}
    columns, problems_found = columns_chosen_twice(chosen)
    assert columns == {"id": "student_id", "Growth": "served"}
    assert problems_found == ["Column Growth is chosen for served and Growth; each needs its own column."]


def test_columns_each_chosen_once_have_no_problem():
    columns, problems_found = columns_chosen_twice({"student_id": "id", "served": "s", "Growth": "g"})
    assert columns == {"id": "student_id", "s": "served", "g": "Growth"}
    assert problems_found == []


def test_joined_names():
    assert [joined(["a"]), joined(["a", "b"]), joined(["a", "b", "c"])] == ["a", "a and b", "a, b and c"]


# --- the group column ------------------------------------------------------------------------

GROUPED = make_deal(student_groups=[{"name": "English learners", "students": 20, "price_multiplier": 1.25}])


def test_group_column_read_by_name_or_map_ignoring_case_and_spacing():
    # groups(deal): English learners (0), then Other students (1) for the 80 others; blank is Other.
    text = "student_id,served,Growth,Group\nA,1,1,english  LEARNERS\nB,1,0,\nC,1,1,Other Students\n"
    assert read(text, deal=GROUPED).groups.tolist() == [0, 1, 1]
    mapped = "student_id,served,Growth,EL status\nA,1,1,English learners\nB,1,0,NA\n"
    assert read(mapped, deal=GROUPED, columns={"EL status": "group"}).groups.tolist() == [0, 1]


def test_group_column_problems():
    text = "student_id,served,Growth,group\nA,1,1,Gifted\nB,1,1,English learners\n"
    assert problems(text, deal=GROUPED) == [
        "results.csv: row 2, column group: 'Gifted' is not a student group of the deal "
        "(the groups are English learners and Other students)"]
    # Growth is per student: paying everyone at multiplier 1 would be wrong, so the column is needed.
    assert problems("student_id,served,Growth\nA,1,1\n", deal=GROUPED)[0].startswith(
        "results.csv: column group: there is no such column, and the deal prices student groups apart "
        "for Growth")


def test_a_deal_without_groups_ignores_a_group_column_and_refuses_a_map_to_it():
    table = read("student_id,served,Growth,Score,group\nA,1,1,60,Tuesday tutoring\n")
    assert table.groups is None
    mapped = problems("student_id,served,Growth,Score,cohort\nA,1,1,60,x\n", columns={"cohort": "group"})
    assert mapped == ["results.csv: column map cohort=group: 'group' is not one of 'student_id', 'served', "
                      "'Growth', 'Score'"]


def test_template_has_a_group_column_for_a_deal_with_groups():
    assert template_csv(GROUPED) == "student_id,served,Growth,group\n"
