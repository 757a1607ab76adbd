"""The change of control over the range in Chromium: the map's change traces, the legend, the
ledger's two columns, the timeline's bars, and the checkbox writing `change=yes` into the URL.

Screenshots (English and Ukrainian, and a greyscale copy of each) go to $CHANGE_SHOTS when set,
so a person can look at them; the test itself checks what it can read from the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_browser_dashboard import assert_clean, open_dashboard

from dashboard.render.theme import CHANGE_LOST_LINE, CHANGE_TAKEN_LINE

pytestmark = pytest.mark.browser

URL = "/?from=2024-07-09&to=2026-08-21&change=yes"


def _rgb(colour: str) -> str:
    colour = colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (0, 2, 4)))


#: Drawn map lines per stroke colour (the change traces have their own colours).
STROKES_JS = """() => { const counts = {};
    document.querySelectorAll('#map g.trace.scattergeo path.js-line').forEach(p => {
        if ((p.getAttribute('d') || '').length > 0) {
            const s = p.style.stroke; counts[s] = (counts[s] || 0) + 1; } });
    return counts; }"""
TAKEN, LOST = _rgb(CHANGE_TAKEN_LINE), _rgb(CHANGE_LOST_LINE)


def _drawn(pg) -> dict:
    return pg.evaluate(STROKES_JS)


def _shoot(pg, name: str) -> None:
    folder = os.environ.get("CHANGE_SHOTS")
    if not folder:
        return
    from PIL import Image, ImageOps

    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(path), full_page=True)
    ImageOps.grayscale(Image.open(path)).save(path.with_name(f"{name}-grey.png"))


def test_change_layer_ledger_legend_and_checkbox(live_server, page):
    pg = open_dashboard(page, live_server.url + URL)
    box = pg.locator("#change-layer input[type=checkbox]")
    pg.wait_for_function("() => document.querySelector('#change-layer input[type=checkbox]').checked")
    # The map: both change patterns drawn (taken: cross-hatch and edge; no longer held: dashed).
    pg.wait_for_function(
        f"([t, l]) => {{ const c = ({STROKES_JS})(); return (c[t] || 0) >= 2 && (c[l] || 0) >= 1; }}", arg=[TAKEN, LOST]
    )
    dash = pg.evaluate(
        """l => Array.from(document.querySelectorAll('#map g.trace.scattergeo path.js-line'))
        .find(p => p.style.stroke === l).style.strokeDasharray""",
        LOST,
    )
    assert dash and dash != "none"
    # The legend names the source and the two snapshots.
    legend = pg.locator("#change-legend")
    legend.get_by_text("Taken by Russian forces between 9 Jul 2024 and 21 Aug 2026 per DeepStateMap").wait_for()
    legend.get_by_text(
        "No longer held by Russian forces between 9 Jul 2024 and 21 Aug 2026 per DeepStateMap"
    ).wait_for()
    # The ledger: two more columns with the figures.
    pg.locator("#ledger thead").get_by_text("Taken / no longer held").wait_for()
    donetsk = pg.locator('#ledger tr[data-code="UA-14"]')
    donetsk.locator(".change-net").wait_for()
    assert "(59% → 79%)" in donetsk.locator(".change-net").inner_text().replace("\u00a0", " ")
    assert donetsk.locator(".change-taken-lost").inner_text().replace("\u00a0", " ").startswith("+5,486 km² / ")
    # The timeline: monthly bars on their own axis.
    pg.wait_for_function("() => document.querySelectorAll('#timeline g.trace.bars path').length > 20")
    _shoot(pg, "change-en")
    # Unticking drops change=yes from the URL and clears the layer; ticking brings both back.
    box.uncheck()
    pg.wait_for_function("() => !window.location.search.includes('change=yes')")
    pg.wait_for_function(f"t => !(({STROKES_JS})()[t])", arg=TAKEN)
    assert legend.inner_text().strip() == ""
    box.check()
    pg.wait_for_function("() => window.location.search.includes('&change=yes')")
    pg.wait_for_function(f"t => (({STROKES_JS})()[t] || 0) >= 2", arg=TAKEN)
    assert_clean(page)


def test_change_in_ukrainian(live_server, page):
    pg = open_dashboard(page, live_server.url + URL + "&lang=uk")
    pg.locator("#change-legend").get_by_text(
        "Зайнято російськими силами між 9 лип. 2024 і 21 серп. 2026", exact=False
    ).wait_for()
    pg.locator("#ledger thead").get_by_text("Зайнято / більше не утримується").wait_for()
    pg.wait_for_function(f"t => (({STROKES_JS})()[t] || 0) >= 2", arg=TAKEN)
    pg.wait_for_function("() => document.querySelectorAll('#timeline g.trace.bars path').length > 20")
    _shoot(pg, "change-uk")
    assert_clean(page)
