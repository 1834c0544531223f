"""A results file uploaded on the Settle-up and Monitor pages, read once per file: a pure function
of its bytes, cached, so reruns and both pages share the work."""

from __future__ import annotations

import streamlit as st

from obc_calc.core.errors import DealError
from obc_calc.io.results_file import RawTable, read_table


@st.cache_data(max_entries=4, show_spinner="Reading the file...")
def read_file(data: bytes, filename: str, id_header: str) -> tuple[RawTable | None, list[str]]:
    try:
        return read_table(data, filename, id_header), []
    except DealError as error:
        return None, error.lines()
