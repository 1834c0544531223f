"""ui/messages.py as plain functions (no AppTest): the sentences a person reads for a problem.

Every expected sentence is written out by hand.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from obc_calc.core.errors import Problem
from ui import messages, state

DATA = {
    "outcomes": [{"name": "Dosage"}, {"name": "Math growth"}, {}],
    "scenarios": [{"name": "Low"}],
    "commitments": [{"name": "Monitor attendance"}],
}


@pytest.mark.parametrize(("path", "message", "expected"), [
    ("outcomes[1].target_rate", "must be between 0 and 1",
     "Rate card, row 2 (Math growth), target rate: Must be between 0 and 1."),
    ("total_cost", "must be more than 0", "Total cost: Must be more than 0."),
    ("", "a deal needs at least one outcome", "A deal needs at least one outcome."),
    ("scenarios[0].rates.Dosage", "must be between 0 and 1",
     "Scenarios, row 1 (Low), rate for Dosage: Must be between 0 and 1."),
    ("term.fiscal_year_start_month", "must be 1 to 12", "Fiscal year start: Must be 1 to 12."),
    ("name", "FY2027 is taken", "Name: FY2027 is taken."),  # only the first letter is raised
])
def test_sentence(path, message, expected):
    assert messages.sentence(Problem(path, message), DATA) == expected


@pytest.mark.parametrize(("path", "expected"), [
    ("outcomes", "Rate card"),
    ("outcomes[2].weight", "Rate card, row 3, weight"),  # a row without a name
    ("outcomes[5].weight", "Rate card, row 6, weight"),  # a row past the end of the data
    ("outcomes[0].tiers[1].min_rate", "Rate card, row 1 (Dosage), tier 2 from rate"),
    ("outcomes[0].rate_low", "Rate ranges, Dosage, low"),
    ("outcomes[2].rate_high", "Rate ranges, row 3, high"),
    ("commitments[0]", "District commitments, row 1 (Monitor attendance)"),
    ("risk.correlation", "Correlation between outcomes"),
    ("risk.students_served_low", "Students served, low end"),
    ("some_new_field", "Some new field"),
    ("", ""),
])
def test_place(path, expected):
    assert messages._place(path, DATA) == expected


@pytest.mark.parametrize(("shown", "path", "message", "expected"), [
    # A field of the page the user is on: the plain sentence.
    ("Deal & split", "students", "must be at least 1", "Students: Must be at least 1."),
    # A field set on another page names that page.
    ("Rate card", "students", "must be at least 1", "Deal & split page, students: Must be at least 1."),
    ("Deal & split", "outcomes[1].weight", "must be more than 0",
     "Rate card page, row 2 (Math growth), weight: Must be more than 0."),
    ("Rate card", "outcomes[1].weight", "must be more than 0",
     "Rate card, row 2 (Math growth), weight: Must be more than 0."),
    ("Deal & split", "scenarios[0].students_served", "must be at least 1",
     "Scenarios page, row 1 (Low), students served: Must be at least 1."),
    ("Deal & split", "risk.correlation", "must be between -1 and 1",
     "Risk page, correlation between outcomes: Must be between -1 and 1."),
    ("Rate card", "outcomes[0].rate_high", "must be at least the expected rate",
     "Risk page, rate ranges, Dosage, high: Must be at least the expected rate."),
    ("Rate card", "commitments[0].name", "must not be empty",
     "Deal & split page, district commitments, row 1 (Monitor attendance), name: Must not be empty."),
    ("Rate card", "", "the weights must add up to 1", "The weights must add up to 1."),
])
def test_edit_sentence(monkeypatch, shown, path, message, expected):
    monkeypatch.setattr(messages, "st", SimpleNamespace(session_state={state.PAGE_SHOWN: shown}))
    assert messages.edit_sentence(Problem(path, message), DATA) == expected


@pytest.mark.parametrize(("path", "message", "expected"), [
    ("sheet Rate Card, row 3, column Weight", "expected a number",
     "Sheet Rate Card, row 3, column Weight: Expected a number."),
    ("", "this workbook has no Inputs sheet", "This workbook has no Inputs sheet."),
])
def test_cell_sentence(path, message, expected):
    assert messages.cell_sentence(Problem(path, message)) == expected


def test_capitalized_raises_only_the_first_letter():
    assert messages.capitalized("iReady FY2027") == "IReady FY2027"
    assert messages.capitalized("") == ""


def test_first_problems_counts_the_rest():
    lines = [f"Problem {n}." for n in range(1, 15)]  # 14 lines: 12 shown, 2 more
    assert messages.first_problems(lines) == lines[:12] + ["...and 2 more problems."]
    assert messages.first_problems(lines[:12]) == lines[:12]


def test_markdown_text_and_bullets():
    assert messages.markdown_text("$670 + up_to *750*") == r"\$670 + up\_to \*750\*"
    assert messages.bullets(["One.", "Two."]) == "- One.\n- Two."
