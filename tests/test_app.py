"""The app in-process: callbacks through /_dash-update-component, bad URLs and bad inputs."""

from __future__ import annotations

import datetime as dt

import pytest
from dash_client import NO_SEARCH, STATEMENTS_INPUTS, STATEMENTS_STATE, apply_patch, call, find_props

from dashboard.core.dataset import Dataset
from dashboard.render.map_figure import CONTESTED_UID, OTHERS_UID
from dashboard.render.theme import STATUS_FILLS
from dashboard.testing import map_trace_index
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import STATEMENT_BUTTON, Ids

CONTESTED_TRACE = map_trace_index(CONTESTED_UID)
OTHERS_TRACE = map_trace_index(OTHERS_UID)

URL_OUTPUTS = [(Ids.DATES, "value"), (Ids.REGIONS, "value"), (Ids.PARTIES, "value"), (Ids.NOTICE, "children")]


@pytest.fixture(scope="module")
def app(bundled_app):
    return bundled_app


@pytest.fixture(scope="module")
def data(bundled_data) -> Dataset:
    return bundled_data


@pytest.fixture
def client(app):
    return app.server.test_client()


def offsets(data: Dataset, start: str, end: str) -> list[int]:
    return [data.axis.offset(dt.date.fromisoformat(start)), data.axis.offset(dt.date.fromisoformat(end))]


def url_to_filters(client, search):
    return call(client, URL_OUTPUTS, [(Ids.URL, "search", search)])


def click_map(app, client, click, regions):
    """POST the map-click callback; its output carries Dash's allow_duplicate suffix."""
    key = next(
        k
        for k, v in app.callback_map.items()
        if any(str(i["id"]) == "map" and i["property"] == "clickData" for i in v["inputs"])
    )
    payload = {
        "output": key,
        "outputs": {"id": str(Ids.REGIONS), "property": key.split(".", 1)[1]},
        "inputs": [{"id": "map", "property": "clickData", "value": click}],
        "state": [{"id": str(Ids.REGIONS), "property": "value", "value": regions}],
        "changedPropIds": ["map.clickData"],
    }
    return client.post("/_dash-update-component", json=payload)


def map_fills(client, data, dates, regions=(), parties=(), selected=None) -> dict[str, str]:
    response = call(
        client,
        [(Ids.MAP, "figure")],
        [
            (Ids.DATES, "value", dates),
            (Ids.REGIONS, "value", list(regions)),
            (Ids.PARTIES, "value", list(parties)),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.SELECTED, "data", selected),
            NO_SEARCH,
        ],
    )
    assert response.status_code == 200, response.data[:300]
    patch = apply_patch(response.json["response"]["map"]["figure"])
    z = patch[("data", CONTESTED_TRACE, "z")]
    palette = [c for _, c in patch[("data", CONTESTED_TRACE, "colorscale")]]
    codes = list(data.layers.contested["code"])
    return dict(zip(codes, (palette[i] for i in z), strict=True)), patch


def statement_ids(client, dates, regions=(), parties=()) -> list[str]:
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", dates),
            (Ids.REGIONS, "value", list(regions)),
            (Ids.PARTIES, "value", list(parties)),
            (Ids.ARTICLE_ONLY, "value", []),
            *STATEMENTS_INPUTS,
        ],
        state=[(Ids.SELECTED, "data", None), *STATEMENTS_STATE],
    )
    assert response.status_code == 200, response.data[:300]
    return find_props(response.json["response"][str(Ids.STATEMENTS)]["children"], "data-statement-id")


def test_url_sets_the_filters(client, data):
    response = url_to_filters(client, "?from=2022-01-01&to=2023-02-28&regions=UA-43,Donetsk")
    assert response.status_code == 200
    out = response.json["response"]
    assert out[str(Ids.DATES)]["value"] == offsets(data, "2022-01-01", "2023-02-28")
    # Crimea means the peninsula: UA-43 in the URL selects Sevastopol too, as a click does.
    assert out[str(Ids.REGIONS)]["value"] == ["UA-43", "UA-40", "UA-14"]
    assert out[str(Ids.NOTICE)]["children"] is None


