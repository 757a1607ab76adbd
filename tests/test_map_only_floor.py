"""The first-paint floor's page (benchmarks/map_only.py): the dashboard's own app, with the map panel
and nothing else mounted, so `python -m benchmarks.first_paint` measures what it says."""

from __future__ import annotations

import pytest
from dash_client import find_props

from benchmarks import map_only
from dashboard.web import app as web_app
from dashboard.web.ids import Ids

pytestmark = pytest.mark.slow  # builds an app of its own


@pytest.fixture(scope="module")
def floor_client():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(web_app, "build_layout", map_only.map_only_layout)
        app = web_app.create_app()
    return app.server.test_client()


def test_the_floor_page_holds_the_map_and_nothing_of_the_rest(floor_client):
    sent = floor_client.get("/_dash-layout").json
    ids = {i for i in find_props(sent, "id") if isinstance(i, str)}
    assert Ids.MAP in ids
    # What the real first screen mounts before the map draws is absent.
    assert not ids & {Ids.DATES, Ids.REGIONS, Ids.PARTIES, Ids.STATEMENTS, Ids.AFTER_MAP_CONTENT}
    figure = next(node for node in find_props(sent, "figure") if node)
    assert any(trace["type"] == "choropleth" for trace in figure["data"])


def test_the_floor_page_is_served_like_the_dashboard(floor_client):
    index = floor_client.get("/")
    assert index.status_code == 200
    assert b"plotly-partial.min.js" in index.data
