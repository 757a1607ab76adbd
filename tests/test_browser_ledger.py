"""The ledger in Chromium: the table under the map, and how it follows the date.

External requests are blocked and recorded (none allowed); waits are on conditions.
"""

from __future__ import annotations

import re

import pytest
from test_browser_dashboard import assert_clean, open_dashboard

from dashboard.core.regions import CONTESTED_CODES

pytestmark = pytest.mark.browser

ROWS_JS = """() => Array.from(document.querySelectorAll('#ledger tbody tr'))
    .map(r => [r.getAttribute('data-code'), r.innerText])"""


def test_ledger_shows_the_six_regions_with_what_is_held(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    pg.wait_for_function("() => document.querySelectorAll('#ledger tbody tr[data-code]').length === 6")
    rows = dict(pg.evaluate(ROWS_JS))
    assert list(rows) == list(CONTESTED_CODES)
    kherson = rows["UA-65"]
    assert "Kherson" in kherson and re.search(r"\b\d{1,3}% \([\d,]+ km²\)", kherson), kherson
    assert "Annexation declared by Russia 30 Sep 2022" in kherson
    assert "DeepStateMap" in pg.locator("#ledger caption").inner_text()
    assert_clean(page)


def test_ledger_follows_the_date_in_the_url(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?to=2015-01-01")
    row = pg.locator('#ledger tr[data-code="UA-65"]')
    row.get_by_text("No DeepStateMap snapshot on or before 1 Jan 2015").wait_for()
    assert "No annexation declared" in row.inner_text()
    assert "%" not in row.inner_text()
    assert "On 1 Jan 2015" in pg.locator("#ledger caption").inner_text()
    assert_clean(page)


def test_ledger_reads_as_cards_on_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(live_server.url + "/?to=2024-08-19")  # a gap day: the longest snapshot cell
        pg.locator('#ledger tr[data-code="UA-65"]').get_by_text("the last on or before 19 Aug 2024").wait_for()
        # Nothing sticks out sideways: the table fits the phone's width.
        width = pg.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, width
        assert pg.locator("#ledger thead").is_hidden()
    finally:
        context.close()
