"""The app's spreadsheet features under AppTest: the Budget page's workbook download (built on click),
importing a rate card on the Rate card page, and opening an exported workbook on Home."""

from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.io.dealfile import load_deal
from obc_calc.io.ratecard import read_rate_card
from obc_calc.io.workbook import workbook_bytes
from obc_calc.io.workbook_import import deal_from_workbook
from tests.app_support import ROOT, act, button, errors, go, plain, start
from ui import documents, state

MATH = state.SAMPLES["Math tutoring"]
EXAMPLE_CARD = ROOT / "sample_data" / "rate_card_example.csv"
SHEETS = ["Summary", "Rate Card", "Scenarios", "Schedule", "Notes"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



def workbook_download(at: AppTest) -> tuple[dict, bytes]:
    """The page's workbook button is deferred (built on click); what it builds is the page's download
    of the deal in the session, which the test builds the same way."""
    download = next(b for b in at.get("download_button") if b.proto.id.endswith("download_workbook"))
    assert download.proto.deferred_file_id, "the workbook must be built on click, not on every run"
    entry = documents.workbook_download(at.session_state["deal"])
    return {"mimetype": entry["mime"], "file_name": entry["file_name"]}, entry["data"]()


# ---- Budget: the workbook download ----------------------------------------------------------

@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_budget_workbook_download_holds_the_deal(sample):
    at = go(start(sample), "app_pages/budget.py")
    entry, data = workbook_download(at)
    deal = load_deal(state.SAMPLES[sample])
    assert entry["mimetype"] == XLSX
    assert entry["file_name"].endswith(".xlsx")
    assert set(entry["file_name"][:-5]) <= set("abcdefghijklmnopqrstuvwxyz0123456789_")
    book = openpyxl.load_workbook(io.BytesIO(data))
    # A deal with student groups has their sheet after the Summary.
    groups = ["Student Groups"] if deal.student_groups else []
    assert book.sheetnames == [SHEETS[0], *groups, *SHEETS[1:]]
    # The Rate Card sheet has one row per outcome under its header, in the deal's order.
    card = book["Rate Card"]
    assert [card.cell(row, 1).value for row in range(2, 2 + len(deal.outcomes))] == [
        o.name for o in deal.outcomes]
    assert deal_from_workbook(data, entry["file_name"]) == deal


def test_budget_workbook_file_name_is_the_slugged_deal_name():
    at = go(start(), "app_pages/budget.py")
    entry, _ = workbook_download(at)
    # "Grade 5-8 math tutoring, 2026-27"-style names: lower case, runs of other characters -> "_".
    name = at.session_state["deal"].name
    expected = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    assert entry["file_name"] == "_".join(expected) + ".xlsx"


def test_budget_workbook_follows_an_edit():
    at = go(start(), "app_pages/deal_split.py")
    at.number_input(key="share_number").set_value(30.0).run()
    go(at, "app_pages/budget.py")
    _, data = workbook_download(at)
    assert deal_from_workbook(data, "edited.xlsx").performance_share == 0.30
    assert deal_from_workbook(data, "edited.xlsx") == at.session_state["deal"]


# ---- Rate card: importing a rate card -------------------------------------------------------

def upload_card(at: AppTest, name: str, data: bytes) -> AppTest:
    uploader = next(u for u in at.file_uploader if u.label.startswith("Rate card file"))
    return act(uploader.set_value((name, data, "text/csv")))


def test_applying_a_rate_card_gives_the_deal_the_files_outcomes():
    at = go(start(), "app_pages/rate_card.py")
    data = EXAMPLE_CARD.read_bytes()
    upload_card(at, EXAMPLE_CARD.name, data)
    assert not at.error, errors(at)
    assert at.session_state["deal"] == load_deal(MATH)  # a preview changes nothing yet
    preview = at.dataframe[0].value
    assert list(preview["Outcome"]) == ["Dosage", "Math growth", "Proficiency", "Same tutor"]
    assert list(preview["File row"]) == [2, 3, 4, 5]  # the header is row 1
    # Pool 937,500 (1,775,000 x 52.8169%): Math growth 45% = 421,875, Proficiency 20% = 187,500.
    assert list(preview["Allocation"]) == ["$234,375", "$421,875", "$187,500", "$93,750"]
    replace = button(at, "Replace the rate card with these 4 outcomes")
    replace.click().run()
    assert not at.error, errors(at)
    card = read_rate_card(data, EXAMPLE_CARD.name)
    deal = at.session_state["deal"]
    assert len(deal.outcomes) == len(card.outcomes)
    for outcome, fields in zip(deal.outcomes, card.outcomes, strict=True):
        dumped = outcome.model_dump()
        assert {name: dumped[name] for name in fields} == fields
    # The CSV's "20%:50%; 30%:100%", read by hand.
    assert deal.outcomes[2].tiers[1].model_dump() == {"min_rate": 0.3, "payout": 1.0}
    math = load_deal(MATH)
    assert (deal.total_cost, deal.performance_share, deal.term) == (
        math.total_cost, math.performance_share, math.term)
    assert "Replaced the rate card with the 4 outcomes of rate_card_example.csv" in plain(
        "\n".join(s.value for s in at.success))
    # The editor now shows the card, and a further run keeps the deal as imported.
    at.run()
    assert at.session_state["deal"] == deal
    assert not at.error, errors(at)


def test_a_card_dropping_an_outcome_drops_its_scenario_rates():
    at = go(start(), "app_pages/rate_card.py")
    # Two of the math deal's three outcomes: weights 0.6 + 0.4 = 1.
    data = b"name,basis,weight,expected_rate\nDosage,per_student,60%,70%\nMath growth,per_student,40%,53%\n"
    upload_card(at, "two.csv", data)
    assert "Same tutor" in "\n".join(m.value for m in at.markdown)  # named as removed
    button(at, "Replace the rate card with these 2 outcomes").click().run()
    deal = at.session_state["deal"]
    assert [o.name for o in deal.outcomes] == ["Dosage", "Math growth"]
    low = next(s for s in deal.scenarios if s.name == "Low")
    assert low.rates == {"Dosage": 0.5, "Math growth": 0.35}  # Same tutor's 0.55 is gone


@pytest.mark.parametrize(("data", "message"), [
    (b"name,weight,expected_rate\nA,lots,50%\n", "Row 2, column weight: Expected a number, got 'lots'."),
    (b"name,Weight,expected_rate\nA,0.5,50%\nB,0.5,150%\n", "Row 3, column expected_rate: "),
    (b"name,colour\nA,red\n", "Row 1, column colour: Unknown column"),
    (b"name,weight\nA,0.5\nB,0.6\n", "Column weight: The weights add up to 110%, not 100%"),
])
def test_a_bad_rate_card_is_explained_and_the_deal_kept(data, message):
    at = go(start(), "app_pages/rate_card.py")
    upload_card(at, "bad.csv", data)
    shown = plain(errors(at))
    assert "bad.csv cannot be used as this deal's rate card" in shown
    assert message in shown
    assert "The deal is unchanged." in shown
    assert not [b for b in at.button if b.label.startswith("Replace the rate card")]
    assert at.session_state["deal"] == load_deal(MATH)


def test_a_bad_xlsx_rate_card_names_its_sheet():
    book = openpyxl.Workbook()
    book.active.title = "Rates"
    book.active.append(["name", "weight"])
    book.active.append(["A", "half"])
    buffer = io.BytesIO()
    book.save(buffer)
    at = go(start(), "app_pages/rate_card.py")
    upload_card(at, "rates.xlsx", buffer.getvalue())
    assert "Sheet Rates, row 2, column weight: Expected a number, got 'half'." in plain(errors(at))
    assert at.session_state["deal"] == load_deal(MATH)


def test_the_example_rate_card_is_offered_for_download():
    at = go(start(), "app_pages/rate_card.py")
    download = next(b for b in at.get("download_button") if b.label == "Download an example rate card")
    assert "sample_data/rate_card_example.csv" in download.help
    assert download.proto.url  # the file itself, sent with the page


# ---- Home: a workbook as a deal -------------------------------------------------------------

@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_home_opens_an_exported_workbook(sample):
    deal = load_deal(state.SAMPLES[sample])
    at = start("Start blank")
    at.file_uploader(key="upload").set_value(("budget.xlsx", workbook_bytes(deal), XLSX)).run()
    assert not at.error, errors(at)
    assert at.session_state["deal"] == deal
    assert f"Opened budget.xlsx: {deal.name}." in "\n".join(s.value for s in at.success)


def test_home_explains_a_workbook_that_is_not_a_deal_and_keeps_the_deal():
    book = openpyxl.Workbook()
    book.active["A1"] = "shopping list"
    buffer = io.BytesIO()
    book.save(buffer)
    at = start()
    at.file_uploader(key="upload").set_value(("list.xlsx", buffer.getvalue(), XLSX)).run()
    shown = errors(at)
    assert "list.xlsx is not a deal this app can open" in shown
    assert "Sheet Summary: This sheet is missing (is this a budget workbook?)." in shown
    assert "The current deal is unchanged." in shown
    assert at.session_state["deal"] == load_deal(MATH)


def test_home_explains_a_bad_cell_in_a_workbook():
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(load_deal(MATH))))
    sheet = book["Rate Card"]
    weight = next(c for c in sheet[1] if c.value == "Weight").column
    sheet.cell(3, weight).value = "lots"
    buffer = io.BytesIO()
    book.save(buffer)
    at = start("Start blank")
    blank = at.session_state["deal"]
    at.file_uploader(key="upload").set_value(("edited.xlsx", buffer.getvalue(), XLSX)).run()
    assert "Sheet Rate Card, row 3, column Weight: Expected a number, got 'lots'." in errors(at)
    assert at.session_state["deal"] == blank
