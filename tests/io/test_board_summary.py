"""The board summary: one landscape Letter page whose text (read back with pypdf) holds the headline
figures, for every sample deal; user text prints as typed, never as markup or a formula."""

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from obc_calc.core.model import Deal
from obc_calc.io.board_summary import board_summary
from obc_calc.io.dealfile import load_deal

SAMPLES = Path(__file__).parents[2] / "sample_data"
MATH = load_deal(SAMPLES / "math_tutoring.json")


def pages(deal: Deal) -> list:
    return PdfReader(io.BytesIO(board_summary(deal))).pages


def text(deal: Deal) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pages(deal))


def test_math_sample_headline_figures_by_hand():
    found = text(MATH)
    # Pool: $1,775,000 x 0.528169014084507 = $937,500.00; base $837,500.00 (47.2% / 52.8%).
    # Maximum: $1,775,000.00, / 1,250 students = $1,420.00 per pupil.
    # Expected: base $837,500 + Dosage 0.25 x 937,500 x 0.70 = 164,062.50 + Math growth
    # 0.55 x 937,500 x 0.53 = 273,281.25 + Same tutor 0.20 x 937,500 x (0.75 - 0.5) / 0.4 = 117,187.50
    # = $1,392,031.25; / 1,250 = $1,113.625 -> $1,113.63 per pupil.
    # Floor: the base alone, $837,500.00; / 1,250 = $670.00 per pupil.
    for figure in ("$1,775,000.00", "$1,420.00 per pupil", "$1,392,031.25", "$1,113.63 per pupil",
                   "$837,500.00", "$670.00 per pupil", "47.2% / 52.8%", "$937,500.00",
                   "Within the 5% to 60% guardrails", "FY2027", "Payment schedule by fiscal year",
                   "Total cost against achievement", "Scenarios", "Flags"):
        assert figure in found, figure
    # The deal's own scenarios: High is Dosage 0.9, growth 0.7, tutor 0.9 (linear: full):
    # 837,500 + 210,937.50 + 360,937.50 + 187,500 = $1,596,875.00
    assert "High 1,250 $1,596,875.00 $1,277.50" in found


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_sample_is_one_landscape_letter_page(path):
    found = pages(load_deal(path))
    assert len(found) == 1
    box = found[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)  # 11 x 8.5 inches


def test_split_outside_the_guardrails_is_flagged():
    literacy = load_deal(SAMPLES / "literacy_tutoring.json")  # 62.5% at risk
    found = text(literacy)
    assert "Above the 60% guardrail" in found and "Warning" in found
    low = MATH.model_copy(update={"performance_share": 0.04})
    assert "Below the 5% guardrail" in text(low)


def hostile_deal() -> Deal:
    data = json.loads((SAMPLES / "math_tutoring.json").read_text(encoding="utf-8"))
    data["name"] = "=HYPERLINK(\"http://x\") **bold** {nb}"
    data["district"] = "+Łódź School District"
    data["provider"] = "-Tutors “Ω” Inc."
    data["outcomes"][0]["name"] = "@Dosage"
    data["scenarios"][0]["name"] = "=1+1"
    for scenario in data["scenarios"]:
        if "Dosage" in scenario.get("rates", {}):
            scenario["rates"]["@Dosage"] = scenario["rates"].pop("Dosage")
    return Deal.model_validate(data)


def test_names_print_as_typed():
    found = text(hostile_deal())
    for name in ("=HYPERLINK(\"http://x\") **bold** {nb}", "+Łódź School District", "-Tutors “Ω” Inc.",
                 "@Dosage", "=1+1"):
        assert name in found, name
    assert len(pages(hostile_deal())) == 1


def test_many_flags_and_scenarios_stay_on_one_page():
    data = json.loads((SAMPLES / "math_tutoring.json").read_text(encoding="utf-8"))
    data["commitments"] = []
    data["performance_share"] = 0.7
    data["program"] = "A very long program description " * 30
    data["scenarios"] = [{"name": f"Scenario {n} " + "long name " * 8, "students_served": 1000 + n}
                         for n in range(40)]
    deal = Deal.model_validate(data)
    found = text(deal)
    assert len(pages(deal)) == 1
    assert "more scenarios" in found
