"""Tiers as text: the one syntax a rate-card file's tiers column and the app's rate-card editor share.

Each tier is from-rate:payout, tiers are separated by commas or semicolons, and a rate is written
as a percent (30%) or a fraction (0.3), as every other rate in a rate card is. A bare number above 1
is refused rather than guessed to be a percent, so "30:50" cannot silently mean 3000%.
"""

from __future__ import annotations

import math
import re

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import shown

TIER_SYNTAX_HELP = ("Write each tier as from-rate:payout, separated by commas or semicolons, such as "
                    "20%:50%, 30%:100% (rates as percents or fractions: 0.2:0.5 is the same first tier).")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d*)?$")
_SEPARATORS = re.compile(r"[;,]")


def parse_number(value) -> float:
    """A number typed in a cell: 1250, 1,250, 0.25 or 25% (a percent sign divides by 100)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value}")
    text, divisor = value, 1.0
    if not isinstance(value, int | float):
        text = str(value).strip()
        if text.endswith("%"):
            text, divisor = text[:-1].strip(), 100.0  # dividing keeps 70% at exactly 0.7
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
    try:
        number = float(text) / divisor
    except (ValueError, OverflowError):  # OverflowError: a whole number too big for a float
        raise ValueError(f"expected a number, got {shown(value)}") from None
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {shown(value)}")
    return number


def tiers_to_text(tiers: list[dict] | None) -> str:
    """[{'min_rate': 0.3, 'payout': 0.5}, ...] -> '30%:50%, ...'; no tiers is ''."""
    return ", ".join(f"{t['min_rate'] * 100:g}%:{t['payout'] * 100:g}%" for t in tiers or [])


def parse_tiers(text, where: str = "") -> list[dict]:
    """'20%:50%; 30%:100%', '20%:50%, 30%:100%' or '0.2:0.5; 0.3:1' -> [{'min_rate': 0.2, ...}, ...].

    Raises DealError with one plain problem at `where` (a field path or a sheet, row and column).
    Whether the tiers rise and pay more than 0% is the deal's check, which names the tier to fix.
    """
    tiers = []
    for part in (p.strip() for p in _SEPARATORS.split(str(text))):
        if not part:
            continue
        pieces = part.split(":")
        if len(pieces) != 2:
            example = "write each tier as from-rate:payout, such as 20%:50%"
            raise DealError([Problem(where, f"{example}; got {shown(part)}")])
        tiers.append({"min_rate": _rate(pieces[0], where), "payout": _rate(pieces[1], where)})
    return tiers


def _rate(text: str, where: str) -> float:
    try:
        rate = parse_number(text)
    except ValueError as error:
        raise DealError([Problem(where, str(error))]) from None
    if rate > 1 and not text.strip().endswith("%"):
        bare = text.strip()
        raise DealError([Problem(where, f"{shown(bare)} is not a rate; write it as {bare}% or as a fraction "
                                        "such as 0.3")])
    return rate
