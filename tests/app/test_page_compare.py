"""The Compare page (app_pages/compare.py) under AppTest, driven through app.py's navigation.

Dollar figures are worked out by hand from the math sample (tests/test_app_pages.py has the same
deal's figures): $1,775,000 for 1,250 students, weights 25% / 55% / 20%, expected rates 70% / 53%
and 75% on a graduated 50% to 90% outcome (which pays (0.75 - 0.5) / (0.9 - 0.5) = 62.5%).
"""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import obc_calc.core.simulate as sim
from obc_calc.io.dealfile import load_deal
from tests.app_support import MATH, ROOT, act, button, errors, go, plain, start
from ui import state, widgets

COMPARE = "app_pages/compare.py"
EXAMPLE = ROOT / "tests" / "data" / "example_deal.json"
MATH_NAME = "Middle-school math tutoring 2026-27"  # the current deal's column: the math sample's name



def figures(at: AppTest):
    return at.dataframe[0].value.set_index("Figure")


def chart(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def points(values) -> list[float]:
    """A trace's numbers; plotly sends a numpy array packed as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def save_variant(at: AppTest, name: str) -> AppTest:
    go(at, COMPARE)
    return act(button(at, f"Save current deal as {name}").click())


def two_variants() -> AppTest:
    """Variant A: the math sample as it is; Variant B: the same deal with 30% on outcomes."""
    at = save_variant(start(), "Variant A")
    go(at, "app_pages/deal_split.py")
    act(at.number_input(key="share_number").set_value(30.0))
    return save_variant(at, "Variant B")


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_the_page_loads_with_each_sample(sample):
    at = go(start(sample), COMPARE)
    assert not at.error, errors(at)
    table = figures(at)
    # With no variants saved: the current deal beside the first three other samples (four at most).
    others = [name for name in state.SAMPLES if name != sample][:3]
    current = load_deal(state.SAMPLES[sample]).name  # the current deal is headed by its name
    assert list(table.columns) == [current, *others, "Differs"]
    # The maximum is each sample file's total_cost.
    maximum = {"Math tutoring": "$1,775,000", "Literacy tutoring": "$1,200,000",
               "Edtech software": "$480,000", "MAP growth, banded": "$750,000",
               "Reading, priced by group": "$1,125,000"}
    assert table.loc["Maximum (encumber)", current] == maximum[sample]
    assert [trace["name"] for trace in chart(at)["data"]] == [current, *others]


def test_two_saved_variants_are_compared_with_their_own_figures():
    at = two_variants()
    assert not at.error, errors(at)
    assert at.multiselect(key="compare_pick").value == ["Variant A", "Variant B"]
    table = figures(at)
    assert list(table.columns) == ["Variant A", "Variant B", "Differs"]
    a, b = table["Variant A"], table["Variant B"]
    assert (a["Performance share"], b["Performance share"]) == ("52.8%", "30.0%")
    # Same price, so the same maximum and maximum per pupil (1,775,000 / 1,250 = 1,420).
    assert a["Maximum (encumber)"] == b["Maximum (encumber)"] == "$1,775,000"
    assert a["Maximum per pupil"] == b["Maximum per pupil"] == "$1,420.00"
    assert table.loc["Maximum (encumber)", "Differs"] == ""
    # A: base 837,500 ($670.00 each); B: 1,775,000 x 70% = 1,242,500 ($994.00 each).
    assert (a["Floor (nothing achieved)"], b["Floor (nothing achieved)"]) == ("$837,500", "$1,242,500")
    assert (a["Floor per pupil"], b["Floor per pupil"]) == ("$670.00", "$994.00")
    assert (a["Performance pool"], b["Performance pool"]) == ("$937,500", "$532,500")
    # A: 837,500 + 234,375 x 0.7 + 515,625 x 0.53 + 187,500 x 0.625 = 1,392,031.25.
    # B: 1,242,500 + 133,125 x 0.7 + 292,875 x 0.53 + 106,500 x 0.625
    #  = 1,242,500 + 93,187.50 + 155,223.75 + 66,562.50 = 1,557,473.75; / 1,250 = 1,245.979.
    assert (a["Expected"], b["Expected"]) == ("$1,392,031", "$1,557,474")
    assert (a["Expected per pupil"], b["Expected per pupil"]) == ("$1,113.63", "$1,245.98")
    for row in ("Performance share", "Floor (nothing achieved)", "Expected", "Performance pool"):
        assert table.loc[row, "Differs"] == "yes", row
    assert "Simulated median" not in table.index  # not run yet
    # One chart, a line per variant, from the floor at 0% to the maximum at 100%.
    spec = chart(at)
    lines = {trace["name"]: points(trace["y"]) for trace in spec["data"]}
    assert list(lines) == ["Variant A", "Variant B"]
    assert lines["Variant B"][0] == 1_242_500 and lines["Variant B"][-1] == 1_775_000
    assert spec["layout"]["yaxis"]["title"]["text"] == "Total paid by the district ($)"
    assert spec["layout"]["xaxis"]["title"]["text"] == "Achievement rate, every outcome (%)"


def test_warnings_name_each_deals_warning_flags():
    """Variant A: the math sample (52.8% on outcomes, no warning); Variant B: 70%, above 60%."""
    at = save_variant(start(), "Variant A")
    go(at, "app_pages/deal_split.py")
    act(at.number_input(key="share_number").set_value(70.0))
    table = figures(save_variant(at, "Variant B"))
    warnings = table.loc["Warnings"]
    assert warnings.tolist() == ["none", "share above 60%", "yes"]  # Variant A, Variant B, Differs


def test_simulating_adds_the_median_and_95th_percentile():
    at = two_variants()
    act(button(at, "Simulate these deals").click())
    table = figures(at)
    variant_a = load_deal(MATH)
    variant_b = variant_a.model_copy(update={"performance_share": 0.3})
    for name, deal in (("Variant A", variant_a), ("Variant B", variant_b)):
        result = sim.simulate(deal, 20_000, 1)
        assert table.loc["Simulated median", name] == widgets.money(result.total.p50)
        assert table.loc["Simulated 95th percentile", name] == widgets.money(result.total.p95)
    # An edited deal has not been simulated as it now stands.
    act(at.multiselect(key="compare_pick").set_value(["Variant A", "Current deal"]))
    go(at, "app_pages/deal_split.py")
    act(at.number_input(key="share_number").set_value(40.0))
    go(at, COMPARE)
    assert figures(at).loc["Simulated median", MATH_NAME] == "not run"
    assert figures(at).loc["Simulated median", "Variant A"] != "not run"


def test_variants_can_be_renamed_and_removed():
    at = two_variants()
    act(at.text_input(key="variant_name_Variant A").set_value("Half on outcomes"))
    assert list(figures(at).columns) == ["Half on outcomes", "Variant B", "Differs"]
    act(at.text_input(key="variant_name_Variant B").set_value("Half on outcomes"))
    assert "another deal on offer is already called 'Half on outcomes'" in errors(at)
    act(button(at, "Remove").click())  # the first Remove button: Half on outcomes
    assert list(at.session_state["variants"]) == ["Variant B"]
    # One variant left: it is compared with the current deal (still at 30%, as saved).
    assert list(figures(at).columns) == ["Variant B", MATH_NAME, "Differs"]
    assert figures(at).loc["Performance share", "Differs"] == ""


def test_the_next_variant_takes_the_next_free_letter():
    at = two_variants()
    assert at.button[0].label == "Save current deal as Variant C"


def test_an_uploaded_deal_joins_the_comparison_and_a_bad_file_is_explained():
    at = go(start(), COMPARE)
    at.file_uploader(key="compare_upload").set_value(("notes.json", b"{not json", "application/json"))
    act(at)
    assert "notes.json is not a deal this app can open" in errors(at)
    at.file_uploader(key="compare_upload").set_value(
        ("example_deal.json", EXAMPLE.read_bytes(), "application/json"))
    act(at)
    assert not at.error, errors(at)
    table = figures(at)
    assert "example_deal.json" in table.columns
    # The example deal: $1,420,000 for 1,000 students, 40% on outcomes; base 852,000 ($852.00 each).
    assert table.loc["Maximum (encumber)", "example_deal.json"] == "$1,420,000"
    assert table.loc["Floor per pupil", "example_deal.json"] == "$852.00"


def test_fewer_than_two_deals_asks_for_another():
    at = go(start(), COMPARE)
    act(at.multiselect(key="compare_pick").set_value(["Current deal"]))
    assert "Choose at least two deals" in at.info[0].value
    assert not at.dataframe


# ---- the current deal's name, shading by value, the 95th percentile at the maximum -------------

def shaded(at: AppTest) -> list[str]:
    """The figures whose rows the table's styler shades (its CSS names cells row<i>_col<j>)."""
    element = at.dataframe[0]
    rows = {int(i) for i in re.findall(r"row(\d+)_col0\b", element.proto.arrow_data.styler.styles)}
    return [figure for i, figure in enumerate(element.value["Figure"]) if i in rows]


def test_a_variant_named_like_the_current_deal_is_told_apart():
    at = save_variant(start(), "Variant A")
    act(at.text_input(key="variant_name_Variant A").set_value(MATH_NAME))
    # One variant: compared with the current deal, which is headed by its name, told apart.
    assert list(figures(at).columns) == [MATH_NAME, f"{MATH_NAME} (current deal)", "Differs"]
    assert f"{MATH_NAME} (current deal)" in at.multiselect(key="compare_pick").options
    assert shaded(at) == []  # the same deal twice: no row differs


def test_only_rows_whose_values_differ_are_shaded():
    """Variant A: the math sample, 52.8169% on outcomes; Variant B: 52.5%, which two-decimal rounding
    (0.53 both) took for the same share."""
    at = save_variant(start(), "Variant A")
    go(at, "app_pages/deal_split.py")
    act(at.number_input(key="share_number").set_value(52.5))
    table = figures(save_variant(at, "Variant B"))
    assert (table.loc["Performance share", "Variant A"], table.loc["Performance share", "Variant B"]) == (
        "52.8%", "52.5%")
    # Same price and students: the maximum, the maximum per pupil and the students agree; no warnings.
    # A: base 1,775,000 x 47.1831% = 837,500; B: 1,775,000 x 47.5% = 843,125 (floor $670.00 / $674.50).
    differing = ["Performance share", "Base", "Performance pool", "Expected", "Floor (nothing achieved)",
                 "Expected per pupil", "Floor per pupil"]
    assert [row for row in table.index if table.loc[row, "Differs"] == "yes"] == differing
    assert shaded(at) == differing
    assert "Shaded rows differ between the deals (7 of 11)" in "\n".join(c.value for c in at.caption)


def test_a_95th_percentile_at_the_maximum_says_why():
    at = go(start(), COMPARE)  # the math sample beside Literacy, Edtech and MAP growth
    act(button(at, "Simulate these deals").click())
    table = figures(at)
    # A 5% chance of missed commitments (math, literacy, MAP growth): in at least 1 simulated year in
    # 20 the district pays the full price, so the 95th percentile is the maximum. Edtech's chance is 2%.
    at_maximum = [MATH_NAME, "Literacy tutoring", "MAP growth, banded"]
    for name in at_maximum:
        assert table.loc["Simulated 95th percentile", name] == table.loc["Maximum (encumber)", name], name
    assert table.loc["Simulated 95th percentile", "Edtech software"] != "$480,000"
    note = next(c.value for c in at.caption if "95th percentile is the maximum" in c.value)
    assert plain(note).startswith(f"For {MATH_NAME}, Literacy tutoring and MAP growth, banded the simulated")
    assert "Edtech" not in note
