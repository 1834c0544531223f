"""Shared by the browser tests: the chromium rule, the streamlit server, and steps a user takes.

The fixtures built on these (server, browser, browser_page, page) live in tests/conftest.py.
Playwright is imported inside the functions, so importing this module never needs it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "streamlit-server.log"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}


def require_chromium() -> None:
    """Call at the top of a browser test module: a loud skip without chromium, a failure in CI."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; CI must install chromium (see .ci/run)", pytrace=False)
    pytest.skip(f"BROWSER TEST SKIPPED: {CHROMIUM} is missing (apt-get install chromium)",
                allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_tail(log_path: Path = SERVER_LOG, lines: int = 40) -> str:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def wait_healthy(url: str, process: subprocess.Popen, log_path: Path = SERVER_LOG,
                 seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}; "
                               f"the end of {log_path}:\n{log_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {seconds} s; "
                       f"the end of {log_path}:\n{log_tail(log_path)}")


@contextmanager
def streamlit_server(log_path: Path = SERVER_LOG):
    """`streamlit run app.py` on a free port; its output goes to a log file (a pipe nobody reads
    would block the server once full). A second server at once needs a log of its own."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# The menu's entries as the page shows them, icons left out (a material icon is drawn from its name).
MENU_TEXT = """() => Array.from(document.querySelectorAll(
    '[data-testid="stSidebar"] [data-testid="stSidebarNavLink"]')).map(link => {
        const copy = link.cloneNode(true);
        copy.querySelectorAll('[data-testid="stIconMaterial"]').forEach(icon => icon.remove());
        return copy.innerText.trim();
    })"""
# The sidebar's texts, one per text node (a detached copy has no layout, so no lines), icons left out.
SIDEBAR_LINES = """() => {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    if (!bar) return [];
    const walker = document.createTreeWalker(bar, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.parentElement.closest('[data-testid="stIconMaterial"]')) continue;
        const text = node.textContent.trim();
        if (text) texts.push(text);
    }
    return texts;
}"""
ALERT_ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def no_errors_shown(page, where: str) -> None:
    """No Python exception and no error box (st.error draws stAlertContentError in Streamlit 1.67)."""
    shown = page.locator(ALERT_ERRORS).all_inner_texts()
    assert not shown, f"{where} shows an error: {shown}"


def settle(page) -> None:
    """Wait until the app has finished its current run and drawn it, with no Python exception."""
    page.wait_for_timeout(200)  # let a rerun triggered just before start
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
    page.wait_for_selector('[data-testid="stMain"] h1')
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
    page.wait_for_timeout(300)
    assert page.locator('[data-testid="stException"]').count() == 0, "the app shows a Python exception"


def go_to(page, title: str) -> None:
    from playwright.sync_api import expect

    link = page.locator(f'[data-testid="stSidebarNavLink"]:has(span[label="{title}"])')
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    settle(page)


@contextmanager
def whole_page(page):
    """The window grown to the main area's height (it scrolls inside the window), then back: what a
    screenshot or an accessibility scan needs to see everything laid out."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(1000, min(height + 40, 8000))})
    page.wait_for_timeout(600)  # charts redraw at the new size
    try:
        yield
    finally:
        page.set_viewport_size(VIEWPORT)


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with whole_page(page):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_expanders(page) -> None:
    """Open every closed expander on screen (the charts' data, the sidebar's share box), so what they
    hold shows; a collapsed sidebar's are left alone."""
    for details in page.locator('[data-testid="stExpander"] details').all():
        box = details.bounding_box()
        if details.get_attribute("open") is None and box and box["x"] >= 0:
            details.locator("summary").click()
            page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # an expander opens in the browser alone: no run to wait for


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
