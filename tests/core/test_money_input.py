"""Dollars typed in a money box (obc_calc.core.money.parse_money) and how the box shows an amount
(typed_money), with values worked out by hand."""

import pytest

from obc_calc.core.money import parse_money, typed_money


@pytest.mark.parametrize(("text", "dollars"), [
    ("$1,775,000", 1_775_000.0),
    ("1775000", 1_775_000.0),
    ("1,775,000.50", 1_775_000.5),
    ("  $ 2,000,000  ", 2_000_000.0),  # spaces around, and after the dollar sign
    (".50", 0.5),
    ("5.", 5.0),
    ("0", 0.0),
    ("9999999999999.99", 9_999_999_999_999.99),  # one cent under the $10 trillion limit
])
def test_amounts_people_type_are_read(text, dollars):
    assert parse_money(text, "Total cost") == dollars


@pytest.mark.parametrize(("text", "sentence"), [
    ("", "Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50."),
    ("-5", "Total cost: Enter an amount of $0 or more, not '-5'."),
    ("$-5", "Total cost: Enter an amount of $0 or more, not '$-5'."),
    ("(1,000)", "Total cost: Enter an amount of $0 or more, not '(1,000)'."),
    ("abc", "Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not 'abc'."),
    ("nan", "Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not 'nan'."),
    ("inf", "Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not 'inf'."),
    ("1e6", "Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not '1e6'."),
    # Commas between groups of three only: 1,77,500 is a typo to ask about, not $177,500.
    ("1,77,500", "Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not '1,77,500'."),
    ("$", "Total cost: Enter an amount in dollars, such as $1,775,000 or 1775000.50, not '$'."),
    # $10 trillion is the money limit, and not allowed itself.
    ("10,000,000,000,000",
     "Total cost: Enter an amount of at most $9,999,999,999,999.99, not '10,000,000,000,000'."),
])
def test_what_is_not_an_amount_is_refused_in_one_sentence_naming_the_field(text, sentence):
    with pytest.raises(ValueError) as refused:
        parse_money(text, "Total cost")
    assert str(refused.value) == sentence


def test_a_huge_number_is_refused_without_quoting_it_whole():
    # Messages quote 40 characters at most: the opening quote and 38 nines, then an ellipsis.
    with pytest.raises(ValueError, match=r"^Budget line: Enter an amount of at most \$9,999,999,999,999\.99, "
                                         r"not '9{38}…\.$"):
        parse_money("9" * 5000, "Budget line")


@pytest.mark.parametrize(("dollars", "shown"), [
    (1_775_000.0, "$1,775,000"),  # whole dollars: no cents
    (1_420.5, "$1,420.50"),
    (1_775_000 / 777, "$2,284.43"),  # 2,284.4272...: to the cent
    (0.004, "$0"),  # less than half a cent: whole dollars again
    (0.0, "$0"),
])
def test_an_amount_shows_with_separators_and_cents_only_when_there_are_some(dollars, shown):
    assert typed_money(dollars) == shown


@pytest.mark.parametrize("dollars", [1_775_000.0, 1_420.5, 0.07, 9_999_999_999_999.99])
def test_what_a_box_shows_reads_back_as_the_same_amount(dollars):
    assert parse_money(typed_money(dollars), "Total cost") == dollars
