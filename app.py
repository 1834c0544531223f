"""Landing page: the built-in sample deal's headline figures (the full app comes next)."""

from pathlib import Path

import streamlit as st

from obc_calc import deal_report, load_deal

SAMPLE = Path(__file__).parent / "sample_data" / "math_tutoring.json"

st.set_page_config(page_title="OBC calculator", layout="wide")
report = deal_report(load_deal(SAMPLE))
deal = report.deal
st.title("Outcomes-based contracting calculator")
st.caption(f"{deal.name}: {deal.students:,} students, {deal.performance_share:.1%} paid on outcomes")
columns = st.columns(3)
for column, label, result in zip(
    columns, ["Maximum (encumber)", "Expected", "Floor (base only)"],
    [report.maximum, report.expected, report.floor], strict=True,
):
    column.metric(label, f"${result.total:,.0f}", f"${report.per_pupil(result):,.2f} per pupil",
                  delta_color="off")
for flag in report.flags:
    (st.warning if flag.level == "warning" else st.info)(flag.message)
