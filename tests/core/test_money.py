"""Money and percents: rounding to the cent as Excel does, and the text people read (by hand)."""

from obc_calc.core.money import amount, cents, cents_down, excel_number, money, percent, unit_price


def test_cents_round_half_up():
    assert cents(0.125) == 0.13
    assert cents(2.675) == 2.68  # binary 2.67499999...; Excel shows 2.675 and rounds up
    assert cents(1234.5649) == 1234.56


def test_cents_round_halves_away_from_zero_and_to_whole_dollars():
    assert cents(-0.125) == -0.13
    assert cents(2.5, 0) == 3.0 and cents(-2.5, 0) == -3.0


def test_cents_down_cuts():
    assert cents_down(100 / 3) == 33.33
    assert cents_down(2.675) == 2.67  # 15 significant digits: 2.675, cut to 2.67
    assert cents_down(0.1 + 0.2) == 0.3  # 0.30000000000000004 reads 0.3 in 15 digits


def test_excel_number_keeps_15_significant_digits():
    assert excel_number(142.00000000000003) == 142.0
    assert excel_number(0.1 + 0.2) == 0.3


def test_money():
    assert money(1234.565) == "$1,234.57"
    assert money(-1234.5) == "-$1,234.50"
    assert money(1234.5, with_cents=False) == "$1,235"
    assert money(-0.001) == "$0.00"  # rounds to zero: no minus sign
    assert money(None) == "n/a" and money(float("nan")) == "n/a" and money(float("inf")) == "n/a"


def test_unit_price_shows_4_places_only_when_not_whole_cents():
    assert unit_price(142) == "$142.00"
    assert unit_price(40_000 / 3) == "$13,333.3333"
    assert unit_price(None) == ""


def test_amount_and_percent():
    assert amount(350354.57) == "350354.57" and amount(710) == "710.00"
    assert percent(0.625) == "62.5%" and percent(0.5, 2) == "50.00%" and percent(None) == "n/a"
