"""Fixtures shared by several test modules: the whole app under AppTest (helpers in
tests/app_support.py), and the browser tests' server, browser and pages (helpers in
tests/browser_support.py)."""

from __future__ import annotations

import pytest
from hypothesis import settings

from tests import browser_support

# No per-example time limit: CI machines are shared and slow examples are not failures here.
settings.register_profile("obc", deadline=None)
settings.load_profile("obc")


@pytest.fixture
def whole_app(monkeypatch):
    """Make every AppTest run go through app.py, as a browser's run does.

    AppTest (streamlit 1.67) resets PagesManager.uses_pages_directory before each run, so with a
    app_pages/ folder next to app.py every run after the first takes the old pages-folder path and
    runs the requested page file alone: app.py's sidebar, share link and presentation switch
    would never run again. Our app routes with st.navigation, which sets the flag to False.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(scope="session")
def server():
    with browser_support.streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(browser_support.CHROMIUM),
                                     args=browser_support.LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_page(browser, server):
    """A fresh browser session (its own cookies and downloads), not yet on the app."""
    context = browser.new_context(viewport=browser_support.VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


@pytest.fixture
def page(browser_page, server):
    browser_page.goto(server)
    browser_support.settle(browser_page)
    return browser_page
