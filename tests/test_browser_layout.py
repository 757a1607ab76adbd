"""The page as a dashboard in Chromium: the map and its legend on the first screen at common laptop and
desktop sizes (both languages), the filters as a compact bar, the statements as a column beside the map
that scrolls inside itself; on a phone the map first, its hover card and the timeline's rule labels on
the screen; on paper the whole map, whatever the window's width.

External requests are blocked and recorded (none allowed); waits are on conditions, never sleeps.
"""

from __future__ import annotations

import pytest
from conftest import RecordingPage
from test_browser_dashboard import assert_clean

pytestmark = pytest.mark.browser

SCREENS = [(1366, 768), (1440, 900), (1920, 1080)]
#: The content width of the narrower of A4 and Letter with the print stylesheet's 12 mm margins, in CSS px
#: (A4: 210 mm - 24 mm = 186 mm = 703 px).
PRINT_WIDTH = 186 / 25.4 * 96

BOXES_JS = """() => {
  const box = s => { const e = document.querySelector(s); if (!e) return null;
                     const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width,
                             height: r.height}; };
  const list = document.querySelector('#statements');
  return {
    map: box('#map'), legend: box('#legend'), control: box('#control-legend'), bar: box('.filter-bar'),
    statements: box('.statements-panel'), ledger: box('.ledger-panel'), timeline: box('.timeline-panel'),
    list: {scroll: list.scrollHeight, client: list.clientHeight, overflow: getComputedStyle(list).overflowY},
    page: {width: document.documentElement.scrollWidth, scrolled: window.scrollY},
  };
}"""


def open_at(browser, url: str, width: int, height: int) -> RecordingPage:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = RecordingPage(context.new_page())
    page.page.goto(url)
    page.page.wait_for_selector("#map path.choroplethlocation", state="attached")
    page.page.wait_for_selector("#statements [data-statement-id]", state="attached")
    # The control layer (its key in words) is drawn: the first screen is at its full height.
    page.page.wait_for_function("() => document.querySelector('#control-legend').innerText.trim().length > 0")
    page.page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def opened(browser):
    pages = []

    def open_page(url: str, width: int, height: int) -> RecordingPage:
        pages.append(open_at(browser, url, width, height))
        return pages[-1]

    yield open_page
    for page in pages:
        page.page.context.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_map_and_its_legend_fill_the_first_screen(live_server, opened, width, height, lang):
    page = opened(f"{live_server.url}/?lang={lang}", width, height)
    boxes = page.page.evaluate(BOXES_JS)
    assert boxes["page"]["scrolled"] == 0
    assert boxes["page"]["width"] <= width, boxes["page"]  # nothing wider than the window
    # The map and both keys on the first screen, the map at least half of its height.
    for name in ("map", "legend", "control"):
        assert boxes[name]["top"] >= 0 and boxes[name]["bottom"] <= height, (name, boxes)
    assert boxes["map"]["height"] >= 0.5 * height, boxes["map"]
    # The filters: a bar across the top (a fraction of the screen), not a tall card.
    assert boxes["bar"]["height"] <= 0.25 * height, boxes["bar"]
    assert boxes["bar"]["width"] >= 0.9 * (width - 40), boxes["bar"]
    assert boxes["bar"]["bottom"] <= boxes["legend"]["top"]
    # The statements: a column beside the map, on the first screen, scrolling inside itself.
    assert boxes["statements"]["left"] >= boxes["map"]["right"], boxes
    assert boxes["statements"]["top"] < boxes["map"]["bottom"] and boxes["statements"]["bottom"] <= height, boxes
    assert boxes["list"]["overflow"] in ("auto", "scroll") and boxes["list"]["scroll"] > boxes["list"]["client"]
    if width >= 1920:
        # The ledger and the timeline follow within half a screen's scroll.
        assert boxes["ledger"]["top"] <= 1.5 * height, boxes["ledger"]
        assert boxes["timeline"]["top"] <= 1.5 * height, boxes["timeline"]
    assert_clean(page)


HOVER_BOX_JS = """() => { const r = document.querySelector('#map .hoverlayer .hovertext').getBoundingClientRect();
                          return [r.left, r.right, r.top, r.bottom]; }"""
