"""The share link under AppTest: a deal in the page's query opens; a damaged or foreign one gives a plain
message and the sample deal; the address and the sidebar's link follow the deal as it changes.

Expected dollars are worked out by hand from the sample files in the comments.
"""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.io.dealfile import load_deal
from obc_calc.io.sharelink import decode_deal, encode_deal
from tests.app_support import LITERACY, MATH, go, metric, start, warnings
from tests.helpers import deal_dict

FALLBACK = "The deal in this link could not be opened, so a sample deal is open instead"



def link_shown(at: AppTest) -> str:
    return at.sidebar.code[0].value


def packed(data: dict) -> str:
    """A well-formed link around any JSON, as sharelink.encode_deal packs a deal."""
    raw = zlib.compress(json.dumps(data).encode("utf-8"))
    return "v1." + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def test_a_deal_in_the_link_opens_with_its_figures():
    literacy = load_deal(LITERACY)
    link = encode_deal(literacy)
    at = start(link=link)
    assert not at.exception
    assert at.session_state["deal"] == literacy
    # Literacy: total 1,200,000 for 500 students, 62.5% on outcomes: pool 750,000, base 450,000.
    assert metric(at, "Maximum (encumber)").value == "$1,200,000"
    assert metric(at, "Floor (nothing achieved)").value == "$450,000"
    assert metric(at, "Floor (nothing achieved)").delta == "$900.00 per pupil"  # 450,000 / 500
    # Expected: 450,000 + 225,000 x 0.75 + 375,000 x 0.50 + 150,000 (45% reaches the 40% target)
    #         = 450,000 + 168,750 + 187,500 + 150,000 = 956,250, or 1,912.50 per pupil.
    assert metric(at, "Expected").value == "$956,250"
    assert metric(at, "Expected").delta == "$1,912.50 per pupil"
    assert "62.5% of the price depends on outcomes" in warnings(at)
    assert FALLBACK not in warnings(at)
    assert at.query_params["deal"] == link  # the address keeps the same link
    assert link_shown(at) == f"?deal={link}"  # no address known here: the query part alone


def test_without_a_link_the_math_sample_opens_and_the_address_gets_its_link():
    at = start()
    math = load_deal(MATH)
    assert at.session_state["deal"] == math
    assert at.query_params["deal"] == encode_deal(math)
    assert FALLBACK not in warnings(at)


def test_a_damaged_link_gives_the_message_and_the_sample_deal_once():
    link = encode_deal(load_deal(LITERACY))
    at = start(link=link[: len(link) // 2])  # cut short, as a mail program may break a long line
    math = load_deal(MATH)
    assert not at.exception
    assert at.session_state["deal"] == math
    assert warnings(at) == (f"{FALLBACK}: {math.name}.\n\n"
                            "- This link does not hold a deal; it may have been cut short or changed.")
    assert metric(at, "Maximum (encumber)").value == "$1,775,000"  # the math sample's total cost
    assert at.query_params["deal"] == encode_deal(math)  # the damaged value is replaced
    at.run()
    assert FALLBACK not in warnings(at)  # said once


@pytest.mark.parametrize(("value", "problem"), [
    ("", "This link does not hold a deal; it may have been cut short or changed."),
    ("deal.json", "This link does not hold a deal; it may have been cut short or changed."),
    (packed(deal_dict(performance_share=1.5)), "Performance share: Input should be less than or equal to 1"),
])
def test_a_foreign_link_names_the_problem(value, problem):
    at = start(link=value)
    assert at.session_state["deal"] == load_deal(MATH)
    assert FALLBACK in warnings(at)
    assert problem in warnings(at)


def test_the_sidebar_link_points_at_the_home_page_with_the_deal():
    at = start(url="http://obc.example.org")
    link = encode_deal(load_deal(MATH))
    assert link_shown(at) == f"http://obc.example.org/?deal={link}"
    go(at, "app_pages/scenarios.py")  # the browser now reports the page's own address
    assert link_shown(at) == f"http://obc.example.org/?deal={link}"


def test_the_address_and_the_link_follow_an_edit():
    at = start()
    go(at, "app_pages/deal_split.py")
    at.number_input(key="share_number").set_value(40.0).run()
    assert not at.exception
    shared = decode_deal(at.query_params["deal"])
    assert shared.performance_share == 0.4
    assert shared == at.session_state["deal"]
    assert link_shown(at) == "?deal=" + at.query_params["deal"]
    go(at, "app_pages/budget.py")  # moving on keeps the edited deal in the address
    assert decode_deal(at.query_params["deal"]).performance_share == 0.4
