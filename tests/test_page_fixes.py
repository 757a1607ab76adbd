"""Page fixes, in-process (where the data ends, outlines, counts): each test failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest
from dash_client import NO_SEARCH, apply_patch, call, find_props

from dashboard.render.map_figure import CONTESTED_UID, OTHERS_UID
from dashboard.render.theme import HIGHLIGHT_LINE, SELECTED_LINE
from dashboard.sources.dataset import load_dataset
from dashboard.testing import map_trace_index
from dashboard.web.app import Settings, create_app
from dashboard.web.controls import regions_with_groups
from dashboard.web.ids import Ids

TODAY = dt.date(2026, 11, 26)
CONTESTED_TRACE = map_trace_index(CONTESTED_UID)
OTHERS_TRACE = map_trace_index(OTHERS_UID)
SETTINGS = Settings(today=TODAY)


@pytest.fixture(scope="module")
def app():
    return create_app(SETTINGS)


@pytest.fixture(scope="module")
def data():
    return load_dataset(today=TODAY)


@pytest.fixture
def client(app):
    return app.server.test_client()


def url_to_filters(client, search):
    response = call(
        client,
        [
            (Ids.DATES, "value"),
            (Ids.REGIONS, "value"),
            (Ids.PARTIES, "value"),
            (Ids.NOTICE, "children"),
            (Ids.NOTICE_FOR, "data"),
        ],
        [(Ids.URL, "search", search)],
    )
    assert response.status_code == 200, response.data[:300]
    return response.json["response"]


# -- item 11: dates past the data --------------------------------------------------------------


def test_axis_runs_to_today_and_the_default_range_to_the_last_data(data):
    assert data.axis.last_day == TODAY
    assert data.axis.records_end == dt.date(2025, 4, 22)  # the bundled records
    # The default range ends at the latest loaded data, the control archive's last day.
    assert data.axis.data_end == dt.date(2026, 8, 21)
    assert data.query_context.default_state().date_to == dt.date(2026, 8, 21)


@pytest.mark.slow
def test_a_day_after_the_records_is_accepted_not_clamped(client, data):
    out = url_to_filters(client, "?from=2014-01-01&to=2024-06-01")
    assert out[str(Ids.DATES)]["value"][1] == data.axis.offset(dt.date(2024, 6, 1))
    assert out[str(Ids.NOTICE)]["children"] is None


def test_readout_says_where_the_records_end(client, data):
    def readout(day):
        response = call(client, [(Ids.DATE_READOUT, "children")], [(Ids.DATES, "value", [0, data.axis.offset(day)])])
        return str(response.json["response"][str(Ids.DATE_READOUT)]["children"])

    assert "records end on 22 Apr 2025" in readout(dt.date(2026, 6, 1))
    assert "last known state" in readout(dt.date(2026, 6, 1))
    assert "records end" not in readout(dt.date(2025, 4, 22))


def test_map_after_the_records_shows_the_last_known_state(client, data):
    def fills(day):
        response = call(
            client,
            [(Ids.MAP, "figure")],
            [
                (Ids.DATES, "value", [0, data.axis.offset(day)]),
                (Ids.REGIONS, "value", []),
                (Ids.PARTIES, "value", []),
                (Ids.ARTICLE_ONLY, "value", []),
                (Ids.SELECTED, "data", None),
                NO_SEARCH,
            ],
        )
        patch = apply_patch(response.json["response"]["map"]["figure"])
        return patch[("data", CONTESTED_TRACE, "z")], patch[("data", CONTESTED_TRACE, "colorscale")]

    assert fills(dt.date(2024, 6, 1)) == fills(dt.date(2023, 2, 28))


def test_a_future_day_is_clamped_to_today_with_a_notice(client, data):
    out = url_to_filters(client, "?to=2031-01-01")
    assert out[str(Ids.DATES)]["value"][1] == data.axis.days
    assert "26 Nov 2026" in str(out[str(Ids.NOTICE)]["children"])


# -- item 14: region search, Crimea as a group, the stale notice, picks outside the six ---------


def test_region_search_finds_every_name_the_url_accepts(app, data):
    (dropdown,) = [c for c in _walk(app.layout()) if getattr(c, "id", None) == Ids.REGIONS]
    search = {o["value"]: o["search"].lower() for o in dropdown.options}
    for typed, code in (
        ("krym", "UA-43"),
        ("lugansk", "UA-09"),
        ("донецьк", "UA-14"),
        ("zaporozhye", "UA-23"),
        ("herson", "UA-65"),
        ("крим", "UA-43"),
    ):
        assert typed in search[code], (typed, code)
        assert data.layers.lookup(typed) == code  # the URL's look-up agrees


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


@pytest.mark.parametrize(
    "new, previous, expected",
    [
        (["UA-43"], [], ("UA-43", "UA-40")),  # picking Crimea adds Sevastopol
        (["UA-14", "UA-40"], ["UA-14"], ("UA-14", "UA-43", "UA-40")),
        (["UA-43"], ["UA-43", "UA-40"], ()),  # removing Sevastopol removes Crimea
        (["UA-14", "UA-40"], ["UA-14", "UA-43", "UA-40"], ("UA-14",)),
        (["UA-14", "UA-32"], ["UA-14"], ("UA-14", "UA-32")),
        ("junk", None, ()),
        (["UA-99", 5, None], [], ()),
    ],
)
def test_region_filter_keeps_crimea_and_sevastopol_together(new, previous, expected):
    assert regions_with_groups(new, previous) == expected


def test_url_naming_crimea_selects_the_group_as_a_click_does(client):
    assert url_to_filters(client, "?regions=Krym")[str(Ids.REGIONS)]["value"] == ["UA-43", "UA-40"]


def test_url_notice_is_kept_for_its_state_and_cleared_after_a_change(client):
    out = url_to_filters(client, "?from=2022-13-45&to=2023-02-28")
    notice_for = out[str(Ids.NOTICE_FOR)]["data"]
    assert notice_for == "?from=2013-01-01&to=2023-02-28"
    assert find_props(out[str(Ids.NOTICE)]["children"], "children")

    def after(written):
        response = call(
            client,
            [(Ids.NOTICE, "children"), (Ids.NOTICE_FOR, "data")],
            [(Ids.URL_WRITTEN, "data", written)],
            state=[(Ids.NOTICE_FOR, "data", notice_for)],
        )
        return response.status_code, (response.json or {}).get("response", {}) if response.data else {}

    status, kept = after(notice_for)  # the URL writer echoing the parsed state: keep the notice
    assert status == 204 or kept == {}
    status, cleared = after("?from=2014-01-01&to=2023-02-28")
    assert status == 200
    assert [v for props in cleared.values() for v in props.values()] == [None, None]


def test_valid_url_leaves_nothing_to_clear(client):
    assert url_to_filters(client, "?from=2014-01-01")[str(Ids.NOTICE_FOR)]["data"] is None


def test_a_region_outside_the_six_is_outlined_when_picked(client, data):
    response = call(
        client,
        [(Ids.MAP, "figure")],
        [
            (Ids.DATES, "value", [0, data.axis.days]),
            (Ids.REGIONS, "value", ["UA-32"]),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.SELECTED, "data", None),
            NO_SEARCH,
        ],
    )
    patch = apply_patch(response.json["response"]["map"]["figure"])
    line = patch[("data", OTHERS_TRACE, "marker")]["line"]
    others = list(data.layers.others["code"])
    widths = dict(zip(others, line["width"], strict=True))
    colours = dict(zip(others, line["color"], strict=True))
    assert widths["UA-32"] > widths["UA-46"]
    assert colours["UA-32"] == SELECTED_LINE


def test_record_outline_differs_from_the_filter_outline(client, data):
    response = call(
        client,
        [(Ids.MAP, "figure")],
        [
            (Ids.DATES, "value", [0, data.axis.days]),
            (Ids.REGIONS, "value", ["UA-14"]),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.SELECTED, "data", "russia-annexes-crimea-2014"),
            NO_SEARCH,
        ],
    )
    patch = apply_patch(response.json["response"]["map"]["figure"])
    line = patch[("data", CONTESTED_TRACE, "marker")]["line"]
    colours = dict(zip(data.layers.contested["code"], line["color"], strict=True))
    assert colours["UA-43"] == colours["UA-40"] == HIGHLIGHT_LINE
    assert colours["UA-14"] == SELECTED_LINE != HIGHLIGHT_LINE
