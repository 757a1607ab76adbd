"""XSS through data and URLs: hostile text is shown as text and never runs.

A claims file whose quote, summary, speaker and source carry `<script>` and
`<img onerror>` payloads is served with `--claims`; the page must show the
text literally in #statements, create no script or img element from it,
leave `window.__pwned` undefined, fetch nothing outside 127.0.0.1 and log no
console error. The same holds for payloads in the URL query.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from conftest import LiveServer

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
SVG = "<svg onload=window.__pwned=1>"
SOURCE = {
    "publisher": f"Evil {IMG} News",
    "title": f"Title {SCRIPT}",
    "published": "2023-02-28",
    "url": "https://example.org/?q=<script>window.__pwned=1</script>",
}
RECORDS = [
    {
        "id": "hostile-statement",
        "kind": "statement",
        "date": "2023-02-28",
        "speaker": f"Speaker {SVG}",
        "parties": ["russia"],
        "regions": ["UA-14"],
        "quote": f"We say {SCRIPT} and {IMG}.",
        "summary": f"Someone says {IMG} {SCRIPT}.",
        "source": SOURCE,
    },
    {
        "id": "hostile-event",
        "kind": "event",
        "date": "2022-09",
        "parties": ["russia"],
        "regions": ["UA-14", "UA-09"],
        "summary": f"An event {SCRIPT}.",
        "effect": "annexation_declared",
        "source": SOURCE,
    },
]
PWNED_JS = "() => typeof window.__pwned"
INJECTED_JS = """() => ({
    scripts: document.querySelectorAll('#statements script, footer.attribution script, #notice script').length,
    imgs: document.querySelectorAll('img[src="x"], #statements img, #statements svg').length,
    handlers: document.querySelectorAll('[onerror], [onload]').length,
})"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims") / "hostile.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    server = LiveServer(["--no-bundled", "--claims", str(path)])
    yield server
    server.stop()


def assert_nothing_ran(page) -> None:
    pg = page.page
    assert pg.evaluate(PWNED_JS) == "undefined"
    assert pg.evaluate(INJECTED_JS) == {"scripts": 0, "imgs": 0, "handlers": 0}
    assert page.external_requests == []
    assert page.console_errors == []


def test_script_in_a_quote_is_shown_as_text_and_never_runs(page, hostile_server):
    pg = page.page
    pg.goto(hostile_server.url + "/")
    # Visible, not only attached: under load the list can sit behind its loading spinner a while.
    pg.wait_for_load_state("networkidle")
    pg.wait_for_selector('#statements [data-statement-id="hostile-statement"]', state="visible")
    statement = pg.locator('#statements [data-statement-id="hostile-statement"]')
    text = statement.inner_text()
    for literal in (SCRIPT, IMG, SVG, f"Evil {IMG} News", f"Title {SCRIPT}"):
        assert literal in text, text
    assert f"An event {SCRIPT}." in pg.locator('#statements [data-statement-id="hostile-event"]').inner_text()
    assert f"Evil {IMG} News" in pg.locator("footer.attribution").inner_text()
    # The source link points where the file says, as an attribute value, not as markup.
    link = statement.locator("a.source, .source a").first
    assert link.get_attribute("href") == SOURCE["url"]
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert_nothing_ran(page)


def test_show_on_map_with_a_hostile_record(page, hostile_server):
    pg = page.page
    pg.goto(hostile_server.url + "/")
    # Wait for the page's start-up callbacks: a click while the list is still being re-rendered
    # lands on a button that is then replaced.
    pg.wait_for_load_state("networkidle")
    button = pg.locator('#statements [data-statement-id="hostile-statement"] button.show-on-map')
    button.click()
    pg.wait_for_selector('#statements [data-statement-id="hostile-statement"] button.show-on-map.selected')
    assert_nothing_ran(page)


def test_payloads_in_the_url_are_shown_as_text(page, hostile_server):
    pg = page.page
    query = f"?from={quote(SCRIPT)}&regions={quote(IMG)},UA-14&parties={quote(SVG)}&{quote(SCRIPT)}=1"
    pg.goto(hostile_server.url + "/" + query)
    pg.wait_for_selector("#notice p", state="attached")
    notice = pg.locator("#notice").inner_text()
    assert "<script>window.__pwned=1</script>" in notice and "<img src=x" in notice
    # The address bar is rewritten to what is shown: the payloads are gone from it.
    pg.wait_for_function("() => !location.search.includes('script') && location.search.includes('UA-14')")
    assert_nothing_ran(page)


def test_the_payloads_would_run_if_rendered_as_html(page, hostile_server):
    """Control: the same strings inserted as markup do run, so the checks above can fail."""
    pg = page.page
    pg.goto(hostile_server.url + "/")
    pg.wait_for_selector("#statements [data-statement-id]", state="attached")
    pg.evaluate("(html) => document.querySelector('#statements').insertAdjacentHTML('beforeend', html)", IMG)
    pg.wait_for_function("() => window.__pwned === 1")
    assert pg.evaluate(INJECTED_JS)["imgs"] == 1