def test_invalid_url_values_give_a_notice(client, data):
    response = url_to_filters(client, "?from=2022-13-45&regions=Atlantis,UA-09")
    assert response.status_code == 200
    out = response.json["response"]
    notices = find_props(out[str(Ids.NOTICE)]["children"], "children")
    assert any("Ignored from='2022-13-45'" in n for n in notices)
    assert any("'Atlantis'" in n for n in notices)
    assert out[str(Ids.REGIONS)]["value"] == ["UA-09"]
    assert out[str(Ids.DATES)]["value"] == [0, data.axis.days]


def test_map_click_toggles_the_region_group(app, client):
    click = {"points": [{"location": "UA-40", "curveNumber": CONTESTED_TRACE}]}
    response = click_map(app, client, click, ["UA-14"])
    assert response.status_code == 200
    (value,) = [v for out in response.json["response"].values() for v in out.values()]
    assert value == ["UA-14", "UA-43", "UA-40"]
    response = click_map(app, client, click, value)
    (value,) = [v for out in response.json["response"].values() for v in out.values()]
    assert value == ["UA-14"]


@pytest.mark.parametrize(
    "click", [{"points": [{"location": "RUS"}]}, None, "junk", {"points": []}, {"points": [{"location": ["UA-14"]}]}]
)
def test_click_elsewhere_changes_nothing(app, client, click):
    response = click_map(app, client, click, ["UA-14"])
    # Dash answers an all-no_update callback with 204, or with an empty response.
    assert response.status_code == 204 or response.json["response"] == {}


@pytest.mark.parametrize(
    "end, crimea, donetsk",
    [
        ("2013-06-01", "no_annexation_declared", "no_annexation_declared"),
        ("2020-06-01", "annexation_declared", "no_annexation_declared"),
        ("2023-02-28", "annexation_declared", "annexation_declared"),
    ],
)
def test_map_colours_follow_status_at_end_of_range(client, data, end, crimea, donetsk):
    fills, patch = map_fills(client, data, offsets(data, "2013-01-01", end))
    assert fills["UA-43"] == fills["UA-40"] == STATUS_FILLS[crimea]
    assert fills["UA-14"] == STATUS_FILLS[donetsk]
    # Only the contested trace's changeable properties and the other units' outlines
    # are sent, never geometry.
    assert all(
        location[:2] == ("data", CONTESTED_TRACE) or location == ("data", OTHERS_TRACE, "marker") for location in patch
    )
    assert not any("geojson" in location for location in patch)


def test_map_patch_is_small(client, data):
    response = call(
        client,
        [(Ids.MAP, "figure")],
        [
            (Ids.DATES, "value", [0, data.axis.days]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.SELECTED, "data", None),
            NO_SEARCH,
        ],
    )
    assert len(response.data) < 5_000


def test_selected_statement_highlights_its_regions(client, data):
    _, patch = map_fills(client, data, [0, data.axis.days], selected="russia-annexes-crimea-2014")
    widths = patch[("data", CONTESTED_TRACE, "marker")]["line"]["width"]
    codes = list(data.layers.contested["code"])
    by_code = dict(zip(codes, widths, strict=True))
    assert by_code["UA-43"] > by_code["UA-14"]
    assert by_code["UA-40"] == by_code["UA-43"]


def test_hover_card_has_names_area_status_and_count(client, data):
    _, patch = map_fills(client, data, offsets(data, "2023-01-01", "2023-02-28"))
    text = dict(zip(data.layers.contested["code"], patch[("data", CONTESTED_TRACE, "text")], strict=True))
    card = text["UA-14"]
    for fragment in (
        "Donetsk",
        "Донецька область",
        "km²",
        "Status on 28 Feb 2023",
        "14 records in range (12 statements, 1 event, 1 assessment)",
    ):
        assert fragment in card


