"""The bands of a banded outcome as pure conversions: its table of bands and expected shares, what
each band pays per student, and band shares written as text in the Scenarios table. No streamlit,
so tests/app/test_ui_tables.py checks them with plain pytest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from obc_calc.core.groups import unit_price
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.settle_groups import band_label as settle_band_label
from obc_calc.io.tiers import parse_number
from ui.group_tables import kept_share, percent
from ui.tables import blank

BAND_COLUMNS = ["From value", "Payout (%)", "Expected share (%)"]
# What an outcome switched to the banded basis starts with, for the user to edit in its bands table:
# below 0 pays nothing, 0 and above pays the whole price per student.
STARTER_BANDS = [{"min_value": None, "payout": 0.0}, {"min_value": 0.0, "payout": 1.0}]
_SEPARATORS = re.compile(r"[;,]")


def bands_frame(outcome: dict) -> pd.DataFrame:
    """One row per band: where it starts (blank: any value), its payout and its expected share."""
    shares = outcome.get("expected_band_shares") or []
    rows = [{"From value": band.get("min_value"), "Payout (%)": percent(band["payout"]),
             "Expected share (%)": percent(shares[i]) if i < len(shares) else None}
            for i, band in enumerate(outcome.get("bands") or [])]
    frame = pd.DataFrame(rows, columns=BAND_COLUMNS).astype("float64")
    frame.attrs["outcome"] = outcome["name"]
    return frame


def bands_from_frame(edited: pd.DataFrame, deal: dict) -> dict:
    """The deal with the outcome's bands and expected shares as edited.

    A blank payout reads as 0%; with every share blank the outcome has no expected shares (it plans
    on nobody in any band), otherwise a blank share is 0%.
    """
    name = edited.attrs["outcome"]
    rows = [row for _, row in edited.iterrows() if not all(blank(row[c]) for c in BAND_COLUMNS)]
    outcomes = []
    for outcome in deal["outcomes"]:
        if outcome["name"] != name:
            outcomes.append(outcome)
            continue
        old_bands, old_shares = outcome.get("bands") or [], outcome.get("expected_band_shares") or []
        bands, shares = [], []
        for i, row in enumerate(rows):
            old = old_bands[i] if i < len(old_bands) else {}
            bands.append({"min_value": None if blank(row["From value"]) else float(row["From value"]),
                          "payout": kept_share(row["Payout (%)"], old.get("payout")) or 0.0})
            old_share = old_shares[i] if i < len(old_shares) else None
            shares.append(kept_share(row["Expected share (%)"], old_share))
        kept = {k: v for k, v in outcome.items() if k != "expected_band_shares"}
        kept["bands"] = bands
        if any(share is not None for share in shares):
            kept["expected_band_shares"] = [share or 0.0 for share in shares]
        outcomes.append(kept)
    return {**deal, "outcomes": outcomes}


def band_label(outcome: Outcome, index: int) -> str:
    """'below 0', '0 to 0.5', '1 or more': the measured values a band holds, worded as on the invoice."""
    bands = outcome.bands or []
    upper = bands[index + 1].min_value if index + 1 < len(bands) else None
    return settle_band_label(bands[index].min_value, upper)


@dataclass(frozen=True)
class BandPrice:
    label: str
    payout: float
    share: float | None  # the expected share of the outcome's students in the band
    price: float  # paid per student in the band: the price per student × payout (negative: a penalty)


def band_prices(deal: Deal, outcome: Outcome) -> list[BandPrice]:
    """Each band of a banded outcome and what it pays per student at a multiplier of 1."""
    price, shares = unit_price(deal, outcome), outcome.expected_band_shares
    return [BandPrice(band_label(outcome, i), band.payout, shares[i] if shares else None, price * band.payout)
            for i, band in enumerate(outcome.bands or [])]


def band_prices_frame(deal: Deal, outcome: Outcome) -> pd.DataFrame:
    rows = [{"Band": b.label, "Payout": f"{b.payout:.0%}",
             "Expected share": "—" if b.share is None else f"{b.share:.1%}",
             "Price per student": f"{'−' if b.price < 0 else ''}${abs(b.price):,.2f}",
             "Kind": "penalty" if b.price < 0 else "pays nothing" if b.price == 0 else "payment"}
            for b in band_prices(deal, outcome)]
    return pd.DataFrame(rows)


# ---- band shares in a scenario, as text ---------------------------------------------------------

SHARES_HELP = ("Percents of the outcome's students in each band, in band order, separated by commas: "
               "10, 30, 40, 20 (the % sign is optional). Blank means its expected shares.")


def shares_to_text(shares: list[float] | None) -> str:
    """[0.1, 0.3] -> '10%, 30%'; none given is ''."""
    return ", ".join(f"{share * 100:g}%" for share in shares or [])


def parse_shares(cell, old: list[float] | None = None) -> list[float] | None:
    """'10, 30, 40, 20' or '10%; 30%' -> [0.1, 0.3, ...]; blank is None. A share typed as it was keeps
    the deal's value exactly. Raises ValueError naming the piece that is not a number."""
    if blank(cell):
        return None
    pieces = [p.strip().removesuffix("%").strip() for p in _SEPARATORS.split(str(cell))]
    shares = [_share(piece) for piece in pieces if piece]
    if old and len(old) == len(shares):
        shares = [o if abs(o - s) < 1e-12 else s for o, s in zip(old, shares, strict=True)]
    return shares


def _share(piece: str) -> float:
    try:
        return parse_number(f"{piece}%")
    except ValueError:
        raise ValueError(f"expected a number, got {piece!r}") from None
