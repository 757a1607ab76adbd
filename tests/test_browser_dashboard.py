"""The dashboard in Chromium: URL state, filters, map <-> statements linking, notices.

Every test runs with requests outside 127.0.0.1 blocked and recorded (none
allowed) and fails on any console error. Waits are on conditions, never sleeps.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from dashboard.core.filters import FilterState
from dashboard.core.views import filtered_claims
from dashboard.render.theme import STATUS_FILLS

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "screenshot.png"

FILLS_JS = """() => Object.fromEntries(Array.from(
    document.querySelectorAll('#map path.choroplethlocation'))
    .map(p => [p.__data__ && p.__data__.loc, getComputedStyle(p).fill]))"""
STROKES_JS = """() => Object.fromEntries(Array.from(
    document.querySelectorAll('#map path.choroplethlocation'))
    .map(p => [p.__data__ && p.__data__.loc, parseFloat(getComputedStyle(p).strokeWidth)]))"""
IDS_JS = (
    "() => Array.from(document.querySelectorAll('#statements [data-statement-id]'))"
    ".map(e => e.getAttribute('data-statement-id'))"
)


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


def expected_ids(data, start: str, end: str, regions=()) -> set[str]:
    state = FilterState(dt.date.fromisoformat(start), dt.date.fromisoformat(end), tuple(regions))
    return set(filtered_claims(data, state).frame["id"])


def open_dashboard(page, url: str):
    page.page.goto(url)
    page.page.wait_for_selector("#map path.choroplethlocation", state="attached")
    page.page.wait_for_selector("#statements [data-statement-id], #statements .empty", state="attached")
    return page.page


def wait_for_fill(pg, code: str, colour: str) -> None:
    pg.wait_for_function(f"([code, colour]) => ({FILLS_JS})()[code] === colour", arg=[code, rgb(colour)])


def wait_for_ids(pg, ids: set[str]) -> None:
    pg.wait_for_function(
        f"wanted => {{ const got = ({IDS_JS})(); return got.length === wanted.length && "
        "wanted.every(i => got.includes(i)); }",
        arg=sorted(ids),
    )


def assert_clean(page) -> None:
    assert page.external_requests == [], page.external_requests
    assert page.console_errors == [], page.console_errors


def test_url_state_sets_statements_and_fills(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2014-12-31&regions=UA-43")
    wanted = expected_ids(data, "2014-01-01", "2014-12-31", ["UA-43"])
    assert "russia-annexes-crimea-2014" in wanted
    wait_for_ids(pg, wanted)
    wait_for_fill(pg, "UA-43", STATUS_FILLS["annexation_declared"])
    fills = pg.evaluate(FILLS_JS)
    assert fills["UA-40"] == fills["UA-43"]  # Crimea and Sevastopol drawn as one group
    assert fills["UA-14"] == rgb(STATUS_FILLS["no_annexation_declared"])
    assert pg.locator("#region-filter").inner_text().count("Crimea") >= 1
    assert_clean(page)


def test_changing_the_date_range_changes_fills_statements_and_url(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2023-02-28")
    wait_for_fill(pg, "UA-14", STATUS_FILLS["annexation_declared"])
    before = set(pg.evaluate(IDS_JS))
    # Click the slider track at 45%: the nearer, upper handle (at 2023, about 73%) moves
    # there (about 2019; the axis runs from 2013 to the day the server started).
    track = pg.locator("#date-range .dash-slider-track").bounding_box()
    pg.mouse.click(track["x"] + 0.45 * track["width"], track["y"] + track["height"] / 2)
    wait_for_fill(pg, "UA-14", STATUS_FILLS["no_annexation_declared"])
    wait_for_fill(pg, "UA-43", STATUS_FILLS["annexation_declared"])
    pg.wait_for_function("() => new URLSearchParams(location.search).get('to') < '2020'")
    to = pg.evaluate("() => new URLSearchParams(location.search).get('to')")
    wait_for_ids(pg, expected_ids(data, data.axis.first_day.isoformat(), to))
    assert set(pg.evaluate(IDS_JS)) != before
    assert_clean(page)


def test_clicking_a_region_filters_the_statements(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2014-12-31")
    wait_for_ids(pg, expected_ids(data, "2014-01-01", "2014-12-31"))
    # The legends and the ledger fill in after load and can move the map: measure once settled.
    pg.locator("#control-legend").get_by_text("31 Dec 2014", exact=False).wait_for()
    pg.wait_for_load_state("networkidle")
    pg.evaluate("document.querySelector('#map').scrollIntoView({block: 'end'})")  # Crimea is low on the map
    box = pg.evaluate("""() => { const p = Array.from(document.querySelectorAll('#map path.choroplethlocation'))
        .find(p => p.__data__.loc === 'UA-43'); const r = p.getBoundingClientRect();
        return {x: r.x + r.width * 0.45, y: r.y + r.height * 0.45}; }""")
    pg.mouse.click(box["x"], box["y"])
    pg.wait_for_function("() => (new URLSearchParams(location.search).get('regions') || '').includes('UA-43')")
    regions = pg.evaluate("() => new URLSearchParams(location.search).get('regions')")
    assert regions == "UA-43,UA-40"  # a click on Crimea selects the Crimea group
    wait_for_ids(pg, expected_ids(data, "2014-01-01", "2014-12-31", ["UA-43", "UA-40"]))
    assert_clean(page)


def test_picking_a_statement_highlights_its_regions(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/")
    item = pg.locator('[data-statement-id="russia-annexes-crimea-2014"]')
    item.locator("button.show-on-map").click()
    pg.wait_for_function(f"() => ({STROKES_JS})()['UA-43'] > ({STROKES_JS})()['UA-14']")
    strokes = pg.evaluate(STROKES_JS)
    assert strokes["UA-40"] == strokes["UA-43"]
    assert "selected" in item.locator("button.show-on-map").get_attribute("class")
    assert_clean(page)


def test_invalid_url_parameter_shows_notice_and_page_works(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/?from=2022-13-99&regions=Atlantis,Kherson&bogus=1")
    notice = pg.locator("#notice")
    notice.get_by_text("Ignored from='2022-13-99'", exact=False).wait_for()
    text = notice.inner_text()
    assert "'Atlantis'" in text and "'bogus'" in text
    wait_for_ids(pg, expected_ids(data, data.axis.first_day.isoformat(), data.axis.last_day.isoformat(), ["UA-65"]))
    pg.wait_for_function("() => !location.search.includes('Atlantis')")
    assert_clean(page)


def test_url_written_by_the_page_matches_the_python_format(live_server, page, data):
    """The clientside URL writer and FilterState.to_query() must agree exactly."""
    pg = open_dashboard(page, live_server.url + "/?to=2022-10&regions=lugansk,Krym&parties=west")
    expected = FilterState(
        data.axis.first_day, dt.date(2022, 10, 31), ("UA-09", "UA-43", "UA-40"), ("west",)
    ).to_query()
    pg.wait_for_function("q => location.search === q", arg=expected)
    assert_clean(page)


def test_statement_text_is_rendered_as_text(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    quotes = pg.locator("#statements blockquote").all_inner_texts()
    assert quotes and all(q.startswith("“") for q in quotes)
    assert pg.locator("#statements script").count() == 0
    assert_clean(page)


def test_screenshot_for_the_readme(live_server, page, tmp_path):
    """Takes the README's screenshot; UPDATE_SCREENSHOT=1 writes it to docs/screenshot.png."""
    page.page.set_viewport_size({"width": 1440, "height": 900})
    pg = open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2026-08-21")
    wait_for_fill(pg, "UA-14", STATUS_FILLS["annexation_declared"])
    # The control layer (hatching and outline) is drawn: the screenshot shows declared and held.
    pg.wait_for_function("() => document.querySelectorAll('#map g.trace.scattergeo path.js-line').length >= 2")
    pg.wait_for_load_state("networkidle")
    pg.evaluate("document.fonts.ready")
    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path / "screenshot.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(target))  # the first screen: the filter bar, the map and the statements beside it
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_clean(page)