def test_hover_card_says_zero_records(client, data):
    """Events are not counted as "statements", and 0 is said, not hidden."""
    _, patch = map_fills(client, data, offsets(data, "2013-01-01", "2013-06-01"))
    for card in patch[("data", CONTESTED_TRACE, "text")]:
        assert card.endswith("<br>0 records in range")
    _, patch = map_fills(client, data, offsets(data, "2014-03-01", "2014-03-31"))
    crimea = dict(zip(data.layers.contested["code"], patch[("data", CONTESTED_TRACE, "text")], strict=True))["UA-43"]
    assert "statement" not in crimea and "records in range (" in crimea and "event" in crimea


def test_statements_filtered_by_region_and_date(client, data):
    all_ids = statement_ids(client, [0, data.axis.days])
    assert len(all_ids) == len(data.claims)
    crimea_2014 = statement_ids(client, offsets(data, "2014-01-01", "2014-12-31"), regions=["UA-43"])
    assert "russia-annexes-crimea-2014" in crimea_2014
    assert "peskov-never-renounce-claims" not in crimea_2014
    donetsk = statement_ids(client, [0, data.axis.days], regions=["UA-14"])
    assert "crimea-accession-treaty-2014-03-18" not in donetsk


def test_statements_newest_first(client, data):
    ids = statement_ids(client, [0, data.axis.days])
    starts = data.claims.frame.set_index("id").loc[ids, "start"].tolist()
    assert starts == sorted(starts, reverse=True)


def test_empty_result_shows_a_message(client, data):
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", offsets(data, "2013-01-01", "2013-06-01")),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            *STATEMENTS_INPUTS,
        ],
        state=[(Ids.SELECTED, "data", None), *STATEMENTS_STATE],
    )
    texts = find_props([response.json["response"][str(Ids.STATEMENTS)]["children"]], "children")
    assert any("No statements match" in t for t in texts if isinstance(t, str))


def _select(client, clicks: dict[str, int], trigger: str, selected, clear: int = 0):
    """POST the pattern-matching (ALL) selection callback the way the browser does."""
    buttons = [{"type": STATEMENT_BUTTON, "id": rid} for rid in clicks]
    all_key = f'{{"id":["ALL"],"type":"{STATEMENT_BUTTON}"}}'
    payload = {
        "output": f"..{Ids.SELECTED}.data...{all_key}.className...{all_key}.aria-pressed..",
        "outputs": [
            {"id": str(Ids.SELECTED), "property": "data"},
            [{"id": b, "property": "className"} for b in buttons],
            [{"id": b, "property": "aria-pressed"} for b in buttons],
        ],
        "inputs": [
            [{"id": b, "property": "n_clicks", "value": clicks[b["id"]]} for b in buttons],
            {"id": str(Ids.CLEAR_SELECTION), "property": "n_clicks", "value": clear},
        ],
        "state": [{"id": str(Ids.SELECTED), "property": "data", "value": selected}],
        "changedPropIds": [
            f"{Ids.CLEAR_SELECTION}.n_clicks"
            if trigger == Ids.CLEAR_SELECTION
            else f'{{"id":"{trigger}","type":"{STATEMENT_BUTTON}"}}.n_clicks'
        ],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:300]
    return response.json["response"]


def test_select_statement_toggles(client):
    clicks = {"peskov-never-renounce-claims": 1, "russia-annexes-crimea-2014": 0}
    out = _select(client, clicks, "peskov-never-renounce-claims", None)
    assert out[str(Ids.SELECTED)]["data"] == "peskov-never-renounce-claims"
    clicks["peskov-never-renounce-claims"] = 2
    out = _select(client, clicks, "peskov-never-renounce-claims", "peskov-never-renounce-claims")
    assert out[str(Ids.SELECTED)]["data"] is None


