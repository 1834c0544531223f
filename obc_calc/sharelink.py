"""A deal packed into a URL query value, so a link opens the same deal for whoever receives it."""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from obc_calc.dealfile import deal_from_dict, deal_to_dict
from obc_calc.errors import DealError, Problem
from obc_calc.model import Deal

PREFIX = "v1."  # lets a later format be told apart from this one
DAMAGED = "this link does not hold a deal; it may have been cut short or changed"


def encode_deal(deal: Deal) -> str:
    text = json.dumps(deal_to_dict(deal), separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), level=9)
    return PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_deal(value: str) -> Deal:
    """The deal in a link, or DealError with a plain message when the link is damaged or foreign."""
    if not value.startswith(PREFIX):
        raise DealError([Problem("", DAMAGED)], "shared link")
    body = value[len(PREFIX):]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        data = json.loads(zlib.decompress(packed).decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise DealError([Problem("", DAMAGED)], "shared link") from None
    return deal_from_dict(data, "shared link")
