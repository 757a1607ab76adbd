"""First paint in the real page: the partial plotly.js bundle is the only plotly.js
the page loads, responses come compressed, and a reload asks the server only for the layout
(304) and the callbacks' data. What reached the server is read from its own request log."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest
from conftest import LOCAL_HOSTS
from plotly.offline import get_plotlyjs_version

from dashboard.sources.paths import plotlyjs_manifest

pytestmark = pytest.mark.browser

FULL_BUNDLE = "/_dash-component-suites/plotly/package_data/plotly.min.js"
_REQUEST = re.compile(r'"GET (\S+) HTTP/[0-9.]+" (\d{3})')


def _requests_since(server, mark: int) -> list[tuple[str, int]]:
    """(path with query, status) of every GET the server logged after `mark` characters of its log."""
    return [(path, int(status)) for path, status in _REQUEST.findall(server.output()[mark:])]


def _load(page, url: str | None = None) -> None:
    if url is None:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_selector("#map path.choroplethlocation", state="attached")
    page.wait_for_load_state("networkidle")


def test_cold_load_uses_only_the_partial_bundle_compressed(own_server, page):
    encodings: dict[str, str | None] = {}
    page.page.on("response", lambda r: encodings.__setitem__(r.url.split("?")[0], r.headers.get("content-encoding")))
    mark = len(own_server.output())
    _load(page.page, own_server.url + "/")
    requested = [path for path, _ in _requests_since(own_server, mark)]
    assert not any(path.startswith(FULL_BUNDLE) for path in requested)
    assert any(path.startswith("/assets/plotly/plotly-partial.min.js?m=") for path in requested)
    manifest = json.loads(plotlyjs_manifest().read_text())
    assert page.page.evaluate("window.Plotly.version") == get_plotlyjs_version()
    assert sorted(page.page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")) == manifest["traces"]
    assert encodings[own_server.url + "/assets/plotly/plotly-partial.min.js"] == "br"
    assert encodings[own_server.url + "/_dash-layout"] == "br"
    assert page.page.locator("#map path.choroplethlocation").count() >= 6
    # Dash's @babel/polyfill is left out; what its bundles need of it is here (dashboard/web/scripts.py).
    assert not any("/deps/polyfill@" in path for path in requested)
    assert page.page.evaluate("typeof window.regeneratorRuntime") == "object"
    assert page.page.evaluate("window._babelPolyfill") is None
    # dcc's lazy components (the map, the slider, the dropdown) finished loading through it.
    page.page.wait_for_selector("#date-range [role=slider]", state="attached")
    page.page.wait_for_selector("#region-filter.dash-dropdown", state="attached")
    assert page.external_requests == []
    assert page.console_errors == []


def test_warm_reload_moves_only_the_layout_and_callbacks(own_server, browser):
    # Not the `page` fixture: Playwright's request routing, which it uses to block the
    # outside world, turns the browser's HTTP cache off. Requests are recorded instead.
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        tab = context.new_page()
        outside, errors = [], []
        tab.on(
            "request",
            lambda r: (
                None if urlparse(r.url).hostname in LOCAL_HOSTS or r.url.startswith("data:") else outside.append(r.url)
            ),
        )
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _load(tab, own_server.url + "/")
        mark = len(own_server.output())
        _load(tab)
    finally:
        context.close()
    assert outside == [] and errors == []
    requests = _requests_since(own_server, mark)
    assert ("/_dash-layout", 304) in requests  # revalidated, not resent
    assert ("/_dash-dependencies", 304) in requests
    unexpected = [
        (path, status)
        for path, status in requests
        if not (
            path == "/"
            or path.startswith(("/?", "/_dash-update-component"))
            or (path in ("/_dash-layout", "/_dash-dependencies") and status == 304)
            or (re.fullmatch(r"/_dash-component-suites/dash/dcc/async-\w+\.js", path) and status == 304)
        )
    ]
    assert unexpected == [], f"a reload fetched more than the layout and callbacks: {unexpected}"
