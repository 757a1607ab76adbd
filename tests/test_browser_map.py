"""The real page in Chromium: the map renders offline with the contested regions distinguished."""

from __future__ import annotations

import pytest

from dashboard.core.regions import CONTESTED_CODES

pytestmark = pytest.mark.browser

# Plotly geo draws each location as a path.choroplethlocation; the path's
# bound datum (calcdata) carries its location code as `loc`.
FILLS_JS = """
() => Array.from(document.querySelectorAll('#map path.choroplethlocation')).map(p => ({
    location: p.__data__ && p.__data__.loc,
    fill: getComputedStyle(p).fill,
}))
"""


def test_map_renders_contested_regions_offline(live_server, page):
    page.page.goto(live_server.url + "/")
    page.page.wait_for_selector("#map path.choroplethlocation", state="attached")
    page.page.wait_for_function(
        "n => document.querySelectorAll('#map path.choroplethlocation').length >= n", arg=6 + 21
    )
    fills = {p["location"]: p["fill"] for p in page.page.evaluate(FILLS_JS)}

    for code in CONTESTED_CODES:
        assert code in fills, f"no path for {code}"
    other_oblast = fills["UA-32"]  # Kyiv Oblast
    for code in CONTESTED_CODES:
        assert fills[code] != other_oblast, f"{code} is drawn like an oblast with no contested status"
    assert page.external_requests == []
    assert page.console_errors == []
