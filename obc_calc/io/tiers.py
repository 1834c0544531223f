"""Tiers, bands, band shares and group mappings as text: the one syntax a rate-card file's cells and
the app's rate-card editor share.

Each tier is from-rate:payout and each band from-value:payout ("any" for a first band that takes any
value), separated by commas or semicolons; band shares are a list of rates; a group mapping is
"group: rate" (or "group: shares") entries separated by semicolons. A rate, share or payout is
written as a percent (30%) or a fraction (0.3), as every other rate in a rate card is; a bare
number beyond 1 is refused rather than guessed to be a percent, so "30:50" cannot mean 3000%.
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
    """A rate, share or payout: a percent or a fraction; a bare number beyond 1 (or -1) is refused."""
    rate = _number(text, where)
    if abs(rate) > 1 and not text.strip().endswith("%"):
        bare = text.strip()
        raise DealError([Problem(where, f"{shown(bare)} is not a rate; write it as {bare}% or as a fraction "
                                        "such as 0.3")])
    return rate


# ---------------------------------------------------------------- bands, shares and group mappings

BAND_SYNTAX_HELP = ("Write each band as from-value:payout, separated by commas or semicolons, lowest first, "
                    "such as any:-25%, 0:0%, 1.0:50%, 1.5:100% (from-value any: any value, for the first "
                    "band only; payouts as percents or fractions from -100% to 100%, the last 100%).")
SHARES_SYNTAX_HELP = "Write one share of students per band, lowest band first, such as 10%, 30%, 40%, 20%."
GROUP_RATES_SYNTAX_HELP = ("Write each group's rate as group: rate, separated by semicolons, such as "
                           "Students with disabilities: 40%; English learners: 50%.")
ANY_VALUE = "any"


def bands_to_text(bands: list[dict] | None) -> str:
    """[{'min_value': None, 'payout': -0.25}, {'min_value': 1.0, 'payout': 1.0}] -> 'any:-25%, 1:100%'."""
    return ", ".join(f"{ANY_VALUE if b.get('min_value') is None else format(b['min_value'], 'g')}:"
                     f"{b['payout'] * 100:g}%" for b in bands or [])


def parse_bands(text, where: str = "") -> list[dict]:
    """'any:-25%, 0:0%, 1.0:50%, 1.5:100%' -> [{'min_value': None, 'payout': -0.25}, ...].

    Raises DealError with one plain problem at `where`; whether the bands rise and their payouts
    never fall is the deal's check, which names the band to fix.
    """
    bands = []
    for part in (p.strip() for p in _SEPARATORS.split(str(text))):
        if not part:
            continue
        pieces = part.split(":")
        if len(pieces) != 2:
            raise DealError([Problem(where, f"write each band as from-value:payout, such as 1.0:50%; "
                                            f"got {shown(part)}")])
        start = pieces[0].strip()
        min_value = None if start.casefold() == ANY_VALUE else _number(start, where)
        bands.append({"min_value": min_value, "payout": _rate(pieces[1], where)})
    return bands


def shares_to_text(shares: list[float] | None) -> str:
    return ", ".join(f"{share * 100:g}%" for share in shares or [])


def parse_shares(text, where: str = "") -> list[float]:
    """'10%, 30%, 40%, 20%' (or fractions, or semicolons between) -> [0.1, 0.3, 0.4, 0.2]."""
    return [_rate(part.strip(), where) for part in _SEPARATORS.split(str(text)) if part.strip()]


def group_rates_to_text(rates: dict[str, float] | None) -> str:
    return "; ".join(f"{name}: {rate * 100:g}%" for name, rate in (rates or {}).items())


def parse_group_rates(text, where: str = "") -> dict[str, float]:
    """'Students with disabilities: 40%; English learners: 50%' -> {'Students with disabilities': 0.4,
    'English learners': 0.5}."""
    example = "group: rate, such as English learners: 50%"
    return {name: _rate(value, where) for name, value in _entries(text, where, example)}


def group_shares_to_text(shares: dict[str, list[float]] | None) -> str:
    return "; ".join(f"{name}: {shares_to_text(values)}" for name, values in (shares or {}).items())


def parse_group_shares(text, where: str = "") -> dict[str, list[float]]:
    """'English learners: 20%, 30%, 40%, 10%; ...' -> {'English learners': [0.2, 0.3, 0.4, 0.1], ...}."""
    example = "group: shares, such as English learners: 20%, 30%, 40%, 10%"
    return {name: [_rate(part.strip(), where) for part in value.split(",") if part.strip()]
            for name, value in _entries(text, where, example)}


def _entries(text, where: str, example: str) -> list[tuple[str, str]]:
    """'name: value; name: value' as (name, value) pairs: a name may hold colons, the value may not."""
    entries, seen = [], set()
    for part in (p.strip() for p in str(text).split(";")):
        if not part:
            continue
        name, colon, value = part.rpartition(":")
        if not colon or not name.strip():
            raise DealError([Problem(where, f"write each group as {example}; got {shown(part)}")])
        if name.strip().casefold() in seen:
            raise DealError([Problem(where, f"the group {shown(name.strip())} is given twice")])
        seen.add(name.strip().casefold())
        entries.append((name.strip(), value.strip()))
    return entries


def _number(text: str, where: str) -> float:
    try:
        return parse_number(text)
    except ValueError as error:
        raise DealError([Problem(where, str(error))]) from None
