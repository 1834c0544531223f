"""Fixtures shared by several test modules: the browser tests' server, browser and pages (helpers in
tests/browser_support.py). AppTest helpers are in tests/app_support.py."""

from __future__ import annotations

import pytest
from hypothesis import settings

from tests import browser_support

# No per-example time limit: CI machines are shared and slow examples are not failures here.
settings.register_profile("obc", deadline=None)
settings.load_profile("obc")


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
