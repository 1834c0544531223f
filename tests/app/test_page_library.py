"""The Library page (app_pages/library.py) and the library's sidebar block under AppTest, each test on
a fresh deal library (a SQLite file; the PostgreSQL server too, for the stale save, when
OBC_TEST_POSTGRES_URL names one).

Figures by hand from the math sample (tests/app/test_app_pages.py): $1,775,000 for 1,250 students,
52.8169% on outcomes (pool 937,500, base 837,500 per student served), weights 25% / 55% / 20%,
expected rates 70% / 53% and 75% on a graduated 50% to 90% outcome (62.5% of its allocation).
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from obc_calc.io.dealfile import load_deal
from obc_calc.store.library import Library
from tests.app_support import MATH, act, button, go, start
from ui import library_views, state

LIBRARY, HOME = "app_pages/library.py", "app_pages/home.py"
MATH_NAME = "Middle-school math tutoring 2026-27"


@pytest.fixture
def url(tmp_path, monkeypatch):
    value = f"sqlite:///{tmp_path / 'library.sqlite3'}"
    monkeypatch.setenv("OBC_DATABASE_URL", value)
    return value


def save(at: AppTest, note: str = "", author: str = "") -> AppTest:
    go(at, LIBRARY)
    at.text_input(key=state.LIB_NOTE).set_value(note)
    at.text_input(key=state.LIB_AUTHOR).set_value(author)
    return act(button(at, "Save as a new version").click())


def set_share(at: AppTest, percent: float) -> AppTest:
    go(at, "app_pages/deal_split.py")
    return act(at.number_input(key="share_number").set_value(percent))


def sidebar(at: AppTest) -> str:
    return "\n".join([c.value for c in at.sidebar.caption] + [m.value for m in at.sidebar.markdown])


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def successes(at: AppTest) -> str:
    return "\n".join(s.value for s in at.success)


def frame(at: AppTest, first_column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def test_save_change_and_save_again_tracks_the_version_and_unsaved_changes(url):
    at = start()
    assert "Library: not saved yet" in sidebar(at)
    assert "Unsaved changes" not in sidebar(at)
    save(at, "first draft", "Ana")
    assert f'Saved "{MATH_NAME}" as version 1.' in successes(at)
    assert f"Library: **{MATH_NAME}**, version 1" in sidebar(at)
    assert "Saved]" in sidebar(at) and "Unsaved changes" not in sidebar(at)
    set_share(at, 30.0)
    assert "Unsaved changes" in sidebar(at)
    save(at, "board's ask", "Ben")
    assert f"Library: **{MATH_NAME}**, version 2" in sidebar(at)
    assert "Unsaved changes" not in sidebar(at)
    history = frame(at, "Version")
    assert list(history["Version"]) == ["1", "2"]
    assert list(history["Note"]) == ["first draft", "board's ask"]
    assert list(history["Author"]) == ["Ana", "Ben"]
    assert list(history["Signed"]) == ["", ""]


def test_the_overview_shows_the_math_samples_headline_figures(url):
    at = save(start())
    row = frame(at, "Deal").set_index("Deal").loc[MATH_NAME]
    assert row["Maximum"] == "$1,775,000"
    # 837,500 + 234,375 x 0.70 + 515,625 x 0.53 + 187,500 x 0.625 = 1,392,031.25
    assert row["Expected"] == "$1,392,031"
    assert row["Floor"] == "$837,500"
    assert row["Max. per pupil"] == "$1,420.00"  # 1,775,000 / 1,250
    assert row["Expected per pupil"] == "$1,113.63"  # 1,392,031.25 / 1,250 = 1,113.625
    assert (row["On outcomes"], row["Latest"], row["Signed"]) == ("52.8%", "1", "none")
    with Library(url) as library:
        csv = pd.read_csv(io.BytesIO(library_views.overview_csv(library_views.overview(library.workspace()))))
    assert csv.loc[0, "Maximum (encumber) ($)"] == 1_775_000
    assert csv.loc[0, "Expected ($)"] == 1_392_031.25
    assert csv.loc[0, "Floor (nothing achieved) ($)"] == 837_500
    assert csv.loc[0, "Expected per pupil ($)"] == 1_113.63  # 1,113.625: halves away from zero


def test_a_stale_save_is_refused_and_offers_the_newer_version_or_saving_on_top(library_url, monkeypatch):
    monkeypatch.setenv("OBC_DATABASE_URL", library_url)
    ana = save(start())
    ben = start()  # another session opens version 1 and saves version 2
    go(ben, LIBRARY)
    act(button(ben, "Open version 1").click())
    save(set_share(ben, 40.0))
    set_share(ana, 30.0)
    save(ana)  # Ana's edit began from version 1
    assert (f"{MATH_NAME}: you edited version 1, but version 2 was saved since; nothing was saved"
            in warnings(ana))
    assert [h.version for h in Library(library_url).workspace().history(MATH_NAME)] == [1, 2]
    assert "Unsaved changes" in sidebar(ana)
    act(button(ana, "Save on top of it anyway").click())
    assert f'Saved "{MATH_NAME}" as version 3.' in successes(ana)
    deal, info = Library(library_url).workspace().open(MATH_NAME)
    assert (info.version, deal.performance_share) == (3, 0.3)
    # Ben, still on version 2, is refused in turn and opens the newer version instead.
    save(set_share(ben, 45.0))
    act(button(ben, "Open the newer version").click())
    assert ben.session_state["deal"].performance_share == 0.3
    assert f"Library: **{MATH_NAME}**, version 3" in sidebar(ben)


def test_opening_a_version_or_a_sample_with_unsaved_changes_asks_first(url):
    at = save(start())
    set_share(at, 30.0)
    go(at, LIBRARY)
    act(button(at, "Open version 1").click())
    assert "has unsaved changes" in warnings(at)
    assert at.session_state["deal"].performance_share == 0.3  # nothing dropped yet
    act(button(at, "Keep editing").click())
    assert "has unsaved changes" not in warnings(at)
    go(at, HOME)
    act(button(at, "Literacy tutoring").click())
    assert at.session_state["deal"].performance_share == 0.3
    act(button(at, "Open the sample deal Literacy tutoring without saving").click())
    assert at.session_state["deal"].name == "K-3 literacy tutoring 2026-27"
    assert "Library: not saved yet" in sidebar(at)
    go(at, LIBRARY)
    act(button(at, "Open version 1").click())  # the sample is unchanged: it opens at once
    assert at.session_state["deal"] == load_deal(MATH)
    assert "Saved]" in sidebar(at)


def test_two_versions_are_compared_field_by_field_and_in_money(url):
    at = save(set_share(save(start()), 30.0))
    go(at, LIBRARY)
    money = frame(at, "Figure").set_index("Figure")
    assert money.loc["Maximum (encumber)", "Change"] == "no change"
    # 30%: pool 532,500, base 1,242,500; expected 1,242,500 + 532,500 x (0.175 + 0.2915 + 0.125)
    # = 1,242,500 + 314,973.75 = 1,557,473.75, up 165,442.50 from 1,392,031.25
    assert money.loc["Expected", "Version 2"] == "$1,557,474"
    assert money.loc["Floor (nothing achieved)", "Change"] == "+$405,000"  # 1,242,500 - 837,500
    changes = frame(at, "Field")
    assert changes.to_dict("records") == [{"Field": "Performance share", "From": "52.8%", "To": "30.0%"}]


def test_signing_asks_for_confirmation_and_the_next_save_is_an_amendment(url):
    at = save(start())
    act(button(at, "Sign version 1…").click())
    assert "Signing records it as the contract the parties signed" in warnings(at)
    act(button(at, "Yes, sign version 1").click())
    assert list(frame(at, "Version")["Signed"]) == ["yes"]
    assert frame(at, "Deal")["Signed"].tolist() == ["1"]
    save(set_share(at, 30.0), "amendment")
    assert "version 2, an amendment of signed version 1" in successes(at)
    assert list(frame(at, "Version")["Amends"]) == ["", "signed version 1"]


def test_a_deal_goes_to_the_trash_and_comes_back(url):
    at = save(start())
    act(button(at, f"Move {MATH_NAME} to the trash").click())
    assert not [d for d in at.dataframe if d.value.columns[0] == "Deal"]
    assert "No deal is saved in this workspace yet" in "\n".join(i.value for i in at.info)
    act(button(at, "Restore").click())
    assert frame(at, "Deal")["Deal"].tolist() == [MATH_NAME]


def test_a_new_workspace_shows_its_code_once_and_opens_only_with_it(url):
    at = go(start(), LIBRARY)
    at.text_input(key=state.LIB_CREATE_NAME).set_value("Cohort A")
    act(button(at, "Create the workspace").click())
    shown = successes(at)
    assert "Write the code down now" in shown
    code = shown.split("`")[1]
    act(at)
    assert "Write the code down now" not in successes(at)  # said once
    save(at)
    assert at.header[0].value == "Workspace: Cohort A"
    other = go(start(), LIBRARY)
    assert not [d for d in other.dataframe if d.value.columns[0] == "Deal"]  # the default workspace is empty
    other.text_input(key=state.LIB_JOIN_NAME).set_value("Cohort A")
    other.text_input(key=state.LIB_JOIN_CODE).set_value("not-the-code")
    act(button(other, "Join").click())
    assert "no workspace by that name opens with that code" in warnings(other)
    other.text_input(key=state.LIB_JOIN_CODE).set_value(code)
    act(button(other, "Join").click())
    assert frame(other, "Deal")["Deal"].tolist() == [MATH_NAME]


def test_the_compare_page_loads_every_deal_of_the_workspace(url):
    at = save(start())
    go(at, HOME)
    act(button(at, "Literacy tutoring").click())
    save(at)
    go(at, "app_pages/compare.py")
    act(button(at, "Load every deal of the library workspace").click())
    labels = ["K-3 literacy tutoring 2026-27 (version 1)", f"{MATH_NAME} (version 1)"]
    assert at.multiselect(key=state.COMPARE_PICK).value == labels
    figures = at.dataframe[0].value.set_index("Figure")
    assert figures.loc["Maximum (encumber)", labels[1]] == "$1,775,000"


def test_a_library_that_cannot_open_is_said_plainly_and_other_pages_work(tmp_path, monkeypatch):
    monkeypatch.setenv("OBC_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'dir' / 'library.sqlite3'}")
    at = go(start(), LIBRARY)
    assert "The deal library cannot be used right now: cannot open the deal library" in at.error[0].value
    act(button(at, "Save to the library").click())
    assert "cannot open the deal library" in warnings(at)
    go(at, HOME)
    assert not at.error
