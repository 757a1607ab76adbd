"""The "Find a place" panel in-process: `place=` (an id or a name) round trip, the marker and zoom Patch,
the history in words in both languages, the statements that mention a place, and hostile values."""

from __future__ import annotations

import pytest
from dash_client import apply_patch, call, find_props

from dashboard.render.map_figure import trace_index
from dashboard.render.place_marker import PLACE_SCALE, PLACE_UID
from dashboard.web.ids import Ids

BAKHMUT = "713174"


@pytest.fixture(scope="module")
def app(bundled_app):
    return bundled_app


@pytest.fixture
def client(app):
    return app.server.test_client()


def _response(response) -> dict:
    assert response.status_code == 200, response.data[:300]
    return {
        key: {prop.split("@", 1)[0]: value for prop, value in props.items()}
        for key, props in response.json["response"].items()
    }


def url_to_place(client, search, shown="2643743"):
    """The dropdown after Back / Forward to `search`, while it shows `shown` (another place)."""
    return _response(
        call(client, [(Ids.PLACE_SEARCH, "value")], [(Ids.URL, "search", search)], [(Ids.PLACE_SEARCH, "value", shown)])
    )


def url_state(client, search):
    return _response(call(client, [(Ids.URL_STATE, "data"), (Ids.NOTICE, "children")], [(Ids.URL, "search", search)]))


def show_place(client, value, lang=None):
    return _response(
        call(
            client,
            [(Ids.PLACE_HISTORY, "children")],
            [(Ids.PLACE_CHOSEN, "data", value)],
            state=[(Ids.LANG, "data", lang)],
        )
    )


def texts(tree) -> list[str]:
    found = find_props(tree, "children")
    return [t for t in found if isinstance(t, str)]


@pytest.mark.parametrize(
    "search", [f"?place={BAKHMUT}", "?place=Bakhmut", "?place=%D0%B1%D0%B0%D1%85%D0%BC%D1%83%D1%82", "?place=Artemivsk"]
)
def test_place_in_the_url_picks_it_and_is_written_back_as_its_id(client, search):
    out = url_to_place(client, search)
    assert out[str(Ids.PLACE_SEARCH)]["value"] == BAKHMUT
    assert [o["value"] for o in out[str(Ids.PLACE_SEARCH)]["options"]] == [BAKHMUT]
    assert out[str(Ids.PLACE_SEARCH)]["options"][0]["label"] == "Bakhmut (Donetsk)"
    state = url_state(client, search)
    assert state[str(Ids.URL_STATE)]["data"].endswith(f"&place={BAKHMUT}")
    assert state[str(Ids.NOTICE)]["children"] is None


@pytest.mark.parametrize("value", ["Zzzqq", "0", "12345678901234", "<script>"])
def test_an_unknown_place_is_a_notice_and_nothing_is_picked(client, value):
    out = url_to_place(client, f"?place={value}")
    assert out[str(Ids.PLACE_SEARCH)]["value"] is None
    state = url_state(client, f"?place={value}")
    assert "place=" not in state[str(Ids.URL_STATE)]["data"]
    notices = texts(state[str(Ids.NOTICE)]["children"])
    assert any(n.startswith("Ignored place=") and "no place in the gazetteer" in n for n in notices), notices


def _marker_index(client) -> int:
    """Where the page's map (as sent in the layout) holds the place marker trace."""
    layout = client.get("/_dash-layout").json
    figure = next(
        f
        for f in find_props(layout, "figure")
        if isinstance(f, dict) and "data" in f and any(t.get("uid") == PLACE_UID for t in f["data"])
    )
    return trace_index(figure, PLACE_UID)


def test_picking_a_place_marks_and_zooms_the_map(client):
    marker = _marker_index(client)
    response = call(
        client, [(Ids.MAP, "figure")], [(Ids.PLACE_CHOSEN, "data", "704422")], state=[(Ids.LANG, "data", None)]
    )
    out = _response(response)
    patch = apply_patch(out[str(Ids.MAP)]["figure"])
    assert patch[("data", marker, "lon")] == [37.17585] and patch[("data", marker, "lat")] == [48.28198]
    assert patch[("data", marker, "text")] == ["Pokrovsk"] and patch[("data", marker, "visible")] is True
    assert patch[("layout", "geo", "center")] == {"lon": 37.17585, "lat": 48.28198}
    assert patch[("layout", "geo", "projection", "scale")] == PLACE_SCALE
    # Only the marker and the zoom: no geometry is resent.
    assert len(patch) == 6
    cleared = apply_patch(
        _response(
            call(client, [(Ids.MAP, "figure")], [(Ids.PLACE_CHOSEN, "data", None)], state=[(Ids.LANG, "data", None)])
        )[str(Ids.MAP)]["figure"]
    )
    assert cleared[("data", marker, "lon")] == [] and cleared[("data", marker, "visible")] is False
    assert cleared[("layout", "geo", "projection", "scale")] == 1.0


