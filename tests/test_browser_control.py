"""The control layer in Chromium: it shows, follows the date and the toggle, offline."""

from __future__ import annotations

import pytest
from test_browser_dashboard import assert_clean, open_dashboard

pytestmark = pytest.mark.browser

LINES_JS = """() => Array.from(document.querySelectorAll('#map g.trace.scattergeo path.js-line'))
    .map(p => p.getAttribute('d') || '').filter(d => d.length > 0)"""


def _lines(pg) -> list[str]:
    return pg.evaluate(LINES_JS)


def test_the_layer_shows_and_follows_the_date(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?to=2026-08-21")
    pg.wait_for_function(f"() => ({LINES_JS})().length >= 2")  # hatching and outline
    latest = _lines(pg)
    legend = pg.locator("#control-legend")
    legend.get_by_text("snapshot of 21 Aug 2026", exact=False).wait_for()
    # A day in a gap of the archive: the last snapshot before it, and its date said.
    pg.goto(live_server.url + "/?to=2024-08-19")
    pg.locator("#control-legend").get_by_text("snapshot of 17 Aug 2024", exact=False).wait_for()
    pg.wait_for_function(
        f"old => {{ const now = ({LINES_JS})(); return now.length >= 2 && now.join() !== old.join(); }}", arg=latest
    )
    assert_clean(page)


def test_before_the_archive_nothing_is_drawn_and_the_page_says_why(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?to=2020-01-01")
    pg.locator("#control-legend").get_by_text(
        "No DeepStateMap snapshot on or before 1 Jan 2020", exact=False
    ).wait_for()
    pg.wait_for_function(f"() => ({LINES_JS})().length === 0")
    assert_clean(page)


def test_the_toggle_hides_and_shows_the_layer(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?to=2026-08-21")
    pg.wait_for_function(f"() => ({LINES_JS})().length >= 2")
    toggle = pg.locator("#control-layer input[type=checkbox]")
    toggle.uncheck()
    pg.wait_for_function(f"() => ({LINES_JS})().length === 0")
    toggle.check()
    pg.wait_for_function(f"() => ({LINES_JS})().length >= 2")
    assert_clean(page)
