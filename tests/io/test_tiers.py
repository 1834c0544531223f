"""The one text form of tiers, shared by rate-card files and the app's editor: round trips and every error."""

from __future__ import annotations

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.tiers import TIER_SYNTAX_HELP, parse_tiers, tiers_to_text

TWO = [{"min_rate": 0.2, "payout": 0.5}, {"min_rate": 0.3, "payout": 1.0}]


@pytest.mark.parametrize("text", ["0.2:0.5; 0.3:1", "20%:50%;30%:100%", "20%:50%, 30%:100%",
                                  " 20 % : 50 % ,, 0.3:100% ;", "20%:0.5; 0.3:100%"])
def test_every_spelling_reads_the_same_tiers(text):
    assert parse_tiers(text, "tiers") == TWO


def test_written_as_the_app_shows_them_and_read_back():
    assert tiers_to_text(TWO) == "20%:50%, 30%:100%"
    for tiers in (TWO, [{"min_rate": 0.07, "payout": 0.125}], [{"min_rate": 0.335, "payout": 1.0}]):
        assert parse_tiers(tiers_to_text(tiers), "tiers") == tiers


def test_no_tiers_is_empty_text_both_ways():
    assert tiers_to_text(None) == tiers_to_text([]) == ""
    assert parse_tiers("", "tiers") == parse_tiers(" ; , ", "tiers") == []


def test_the_help_shows_an_example_that_reads():
    assert "20%:50%, 30%:100%" in TIER_SYNTAX_HELP
    assert parse_tiers("20%:50%, 30%:100%", "tiers") == TWO


@pytest.mark.parametrize(("text", "message"), [
    ("20%-50%", "write each tier as from-rate:payout, such as 20%:50%; got '20%-50%'"),
    ("20%:50%:70%", "write each tier as from-rate:payout, such as 20%:50%; got '20%:50%:70%'"),
    ("half:50%", "expected a number, got 'half'"),
    ("20%:", "expected a number, got ''"),
    ("20%:nan", "expected a finite number, got 'nan'"),
    ("30:50", "'30' is not a rate; write it as 30% or as a fraction such as 0.3"),
    ("0.3:50", "'50' is not a rate; write it as 50% or as a fraction such as 0.3"),
])
def test_each_error_is_one_plain_problem_at_the_place_given(text, message):
    with pytest.raises(DealError) as caught:
        parse_tiers(text, "row 3, column tiers")
    assert caught.value.lines() == [f"row 3, column tiers: {message}"]
