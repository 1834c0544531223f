"""The one text form of tiers, shared by rate-card files and the app's editor: round trips and every error."""

from __future__ import annotations

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.tiers import (
    BAND_SYNTAX_HELP,
    GROUP_RATES_SYNTAX_HELP,
    SHARES_SYNTAX_HELP,
    TIER_SYNTAX_HELP,
    bands_to_text,
    group_rates_to_text,
    group_shares_to_text,
    parse_bands,
    parse_group_rates,
    parse_group_shares,
    parse_shares,
    parse_tiers,
    shares_to_text,
    tiers_to_text,
)

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


# ---------------------------------------------------------------- bands, shares and group mappings

# The issue's bands: a quarter of the price taken back for any value below 0, nothing from 0, half
# from 1.0, all from 1.5.
ISSUE_BANDS = [{"min_value": None, "payout": -0.25}, {"min_value": 0.0, "payout": 0.0},
               {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}]
SWD, EL = "Students with disabilities", "English learners"


@pytest.mark.parametrize("text", ["any:-25%, 0:0%, 1.0:50%, 1.5:100%", "ANY:-0.25; 0:0; 1:0.5; 1.5:1",
                                  " any : -25 % ,, 0:0%;1.0:50% , 1.5:100% ;"])
def test_every_spelling_reads_the_same_bands(text):
    assert parse_bands(text, "bands") == ISSUE_BANDS


def test_bands_written_as_the_app_shows_them_and_read_back():
    assert bands_to_text(ISSUE_BANDS) == "any:-25%, 0:0%, 1:50%, 1.5:100%"
    assert parse_bands(bands_to_text(ISSUE_BANDS), "bands") == ISSUE_BANDS
    assert bands_to_text(None) == "" and parse_bands("", "bands") == []
    # A measured value may be negative or large: -0.5 and 250 are values, not rates.
    assert parse_bands("-0.5:0%, 250:100%") == [{"min_value": -0.5, "payout": 0.0},
                                                {"min_value": 250.0, "payout": 1.0}]


def test_shares_and_group_mappings_read_and_written():
    assert parse_shares("10%, 30%, 40%, 20%") == parse_shares("0.1; 0.3; 0.4; 0.2") == [0.1, 0.3, 0.4, 0.2]
    assert shares_to_text([0.1, 0.3, 0.4, 0.2]) == "10%, 30%, 40%, 20%"
    rates = parse_group_rates(f"{SWD}: 40%; {EL}: 0.5")
    assert rates == {SWD: 0.4, EL: 0.5}
    assert group_rates_to_text(rates) == f"{SWD}: 40%; {EL}: 50%"
    shares = parse_group_shares(f"{EL}: 20%, 30%, 40%, 10%; Grade 3: a: 0.5, 0.5")  # a name may hold a colon
    assert shares == {EL: [0.2, 0.3, 0.4, 0.1], "Grade 3: a": [0.5, 0.5]}
    assert group_shares_to_text(shares) == f"{EL}: 20%, 30%, 40%, 10%; Grade 3: a: 50%, 50%"
    assert parse_group_rates(" ; ") == {} and group_rates_to_text(None) == ""


def test_each_help_shows_an_example_that_reads():
    assert "any:-25%, 0:0%, 1.0:50%, 1.5:100%" in BAND_SYNTAX_HELP
    assert "10%, 30%, 40%, 20%" in SHARES_SYNTAX_HELP
    assert f"{SWD}: 40%; {EL}: 50%" in GROUP_RATES_SYNTAX_HELP
    assert parse_group_rates(f"{SWD}: 40%; {EL}: 50%") == {SWD: 0.4, EL: 0.5}


@pytest.mark.parametrize(("parse", "text", "message"), [
    (parse_bands, "1.0-50%", "write each band as from-value:payout, such as 1.0:50%; got '1.0-50%'"),
    (parse_bands, "1:2:3", "write each band as from-value:payout, such as 1.0:50%; got '1:2:3'"),
    (parse_bands, "some:50%", "expected a number, got 'some'"),
    (parse_bands, "1:-50", "'-50' is not a rate; write it as -50% or as a fraction such as 0.3"),
    (parse_shares, "10%, lots", "expected a number, got 'lots'"),
    (parse_shares, "10, 30", "'10' is not a rate; write it as 10% or as a fraction such as 0.3"),
    (parse_group_rates, f"{SWD} 40%",
     f"write each group as group: rate, such as English learners: 50%; got '{SWD} 40%'"),
    (parse_group_rates, ": 40%",
     "write each group as group: rate, such as English learners: 50%; got ': 40%'"),
    (parse_group_rates, f"{EL}: 40%; {EL.lower()}: 50%", f"the group '{EL.lower()}' is given twice"),
    (parse_group_rates, f"{EL}: half", "expected a number, got 'half'"),
    (parse_group_shares, f"{EL} 20%, 80%",
     f"write each group as group: shares, such as English learners: 20%, 30%, 40%, 10%; got '{EL} 20%, 80%'"),
])
def test_each_band_or_group_error_is_one_plain_problem(parse, text, message):
    with pytest.raises(DealError) as caught:
        parse(text, "row 3, column bands")
    assert caught.value.lines() == [f"row 3, column bands: {message}"]
