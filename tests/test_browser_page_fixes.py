"""Page fixes in Chromium: what a new user hit on the page (where the data ends, outlines).

External requests are blocked and recorded (none allowed); waits are on conditions.
"""

from __future__ import annotations

import pytest
from test_browser_dashboard import FILLS_JS, assert_clean, open_dashboard, rgb, wait_for_fill

from dashboard.render.theme import HIGHLIGHT_LINE, STATUS_FILLS

pytestmark = pytest.mark.browser

STROKE_COLOURS_JS = """() => Object.fromEntries(Array.from(
    document.querySelectorAll('#map path.choroplethlocation'))
    .map(p => [p.__data__ && p.__data__.loc, getComputedStyle(p).stroke]))"""


def test_phone_layout_keeps_labels_in_their_card_and_fills_the_map_box(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(live_server.url + "/")
        pg.wait_for_selector("#map path.choroplethlocation", state="attached")
        pg.wait_for_function("() => document.querySelectorAll('#date-range .dash-slider-mark').length > 0")
        boxes = pg.evaluate("""() => {
            const r = e => e.getBoundingClientRect();
            const card = r(document.querySelector('.filter.dates'));
            const marks = Array.from(document.querySelectorAll('#date-range .dash-slider-mark')).map(r);
            const map = r(document.querySelector('#map')), geo = r(document.querySelector('#map .geo .bg')
                || document.querySelector('#map g.geo'));
            return {card: [card.left, card.right], marks: marks.map(m => [m.left, m.right]),
                    map: [map.width, map.height], geo: [geo.width, geo.height]};
        }""")
        left, right = boxes["card"]
        for mark_left, mark_right in boxes["marks"]:
            assert left <= mark_left and mark_right <= right, boxes
        # The map is drawn across its whole box, not as a strip inside a tall one.
        assert boxes["geo"][1] >= 0.9 * boxes["map"][1], boxes
        assert boxes["geo"][0] >= 0.9 * boxes["map"][0], boxes
    finally:
        context.close()


def test_a_day_after_the_records_is_accepted_and_explained(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?to=2026-06-01")
    pg.locator("#date-readout .data-ends").get_by_text("records end on 22 Apr 2025", exact=False).wait_for()
    assert "1 Jun 2026" in pg.locator("#date-readout").inner_text()
    assert pg.evaluate("() => new URLSearchParams(location.search).get('to')") == "2026-06-01"
    assert pg.locator("#notice").inner_text().strip() == ""
    wait_for_fill(pg, "UA-14", STATUS_FILLS["annexation_declared"])
    assert_clean(page)


def test_url_notice_goes_once_the_filters_change(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?from=2022-13-99")
    pg.locator("#notice").get_by_text("Ignored from='2022-13-99'", exact=False).wait_for()
    pg.locator("#party-filter input[value='russia']").check()
    pg.wait_for_function("() => document.querySelector('#notice').innerText.trim() === ''")
    assert_clean(page)


def test_region_search_finds_other_spellings(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    offered = """() => Array.from(document.querySelectorAll(
        'input.dash-options-list-option-checkbox:not([name])')).map(i => i.value)"""
    for typed, code in (("Krym", "UA-43"), ("Lugansk", "UA-09"), ("Донецьк", "UA-14")):
        pg.locator("#region-filter").click()
        pg.locator("input.dash-dropdown-search").fill(typed)
        pg.wait_for_function(
            f"code => {{ const v = ({offered})(); return v.length > 0 && v.length < 5 && v.includes(code); }}", arg=code
        )
        pg.keyboard.press("Escape")
    assert_clean(page)


def test_outline_of_a_hidden_record_is_cleared(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    item = pg.locator('[data-statement-id="russia-annexes-crimea-2014"]')
    item.locator("button.show-on-map").click()
    pg.wait_for_function(f"c => ({STROKE_COLOURS_JS})()['UA-43'] === c", arg=rgb(HIGHLIGHT_LINE))
    assert pg.locator("#clear-selection").is_visible()
    # A region filter without Crimea hides the record: its outline goes, and so does the button.
    pg.goto(live_server.url + "/")  # nothing selected after a reload either
    pg.wait_for_selector("#map path.choroplethlocation", state="attached")
    item = pg.locator('[data-statement-id="russia-annexes-crimea-2014"]')
    item.locator("button.show-on-map").click()
    pg.wait_for_function(f"c => ({STROKE_COLOURS_JS})()['UA-43'] === c", arg=rgb(HIGHLIGHT_LINE))
    pg.wait_for_load_state("networkidle")
    box = pg.evaluate("""() => { const p = Array.from(document.querySelectorAll('#map path.choroplethlocation'))
        .find(p => p.__data__.loc === 'UA-14'); const r = p.getBoundingClientRect();
        return {x: r.x + r.width * 0.5, y: r.y + r.height * 0.5}; }""")
    pg.mouse.click(box["x"], box["y"])
    pg.wait_for_function(f"c => ({STROKE_COLOURS_JS})()['UA-43'] !== c", arg=rgb(HIGHLIGHT_LINE))
    pg.locator("#clear-selection").wait_for(state="hidden")
    assert_clean(page)


def test_clear_button_removes_the_outline(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    pg.locator('[data-statement-id="russia-annexes-crimea-2014"] button.show-on-map').click()
    pg.wait_for_function(f"c => ({STROKE_COLOURS_JS})()['UA-43'] === c", arg=rgb(HIGHLIGHT_LINE))
    pg.locator("#clear-selection").click()
    pg.wait_for_function(f"c => ({STROKE_COLOURS_JS})()['UA-43'] !== c", arg=rgb(HIGHLIGHT_LINE))
    assert pg.locator("button.show-on-map.selected").count() == 0
    assert_clean(page)


def test_clicking_a_region_outside_the_six_outlines_it(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    pg.wait_for_load_state("networkidle")  # the legends and the ledger fill in, then nothing moves
    pg.locator("#map").scroll_into_view_if_needed()  # Kharkiv's middle may lie below a 900 px window
    strokes = """() => Object.fromEntries(Array.from(document.querySelectorAll('#map path.choroplethlocation'))
        .map(p => [p.__data__ && p.__data__.loc, parseFloat(getComputedStyle(p).strokeWidth)]))"""
    box = pg.evaluate("""() => { const p = Array.from(document.querySelectorAll('#map path.choroplethlocation'))
        .find(p => p.__data__.loc === 'UA-63'); const r = p.getBoundingClientRect();
        return {x: r.x + r.width * 0.5, y: r.y + r.height * 0.5}; }""")
    pg.mouse.click(box["x"], box["y"])
    pg.wait_for_function("() => (new URLSearchParams(location.search).get('regions') || '') === 'UA-63'")
    pg.wait_for_function(f"() => ({strokes})()['UA-63'] > ({strokes})()['UA-53']")
    assert pg.evaluate(FILLS_JS)["UA-63"] != rgb(STATUS_FILLS["annexation_declared"])
    assert_clean(page)


def test_dropdowns_and_record_parties_speak_the_pages_language(live_server, page):
    # Dash draws its dropdowns' buttons, count and "no options" line in English unless told;
    # records named their parties by their slugs ("ukraine") on both pages.
    pg = open_dashboard(page, live_server.url + "/?lang=uk&regions=UA-65,UA-23")
    pg.wait_for_function(
        "() => document.querySelector('#region-filter-value-count').textContent.trim() === 'вибрано: 2'"
    )
    pg.locator("#region-filter").click()
    pg.get_by_role("button", name="Вибрати всі").wait_for()
    pg.get_by_role("button", name="Зняти всі").wait_for()
    assert pg.get_attribute("input.dash-dropdown-search", "placeholder") == "Пошук"
    pg.locator("input.dash-dropdown-search").fill("zzzz")
    pg.get_by_text("Нічого не знайдено").wait_for()
    assert pg.get_by_text("Select All").count() == 0
    pg.keyboard.press("Escape")
    parties = pg.locator("#statements .statement-header .parties").all_inner_texts()
    assert parties and "Росія" in parties and not {"russia", "ukraine", "west"} & set(parties)
    assert_clean(page)