def test_the_history_panel_in_words(client):
    out = show_place(client, "704422")
    words = texts(out[str(Ids.PLACE_HISTORY)]["children"])
    assert "Pokrovsk, Donetsk" in words
    assert "Held by Russian forces per DeepStateMap since 20 Nov 2025; not held on 19 Nov 2025." in words
    assert "20 Nov 2025 – 21 Aug 2026: held by Russian forces per DeepStateMap" in words
    assert "9 Jul 2024 – 19 Nov 2025: not held by Russian forces per DeepStateMap" in words
    assert "Places: GeoNames.org (CC BY 4.0)." in words
    uk = texts(show_place(client, "704422", "uk")[str(Ids.PLACE_HISTORY)]["children"])
    assert "Pokrovsk, Донецька область" in uk
    assert "Утримують російські сили за DeepStateMap з 20 лист. 2025; 19 лист. 2025 не утримували." in uk


@pytest.mark.slow
def test_statements_that_mention_a_place_link_to_them(client, app):
    from dashboard.core.places import mention_text, mentions
    from dashboard.sources.dataset import load_dataset

    data = load_dataset()
    gazetteer = data.places
    # A place some bundled record names (found by computing, so the test follows the data).
    named = {}
    record_texts = {c.id: mention_text([c.quote, c.summary], [c.source.publisher]) for c in data.claims}
    for place in gazetteer.largest_in((22.0, 44.0, 41.0, 53.0), 60):
        ids = mentions(record_texts, place)
        if ids:
            named[place.geonameid] = ids
    assert named, "no bundled record names one of the 60 largest places"
    geonameid, ids = next(iter(named.items()))
    panel = show_place(client, str(geonameid))[str(Ids.PLACE_HISTORY)]["children"]
    assert sorted(find_props(panel, "data-statement-id")) == sorted(ids)
    assert sorted(find_props(panel, "href")) == sorted(f"?statement={i}" for i in ids)
    # "The Kyiv Independent reports..." is its publisher, not a mention of Kyiv.
    kyiv = find_props(show_place(client, "703448")[str(Ids.PLACE_HISTORY)]["children"], "data-statement-id")
    assert kyiv and "ki-regional-capitals-2024" not in kyiv and "ki-moscow-controls-crimea-2024" not in kyiv
    # A village no record names says so.
    quiet = texts(show_place(client, "700159")[str(Ids.PLACE_HISTORY)]["children"])
    assert "No loaded statement mentions Mykolayivka." in quiet


def test_search_as_you_type(client):
    out = _response(
        call(
            client,
            [(Ids.PLACE_SEARCH, "options")],
            [(Ids.PLACE_SEARCH, "search_value", "Артемівськ")],
            state=[(Ids.PLACE_SEARCH, "value", None), (Ids.LANG, "data", None)],
        )
    )
    options = out[str(Ids.PLACE_SEARCH)]["options"]
    assert options[0]["value"] == BAKHMUT and "Артемівськ" in options[0]["search"]
    many = _response(
        call(
            client,
            [(Ids.PLACE_SEARCH, "options")],
            [(Ids.PLACE_SEARCH, "search_value", "ka")],
            state=[(Ids.PLACE_SEARCH, "value", BAKHMUT), (Ids.LANG, "data", "uk")],
        )
    )
    values = [o["value"] for o in many[str(Ids.PLACE_SEARCH)]["options"]]
    assert len(values) == 20 and BAKHMUT in values  # the picked place stays among the options


@pytest.mark.parametrize("value", [["713174"], {"a": 1}, True, "1e5", "-5", "7" * 40, 713174])
def test_hostile_values_never_500(client, value):
    response = call(
        client,
        [(Ids.PLACE_HISTORY, "children")],
        [(Ids.PLACE_CHOSEN, "data", value)],
        state=[(Ids.LANG, "data", None)],
    )
    assert response.status_code in (200, 204)
