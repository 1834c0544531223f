"""A deal packed into a URL query value, so a link opens the same deal for whoever receives it.

A link is measured before it is unpacked: its length first, then its inflated size, which is
bounded while inflating (a few kilobytes of zlib can stand for gigabytes of spaces).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_DEAL_BYTES, MAX_LINK_CHARS
from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, json_data

PREFIX = "v1."  # lets a later format be told apart from this one
SOURCE = "shared link"
DAMAGED = "this link does not hold a deal; it may have been cut short or changed"


def encode_deal(deal: Deal) -> str:
    text = json.dumps(deal_to_dict(deal), separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), level=9)
    return PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_deal(value: str) -> Deal:
    """The deal in a link, or DealError with a plain message when the link is damaged, foreign or
    over a limit."""
    if len(value) > MAX_LINK_CHARS:
        message = f"the link is {len(value):,} characters; the calculator reads at most {MAX_LINK_CHARS:,}"
        raise DealError([Problem("", message)], SOURCE)
    if not value.startswith(PREFIX):
        raise DealError([Problem("", DAMAGED)], SOURCE)
    body = value[len(PREFIX):]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):  # ValueError: characters that are not ASCII
        raise DealError([Problem("", DAMAGED)], SOURCE) from None
    return deal_from_dict(json_data(_inflated(packed), SOURCE, DAMAGED), SOURCE)


def _inflated(packed: bytes) -> bytes:
    """The packed JSON, inflated no further than MAX_DEAL_BYTES and one byte more."""
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, MAX_DEAL_BYTES + 1)
    except zlib.error:
        raise DealError([Problem("", DAMAGED)], SOURCE) from None
    if len(raw) > MAX_DEAL_BYTES:
        message = (f"the deal in this link unpacks to more than {MAX_DEAL_BYTES:,} bytes; the calculator "
                   f"reads at most {MAX_DEAL_BYTES:,}")
        raise DealError([Problem("", message)], SOURCE)
    if not inflater.eof:  # the stream stops short: the link was cut
        raise DealError([Problem("", DAMAGED)], SOURCE)
    return raw
