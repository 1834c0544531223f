"""`export DEAL.json -o FILE.xlsx`: the deal's budget workbook, with live formulas."""

from obc_calc.cli import add_file_command
from obc_calc.io.workbook import save_workbook


def add_command(commands) -> None:
    add_file_command(commands, "export", "workbook", "the workbook to write (.xlsx)", save_workbook)
