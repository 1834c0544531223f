"""An uploaded deal: a budget workbook (.xlsx) or a deal file (JSON), told apart by name and bytes."""

from __future__ import annotations

from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_from_json
from obc_calc.io.user_file import sniff
from obc_calc.io.workbook_import import deal_from_workbook


def is_workbook(data: bytes, name: str) -> bool:
    """An .xlsx is a zip archive: judged by the bytes too, so a renamed workbook still opens."""
    return name.lower().endswith(".xlsx") or sniff(data) == "xlsx"


def deal_from_upload(data: bytes, name: str) -> Deal:
    """The deal in an uploaded file; DealError says what is wrong (a workbook's problems name the
    sheet, row and column; a deal file's name the field path)."""
    return deal_from_workbook(data, name) if is_workbook(data, name) else deal_from_json(data, name)
