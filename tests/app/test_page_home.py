"""The Home page under AppTest: "How to use it" has a line for every page of the menu, in its order
(a new page without a line fails here), and the headline figures' help names no internal field."""

from __future__ import annotations

import app
from tests.app_support import start


def how_to_use() -> str:
    at = start()  # the app opens on Home
    expander = next(e for e in at.expander if e.label == "How to use it")
    return "\n".join(m.value for m in expander.markdown)


def test_how_to_use_it_has_a_line_for_every_page_in_menu_order():
    text = how_to_use()
    titles = [title for _, title, _ in app.PAGES]
    lines = [line for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert len(lines) == len(titles) == 11
    for number, (line, title) in enumerate(zip(lines, titles, strict=True), start=1):
        assert line.startswith(f"{number}. **{title}**"), (number, line)


def test_the_floor_help_names_no_internal_field():
    at = start()
    floor = next(m for m in at.metric if m.label == "Floor (nothing achieved)")
    assert "max_penalty" not in floor.help
    assert "the most the penalties may take back" in floor.help
