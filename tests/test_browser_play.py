"""Play in Chromium: the range's end steps through the control snapshots and the URL is written once."""

from __future__ import annotations

import pytest
from test_browser_dashboard import assert_clean, open_dashboard

from dashboard.sources.dataset import load_dataset

pytestmark = pytest.mark.browser


def test_play_steps_to_the_last_snapshot_and_writes_the_url_once(live_server, page):
    snapshots = load_dataset().control.geometry.dates
    start, last = snapshots[-8], snapshots[-1]  # seven steps to go
    pg = open_dashboard(page, live_server.url + f"/?from=2025-01-01&to={start.isoformat()}")
    before = pg.evaluate("history.length")
    pg.click("#play")
    pg.locator("#play").get_by_text("Stop").wait_for()
    # While it plays the end moves on the page (the "to" field) but the address bar stays put.
    pg.wait_for_function(f"() => document.getElementById('date-to').value > '{start.isoformat()}'")
    pg.wait_for_function(
        f"() => new URLSearchParams(location.search).get('to') === '{last.isoformat()}'", timeout=60_000
    )
    assert pg.evaluate("new URLSearchParams(location.search).get('from')") == "2025-01-01"
    pg.locator("#play").get_by_text("Play").wait_for()
    # One history entry for the whole run, never one per step.
    assert pg.evaluate("history.length") - before == 1
    pg.locator("#control-legend").get_by_text(f"snapshot of {last.day} Aug {last.year}", exact=False).wait_for()
    assert_clean(page)
