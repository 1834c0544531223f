"""Money and percents, one rule each: rounding to the cent as Excel does, and the text people read.

Every figure the calculator shows (the CLI's tables, the invoice, the app) is rounded and written
here, so the app, the CLI and the workbooks agree to the cent.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from obc_calc.core.limits import MAX_MONEY, shown

NOT_A_FIGURE = "n/a"

# Dollars as people type them: "$1,775,000", "1775000", "1,775,000.50", ".50", "5."; commas only between
# groups of three digits, so "1,77,500" is a typo to ask about, not 177,500.
_TYPED_DOLLARS = re.compile(r"\$?\s*(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?")


def excel_number(value: float) -> float:
    """A number as a workbook keeps it, with 15 significant digits: a threshold as the criterion
    (">="&cell) reads it, a price as the invoice shows it ($142, not $142.00000000000003)."""
    return float(f"{value:.15g}")


def cents(amount: float, places: int = 2) -> float:
    """Round as Excel's ROUND and invoices do: halves away from zero ($0.625 -> $0.63), on the
    15 significant digits Excel keeps, so the app, the CLI and the workbooks agree."""
    if not math.isfinite(amount) or abs(amount) >= 1e15:
        # No cents among 15 significant digits (and Decimal's 28 digits could not hold them).
        return excel_number(amount)
    step = Decimal(1).scaleb(-places)
    return float(Decimal(f"{amount:.15g}").quantize(step, rounding=ROUND_HALF_UP))


def cents_down(amount: float) -> float:
    """Cut to the cent, as Excel's ROUNDDOWN does on its 15 significant digits: a line capped at
    an allocation of $33.333... pays $33.33, so capped lines never add up past the pool."""
    if not math.isfinite(amount) or abs(amount) >= 1e15:
        return excel_number(amount)
    return float(Decimal(f"{amount:.15g}").quantize(Decimal("0.01"), rounding=ROUND_DOWN))


def money(value: float | None, with_cents: bool = True) -> str:
    """Dollars with thousands separators: -$1,234.56, or whole dollars without cents."""
    if value is None or not math.isfinite(value):
        return NOT_A_FIGURE
    places = 2 if with_cents else 0
    rounded = cents(value, places)
    return f"{'-' if rounded < 0 else ''}${abs(rounded):,.{places}f}"


def unit_price(price: float | None) -> str:
    """A price per head: dollars and cents when it is whole cents, else 4 places ($13,333.3333), since
    $13,333.33 x 3 would not make the $40,000 paid. Blank for no price."""
    if price is None:
        return ""
    price = excel_number(price)
    return money(price) if cents(price) == price else f"${price:,.4f}"


def amount(value: float) -> str:
    """Dollars as a plain number to the cent, for files a spreadsheet reads: 350354.57."""
    return f"{value:.2f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A share as a percent: 0.625 -> '62.5%'; 'n/a' for no share."""
    return NOT_A_FIGURE if value is None else f"{value:.{digits}%}"


def typed_money(value: float) -> str:
    """An amount as a money box shows it: $1,775,000 when whole dollars, else to the cent ($2,284.43)."""
    return money(value, with_cents=cents(value) != cents(value, 0))


def parse_money(text: str, field: str) -> float:
    """Dollars typed in a box, or ValueError with one sentence that names the field.

    Takes "$1,775,000", "1775000" and "1,775,000.50"; refuses a blank, a negative amount, letters
    (so NaN and infinity too) and amounts at or over the money limit.
    """
    typed = text.strip()
    example = "such as $1,775,000 or 1775000.50"
    if not typed:
        raise ValueError(f"{field}: Enter an amount in dollars, {example}.")
    if typed.startswith(("-", "\u2212", "(", "$-", "$\u2212")):
        raise ValueError(f"{field}: Enter an amount of $0 or more, not {shown(typed)}.")
    match = _TYPED_DOLLARS.fullmatch(typed)
    if match is None or not (match[1] or (match[3] or ".").strip(".")):
        raise ValueError(f"{field}: Enter an amount in dollars, {example}, not {shown(typed)}.")
    value = float((match[1] or "0").replace(",", "") + (match[3] or ""))
    if value >= MAX_MONEY:
        most = money(MAX_MONEY - 0.01)
        raise ValueError(f"{field}: Enter an amount of at most {most}, not {shown(typed)}.")
    return value