#: A point inside Luhansk (the easternmost region) near its right edge: its path's box, 85% across.
EAST_POINT_JS = """() => { const p = Array.from(document.querySelectorAll('#map path.choroplethlocation'))
    .find(p => p.__data__ && p.__data__.loc === 'UA-09' && p.closest('.trace.choropleth'));
  const r = p.getBoundingClientRect(); return [r.left + 0.85 * r.width, r.top + 0.5 * r.height]; }"""
#: The timeline's rule labels (annotations) against the plot's own box and its plotting area (right of
#: the value axis's labels), and the box the plot scrolls in.
RULE_LABELS_JS = """() => { const svg = document.querySelector('#timeline .main-svg').getBoundingClientRect();
  const area = document.querySelector('#timeline .draglayer .nsewdrag').getBoundingClientRect();
  const graph = document.querySelector('.timeline-scroll'), box = graph.getBoundingClientRect();
  return {svg: [svg.left, svg.right], area: [area.left, area.right], graph: [box.left, box.right],
          scrolls: getComputedStyle(graph).overflowX,
          labels: Array.from(document.querySelectorAll('#timeline .annotation-text-g')).map(a => {
            const r = a.getBoundingClientRect(); return [a.textContent, r.left, r.right]; })}; }"""


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_phone_shows_the_map_first_and_keeps_hover_card_and_rule_labels_on_screen(live_server, opened, lang):
    page = opened(f"{live_server.url}/?lang={lang}", 390, 844)
    pg = page.page
    boxes = pg.evaluate(BOXES_JS)
    assert boxes["page"]["width"] <= 390, boxes["page"]
    assert boxes["map"]["top"] < boxes["statements"]["top"], boxes
    assert boxes["map"]["right"] <= 390 and boxes["map"]["left"] >= 0
    # The hover card of a region at the right edge of the map fits inside the screen.
    pg.locator("#map").scroll_into_view_if_needed()
    x, y = pg.evaluate(EAST_POINT_JS)
    pg.mouse.move(x, y)
    pg.wait_for_selector("#map .hoverlayer .hovertext", state="attached")
    left, right, _, _ = pg.evaluate(HOVER_BOX_JS)
    assert left >= 0 and right <= 390, (left, right)
    # The timeline's rule labels are whole: inside the plot, which keeps a width they fit in and
    # scrolls sideways in a box on the screen.
    pg.wait_for_function("() => document.querySelectorAll('#timeline .annotation-text-g').length > 0")
    rules = pg.evaluate(RULE_LABELS_JS)
    svg_left, svg_right = rules["svg"]
    assert rules["graph"][0] >= 0 and rules["graph"][1] <= 390, rules
    assert svg_right <= rules["graph"][1] or rules["scrolls"] in ("auto", "scroll"), rules
    for text, label_left, label_right in rules["labels"]:
        assert svg_left <= label_left and label_right <= svg_right, (text, label_left, label_right, rules["svg"])
        # Not over the value axis's ticks and title either.
        assert rules["area"][0] <= label_left, (text, label_left, rules["area"])
    # The box it scrolls in takes the focus, and the arrow keys scroll it.
    scroller = pg.locator(".timeline-scroll")
    scroller.focus()
    assert pg.evaluate("() => document.activeElement.classList.contains('timeline-scroll')")
    pg.keyboard.press("ArrowRight")
    pg.wait_for_function("() => document.querySelector('.timeline-scroll').scrollLeft > 0")
    assert_clean(page)


@pytest.mark.parametrize(
    ("lang", "width", "height"), [("uk", 800, 1000), ("en", 800, 1000), ("uk", 1366, 768), ("uk", 1920, 1080)]
)
def test_rule_labels_stay_right_of_the_value_axis_at_any_width(live_server, opened, lang, width, height):
    page = opened(f"{live_server.url}/?lang={lang}", width, height)
    pg = page.page
    pg.wait_for_function("() => document.querySelectorAll('#timeline .annotation-text-g').length > 0")
    rules = pg.evaluate(RULE_LABELS_JS)
    for text, label_left, label_right in rules["labels"]:
        assert rules["area"][0] <= label_left and label_right <= rules["svg"][1], (text, label_left, label_right, rules)
    assert_clean(page)


