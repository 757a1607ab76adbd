"""Shared fixtures: the real server on a free port, and a Chromium page that
blocks and records every request leaving 127.0.0.1.

Browser tests skip when Chromium or Playwright is missing on a developer's
machine, but fail under CI=true (a browser test may not silently skip there).
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

# One definition of the browser set-up and of a server process, shared with the benchmarks.
from dashboard.testing import CHROMIUM, CHROMIUM_ARGS, REPO, ServerProcess, free_port  # noqa: F401

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

#: A test using one of these drives Chromium through Playwright: marked `browser` whatever its module says.
BROWSER_FIXTURES = frozenset({"page", "browser", "chromium_available"})
#: A test using one of these starts a server process or waits out a server's timeouts: marked `slow`.
SERVER_FIXTURES = frozenset({"live_server", "own_server", "quick_server"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks by fixture, so a new browser or server test cannot be left out of its marker."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
        if used & SERVER_FIXTURES and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def bundled_data():
    """The dataset `serve` loads by default (bundled layers, claims and control), loaded once."""
    from dashboard.sources.dataset import load_dataset

    return load_dataset()


@pytest.fixture(scope="session")
def bundled_app():
    """The app `serve` builds with default settings, built once; tests that change its settings build their own."""
    from dashboard.web.app import Settings, create_app

    return create_app(Settings())


class LiveServer(ServerProcess):
    """`python -m dashboard serve` with extra arguments, on a free port, ready when constructed."""

    def __init__(self, args: list[str], **kwargs) -> None:
        super().__init__([sys.executable, "-m", "dashboard", "serve", "--port", "{port}", *args], **kwargs)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = LiveServer([])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def own_server() -> Iterator[LiveServer]:
    """A server for one test module alone, for hostile traffic that should not touch the shared one;
    it logs each request (`--access-log`), for tests that read what was asked for."""
    server = LiveServer(["--access-log"])
    yield server
    server.stop()


#: Development data beside the checkout: the daily and raw control files (data/), articles/ and seed/.
SHARED = REPO.parent / "shared"


def need_shared(path: Path) -> Path:
    """`path` (inside SHARED) when it is there; else skip saying which folder is missing and how to
    get it, and under CI=true fail with the same words (CI has the folder: a test may not skip there)."""
    if path.exists():
        return path
    message = (
        f"{path} is missing: this test reads the development data in {SHARED}, a folder beside the "
        f"checkout holding data/deepstate-daily, data/deepstate-raw, articles and seed; put a copy of it "
        f'there (README, "Run the tests")'
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


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


@pytest.fixture()
def quick_server():
    """The server `serve` builds, in this process, with a 2-second channel timeout and a 4-second request timeout."""
    from waitress import wasyncore

    from dashboard.web import server as server_module
    from dashboard.web.app import Settings, create_app

    app = create_app(Settings())
    server = server_module.build_production_server(app.server, "127.0.0.1", 0, channel_timeout=2, request_timeout=4)
    loop = threading.Thread(target=server.run, daemon=True)
    loop.start()
    yield server
    server.task_dispatcher.shutdown(timeout=5)
    wasyncore.close_all(server._map)
    loop.join(10)
    assert not loop.is_alive()
