"""Languages and accessibility in Chromium: the page in Ukrainian, axe-core in both languages, a keyboard-only walk,
and the print stylesheet printed to PDF.

axe-core is the npm package's `axe.min.js`, vendored under tests/vendor/axe-core (MPL-2.0, its
licence beside it) and injected by these tests only; users are never sent it. Every request outside
127.0.0.1 is blocked and recorded (none allowed); waits are on conditions, never sleeps.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_browser_dashboard import assert_clean, open_dashboard

from dashboard.testing import needs_export_browser
from dashboard.text import text_for

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
UK = text_for("uk")
QUERY_JS = "key => new URLSearchParams(location.search).get(key)"
#: Violations of these impacts fail a test; moderate and minor ones are reported by axe but let pass.
FAILING_IMPACTS = ("serious", "critical")
AXE_RUN_JS = """async (impacts) => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.filter(v => impacts.includes(v.impact)).map(v =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')})`);
}"""


#: Visible text and names on a Ukrainian page with no Cyrillic letter, outside claim text (data) and
#: text marked as another language (the switch's "English").
LATIN_ONLY_JS = r"""() => {
  const skip = '.quote, .summary, .speaker, .parties, .source, .print-sources, .ledger-record, [lang]:not([lang=uk])';
  const latinOnly = (s) => Boolean(s) && /[A-Za-z]{2,}/.test(s) && !/[А-Яа-яЄєІіЇїҐґ]/.test(s);
  const found = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (el && !el.closest(skip + ', script, style') && latinOnly(node.textContent.trim())) {
      found.add(node.textContent.trim());
    }
  }
  document.querySelectorAll('[title], [aria-label], [data-title], [placeholder]').forEach((el) => {
    if (el.closest(skip)) { return; }
    ['title', 'aria-label', 'data-title', 'placeholder'].forEach((name) => {
      if (latinOnly(el.getAttribute(name))) { found.add(name + '=' + el.getAttribute(name)); }
    });
  });
  return Array.from(found);
}"""
#: Latin words that are data on any page: image formats.
LATIN_DATA = {"PNG", "SVG", "PDF"}


def ready(pg):
    """The page has applied its URL: no callback is pending (Dash marks what is loading)."""
    pg.wait_for_load_state("networkidle")
    pg.wait_for_function(
        "() => document.querySelectorAll('#ledger tbody tr').length > 0 && "
        "!document.querySelector('[data-dash-is-loading=true]')"
    )
    pg.wait_for_load_state("networkidle")
    return pg


def axe_violations(pg) -> list[str]:
    pg.add_script_tag(path=str(AXE))
    return pg.evaluate(AXE_RUN_JS, list(FAILING_IMPACTS))


def test_lang_uk_renders_ukrainian_labels_dates_and_region_names(live_server, page):
    pg = ready(open_dashboard(page, live_server.url + "/?lang=uk&from=2022-01-01&to=2022-10-01&regions=UA-14"))
    assert pg.evaluate("document.documentElement.lang") == "uk"
    assert pg.title() == UK("app.title")
    assert pg.inner_text("h1") == UK("app.title")
    assert pg.inner_text("label[for=region-filter]") == UK("filters.regions")
    assert pg.inner_text(".statements-panel h2") == UK("statements.heading")
    # Dates in Ukrainian (CLDR), in the readout and the slider handles' words.
    readout = pg.inner_text("#date-readout")
    assert "1 січ. 2022" in readout and "1 жовт. 2022" in readout, readout
    assert pg.get_attribute("#date-range [role=slider] >> nth=1", "aria-valuetext") == UK(
        "filters.handle_to", day="1 жовт. 2022"
    )
    # Region names from the layers' name_uk: the filter, the ledger and the statements.
    assert "Донецька область" in pg.inner_text(".filter.regions")
    assert pg.inner_text("#ledger tr[data-code=UA-14] th") == "Донецька область"
    assert "Донецька область" in pg.inner_text("#statement-count")
    # Nothing on the page is left in English: Dash's and plotly.js's own words included.
    pg.wait_for_function("() => document.querySelector('#map .modebar-btn[data-title]') !== null")
    assert set(pg.evaluate(LATIN_ONLY_JS)) <= LATIN_DATA
    assert UK("plotly.download_png") in pg.eval_on_selector_all(
        "#map .modebar-btn", "els => els.map(e => e.dataset.title)"
    )
    # `lang` stays in the URL beside the filters, and the switch keeps them.
    pg.wait_for_function(f"() => ({QUERY_JS})('lang') === 'uk' && ({QUERY_JS})('regions') === 'UA-14'")
    english = pg.locator("#lang-switch a[lang=en]")
    pg.wait_for_function("() => document.querySelector('#lang-switch a[lang=en]').href.includes('regions=UA-14')")
    assert english.inner_text() == "English"
    english.click()
    pg.wait_for_function("() => document.documentElement.lang === 'en'")
    ready(pg)
    assert pg.inner_text(".statements-panel h2") == text_for()("statements.heading")
    assert pg.evaluate(QUERY_JS, "regions") == "UA-14" and pg.evaluate(QUERY_JS, "from") == "2022-01-01"
    assert pg.inner_text("#ledger tr[data-code=UA-14] th") == "Donetsk"
    assert_clean(page)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_axe_finds_nothing_serious_with_a_filter_and_with_the_export_form_open(live_server, page, lang):
    pg = ready(open_dashboard(page, live_server.url + f"/?lang={lang}&regions=UA-14&parties=russia"))
    assert axe_violations(pg) == []
    # The export form open: its format list showing, a title typed.
    pg.fill("#export-title", "Test")
    pg.click("#export-format")
    pg.wait_for_selector("[role=option]", state="visible")
    assert axe_violations(pg) == []
    pg.keyboard.press("Escape")
    assert_clean(page)


def test_axe_check_can_fail(live_server, page):
    """The check sees a violation when there is one: an unnamed button is critical."""
    pg = ready(open_dashboard(page, live_server.url + "/"))
    pg.evaluate("() => document.body.appendChild(document.createElement('button'))")
    assert any("button-name" in v for v in axe_violations(pg))


def tab_to(pg, selector: str, limit: int = 80) -> None:
    """Press Tab until the element `selector` names (or one inside it) has the focus."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate(
            "s => { const e = document.querySelector(s); return !!e && "
            "(e === document.activeElement || e.contains(document.activeElement)); }",
            selector,
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_outline(pg) -> str:
    return pg.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }"
    )


