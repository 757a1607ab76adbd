"""Plotly Cloud: no toolbar button of the map can send the chart anywhere.

Dash's dcc.Graph shows a "Share chart..." button (plotly.js `sendDataToCloud`)
that, after one confirmation, opens cloud.plotly.com with the chart. The map
config removes it and every other way out (`showSendToCloud`,
`showEditInChartStudio`, `plotlyServerURL`, `showLink`, `sendData`). These
tests click every remaining toolbar button, confirm any dialog, and record
every request of the page and of any window it opens.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BUTTONS = "#map .modebar-btn"
CLOUD_DIALOG = ".plotly-cloud-dialog"
ROUND_TRIP = "() => fetch('/_dash-dependencies').then(r => r.status)"


@pytest.fixture
def map_page(page, live_server):
    # Windows the page opens (a share link, an editor) are routed and recorded too.
    context = page.page.context
    context.route("**/*", page._route)
    popups: list[str] = []
    context.on("page", lambda opened: popups.append(opened.url))
    page.page.on("dialog", lambda dialog: dialog.accept())  # "one confirmation": say yes to it
    page.page.goto(live_server.url + "/")
    page.page.wait_for_selector(BUTTONS, state="attached")
    return page, popups


def test_the_toolbar_has_no_share_or_chart_studio_button(map_page):
    page, _ = map_page
    pg = page.page
    titles = pg.eval_on_selector_all(BUTTONS, "buttons => buttons.map(b => b.getAttribute('data-title'))")
    assert titles, "the map has no toolbar"
    for title in titles:
        assert not any(word in (title or "").lower() for word in ("share", "cloud", "chart studio", "edit")), titles
    context = pg.evaluate("""() => {
        const ctx = document.querySelector('#map .js-plotly-plot')._context;
        return {cloud: ctx.showSendToCloud, studio: ctx.showEditInChartStudio, server: ctx.plotlyServerURL,
                link: ctx.showLink, sendData: ctx.sendData,
                removed: ctx.modeBarButtonsToRemove};
    }""")
    # plotly.js 3 dropped Chart Studio's button and the "Edit chart" link (then undefined): never true.
    assert context["cloud"] is False
    assert context["studio"] in (False, None) and context["link"] in (False, None)
    assert context["server"] in ("", None) and context["sendData"] in (False, None)
    assert "sendDataToCloud" in context["removed"] and "editInChartStudio" in context["removed"]


def test_every_toolbar_button_stays_on_the_machine(map_page):
    page, popups = map_page
    pg = page.page
    count = pg.locator(BUTTONS).count()
    assert count >= 4, count
    dialogs = []
    for index in range(count):
        button = pg.locator(BUTTONS).nth(index)
        title = button.get_attribute("data-title")
        pg.hover("#map .js-plotly-plot")  # the toolbar shows on hover
        if title and "PNG" in title:
            with pg.expect_download() as download:
                button.click()
            assert download.value.url.startswith(("data:", "blob:")), download.value.url
        else:
            button.click()
        # A dialog that asks before sending the chart out: confirm it, as a user would.
        if pg.locator(CLOUD_DIALOG).count():
            dialogs.append(title)
            pg.click(f"{CLOUD_DIALOG} .plotly-cloud-dialog-btn--confirm")
        assert pg.evaluate(ROUND_TRIP) == 200  # everything the click started has been sent by now
    assert dialogs == []
    assert popups == []
    assert page.external_requests == []
    assert page.console_errors == []
