"""Shared fixtures: the real server on a free port, and a Chromium page that
blocks and records every request leaving 127.0.0.1.

Browser tests skip when Chromium or Playwright is missing on a developer's
machine, but fail under CI=true (a browser test may not silently skip there).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling the server's start-up, not a test wait
    raise RuntimeError(f"server did not answer {url} within {timeout} s")


class LiveServer:
    def __init__(self, args: list[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # stderr goes to a file, not a pipe: the server logs every request, and an
        # unread pipe fills up after about a thousand and blocks the server.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--port", str(self.port), *args],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=self.log, text=True,
        )
        try:
            wait_for_http(self.url + "/", self.process)
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def output(self) -> str:
        """What the server wrote to stderr so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = LiveServer([])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def own_server() -> Iterator[LiveServer]:
    """A server for one test module alone, for hostile traffic that should not touch the shared one."""
    server = LiveServer([])
    yield server
    server.stop()


def _browser_missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_available() -> str:
    """Playwright and Chromium are installed (fails under CI=true, skips elsewhere)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _browser_missing("playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _browser_missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RecordingPage:
    """A page plus what it tried to fetch from outside and what its console said."""

    def __init__(self, page) -> None:
        self.page = page
        self.external_requests: list[str] = []
        self.console_errors: list[str] = []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _route(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external_requests.append(url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture
def page(browser) -> Iterator[RecordingPage]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    recording = RecordingPage(context.new_page())
    yield recording
    context.close()
