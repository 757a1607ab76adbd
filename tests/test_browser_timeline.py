"""In Chromium: the timeline panel, exact dates, event steps and browser history.

Every request outside 127.0.0.1 is blocked and recorded (none allowed); waits are on conditions.
"""

from __future__ import annotations

import pytest
from test_browser_dashboard import IDS_JS, assert_clean, open_dashboard, wait_for_fill

from dashboard.render.theme import STATUS_FILLS

pytestmark = pytest.mark.browser

FOUR = ("UA-14", "UA-09", "UA-65", "UA-23")
QUERY_JS = "key => new URLSearchParams(location.search).get(key)"
#: The page position of a date (and a lane of the records row) on the timeline.
POINT_JS = """([day, lane]) => {
    const gd = document.querySelector('#timeline .js-plotly-plot');
    const xa = gd._fullLayout.xaxis2, ya = gd._fullLayout.yaxis2;
    const box = gd.getBoundingClientRect();
    return [box.left + xa._offset + xa.d2p(day), box.top + ya._offset + ya.d2p(lane)];
}"""


def wait_for_query(pg, key: str, value: str | None) -> None:
    pg.wait_for_function(f"([key, value]) => ({QUERY_JS})(key) === value", arg=[key, value])


def timeline_ready(pg):
    pg.wait_for_selector("#timeline .main-svg", state="attached")
    pg.locator("#timeline").scroll_into_view_if_needed()
    pg.wait_for_load_state("networkidle")
    return pg


