""" "Article records only" in Chromium: ticking the box writes `enrichment=no` to the
address bar and the statements list drops the enrichment records; the URL ticks it again.

External requests are blocked and recorded (none allowed); waits are on conditions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from test_browser_dashboard import IDS_JS, assert_clean, open_dashboard, wait_for_ids

from dashboard.core.filters import FilterState
from dashboard.core.views import filtered_claims
from dashboard.sources.dataset import load_dataset

pytestmark = pytest.mark.browser


def test_article_only_box_writes_the_url_and_filters_the_statements(live_server, page):
    data = load_dataset()
    pg = open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2014-12-31")
    state = FilterState(dt.date(2014, 1, 1), dt.date(2014, 12, 31))
    everything = set(filtered_claims(data, state).frame["id"])
    articles = set(filtered_claims(data, dataclasses.replace(state, enrichment=False)).frame["id"])
    assert "unga-resolution-68-262-2014-03-27" in everything - articles and articles
    wait_for_ids(pg, everything)

    pg.locator("#article-only input[type='checkbox']").check()
    pg.wait_for_function("() => new URLSearchParams(location.search).get('enrichment') === 'no'")
    wait_for_ids(pg, articles)
    assert not set(pg.evaluate(IDS_JS)) & (everything - articles)
    assert pg.evaluate("() => new URLSearchParams(location.search).get('from')") == "2014-01-01"

    # The URL ticks the box on a fresh load; unticking takes the key out of the URL again.
    pg = open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2014-12-31&enrichment=no")
    pg.wait_for_function("() => document.querySelector('#article-only input[type=checkbox]').checked")
    wait_for_ids(pg, articles)
    pg.locator("#article-only input[type='checkbox']").uncheck()
    pg.wait_for_function("() => !new URLSearchParams(location.search).has('enrichment')")
    wait_for_ids(pg, everything)
    assert_clean(page)
