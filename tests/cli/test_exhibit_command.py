"""`python -m obc_calc exhibit DEAL.json -o EXHIBIT.docx`: writes the exhibit; bad input exits 2."""

import json
from pathlib import Path

from docx import Document

from obc_calc.cli import main

ROOT = Path(__file__).parents[2]
MATH = ROOT / "sample_data" / "math_tutoring.json"


def test_writes_the_exhibit(capsys, tmp_path):
    out = tmp_path / "exhibit.docx"
    assert main(["exhibit", str(MATH), "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out}\n"
    document = Document(str(out))
    assert document.paragraphs[0].text == "Exhibit B: Payment Terms"
    assert any(c.text == "$1,775,000.00" for t in document.tables for row in t.rows for c in row.cells)


def test_bad_deal_exits_2_with_one_line_per_problem(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"schema_version": 1, "name": "x", "students": 0, "total_cost": 1,
                                "performance_share": 2, "outcomes": [{"name": "Growth"}]}))
    out = tmp_path / "exhibit.docx"
    assert main(["exhibit", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and any("students" in line for line in err) and not out.exists()


def test_unwritable_output_exits_2(capsys, tmp_path):
    out = tmp_path / "no such folder" / "exhibit.docx"
    assert main(["exhibit", str(MATH), "-o", str(out)]) == 2
    assert "cannot write the exhibit" in capsys.readouterr().err
