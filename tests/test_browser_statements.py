"""In Chromium: the statements search, "show more", permalinks and citations.

Every test runs with requests outside 127.0.0.1 blocked and recorded (none
allowed) and fails on any console error. Waits are on conditions, never sleeps.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import LiveServer
from test_browser_dashboard import IDS_JS, assert_clean, open_dashboard, rgb, wait_for_ids

from dashboard.render.theme import HIGHLIGHT_LINE
from dashboard.sources.claims_load import load_claims
from dashboard.testing import synthetic_claims

pytestmark = pytest.mark.browser

#: Records in the synthetic set: enough that most lie beyond the first 50.
SYNTHETIC_RECORDS = 300
PRESSED_JS = """() => Object.fromEntries(Array.from(document.querySelectorAll('#statements [data-statement-id]'))
    .map(e => [e.getAttribute('data-statement-id'),
               e.querySelector('button.show-on-map').getAttribute('aria-pressed')]))"""
STROKES_JS = """() => Object.fromEntries(Array.from(document.querySelectorAll('#map path.choroplethlocation'))
    .map(p => [p.__data__ && p.__data__.loc, getComputedStyle(p).stroke]))"""


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims") / "synthetic.json"
    path.write_text(json.dumps(synthetic_claims(SYNTHETIC_RECORDS)))
    return path


@pytest.fixture(scope="module")
def big_server(synthetic, chromium_available):
    server = LiveServer(["--no-bundled", "--claims", str(synthetic)])
    yield server
    server.stop()


def query(pg) -> dict[str, list[str]]:
    return parse_qs(urlparse(pg.url).query)


def matching(data, q: str) -> set[str]:
    return set(data.claims.filter(text=q).frame["id"])


def test_q_in_the_url_narrows_the_list_and_stays_after_another_change(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/?q=peskov")
    wanted = matching(data, "peskov")
    assert 0 < len(wanted) < len(data.claims)
    wait_for_ids(pg, wanted)
    assert pg.locator("#statement-search").input_value() == "peskov"
    pg.locator("#party-filter input[value='russia']").check()
    pg.wait_for_function("() => new URLSearchParams(location.search).get('parties') === 'russia'")
    assert query(pg)["q"] == ["peskov"]
    assert_clean(page)


def test_typing_a_search_narrows_the_list_and_writes_q(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/")
    pg.wait_for_function(f"n => ({IDS_JS})().length === n", arg=len(data.claims))
    # Two words, other case, no accents: every word must match, as the server's rule says.
    pg.locator("#statement-search").fill("KREMLIN four")
    wanted = matching(data, "kremlin four")
    assert 0 < len(wanted) < len(matching(data, "kremlin"))
    wait_for_ids(pg, wanted)
    pg.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'KREMLIN four'")
    assert "q=KREMLIN%20four" in pg.url
    assert_clean(page)


def test_picking_a_record_writes_statement_and_unpicking_removes_it(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    button = pg.locator('[data-statement-id="russia-annexes-crimea-2014"] button.show-on-map')
    button.click()
    pg.wait_for_function("() => new URLSearchParams(location.search).get('statement') === 'russia-annexes-crimea-2014'")
    pg.wait_for_function(
        '() => document.querySelector(\'[data-statement-id="russia-annexes-crimea-2014"] '
        "button.show-on-map').getAttribute('aria-pressed') === 'true'"
    )
    button.click()
    pg.wait_for_function("() => !new URLSearchParams(location.search).has('statement')")
    assert button.get_attribute("aria-pressed") == "false"
    assert_clean(page)


def test_a_permalink_to_an_old_record_selects_shows_and_outlines_it(big_server, page, synthetic):
    claims = load_claims([synthetic])
    oldest = claims.frame["id"].iloc[0]  # the list shows the 50 newest: this one is far beyond them
    regions = set(claims.by_id[oldest].regions)
    pg = open_dashboard(page, big_server.url + f"/?statement={oldest}")
    item = pg.locator(f'[data-statement-id="{oldest}"]')
    item.wait_for()
    pressed = pg.evaluate(PRESSED_JS)
    assert pressed[oldest] == "true"
    assert [i for i, p in pressed.items() if p != "false"] == [oldest]
    assert len(pressed) == 51  # the 50 newest and the picked record
    pg.wait_for_function(
        """id => { const e = document.querySelector(`[data-statement-id="${id}"]`);
        const r = e.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        arg=oldest,
    )
    pg.wait_for_function(
        "([codes, colour]) => { const s = (" + STROKES_JS + ")(); return codes.some(c => s[c] === colour); }",
        arg=[sorted(regions), rgb(HIGHLIGHT_LINE)],
    )
    assert query(pg)["statement"] == [oldest]
    assert_clean(page)