PRINT_BOX_JS = """() => {
  const svg = document.querySelector('#map .main-svg').getBoundingClientRect();
  // Every box around the map that hides its overflow must hold the whole map.
  const clippers = [];
  for (let e = document.querySelector('#map .main-svg').parentElement; e; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const r = e.getBoundingClientRect();
      clippers.push({cls: e.className, left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    }
  }
  return {left: svg.left, right: svg.right, top: svg.top, bottom: svg.bottom, width: svg.width,
          height: svg.height, clippers};
}"""


@pytest.mark.parametrize("width", [1440, 1920])
def test_print_holds_the_whole_map_at_any_window_width(live_server, opened, width, tmp_path):
    page = opened(f"{live_server.url}/", width, 900)
    pg = page.page
    on_screen = pg.evaluate(PRINT_BOX_JS)
    assert on_screen["width"] > PRINT_WIDTH  # the map was drawn wider than paper: the case in question
    pg.emulate_media(media="print")
    pg.wait_for_function(
        f"() => document.querySelector('#map .main-svg').getBoundingClientRect().width <= {PRINT_WIDTH}"
    )
    box = pg.evaluate(PRINT_BOX_JS)
    page_left = pg.evaluate("() => document.querySelector('.page').getBoundingClientRect().left")
    assert box["left"] >= page_left and box["right"] - page_left <= PRINT_WIDTH, box
    # Drawn at the same proportions, only smaller, and not cut by any box around it.
    ratio = on_screen["width"] / on_screen["height"]
    assert box["width"] / box["height"] == pytest.approx(ratio, rel=0.02), (box, on_screen)
    for clip in box["clippers"]:
        assert clip["left"] <= box["left"] + 1 and box["right"] <= clip["right"] + 1, (clip, box)
        assert clip["top"] <= box["top"] + 1 and box["bottom"] <= clip["bottom"] + 1, (clip, box)
    # The PDF itself: one map, whole; the page prints without errors.
    pdf = pg.pdf(path=str(tmp_path / f"page-{width}.pdf"), format="A4")
    assert pdf[:5] == b"%PDF-"
    assert_clean(page)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_export_choices_show_their_words_whole(live_server, opened, lang):
    """The export's dropdowns (format, step, size, fit) are wide enough for their words in each language."""
    page = opened(f"{live_server.url}/?lang={lang}", 1440, 900)
    pg = page.page
    pg.locator("#export-button").scroll_into_view_if_needed()
    cut = pg.evaluate(
        """() => [...document.querySelectorAll('#export-format, #export-step, #export-size, #export-fit')]
        .flatMap(box => [...box.querySelectorAll('*')]
          .filter(e => e.textContent.trim() && e.clientWidth > 0
                  && e.scrollWidth > e.clientWidth + 1)
          .map(e => box.id + ': ' + e.textContent.trim()))"""
    )
    assert cut == [], cut
    assert_clean(page)


@pytest.mark.parametrize(("lang", "width", "height"), [("uk", 1366, 768), ("uk", 1440, 900), ("en", 390, 844)])
def test_the_dropdowns_placeholders_are_not_cut(live_server, opened, lang, width, height):
    # They say what to do (click the map, type a town); a narrow box wraps them rather than ending
    # them in an ellipsis.
    page = opened(f"{live_server.url}/?lang={lang}", width, height)
    for dropdown in ("#region-filter", "#place-search"):
        placeholder = page.page.locator(f"{dropdown} .dash-dropdown-placeholder")
        placeholder.wait_for()
        sizes = placeholder.evaluate("e => [e.scrollWidth, e.clientWidth, e.scrollHeight, e.clientHeight]")
        assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3] + 1, (dropdown, sizes)
    assert_clean(page)


#: How much wider a text field's placeholder is than the field's room for text (px; <= 0: it fits).
PLACEHOLDER_OVERFLOW_JS = """e => {
  const s = getComputedStyle(e), c = document.createElement('canvas').getContext('2d');
  c.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  return c.measureText(e.placeholder).width - room; }"""


@pytest.mark.parametrize(("lang", "width", "height"), [("uk", 1920, 1080), ("uk", 1366, 768), ("en", 1440, 900)])
def test_the_export_titles_placeholder_is_not_cut(live_server, opened, lang, width, height):
    page = opened(f"{live_server.url}/?lang={lang}", width, height)
    field = page.page.locator("#export-title")
    field.wait_for(state="attached")
    assert field.evaluate(PLACEHOLDER_OVERFLOW_JS) <= 0
    assert_clean(page)
