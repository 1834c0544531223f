"""A deal packed into a link comes back equal; a damaged link gives a plain message."""

import base64
import json
import zlib
from pathlib import Path

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import load_deal
from obc_calc.io.sharelink import decode_deal, encode_deal

SAMPLES = sorted((Path(__file__).parents[2] / "sample_data").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_round_trip(path):
    deal = load_deal(path)
    link = encode_deal(deal)
    assert link.isascii() and "/" not in link and "+" not in link  # safe in a URL as it is
    assert decode_deal(link) == deal


@pytest.mark.parametrize("value", ["", "hello", "v1.", "v1.!!!!", "v2.eJwrSS0u", "v1.eJwrSS0u"])
def test_damaged_or_foreign_links(value):
    with pytest.raises(DealError) as caught:
        decode_deal(value)
    assert caught.value.lines() == [
        "shared link: this link does not hold a deal; it may have been cut short or changed"]


def test_a_link_to_an_invalid_deal_names_the_problem():
    deal = load_deal(SAMPLES[0])
    link = encode_deal(deal)
    data = json.loads(zlib.decompress(base64.urlsafe_b64decode(link[3:] + "==")))
    data["performance_share"] = 3
    bad = "v1." + base64.urlsafe_b64encode(zlib.compress(json.dumps(data).encode())).decode()
    with pytest.raises(DealError, match="shared link: performance_share"):
        decode_deal(bad)
