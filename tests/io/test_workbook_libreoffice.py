"""The budget workbook recalculated by a real spreadsheet program (LibreOffice, headless).

The formula engine in test_workbook.py checks every cell; this checks that a spreadsheet
program opens the file, recalculates it with no error cells, and lands on obc_calc's figures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from obc_calc.core.report import deal_report
from obc_calc.core.scenarios import all_scenarios
from obc_calc.core.schedule import monthly_schedule
from obc_calc.io.dealfile import load_deal
from obc_calc.io.workbook import SCHEDULE_HEADER_ROW, payment_header, save_workbook
from tests.io.test_workbook import every_basis_deal, grouped_deal

ROOT = Path(__file__).resolve().parents[2]
DEALS = sorted((ROOT / "sample_data").glob("*.json")) + [ROOT / "tests" / "data" / "example_deal.json"]
SOFFICE = shutil.which("soffice")
# One outcome of every basis; and again with student groups, a penalty band and a max_penalty.
GENERATED = {"every_basis": every_basis_deal, "grouped": grouped_deal}

if SOFFICE is None:
    if os.environ.get("CI"):
        pytest.fail("soffice is missing; CI must install libreoffice-calc-nogui (see .ci/run)", pytrace=False)
    pytest.skip("LIBREOFFICE TEST SKIPPED: soffice is missing (apt-get install libreoffice-calc-nogui)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, Path]:
    """Every deal's workbook, opened, recalculated and saved again by LibreOffice (one run for all)."""
    folder = tmp_path_factory.mktemp("lo")
    for path in DEALS:
        save_workbook(load_deal(path), folder / f"{path.stem}.xlsx")
    for name, deal in GENERATED.items():
        save_workbook(deal(), folder / f"{name}.xlsx")
    out = folder / "out"
    profile = folder / "profile"  # a private profile: no first-start dialogs, no clash with other runs
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc", "--convert-to", "xlsx",
         "--outdir", str(out), *sorted(str(p) for p in folder.glob("*.xlsx"))],
        check=True, capture_output=True, timeout=300,
    )
    return {path.stem: out / f"{path.stem}.xlsx" for path in [*DEALS, *map(Path, GENERATED)]}


def column_of(ws, header: str, row: int) -> int:
    return next(c.column for c in ws[row] if c.value == header)


@pytest.mark.parametrize("path", DEALS, ids=lambda p: p.stem)
def test_a_spreadsheet_program_recalculates_to_obc_calcs_figures(recalculated, path):
    deal = load_deal(path)
    wb = load_workbook(recalculated[path.stem], data_only=True)
    errors = [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("#") and c.value.rstrip("!?/0").isupper()]
    assert errors == []

    scenarios = wb["Scenarios"]
    total = column_of(scenarios, "Total", 1)
    for i, result in enumerate(all_scenarios(deal)):
        assert scenarios.cell(2 + i, 1).value == result.name
        assert scenarios.cell(2 + i, total).value == pytest.approx(result.total, abs=0.005)
    floor = {c.value: c.row for c in wb["Summary"]["A"] if c.value}["Floor (nothing achieved)"]
    assert wb["Summary"].cell(floor, 2).value == pytest.approx(deal_report(deal).floor.total, abs=0.005)

    summary = wb["Summary"]
    rows = {c.value: c.row for c in summary["A"] if c.value}
    report = deal_report(deal)
    assert summary.cell(rows["Expected cost"], 2).value == pytest.approx(report.expected.total, abs=0.005)
    floor = summary.cell(rows["Floor (nothing achieved)"], 2).value
    assert floor == pytest.approx(report.floor.total, abs=0.005)

    schedule = wb["Schedule"]
    month_total = column_of(schedule, "Total", SCHEDULE_HEADER_ROW)
    want = monthly_schedule(deal, report.expected)["Total"].tolist()
    got = [schedule.cell(SCHEDULE_HEADER_ROW + 1 + i, month_total).value for i in range(len(want))]
    assert got == pytest.approx(want, abs=0.005)


@pytest.mark.parametrize("name", GENERATED)
def test_every_basis_of_the_table_recalculates_to_the_core_at_every_edge(recalculated, name):
    deal = GENERATED[name]()
    wb = load_workbook(recalculated[name], data_only=True)
    errors = [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("#")]
    assert errors == []
    scenarios = wb["Scenarios"]
    columns = {o.name: column_of(scenarios, payment_header(o.name), 1) for o in deal.outcomes}
    total = column_of(scenarios, "Total", 1)
    for i, result in enumerate(all_scenarios(deal)):
        assert scenarios.cell(2 + i, 1).value == result.name
        for line in result.outcomes:
            assert scenarios.cell(2 + i, columns[line.name]).value == pytest.approx(line.payment, abs=0.005)
        assert scenarios.cell(2 + i, total).value == pytest.approx(result.total, abs=0.005)
    floor = {c.value: c.row for c in wb["Summary"]["A"] if c.value}["Floor (nothing achieved)"]
    assert wb["Summary"].cell(floor, 2).value == pytest.approx(deal_report(deal).floor.total, abs=0.005)