def test_export_button_downloads_the_filtered_map(live_server, page, tmp_path):
    image = pytest.importorskip("PIL.Image")
    pg = open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2022-10-01&regions=UA-14")
    wait_for_fill(pg, "UA-14", STATUS_FILLS["annexation_declared"])
    with pg.expect_download(timeout=60_000) as info:
        pg.click("#export-button")
    download = info.value
    assert download.suggested_filename == "contested-regions_UA-14_2022-10-01.png"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert image.open(target).size == (1200, 800)
    pg.locator("#export-notice").get_by_text("Downloaded contested-regions_UA-14_2022-10-01.png").wait_for()
    assert_clean(page)


def test_map_recolours_in_the_browser_without_the_server(live_server, page):
    """The clientside status table recolours the map even when callbacks cannot reach the server."""
    pg = open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2023-02-28")
    wait_for_fill(pg, "UA-14", STATUS_FILLS["annexation_declared"])
    pg.wait_for_load_state("networkidle")
    pg.route("**/_dash-update-component", lambda route: route.abort())
    track = pg.locator("#date-range .dash-slider-track").bounding_box()
    pg.mouse.click(track["x"] + 0.45 * track["width"], track["y"] + track["height"] / 2)
    wait_for_fill(pg, "UA-14", STATUS_FILLS["no_annexation_declared"])
    wait_for_fill(pg, "UA-43", STATUS_FILLS["annexation_declared"])
    assert page.external_requests == []
