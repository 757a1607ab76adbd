"""The layout laid out for a URL's state: what the page's first paint shows is what the callbacks
would have produced for that URL, so no start-up callback has to run (app.py, `_dash-layout?QUERY`).

Each URL's layout (fetched the way assets/dashboard.js fetches it: the page's query appended) is
compared with the outputs of the registered callbacks called in-process with that layout's
control values, on the bundled records and control layer.
"""

from __future__ import annotations

import json

import pytest

from dashboard.text import text_for
from dashboard.web.after_map import find_node
from dashboard.web.app import create_app
from tests.dash_client import apply_patch, call

URLS = (
    "from=2022-01-01&to=2022-10-10&regions=UA-14",
    "from=2014-01-01&to=2015-06-30&parties=russia&enrichment=no",
    "from=2023-01-01&to=2024-05-01&change=yes&q=referendum",
    "from=2013-01-01&to=2023-02-28&regions=UA-43,UA-40&lang=uk",
    "from=2022-01-01&to=2023-02-28&statement=kyiv-west-referendums-bogus-illegal",
)


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture
def client(app):
    return app.server.test_client()


def find(tree, ident):
    """The props of the component with id `ident` in a serialised layout."""
    node = find_node(tree, ident)
    return None if node is None else node.get("props", {})


def layout_for(client, query: str) -> dict:
    response = client.get("/_dash-layout?" + query)
    assert response.status_code == 200
    return response.json


def controls(layout: dict) -> dict:
    value = {ident: find(layout, ident) for ident in ("date-range", "region-filter", "party-filter", "article-only")}
    return {
        "dates": value["date-range"]["value"],
        "regions": value["region-filter"]["value"],
        "parties": value["party-filter"]["value"],
        "article_only": value["article-only"]["value"],
        "change": find(layout, "change-layer")["value"],
        "search": find(layout, "statement-search")["value"],
        "source": find(layout, "control-source")["value"],
        "compare": find(layout, "ledger-compare")["value"],
        "selected": find(layout, "selected-statement")["data"],
        "lang": find(layout, "lang")["data"],
    }


def assigned(figure: dict, location: tuple):
    node = figure
    for key in location:
        node = node[key]
    return node


def normal(value):
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("query", URLS)
def test_layout_shows_the_url_state(client, query):
    layout = layout_for(client, query)
    c = controls(layout)
    default = layout_for(client, "")
    assert c["dates"] != find(default, "date-range")["value"]
    assert find(layout, "url-state")["data"].lstrip("?") in query or query.endswith("lang=uk")
    assert find(layout, "notice").get("children") is None


@pytest.mark.parametrize("query", URLS)
def test_layout_map_equals_the_callbacks_output(client, query):
    layout = layout_for(client, query)
    c = controls(layout)
    figure = find(layout, "map")["figure"]
    inputs = [
        ("date-range", "value", c["dates"]),
        ("region-filter", "value", c["regions"]),
        ("party-filter", "value", c["parties"]),
        ("article-only", "value", c["article_only"]),
        ("selected-statement", "data", c["selected"]),
        ("statement-search", "value", c["search"]),
    ]
    response = call(
        client, [("map", "figure")], inputs, [("lang", "data", c["lang"]), ("control-source", "value", c["source"])]
    )
    assert response.status_code == 200
    patch = apply_patch(response.json["response"]["map"]["figure"])
    assert patch
    for location, value in patch.items():
        assert normal(assigned(figure, location)) == normal(value), location
    # The held layer of the map's date and the change layer of the range (the layers' own callbacks).
    for output, toggle in (
        ("control-legend", ("control-layer", "value", ["on"])),
        ("change-legend", ("change-layer", "value", c["change"])),
    ):
        response = call(
            client,
            [("map", "figure"), (output, "children")],
            [("date-range", "value", c["dates"]), toggle, ("control-source", "value", c["source"])],
            [("lang", "data", c["lang"])],
        )
        assert response.status_code in (200, 204), response.data[:300]
        body = (response.json or {}).get("response")
        if not body:  # the change layer unticked: nothing is sent, the layout's layer and legend are empty
            assert output == "change-legend" and c["change"] == [] and find(layout, output)["children"] == []
            continue
        for location, value in apply_patch(body["map"]["figure"]).items():
            assert normal(assigned(figure, location)) == normal(value), (output, location)
        assert normal(find(layout, output)["children"]) == normal(body[output]["children"])


