"""The panels under the first screen are drawn after the map, and nothing is lost meanwhile.

The timeline, the ledger, "Find a place" and the export come with the layout but are put in place
once the map has drawn its first region (dashboard/web/after_map.py). A change made before then
still reaches the URL and the map, and the panels arrive laid out for the URL's state.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: Runs before the page's scripts: when the map's first region and the ledger's first row appear.
WATCH = """
(() => {
  const seen = window.__seen = {};
  new MutationObserver(() => {
    const now = performance.now();
    if (seen.region === undefined && document.querySelector('#map path.choroplethlocation')) { seen.region = now; }
    if (seen.ledger === undefined && document.querySelector('#ledger tbody tr')) { seen.ledger = now; }
    if (seen.timeline === undefined && document.querySelector('#timeline')) { seen.timeline = now; }
  }).observe(document, {subtree: true, childList: true});
})();
"""


def test_panels_under_the_first_screen_come_after_the_map(live_server, page):
    pg = page.page
    pg.add_init_script(WATCH)
    asked = []
    pg.on(
        "request", lambda request: asked.append(request.post_data or "") if "update-component" in request.url else None
    )
    pg.goto(live_server.url + "/?from=2013-01-01&to=2023-02-28&place=704422")
    pg.wait_for_function("() => window.__seen.ledger !== undefined && window.__seen.timeline !== undefined")
    seen = pg.evaluate("window.__seen")
    assert seen["region"] < seen["ledger"] and seen["region"] < seen["timeline"]
    # Laid out for the URL's state: the ledger's date and the place picked.
    assert "28 Feb 2023" in pg.locator("#ledger").inner_text()
    pg.wait_for_selector("#place-history h3")
    assert "Pokrovsk" in pg.locator("#place-history").inner_text()
    # In the order of the page: the timeline right under the first screen, then the ledger.
    assert pg.evaluate(
        "() => document.getElementById('timeline').compareDocumentPosition(document.getElementById('ledger'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    pg.wait_for_load_state("networkidle")
    # Nothing was asked for again: no callback of the ledger, the timeline or the map ran on load.
    assert not [body for body in asked if any(f'"{name}.' in body for name in ("ledger", "timeline", "map"))]
    assert page.external_requests == []
    assert page.console_errors == []


def test_a_date_change_before_the_panels_are_in_is_kept(live_server, page):
    """The basemap is held back, so the map cannot draw and the panels wait; the slider moves
    meanwhile. The URL follows at once, and once the map draws it and the ledger show the new day."""
    pg = page.page
    held = []

    def hold(route) -> None:  # Playwright wraps the handler: a bound builtin such as held.append will not do
        held.append(route)

    pg.route("**/_basemap/**", hold)
    pg.goto(live_server.url + "/?from=2013-01-01&to=2023-02-28")
    pg.wait_for_selector("#date-range [role=slider]")
    assert pg.locator("#ledger").count() == 0  # the panels wait for the map
    handles = pg.locator("#date-range [role=slider]")
    handles.last.focus()
    pg.keyboard.press("ArrowLeft")  # one day back: 27 Feb 2023
    pg.wait_for_function("() => new URLSearchParams(location.search).get('to') === '2023-02-27'")
    assert pg.locator("#ledger").count() == 0
    for route in held:
        route.continue_()
    pg.wait_for_selector("#map path.choroplethlocation")
    pg.wait_for_function("() => /27 Feb 2023/.test((document.getElementById('ledger') || {}).textContent || '')")
    assert pg.input_value("#date-to") == "2023-02-27"
    # The statements and the timeline follow the new day too.
    pg.wait_for_function("() => /27 Feb 2023/.test(document.getElementById('statement-count').textContent)")
    pg.wait_for_load_state("networkidle")
    assert page.external_requests == []
    assert page.console_errors == []


def test_mount_resets_that_change_nothing_are_dropped(live_server, page):
    """Dash resets a component's kept render hashes as it mounts; with none kept the reset is dropped
    (assets/quiet_resets.js), and a reset that has hashes to drop still goes through."""
    pg = page.page
    pg.goto(live_server.url + "/?from=2013-01-01&to=2023-02-28")
    pg.wait_for_selector("#statements [data-statement-id]")
    pg.wait_for_selector("#ledger tbody tr")
    pg.wait_for_load_state("networkidle")
    counts = pg.evaluate(
        "() => ({quiet: window.store.dispatch.contestedQuiet === true,"
        " skipped: window.store.dispatch.skipped, passed: window.store.dispatch.passed})"
    )
    assert counts["quiet"]
    # Every component mounted: the first screen, the statements list and the panels after the map.
    assert counts["skipped"] > pg.evaluate("() => document.querySelectorAll('#statements *').length") / 2
    # A record picked (its button's props change, so its path keeps a hash), then the list drawn again
    # by a search: the reset under that path goes through, and the new list shows no stale selection.
    first = pg.locator("#statements .show-on-map").first
    first.click()
    pg.wait_for_function("() => document.querySelector('#statements .show-on-map.selected') !== null")
    pg.fill("#statement-search", "Peskov")
    pg.wait_for_function(
        "() => /Peskov/.test(document.getElementById('statement-count').textContent)"
        " || document.querySelectorAll('#statements [data-statement-id]').length < 10"
    )
    pg.wait_for_load_state("networkidle")
    assert pg.evaluate("() => window.store.dispatch.passed") > counts["passed"]
    assert page.console_errors == []