def test_keyboard_only_walk(live_server, page):
    needs_export_browser()
    pg = ready(open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2014-12-31"))
    # The fields show the URL's days once the page has applied it (typing earlier races that update).
    pg.wait_for_function("() => document.querySelector('#date-to').value === '2014-12-31'")
    pg.focus("body")
    # Tab to the "to" date, type a day and apply it with Enter.
    tab_to(pg, "#date-to")
    assert focus_outline(pg).startswith("solid")
    pg.keyboard.press("Control+A")
    pg.keyboard.type("2022-09-15", delay=80)  # a person's pace: Dash's input re-renders on each key
    pg.keyboard.press("Enter")
    try:
        pg.wait_for_function(f"() => ({QUERY_JS})('to') === '2022-09-15'", timeout=15_000)
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"to={pg.evaluate(QUERY_JS, 'to')}, field={pg.input_value('#date-to')!r}, "
            f"focus={pg.evaluate('document.activeElement.id')!r}"
        ) from None
    # "Next event": the exact day of the next event (the 2022 treaties).
    tab_to(pg, "#next-event")
    assert focus_outline(pg).startswith("solid")
    pg.keyboard.press("Enter")
    pg.wait_for_function(f"() => ({QUERY_JS})('to') === '2022-09-30'")
    # Page Up on the end handle: a month on.
    handle = pg.locator("#date-range [role=slider]").nth(1)
    handle.focus()
    pg.keyboard.press("PageUp")
    pg.wait_for_function(f"() => ({QUERY_JS})('to') === '2022-10-30'")
    pg.keyboard.press("PageDown")
    pg.wait_for_function(f"() => ({QUERY_JS})('to') === '2022-09-30'")
    pg.keyboard.press("ArrowRight")
    pg.wait_for_function(f"() => ({QUERY_JS})('to') === '2022-10-01'")
    pg.keyboard.press("Shift+PageDown")  # the previous event's day
    pg.wait_for_function(f"() => ({QUERY_JS})('to') === '2022-09-30'")
    ready(pg)
    assert pg.evaluate("document.activeElement.getAttribute('role')") == "slider"
    pg.keyboard.press("ArrowRight")
    pg.wait_for_function(f"() => ({QUERY_JS})('to') === '2022-10-01'")
    # A region, from the keyboard: open the dropdown, type, Enter.
    tab_to(pg, ".filter.regions")
    assert focus_outline(pg).startswith("solid")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("[role=option]", state="visible")
    pg.keyboard.type("Kherson", delay=80)
    pg.wait_for_function(
        "() => { const o = document.querySelectorAll('[role=option]'); "
        "return o.length === 1 && o[0].textContent.includes('Kherson'); }"
    )
    pg.keyboard.press("Enter")
    pg.wait_for_function(f"() => ({QUERY_JS})('regions') === 'UA-65'")
    pg.keyboard.press("Escape")
    # The map as a table: a link that takes the focus to the ledger.
    tab_to(pg, "#map-table-link")
    assert pg.get_attribute("#map-table-link", "href") == "#ledger"
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => document.activeElement && document.activeElement.id === 'ledger'")
    # Export an image: the export form is above the ledger, so Tab goes round the page to it.
    tab_to(pg, "#export-button", limit=250)
    assert focus_outline(pg).startswith("solid")
    with pg.expect_download(timeout=60_000) as info:
        pg.keyboard.press("Enter")
    assert re.fullmatch(r"contested-regions_UA-65_2022-10-01\.png", info.value.suggested_filename)
    assert_clean(page)