@pytest.mark.parametrize("query", URLS)
def test_layout_ledger_statements_and_dates_equal_the_callbacks_output(client, query):
    layout = layout_for(client, query)
    c = controls(layout)
    response = call(
        client,
        [("ledger", "children")],
        [
            ("date-range", "value", c["dates"]),
            ("article-only", "value", c["article_only"]),
            ("control-source", "value", c["source"]),
            ("ledger-compare", "value", c["compare"]),
            ("change-layer", "value", c["change"]),
        ],
        [("lang", "data", c["lang"])],
    )
    assert normal(find(layout, "ledger")["children"]) == normal(response.json["response"]["ledger"]["children"])
    response = call(
        client,
        [("statements", "children"), ("statement-count", "children")],
        [
            ("date-range", "value", c["dates"]),
            ("region-filter", "value", c["regions"]),
            ("party-filter", "value", c["parties"]),
            ("article-only", "value", c["article_only"]),
            ("statement-search", "value", c["search"]),
            ("show-more", "n_clicks", 0),
        ],
        [("selected-statement", "data", c["selected"]), ("statements-limit", "data", 50), ("lang", "data", c["lang"])],
    )
    body = response.json["response"]
    # The list rides in the layout's store and is drawn once the map has drawn (showAfterMap).
    assert find(layout, "statements").get("children") is None
    assert normal(find(layout, "statements-first")["data"]) == normal(body["statements"]["children"])
    assert find(layout, "statement-count")["children"] == body["statement-count"]["children"]
    response = call(
        client,
        [("date-readout", "children"), ("print-range", "children")],
        [("date-range", "value", c["dates"])],
        [("lang", "data", c["lang"])],
    )
    body = response.json["response"]
    assert normal(find(layout, "date-readout")["children"]) == normal(body["date-readout"]["children"])
    assert normal(find(layout, "print-range")["children"]) == normal(body["print-range"]["children"])
    response = call(
        client, [("date-handle-text", "data")], [("date-range", "value", c["dates"])], [("lang", "data", c["lang"])]
    )
    assert find(layout, "date-handle-text")["data"] == response.json["response"]["date-handle-text"]["data"]


@pytest.mark.parametrize("query", URLS)
def test_layout_timeline_equals_the_callbacks_output(client, query):
    layout = layout_for(client, query)
    c = controls(layout)
    figure = find(layout, "timeline")["figure"]
    response = call(
        client,
        [("timeline", "figure")],
        [
            ("date-range", "value", c["dates"]),
            ("region-filter", "value", c["regions"]),
            ("party-filter", "value", c["parties"]),
            ("article-only", "value", c["article_only"]),
            ("statement-search", "value", c["search"]),
            ("selected-statement", "data", c["selected"]),
        ],
        [("lang", "data", c["lang"])],
        changed=[],  # as on a page load: the whole state
    )
    patch = apply_patch(response.json["response"]["timeline"]["figure"])
    for location, value in patch.items():
        if location[:2] == ("layout", "selections"):
            continue  # no selection either way (the layout leaves the key out)
        assert normal(assigned(figure, location)) == normal(value), location


def test_default_state_url_gets_the_default_layout(client):
    """The URL the page writes after loading the default (its state spelt out) gets the same bytes."""
    default = client.get("/_dash-layout")
    query = find(default.json, "url-state")["data"].lstrip("?")
    again = client.get("/_dash-layout?" + query)
    assert again.data == default.data
    assert again.headers["ETag"] == default.headers["ETag"]


