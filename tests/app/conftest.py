"""The app tests' deal library: a throwaway SQLite file for the whole session, so that no test (nor
the browser tests' server, which inherits the environment) writes to the embedded ./data library.
Tests of the Library page give each test a fresh file of its own (tests/app/test_page_library.py)."""

from __future__ import annotations

import os

import pytest

URL_VARIABLE = "OBC_DATABASE_URL"


@pytest.fixture(scope="session", autouse=True)
def session_library(tmp_path_factory):
    before = os.environ.get(URL_VARIABLE)
    url = f"sqlite:///{tmp_path_factory.mktemp('library') / 'library.sqlite3'}"
    os.environ[URL_VARIABLE] = url
    yield url
    if before is None:
        os.environ.pop(URL_VARIABLE, None)
    else:
        os.environ[URL_VARIABLE] = before
