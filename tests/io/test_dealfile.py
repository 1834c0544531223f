"""Deal files: save then load gives an equal deal; unreadable files give one plain line."""

import json
from pathlib import Path

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import deal_to_dict, field_path, load_deal, save_deal

DATA = Path(__file__).parents[1] / "data"
SAMPLES = sorted((Path(__file__).parents[2] / "sample_data").glob("*.json"))


@pytest.mark.parametrize("path", [DATA / "example_deal.json", *SAMPLES], ids=lambda p: p.name)
def test_save_then_load_gives_an_equal_deal(path, tmp_path):
    deal = load_deal(path)
    save_deal(deal, tmp_path / "copy.json")
    again = load_deal(tmp_path / "copy.json")
    assert again == deal
    assert deal_to_dict(again) == deal_to_dict(deal)


def test_saved_file_leaves_out_unset_fields(tmp_path):
    deal = load_deal(DATA / "example_deal.json")
    save_deal(deal, tmp_path / "copy.json")
    saved = json.loads((tmp_path / "copy.json").read_text())
    assert "eligible_students" not in saved["outcomes"][0]
    assert saved["schema_version"] == 1


def test_missing_file():
    with pytest.raises(DealError) as caught:
        load_deal("no/such/deal.json")
    assert caught.value.lines() == ["no/such/deal.json: cannot read the file (No such file or directory)"]


def test_field_paths_read_like_the_file():
    assert field_path(("outcomes", 2, "tiers", 1, "min_rate")) == "outcomes[2].tiers[1].min_rate"
    assert field_path(("scenarios", 1, "rates", "Dosage")) == "scenarios[1].rates.Dosage"
