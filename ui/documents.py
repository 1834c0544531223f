"""The documents a deal needs, as downloads built only when clicked: the contract's payment terms
exhibit (Word), the results data template (Excel) and the one-page board summary (PDF)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from obc_calc.core.model import Deal
from obc_calc.io.board_summary import board_summary
from obc_calc.io.data_template import template_bytes
from obc_calc.io.exhibit import exhibit_bytes
from obc_calc.io.workbook import workbook_bytes
from ui import state, widgets

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (key, label, builder, file suffix, mime type, help)
DOCUMENTS = (
    ("exhibit", "Payment terms exhibit (Word)", exhibit_bytes, "payment_terms.docx", DOCX,
     "The contract's payment exhibit: value, base, the outcomes table, groups and bands, the district's "
     "commitments, how settle-up works and a worked example, every figure from this deal."),
    ("template", "Results data template (Excel)", template_bytes, "results_template.xlsx", XLSX,
     "The columns settle-up reads for this deal, with a data dictionary: fill it in each term and "
     "upload it on the Settle-up page with no column mapping."),
    ("summary", "Board summary (PDF)", board_summary, "board_summary.pdf", "application/pdf",
     "One landscape page for the school board: the maximum to encumber, expected and floor, the split, "
     "the schedule by fiscal year, a chart and the flags."),
)


def workbook_download(deal: Deal) -> dict:
    """The budget workbook's button: built from this run's deal when clicked (the callable runs outside
    the script, without session state)."""
    return {"data": partial(workbook_bytes, deal), "file_name": f"{widgets.slug(deal.name, 'deal')}.xlsx",
            "mime": XLSX}


def downloads(deal: Deal) -> list[dict]:
    """Each document's button: its key, label, builder of this deal's bytes, file name, type, help."""
    slug = widgets.slug(deal.name, "deal")
    return [{"key": key, "label": label, "data": partial(build, deal), "file_name": f"{slug}_{suffix}",
             "mime": mime, "help": help_text}
            for key, label, build, suffix, mime, help_text in DOCUMENTS]


def document_downloads(deal: Deal, where: str) -> None:
    """One button per document; each is built from this run's deal only when clicked."""
    buttons = st.container(horizontal=True)
    for item in downloads(deal):
        buttons.download_button(
            item["label"], item["data"], file_name=item["file_name"], mime=item["mime"],
            icon=":material/description:", key=f"{state.DOWNLOAD_DOC}{item['key']}_{where}",
            on_click="ignore", help=item["help"],
        )