def test_show_more_shows_fifty_more(big_server, page):
    pg = open_dashboard(page, big_server.url + "/")
    pg.wait_for_function(f"() => ({IDS_JS})().length === 50")
    more = pg.locator("#show-more")
    assert more.inner_text() == f"Show 50 more ({SYNTHETIC_RECORDS - 50} hidden)"
    more.click()
    pg.wait_for_function(f"() => ({IDS_JS})().length === 100")
    assert more.inner_text() == f"Show 50 more ({SYNTHETIC_RECORDS - 100} hidden)"
    # Any filter change starts again from the first 50.
    pg.locator("#party-filter input[value='russia']").check()
    pg.wait_for_function(f"() => ({IDS_JS})().length === 50")
    assert_clean(page)


def test_copy_citation_puts_the_citation_on_the_clipboard(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/")
    pg.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    record = "peskov-constitution-cannot-be-ignored"
    item = pg.locator(f'[data-statement-id="{record}"]')
    item.get_by_role("button", name="Copy citation: Dmitry Peskov, Kremlin spokesman, 28 Feb 2023").click()
    item.locator(".copy-status").get_by_text("Copied").wait_for()
    # Visible where the eye is: the button itself says so, then returns to its words.
    button = item.locator("button.copy-citation")
    assert button.inner_text() == "✓ Copied" and "copied" in button.get_attribute("class")
    pg.wait_for_function(
        f"""() => document.querySelector('[data-statement-id="{record}"] button.copy-citation')
                                    .textContent === 'Copy citation'""",
        timeout=10_000,
    )
    assert pg.evaluate("() => navigator.clipboard.readText()") == (
        "Dmitry Peskov, Kremlin spokesman, quoted in Reuters, “Kremlin: Russia open to Ukraine talks, but "
        "won't give up annexed regions”, 28 Feb 2023: “The constitution of the Russian Federation exists, "
        "and cannot be ignored.”"
    )
    assert_clean(page)


def test_copy_citation_without_the_clipboard_shows_the_citation_selected(live_server, page, data):
    """When neither the async clipboard nor execCommand copies, the citation is shown selected."""
    pg = open_dashboard(page, live_server.url + "/")
    pg.evaluate("""() => {
        Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
        document.execCommand = () => false;
    }""")
    record = "peskov-constitution-cannot-be-ignored"
    item = pg.locator(f'[data-statement-id="{record}"]')
    item.locator("button.copy-citation").click()
    manual = item.locator("input.copy-manual")
    manual.wait_for()
    assert manual.input_value().startswith("Dmitry Peskov, Kremlin spokesman, quoted in Reuters")
    assert pg.evaluate("() => document.activeElement.classList.contains('copy-manual')")
    assert pg.evaluate("() => { const e = document.activeElement; return e.selectionEnd - e.selectionStart; }") == len(
        manual.input_value()
    )
    assert "The citation is selected below" in item.locator(".copy-status").inner_text()
    assert_clean(page)


def test_copy_citation_falls_back_to_exec_command(live_server, page, data):
    pg = open_dashboard(page, live_server.url + "/")
    pg.evaluate("""() => {
        Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
        window.__copied = [];
        document.execCommand = (name) => { window.__copied.push([name, document.activeElement.value]); return true; };
    }""")
    record = "peskov-constitution-cannot-be-ignored"
    item = pg.locator(f'[data-statement-id="{record}"]')
    item.locator("button.copy-citation").click()
    item.locator(".copy-status").get_by_text("Copied").wait_for()
    copied = pg.evaluate("() => window.__copied")
    assert copied[0][0] == "copy" and copied[0][1].startswith("Dmitry Peskov, Kremlin spokesman, quoted in Reuters")
    assert_clean(page)