def test_brushing_the_timeline_sets_the_range_map_and_statements(live_server, page):
    pg = timeline_ready(open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2023-02-28"))
    wait_for_fill(pg, "UA-14", STATUS_FILLS["annexation_declared"])
    # Drag across the records row from mid-2013 to mid-2016: Crimea's 2014 records only.
    x0, y = pg.evaluate(POINT_JS, ["2013-06-01", 1])
    x1, _ = pg.evaluate(POINT_JS, ["2016-06-01", 1])
    pg.mouse.move(x0, y)
    pg.mouse.down()
    pg.mouse.move((x0 + x1) / 2, y, steps=5)
    pg.mouse.move(x1, y, steps=5)
    pg.mouse.up()
    pg.wait_for_function(f"() => ({QUERY_JS})('to') < '2016-07-01' && ({QUERY_JS})('to') > '2016-05-01'")
    start = pg.evaluate(QUERY_JS, "from")
    assert "2013-05-01" < start < "2013-07-01", start
    # The four regions were declared annexed only in 2022: no longer coloured so on the map.
    wait_for_fill(pg, "UA-14", STATUS_FILLS["no_annexation_declared"])
    wait_for_fill(pg, "UA-43", STATUS_FILLS["annexation_declared"])
    pg.wait_for_function(f"() => ({IDS_JS})().length > 0 && ({IDS_JS})().every(i => !i.includes('2022'))")
    assert "russia-annexes-crimea-2014" in pg.evaluate(IDS_JS)
    assert pg.input_value("#date-from") == start
    assert_clean(page)


def test_clicking_a_marker_selects_its_record(live_server, page):
    pg = timeline_ready(open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2023-02-28"))
    # The exact-day Crimea treaty record sits in Russia's lane (lane 4), events a little above.
    x, y = pg.evaluate(POINT_JS, ["2014-03-18", 4.24])
    pg.mouse.click(x, y)
    record = "crimea-accession-treaty-2014-03-18"
    pg.wait_for_function("id => document.getElementById('statements').getAttribute('data-selected') === id", arg=record)
    button = pg.locator(f'[data-statement-id="{record}"] button.show-on-map')
    pg.wait_for_function("el => el.classList.contains('selected')", arg=button.element_handle())
    # Brought into view: inside the statements list's visible part AND inside the window (the
    # timeline is below the list, so the page scrolls up to it), its regions outlined on the map.
    pg.wait_for_function(
        """id => { const el = document.querySelector(`#statements [data-statement-id="${id}"]`);
        const box = el.getBoundingClientRect(), list = document.getElementById('statements').getBoundingClientRect();
        return box.top >= list.top - 1 && box.bottom <= list.bottom + 1
            && box.top >= -1 && box.bottom <= window.innerHeight + 1; }""",
        arg=record,
    )
    pg.wait_for_function("""() => Array.from(document.querySelectorAll('#map path.choroplethlocation'))
        .some(p => p.__data__ && p.__data__.loc === 'UA-43' && parseFloat(getComputedStyle(p).strokeWidth) >= 3)""")
    assert_clean(page)


def test_typing_the_day_of_the_declaration_flips_the_four_regions(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2022-09-29")
    for code in FOUR:
        wait_for_fill(pg, code, STATUS_FILLS["no_annexation_declared"])
    pg.fill("#date-to", "2022-09-30")
    pg.press("#date-to", "Enter")
    for code in FOUR:
        wait_for_fill(pg, code, STATUS_FILLS["annexation_declared"])
    wait_for_query(pg, "to", "2022-09-30")
    # A month typed into "to" means its last day; the input then shows the day in use.
    pg.fill("#date-to", "2014-03")
    pg.press("#date-to", "Enter")
    wait_for_query(pg, "to", "2014-03-31")
    pg.wait_for_function("() => document.getElementById('date-to').value === '2014-03-31'")
    # The form the page itself shows is a date.
    pg.fill("#date-to", "11 Nov 2022")
    pg.press("#date-to", "Enter")
    wait_for_query(pg, "to", "2022-11-11")
    pg.wait_for_function("() => document.getElementById('date-to').value === '2022-11-11'")
    # Nonsense is refused in words and changes nothing.
    pg.fill("#date-from", "31 Febtember")
    pg.press("#date-from", "Enter")
    pg.locator("#date-input-error").get_by_text("is not a date", exact=False).wait_for()
    assert pg.evaluate(QUERY_JS, "from") == "2013-01-01"
    assert_clean(page)


def test_next_and_previous_event_jump_to_exact_event_days(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2022-09-01")
    pg.click("#next-event")
    wait_for_query(pg, "to", "2022-09-30")
    pg.wait_for_function("() => document.getElementById('date-to').value === '2022-09-30'")
    for code in FOUR:
        wait_for_fill(pg, code, STATUS_FILLS["annexation_declared"])
    # Back from 30 Sep 2022: the last exact event day before it (12 May 2014, the "people's
    # republics"; the referendums of 23-27 Sep 2022 are a window, not a day).
    pg.click("#prev-event")
    wait_for_query(pg, "to", "2014-05-12")
    assert pg.evaluate(QUERY_JS, "from") == "2013-01-01"
    assert_clean(page)


def test_back_undoes_one_change_and_forward_redoes_it(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2023-02-28")
    pg.wait_for_load_state("networkidle")
    start = pg.evaluate("() => history.length")
    pg.locator("#party-filter input[value='russia']").check()
    wait_for_query(pg, "parties", "russia")
    pg.fill("#date-to", "2022-01-01")
    pg.press("#date-to", "Enter")
    wait_for_query(pg, "to", "2022-01-01")
    assert pg.evaluate("() => history.length") == start + 2
    pg.go_back()
    wait_for_query(pg, "to", "2023-02-28")
    assert pg.evaluate(QUERY_JS, "parties") == "russia"
    pg.wait_for_function("() => document.getElementById('date-to').value === '2023-02-28'")
    assert pg.locator("#party-filter input[value='russia']").is_checked()
    pg.go_back()
    wait_for_query(pg, "parties", None)
    pg.wait_for_function("() => !document.querySelector(\"#party-filter input[value='russia']\").checked")
    pg.go_forward()
    wait_for_query(pg, "parties", "russia")
    assert_clean(page)


def test_keyboard_steps_on_the_slider_add_one_history_entry(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?from=2013-01-01&to=2023-02-28")
    pg.wait_for_load_state("networkidle")
    start = pg.evaluate("() => history.length")
    handle = pg.locator("#date-range [role=slider]").nth(1)
    handle.focus()
    for _ in range(5):
        handle.press("ArrowLeft")
    wait_for_query(pg, "to", "2023-02-23")
    assert pg.evaluate("() => history.length") == start + 1


def test_slider_handles_say_their_dates(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?from=2014-03-18&to=2022-09-30")
    pg.wait_for_function("""() => { const h = document.querySelectorAll('#date-range [role=slider]');
        return h.length === 2 && h[0].getAttribute('aria-valuetext') === 'From 18 Mar 2014'
            && h[1].getAttribute('aria-valuetext') === 'To 30 Sep 2022'; }""")
    assert_clean(page)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_held_axis_title_is_inside_the_plot(live_server, page, lang):
    # A rotated title longer than the plot is tall is cut off at the figure's top edge.
    pg = open_dashboard(page, f"{live_server.url}/?lang={lang}")
    pg.wait_for_selector("#timeline .ytitle", state="attached")
    top, bottom, height = pg.evaluate(
        """() => { const t = document.querySelector('#timeline .ytitle').getBoundingClientRect();
        const svg = document.querySelector('#timeline .main-svg').getBoundingClientRect();
        return [t.top - svg.top, svg.bottom - t.bottom, svg.height]; }"""
    )
    assert top >= 0 and bottom >= 0, (top, bottom, height)
    assert_clean(page)
