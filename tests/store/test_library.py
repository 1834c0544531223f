"""The library on each database: saving and opening versions, history, diffs, signing and amendments,
the refused stale save, and the trash."""

import pytest

from obc_calc.io.dealfile import load_deal
from obc_calc.store import Library, LibraryError
from tests.helpers import make_deal

SAMPLE = "sample_data/math_tutoring.json"


@pytest.fixture
def library(library_url):
    with Library(library_url) as library:
        yield library


@pytest.fixture
def workspace(library):
    return library.workspace()


def math_deal(**fields):
    return make_deal(name="Math deal", total_cost=1_000_000, **({"performance_share": 0.4} | fields))


def test_save_and_open_round_trip(workspace):
    deal = load_deal(SAMPLE)
    info = workspace.save(deal, note="first draft", author="Ana")
    opened, opened_info = workspace.open(deal.name)
    assert opened == deal
    assert opened_info == info
    assert (info.deal, info.version, info.note, info.author) == (deal.name, 1, "first draft", "Ana")
    assert (info.signed, info.amends) == (False, None)
    assert info.created_at.tzinfo is not None


def test_versions_are_numbered_1_2_3_and_each_opens_as_saved(workspace):
    shares = [0.4, 0.3, 0.2]
    numbers = [workspace.save(math_deal(performance_share=s)).version for s in shares]
    assert numbers == [1, 2, 3]
    for number, share in zip(numbers, shares, strict=True):
        assert workspace.open("Math deal", number)[0].performance_share == share
    assert workspace.open("math  DEAL")[1].version == 3  # names compare without case or spacing


def test_history_oldest_first(workspace):
    workspace.save(math_deal(), note="draft", author="Ana")
    workspace.save(math_deal(performance_share=0.3), note="board's ask", author="Ben")
    history = workspace.history("Math deal")
    assert [(v.version, v.note, v.author) for v in history] == [
        (1, "draft", "Ana"), (2, "board's ask", "Ben")]
    assert history[0].created_at <= history[1].created_at


def test_deals_list(workspace):
    workspace.save(math_deal())
    workspace.save(math_deal())
    workspace.save(make_deal(name="Reading deal"))
    summaries = workspace.deals()
    assert [(s.deal, s.versions, s.latest, s.signed) for s in summaries] == [
        ("Math deal", 2, 2, None), ("Reading deal", 1, 1, None)]
    assert summaries[0].updated.tzinfo is not None


def test_diff_checked_by_hand(workspace):
    workspace.save(math_deal())
    workspace.save(math_deal(performance_share=0.3))
    diff = workspace.diff("Math deal", 1, 2)
    assert diff.to_dict()["changes"] == [{"path": "performance_share", "from": 0.4, "to": 0.3}]
    assert diff.money["maximum"] == (1_000_000, 1_000_000)
    assert diff.money["floor"] == (600_000, 700_000)  # the base: 60%, then 70%
    assert diff.money["expected"] == (800_000, 850_000)  # the base and half the pool


def test_signing_and_amendments(workspace):
    workspace.save(math_deal())
    workspace.save(math_deal(performance_share=0.35))
    signed = workspace.sign("Math deal", 2)
    assert (signed.version, signed.signed, signed.amends) == (2, True, None)
    assert workspace.sign("Math deal", 2) == signed  # signing twice is fine
    amendment = workspace.save(math_deal(performance_share=0.3), note="amendment 1")
    assert (amendment.version, amendment.amends, amendment.signed) == (3, 2, False)
    assert workspace.save(math_deal(performance_share=0.25)).amends == 2
    assert workspace.open("Math deal", 2)[0].performance_share == 0.35  # frozen
    assert workspace.deals()[0].signed == 2
    workspace.sign("Math deal", 4)
    assert workspace.save(math_deal()).amends == 4
    assert [(v.signed, v.amends) for v in workspace.history("Math deal")] == [
        (False, None), (True, None), (False, 2), (True, 2), (False, 4)]


def test_signed_or_latest(workspace):
    workspace.save(math_deal())
    workspace.save(math_deal(performance_share=0.3))
    assert workspace.signed_or_latest("Math deal")[1].version == 2
    workspace.sign("Math deal", 1)
    workspace.save(math_deal(performance_share=0.2))
    deal, info = workspace.signed_or_latest("Math deal")
    assert (info.version, info.signed, deal.performance_share) == (1, True, 0.4)


def test_stale_save_is_refused_and_saves_nothing(workspace):
    workspace.save(math_deal())
    workspace.save(math_deal(performance_share=0.3), parent=1)  # based on the latest: fine
    with pytest.raises(LibraryError) as refused:
        workspace.save(math_deal(performance_share=0.2), parent=1)
    assert str(refused.value) == ("Math deal: you edited version 1, but version 2 was saved since; nothing "
                                  "was saved. Open version 2, or save on top of it knowingly.")
    assert [v.version for v in workspace.history("Math deal")] == [1, 2]
    assert workspace.open("Math deal")[0].performance_share == 0.3
    assert workspace.save(math_deal(performance_share=0.2), parent=2).version == 3  # knowingly, on top


def test_unknown_deal_and_version(workspace):
    workspace.save(math_deal())
    workspace.save(math_deal())
    with pytest.raises(LibraryError, match=r"^no deal called 'Nothing' in workspace 'default'$"):
        workspace.open("Nothing")
    with pytest.raises(LibraryError, match=r"^Math deal has no version 9 \(it has versions 1 to 2\)$"):
        workspace.open("Math deal", 9)
    with pytest.raises(LibraryError, match="no version 9"):
        workspace.sign("Math deal", 9)
    with pytest.raises(LibraryError, match="no deal called"):
        workspace.history("Nothing")
    with pytest.raises(LibraryError, match="no deal called"):
        workspace.delete("Nothing")


def test_trash_and_restore(workspace):
    workspace.save(math_deal())
    workspace.save(make_deal(name="Reading deal"))
    workspace.delete("Math deal")
    assert [s.deal for s in workspace.deals()] == ["Reading deal"]
    assert [(s.deal, s.versions) for s in workspace.trash()] == [("Math deal", 1)]
    with pytest.raises(LibraryError, match="in the trash; restore it"):
        workspace.save(math_deal())
    with pytest.raises(LibraryError, match="already in the trash"):
        workspace.delete("Math deal")
    workspace.restore("Math deal")
    assert [s.deal for s in workspace.deals()] == ["Math deal", "Reading deal"]
    assert workspace.trash() == []
    assert workspace.save(math_deal()).version == 2
    with pytest.raises(LibraryError, match="not in the trash"):
        workspace.restore("Math deal")


def test_library_error_is_a_deal_error(workspace):
    from obc_calc.core.errors import DealError

    with pytest.raises(DealError) as caught:
        workspace.open("Nothing")
    assert caught.value.lines() == ["no deal called 'Nothing' in workspace 'default'"]