def test_clear_button_drops_the_selection(client):
    """The record's outline can always be cleared."""
    clicks = {"peskov-never-renounce-claims": 1}
    out = _select(client, clicks, Ids.CLEAR_SELECTION, "peskov-never-renounce-claims", clear=1)
    assert out[str(Ids.SELECTED)]["data"] is None
    classes = [props["className"] for key, props in out.items() if key != str(Ids.SELECTED)]
    assert classes and all(c == "show-on-map" for c in classes)


def test_filters_that_hide_the_selected_record_clear_it(client, data):
    """A record the filters hide no longer outlines its regions."""

    def selection_after(dates, regions):
        response = call(
            client,
            [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children"), (Ids.SELECTED, "data")],
            [
                (Ids.DATES, "value", dates),
                (Ids.REGIONS, "value", regions),
                (Ids.PARTIES, "value", []),
                (Ids.ARTICLE_ONLY, "value", []),
                *STATEMENTS_INPUTS,
            ],
            state=[(Ids.SELECTED, "data", "russia-annexes-crimea-2014"), *STATEMENTS_STATE],
        )
        assert response.status_code == 200
        outputs = response.json["response"]
        return {prop.split("@")[0]: value for prop, value in outputs.get(str(Ids.SELECTED), {}).items()}

    assert selection_after([0, data.axis.days], ["UA-43", "UA-40"]) == {}  # still shown: unchanged
    assert selection_after([0, data.axis.days], ["UA-14"]) == {"data": None}
    assert selection_after(offsets(data, "2022-01-01", "2023-02-28"), []) == {"data": None}


@pytest.mark.parametrize(
    "dates, regions, parties",
    [
        ("garbage", 5, {"x": 1}),
        ([None, None], ["<script>alert(1)</script>"], ["martians"]),
        ([-99999, 10**12], ["UA-99", None, 3], None),
        ([1.5, "2"], "UA-14", "russia"),
    ],
)
def test_hostile_callback_inputs_never_500(client, data, dates, regions, parties):
    response = call(
        client,
        [(Ids.MAP, "figure")],
        [
            (Ids.DATES, "value", dates),
            (Ids.REGIONS, "value", regions),
            (Ids.PARTIES, "value", parties),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.SELECTED, "data", "no-such-id"),
            NO_SEARCH,
        ],
    )
    assert response.status_code == 200
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", dates),
            (Ids.REGIONS, "value", regions),
            (Ids.PARTIES, "value", parties),
            (Ids.ARTICLE_ONLY, "value", []),
            *STATEMENTS_INPUTS,
        ],
        state=[(Ids.SELECTED, "data", ["x"]), *STATEMENTS_STATE],
    )
    assert response.status_code == 200
    response = url_to_filters(client, 12345)
    assert response.status_code in (200, 204)


@pytest.mark.parametrize("path", ["/", "/?from=<script>", "/no/such/page", "/assets/../pyproject.toml"])
def test_urls_never_500(client, path):
    response = client.get(path)
    assert response.status_code < 500
    assert b"Traceback" not in response.data


def test_debug_is_off_by_default(app):
    assert Settings().debug is False
    page = app.server.test_client().get("/").data.decode()
    # The renderer's dev-tools UI (in-browser debugger, error pop-ups) is off.
    assert '"ui":false' in page


def test_app_serves_a_users_exported_claims_file(tmp_path, data):
    """`--claims` accepts what `statements --format json` prints, edited."""
    import json

    from dashboard.sources.claims_write import records_to_json_rows

    frame = data.claims.frame
    rows = records_to_json_rows(frame[frame["id"] == "russia-annexes-crimea-2014"])
    rows[0]["id"] = "my-edited-record"
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(rows))
    app = create_app(Settings(claims_paths=[path]))
    client = app.server.test_client()
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", [0, 10**6]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            *STATEMENTS_INPUTS,
        ],
        state=[(Ids.SELECTED, "data", None), *STATEMENTS_STATE],
    )
    ids = find_props(response.json["response"][str(Ids.STATEMENTS)]["children"], "data-statement-id")
    assert ids == ["my-edited-record"]
