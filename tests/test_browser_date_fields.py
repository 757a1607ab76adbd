"""The date fields follow the slider in the browser (assets/dashboard.js datesToFields), in the same
frame: a field never shows an older day than the slider, so leaving it cannot move the slider back."""

from __future__ import annotations

import datetime as dt

import pytest
from test_browser_dashboard import assert_clean, open_dashboard

pytestmark = pytest.mark.browser

FIELDS_JS = "([dates, from, to]) => window.dash_clientside.contested.datesToFields(dates, from, to)"


def offset(day: dt.date) -> int:
    return (day - dt.date(2013, 1, 1)).days


def test_the_slider_writes_the_exact_days_into_the_fields(live_server, page):
    pg = open_dashboard(page, live_server.url + "/")
    got = pg.evaluate(FIELDS_JS, [[offset(dt.date(2014, 1, 1)), offset(dt.date(2022, 9, 30))], "x", "y"])
    assert got == ["2014-01-01", "2022-09-30", None]
    # A field that already shows its day is left alone (what someone types in it is not clobbered).
    got = pg.evaluate(FIELDS_JS, [[0, offset(dt.date(2022, 9, 30))], "2013-01-01", "2023-02-28"])
    assert got[0] == pg.evaluate("window.dash_clientside.no_update")
    assert got[1:] == ["2022-09-30", None]
    # Offsets out of order or past the axis are put in order and clamped to it.
    last = int(pg.get_attribute("[data-slider-id=date-range]", "data-days"))
    got = pg.evaluate(FIELDS_JS, [[last + 400, -5], "", ""])
    assert got[:2] == ["2013-01-01", (dt.date(2013, 1, 1) + dt.timedelta(days=last)).isoformat()]
    assert_clean(page)


def test_next_event_shows_its_day_in_the_field(live_server, page):
    pg = open_dashboard(page, live_server.url + "/?from=2014-01-01&to=2022-09-01")
    pg.click("#next-event")
    pg.wait_for_function("() => document.querySelector('#date-to').value === '2022-09-30'")
    assert pg.input_value("#date-from") == "2014-01-01"
    assert_clean(page)
