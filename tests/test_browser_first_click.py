"""The first click on a cold page (a fresh browser profile): it must select the region it lands on.

It used to be lost: the legends and the ledger filled in after the first paint, the map moved under
the pointer between mousedown and mouseup, and Plotly saw no click. Now the layout arrives already
laid out for the URL's state, so nothing above the map changes size once it draws.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: A region's centre, as the page draws it (Plotly keeps each path's location in __data__.loc).
CENTRE_JS = """code => { const path = Array.from(document.querySelectorAll('#map path.choroplethlocation'))
    .find(p => p.__data__ && p.__data__.loc === code);
  if (!path) { return null; }
  const r = path.getBoundingClientRect();
  return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }"""
MAP_BOX_JS = (
    "() => { const r = document.getElementById('map').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }"
)


@pytest.mark.parametrize("query", ["", "?from=2014-01-01&to=2014-12-31"])
def test_first_click_on_a_cold_page_selects_the_region(live_server, page, query):
    pg = page.page  # a fresh context: an empty cache, as a fresh profile
    pg.set_viewport_size({"width": 1400, "height": 1400})  # the map whole in view, no scrolling
    pg.goto(live_server.url + "/" + query)
    # As soon as the map's regions are drawn: one click at Donetsk's centre, nothing waited for.
    pg.wait_for_function(f"() => ({CENTRE_JS})('UA-14') !== null", polling="raf")
    first_box = pg.evaluate(MAP_BOX_JS)
    centre = pg.evaluate(CENTRE_JS, "UA-14")
    pg.mouse.click(centre["x"], centre["y"])
    pg.wait_for_function("() => (new URLSearchParams(location.search).get('regions') || '') === 'UA-14'")
    pg.wait_for_load_state("networkidle")
    # The map did not move after it drew its first region.
    assert pg.evaluate(MAP_BOX_JS) == first_box
    # The statements follow the region picked.
    pg.wait_for_function("() => /Donetsk/.test(document.getElementById('statement-count').textContent)")
    assert page.external_requests == []
    assert page.console_errors == []
