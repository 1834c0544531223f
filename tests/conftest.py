"""Fixtures shared by several test modules: the browser tests' server, browser and pages (helpers in
tests/browser_support.py). AppTest helpers are in tests/app_support.py."""

from __future__ import annotations

import os
import secrets
import warnings

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


# ---------------------------------------------------------------- the deal library's databases

POSTGRES_VARIABLE = "OBC_TEST_POSTGRES_URL"


def _postgres_database(base_url: str):
    """A fresh database `test_<random>` on the server at `base_url`: its URL, and a function that
    drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"test_{secrets.token_hex(6)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def library_url(request, tmp_path):
    """An empty deal library's database URL: a SQLite file, and a fresh PostgreSQL database when
    OBC_TEST_POSTGRES_URL names a server (.ci/run starts one). Without it the PostgreSQL case skips,
    saying so, except in CI (CI=true), where it fails."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.sqlite3'}"
        return
    base_url = os.environ.get(POSTGRES_VARIABLE)
    if not base_url:
        reason = (f"POSTGRESQL TESTS SKIPPED: set {POSTGRES_VARIABLE} to a PostgreSQL server URL "
                  "(postgresql+psycopg://...); .ci/run starts one")
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_VARIABLE} is not set in CI; the PostgreSQL tests must run there")
        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)
    url, drop = _postgres_database(base_url)
    try:
        yield url
    finally:
        drop()
