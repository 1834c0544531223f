"""The Monitor page (app_pages/monitor.py) under AppTest, each test on a fresh deal library.

Figures by hand. The deal: $100,000 for 400 students, 40% on outcomes -> a $40,000 pool and a fixed
$60,000 base; one per-student outcome, Growth, expected at 60% with no planning range, so $100 per
achiever (40,000 ÷ 400) and $24,000 planned (40,000 × 0.6). Its prior is Beta(12, 8), worth 20 students.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.store.library import Library
from obc_calc.store.monitor import Monitor
from tests.app_support import act, button, errors, go, metric, start, warnings
from tests.helpers import make_deal
from ui import monitor_keys as keys

PAGE, LIBRARY = "app_pages/monitor.py", "app_pages/library.py"
DEAL = make_deal(name="Growth tutoring", students=400,
                 outcomes=[{"name": "Growth", "expected_rate": 0.6}],
                 commitments=[{"name": "Share data on time", "description": "Within 15 school days."}])


@pytest.fixture
def url(tmp_path, monkeypatch):
    value = f"sqlite:///{tmp_path / 'library.sqlite3'}"
    monkeypatch.setenv("OBC_DATABASE_URL", value)
    return value


def results(achievers: int, served: int, not_served: int = 0) -> bytes:
    """A results file: `served` served students, the first `achievers` of them achieving Growth."""
    rows = [f"S{i},1,{1 if i < achievers else 0}" for i in range(served)]
    rows += [f"N{i},0,1" for i in range(not_served)]
    return ("student_id,served,Growth\n" + "\n".join(rows) + "\n").encode()


def saved() -> AppTest:
    """The deal saved in the library as version 1, then the Monitor page."""
    at = go(start(deal=DEAL), LIBRARY)
    act(button(at, "Save as a new version").click())
    return go(at, PAGE)


def upload(at: AppTest, data: bytes, name: str = "results.csv") -> AppTest:
    return act(at.file_uploader[0].set_value((name, data, "text/csv")))


def record(at: AppTest, data: bytes, as_of: date, final: bool = False, invoice: list[str] | None = None,
           period: str = "") -> AppTest:
    upload(at, data)
    act(at.date_input(key=keys.MON_AS_OF).set_value(as_of))
    act(at.checkbox(key=keys.MON_FINAL).set_value(final))
    if invoice is not None:
        act(at.toggle(key=keys.MON_INVOICE).set_value(True))
        act(at.multiselect(key=keys.MON_INVOICE_OUTCOMES).set_value(invoice))
        act(at.text_input(key=keys.MON_PERIOD).set_value(period))
    return act(button(at, "Record these results").click())


def frame(at: AppTest, first_column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def dollars(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def successes(at: AppTest) -> str:
    return "\n".join(s.value for s in at.success)


def test_a_deal_not_in_the_library_points_to_the_library_page(url):
    at = go(start(deal=DEAL), PAGE)
    info = "\n".join(i.value for i in at.info)
    assert "**Growth tutoring** is not in the deal library" in info
    assert "Save it on the **Library** page first" in info
    assert not at.file_uploader


def test_before_any_results_the_forecast_is_the_plan(url):
    at = saved()
    assert "with no results recorded yet" in at.markdown[0].value
    assert "version 1 (the latest; no version is signed yet)" in at.markdown[0].value
    row = frame(at, "Outcome").set_index("Outcome").loc["Growth"]
    assert (row["Measured rate"], row["Forecast rate"], row["Plan's rate"]) == ("—", "60.0%", "60.0%")
    assert row["Status"] == "on track" and row["Planned"] == "$24,000"
    assert metric(at, "Planned").value == "$84,000"  # 60,000 + 24,000


def test_an_interim_snapshot_gives_the_worked_example(url):
    at = record(saved(), results(150, 300), date(2027, 1, 31))
    assert "Recorded the interim results as of 2027-01-31 for Growth tutoring (version 1)" in successes(at)
    assert "300 students in the file, 300 served" in successes(at)
    row = frame(at, "Outcome").set_index("Outcome").loc["Growth"]
    # Beta(12 + 150, 8 + 150): (12 + 150) ÷ (20 + 300) = 50.625%, below the plan's 60%: at risk.
    assert (row["Measured rate"], row["Achievers"], row["Forecast rate"]) == ("50.0%", "150 of 300", "50.6%")
    assert row["Status"] == "at risk"
    # Every planned student served: 40,000 × 50.625% = $20,250 likely, up to Monte Carlo error
    # (the Beta's sd 0.0279 × 40,000 = $1,117 a trial, ÷ √20,000 = $8 a mean).
    assert dollars(row["Likely to pay"]) == pytest.approx(20_250, abs=40)
    assert dollars(row["As low as"]) < 20_250 < dollars(row["As high as"])
    assert dollars(metric(at, "Likely to pay").value) == pytest.approx(80_250, abs=40)
    # Score 100 × 20,250 ÷ 40,000 = 50.6, below the bar of 90.
    assert metric(at, "Score").value == "50.6"
    assert "is below the renewal bar of 90" in warnings(at)
    rates, forecast = charts(at)
    assert rates["layout"]["title"]["text"] == "Each outcome's measured rate over time, against the plan"
    assert rates["layout"]["yaxis"]["title"]["text"] == "Students achieving (share of eligible)"
    assert rates["data"][0]["y"] == [0.5] and rates["data"][1]["y"] == [0.6, 0.6]  # measured, plan
    assert forecast["layout"]["xaxis"]["title"]["text"] == "Outcome"
    assert forecast["data"][1]["y"] == [24_000]  # the plan
    snapshots = Monitor(Library(url).workspace()).snapshots("Growth tutoring")
    assert [(s.as_of, s.final, s.outcomes[0].achievers, s.outcomes[0].eligible) for s in snapshots] == [
        (date(2027, 1, 31), False, 150, 300)]


def test_a_bad_results_file_stores_nothing(url):
    at = upload(saved(), b"student_id,served,Growth\nS1,maybe,1\nS2,1,2\n")
    assert "The file has problems; nothing is recorded until they are fixed" in errors(at)
    assert not [b for b in at.button if b.label == "Record these results"]
    assert Monitor(Library(url).workspace()).snapshots("Growth tutoring") == []


def test_a_missed_commitment_is_said_loudly_and_the_full_value_is_due(url):
    at = saved()
    act(at.radio(key=keys.MON_STATUS).set_value("missed"))
    at.text_input(key=keys.MON_NOTE).set_value("=spring data late")
    act(button(at, "Record the status").click())
    assert 'Recorded "Share data on time" as missed' in warnings(at)
    assert "the full contract value, $100,000, is due, whatever the results" in errors(at)
    assert metric(at, "Likely to pay").value == "$100,000"
    assert metric(at, "Could be as low as").value == "$100,000"
    row = frame(at, "Commitment").iloc[0]
    assert (row["Status"], row["Note"]) == ("Missed", "=spring data late")


def test_a_mid_year_invoice_then_the_year_end_true_up(url):
    at = record(saved(), results(150, 300), date(2027, 1, 31), invoice=["Growth"], period="Mid-year")
    # Mid-year, Growth only: 150 achievers × $100 = $15,000; no base line.
    lines = frame(at, "Period")
    assert lines.to_dict("records") == [{"Period": "Mid-year", "Date": "2027-01-31", "Line": "Growth",
                                         "Earned": "$15,000.00", "Invoiced before": "$0.00",
                                         "Due now": "$15,000.00"}]
    at = record(at, results(220, 380, 20), date(2027, 6, 30), final=True, invoice=[], period="Year end")
    # Year end, final: 220 achievers × $100 = $22,000, less the $15,000 paid: $7,000; the base $60,000.
    year_end = frame(at, "Period").iloc[1:].set_index("Line")
    assert year_end.loc["Growth", ["Earned", "Invoiced before", "Due now"]].tolist() == [
        "$22,000.00", "$15,000.00", "$7,000.00"]
    assert year_end.loc["Base", "Due now"] == "$60,000.00"
    summary = frame(at, "Line").set_index("Line")
    assert summary.loc["Growth"].tolist() == ["$22,000.00", "$40,000.00", "$18,000.00"]
    assert summary.loc["Base"].tolist() == ["$60,000.00", "$60,000.00", "$0.00"]
    # The final snapshot fixes the figures: 220 ÷ 380 = 57.9% measured, paying $22,000 exactly.
    row = frame(at, "Outcome").set_index("Outcome").loc["Growth"]
    assert (row["Measured rate"], row["Likely to pay"], row["As low as"]) == ("57.9%", "$22,000", "$22,000")
    assert row["Status"] == "Measured: at risk"
    assert metric(at, "Likely to pay").value == "$82,000"
    assert metric(at, "Score").value == "55.0"  # 100 × 22,000 ÷ 40,000


def test_the_signed_version_is_followed(url):
    at = saved()
    Library(url).workspace().sign("Growth tutoring", 1)
    act(at)
    shown = at.markdown[0].value
    assert "Following **Growth tutoring**, signed version 1, with no results recorded yet" in shown


def test_a_settle_problem_on_recording_is_said_and_stores_nothing(url):
    # 450 served students: more than the deal's 400, which the checks pass and the settle-up refuses.
    at = record(saved(), results(200, 450), date(2027, 1, 31))
    assert "Nothing was recorded" in errors(at)
    assert Monitor(Library(url).workspace()).snapshots("Growth tutoring") == []