def test_start_up_callbacks_do_not_fire(client):
    """Every server callback that draws the page waits for a change: the layout already shows the URL's state."""
    dependencies = client.get("/_dash-dependencies").json
    outputs = {"map.figure", "ledger.children", "timeline.figure", "date-readout.children", "date-handle-text.data"}
    firing = [
        d["output"]
        for d in dependencies
        if not d.get("prevent_initial_call")
        and d.get("clientside_function") is None
        and any(o in d["output"] for o in outputs | {"statements.children", "date-range.value"})
    ]
    assert firing == []


def test_the_page_preloads_the_layout_of_its_url(client):
    page = client.get("/?from=2022-01-01&to=2022-10-10&regions=UA-14").get_data(as_text=True)
    assert 'href="/_dash-layout?from=2022-01-01&amp;to=2022-10-10&amp;regions=UA-14"' in page


def test_bad_values_give_the_notice_in_the_layout(client):
    layout = layout_for(client, "from=notadate&regions=UA-99")
    notice = json.dumps(find(layout, "notice")["children"])
    assert "notadate" in notice and "UA-99" in notice
    assert find(layout, "notice-for")["data"] == find(layout, "url-state")["data"]


def test_a_default_state_query_preloads_the_plain_layout(client):
    """The URL the page writes for the default state: the layout URL stays plain, so a reload gets a 304."""
    query = find(client.get("/_dash-layout").json, "url-state")["data"]
    page = client.get("/" + query).get_data(as_text=True)
    assert 'href="/_dash-layout"' in page and 'href="/_dash-layout?' not in page


def test_the_address_bar_of_the_state_shown_changes_nothing(client):
    """Back / Forward to the state the page already shows (or the address bar reported as it mounts):
    no control is set again, so nothing downstream runs; another state is applied."""
    query = "?from=2022-01-01&to=2022-10-10&regions=UA-14"
    shown = find(layout_for(client, query.lstrip("?")), "url-state")["data"]
    outputs = [("date-range", "value"), ("region-filter", "value")]
    same = call(client, outputs, [("url", "search", query)], [("url-written", "data", shown)])
    assert same.status_code in (200, 204) and not (same.json or {}).get("response")  # every output no_update
    other = call(client, outputs, [("url", "search", "?from=2014&to=2015")], [("url-written", "data", shown)])
    assert other.status_code == 200
    assert other.json["response"]["region-filter"]["value"] == []


def test_a_place_in_the_url_is_in_the_layout(client):
    """`place=`: the dropdown shows it, the map marks and zooms to it, its history is there (no callback)."""
    from dashboard.render.place_marker import PLACE_UID, place_props, place_zoom
    from dashboard.sources.dataset import load_dataset

    places = load_dataset().places
    if places is None:
        pytest.skip("no gazetteer loaded")
    place = places.search("Bakhmut", 1)[0]
    layout = layout_for(client, f"place={place.geonameid}")
    assert find(layout, "place-search")["value"] == str(place.geonameid)
    figure = find(layout, "map")["figure"]
    marker = next(t for t in figure["data"] if t.get("uid") == PLACE_UID)
    assert {k: marker[k] for k in ("lon", "lat", "visible")} == {
        k: v for k, v in place_props(place).items() if k in ("lon", "lat", "visible")
    }
    assert figure["layout"]["geo"]["projection"]["scale"] == place_zoom(place)["scale"]
    assert place.name in json.dumps(find(layout, "place-history")["children"], ensure_ascii=False)


@pytest.mark.parametrize("query", ["q=nothing-matches-this", "from=3000-01-01", "regions=UA-14&q=zzzz&lang=uk"])
def test_a_url_whose_list_is_empty_is_laid_out(client, query):
    """No statement matches: the list is one paragraph saying so, carried as plain data, never a 500."""
    assert client.get("/?" + query).status_code == 200
    layout = layout_for(client, query)
    first = find(layout, "statements-first")["data"]
    lang = "uk" if "lang=uk" in query else "en"
    assert text_for(lang)("statements.empty") in json.dumps(first, ensure_ascii=False)
    assert find(layout, "statement-count")["children"]
