"""An uploaded deal: a workbook or a deal file, told apart by the name and by the bytes."""

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.deal_upload import deal_from_upload, is_workbook
from obc_calc.io.dealfile import deal_to_json
from obc_calc.io.workbook import workbook_bytes
from tests.helpers import make_deal

DEAL = make_deal(name="Uploaded deal")


def test_a_deal_file_opens():
    assert deal_from_upload(deal_to_json(DEAL).encode("utf-8"), "deal.json") == DEAL


@pytest.mark.parametrize("name", ["budget.xlsx", "BUDGET.XLSX", "renamed.json"])
def test_a_workbook_opens_by_its_name_or_its_bytes(name):
    deal = deal_from_upload(workbook_bytes(DEAL), name)
    assert (deal.name, deal.students, deal.total_cost) == ("Uploaded deal", 100, 100_000)


def test_is_workbook_reads_the_name_then_the_first_bytes():
    assert is_workbook(b"{}", "deal.xlsx")
    assert is_workbook(b"PK\x03\x04rest", "deal.json")
    assert not is_workbook(b'{"name": "x"}', "deal.json")


def test_json_problems_name_the_field():
    with pytest.raises(DealError) as caught:
        deal_from_upload(b'{"schema_version": 1, "name": "x"}', "deal.json")
    assert caught.value.source == "deal.json"
    assert "students" in {problem.path for problem in caught.value.problems}


def test_a_text_file_named_xlsx_is_read_as_a_workbook():
    with pytest.raises(DealError) as caught:
        deal_from_upload(b"name,weight\nDosage,1\n", "deal.xlsx")
    assert caught.value.lines() == ["deal.xlsx: cannot read the file: it is not an Excel workbook (.xlsx)"]