def test_statement_count_is_a_live_region_and_the_ledger_reads_as_a_table(live_server, page):
    pg = ready(open_dashboard(page, live_server.url + "/"))
    assert pg.get_attribute("#statement-count", "role") == "status"
    assert pg.get_attribute("#statement-count", "aria-live") == "polite"
    assert pg.locator("#ledger caption").inner_text()
    # Region, declared, held and snapshot; the two change columns only with the change layer on.
    assert pg.locator("#ledger thead th[scope=col]").count() == 4
    assert pg.locator("#ledger tbody th[scope=row]").count() == pg.locator("#ledger tbody tr").count() > 0
    # The status is in words, not colour alone: in the table and in the legend.
    statuses = pg.locator("#ledger .declared-status").all_inner_texts()
    assert statuses and all(s.strip() for s in statuses)


def test_print_shows_map_legend_ledger_and_statements_without_controls(live_server, page, tmp_path):
    pg = ready(open_dashboard(page, live_server.url + "/?from=2022-01-01&to=2023-02-28&regions=UA-14"))
    pg.emulate_media(media="print")
    # No button, input or select shows on paper.
    shown = pg.evaluate("""() => Array.from(document.querySelectorAll(
            'button, input, select, textarea, [role=slider], .modebar'))
        .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                       return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; })
        .map(e => e.outerHTML.slice(0, 80))""")
    assert shown == []
    for selector in ("#map .main-svg", ".legend", "#ledger", "#statements [data-statement-id]", ".print-header"):
        assert pg.locator(selector).first.is_visible(), selector
    header = pg.inner_text(".print-header")
    assert "1 Jan 2022" in header and "28 Feb 2023" in header and "Reuters" in header, header
    # The swatches keep their colours on paper.
    adjust = pg.evaluate(
        "() => Array.from(document.querySelectorAll('.legend .swatch')).map(e => "
        "[getComputedStyle(e).printColorAdjust || getComputedStyle(e).webkitPrintColorAdjust, "
        "getComputedStyle(e).backgroundColor])"
    )
    assert adjust and all(a == "exact" for a, _ in adjust), adjust
    assert all(bg not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") for _, bg in adjust[:3]), adjust
    # Printed to PDF: the swatches are not blank in the rendered page (a screenshot under print
    # media is what page.pdf lays out), and the PDF holds the header's words.
    swatch = pg.locator(".legend .swatch").first
    png = swatch.screenshot()
    from PIL import Image

    pixels = Image.open(io.BytesIO(png)).convert("RGB")
    inner = pixels.crop((3, 3, pixels.width - 3, pixels.height - 3)).getcolors(maxcolors=1 << 16)
    assert inner and max(inner)[1] != (255, 255, 255), inner[:3]
    pdf = pg.pdf(path=str(tmp_path / "page.pdf"), print_background=False)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    words = " ".join(page_.extract_text() for page_ in reader.pages)
    assert "Declared and held" in words and "Reuters" in words
    assert "Download image" not in words and "Next event" not in words
    assert_clean(page)
