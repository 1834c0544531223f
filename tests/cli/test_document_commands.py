"""`template` and `summary`: they write their files from a deal, and a bad deal exits 2."""

import io
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from obc_calc.cli import main

ROOT = Path(__file__).parents[2]
MATH = ROOT / "sample_data" / "math_tutoring.json"


def test_template_command(tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert main(["template", str(MATH), "-o", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    header = [c.value for c in book["Results"][1]]
    assert header == ["student_id", "served", "Dosage", "Math growth", "Same tutor"]


def test_summary_command(tmp_path, capsys):
    out = tmp_path / "summary.pdf"
    assert main(["summary", str(MATH), "-o", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1 and "$1,392,031.25" in reader.pages[0].extract_text()


def test_bad_deal_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "name": "x"}', encoding="utf-8")
    for command, name in (("template", "t.xlsx"), ("summary", "s.pdf")):
        assert main([command, str(bad), "-o", str(tmp_path / name)]) == 2
        assert not (tmp_path / name).exists()
        assert capsys.readouterr().err.strip()


def test_unwritable_output_exits_2(tmp_path, capsys):
    for command, name in (("template", "t.xlsx"), ("summary", "s.pdf")):
        assert main([command, str(MATH), "-o", str(tmp_path / "no" / "such" / name)]) == 2
        assert "cannot write the" in capsys.readouterr().err
