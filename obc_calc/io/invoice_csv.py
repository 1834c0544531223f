"""The invoice as CSV: a file format, one row per invoice line (obc_calc.core.report.invoice_table)."""

from __future__ import annotations

import csv
import io

import numpy as np

from obc_calc.core.limits import FORMULA_STARTS
from obc_calc.core.money import amount
from obc_calc.core.report import invoice_table
from obc_calc.core.settle import Invoice


def invoice_csv(invoice: Invoice) -> str:
    """The invoice as CSV, one row per line. Every field is quoted and text that a spreadsheet would
    run as a formula starts with an apostrophe; numbers stay plain numbers."""
    table = invoice_table(invoice)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["Period", "Date", *table.columns])
    for row in table.to_dict("records"):
        due = amount(row.pop("Amount"))
        cells = [_csv_cell(value) for value in row.values()]
        writer.writerow([_csv_text(invoice.period), invoice.invoice_date.isoformat(), *cells, due])
    return out.getvalue()


def _csv_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return _csv_text(value)
    if isinstance(value, float):
        # As a spreadsheet keeps it; counts come back as floats from a table with gaps.
        return f"{value:.15g}"
    return str(value)
