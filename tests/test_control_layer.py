"""The control layer: pure builders, the page's callback, exports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import shapely
from dash_client import apply_patch, call
from shapely.geometry import box

from dashboard.core.filters import FilterState
from dashboard.render.control_layer import CONTROL_UIDS, GREY_UID, HATCH_UID, OUTLINE_UID, control_props, hatch
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions
from dashboard.render.map_figure import trace_index
from dashboard.sources.dataset import load_dataset
from dashboard.testing import map_trace_index
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids

TODAY = dt.date(2026, 11, 26)
LAST = dt.date(2026, 8, 21)  # the bundled archive's last day
GAP = dt.date(2024, 8, 19)  # the archive has no file for 2024-08-18/19
BEFORE = dt.date(2015, 1, 1)  # the bundled archive starts on 2024-07-09


@pytest.fixture(scope="module")
def data():
    return load_dataset(today=TODAY)


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(today=TODAY))


@pytest.fixture
def client(app):
    return app.server.test_client()


# -- pure ---------------------------------------------------------------------------------------


def test_hatching_stays_inside_the_area():
    square = box(30, 45, 31, 46)
    lines = hatch(square, spacing=0.1)
    assert not lines.is_empty and lines.geom_type == "MultiLineString"
    assert square.buffer(1e-9).contains(lines)
    assert len(lines.geoms) >= 15  # one line every 0.1 degree across the diagonal


def test_the_layer_is_the_last_snapshot_on_or_before_the_day(data):
    geometry = data.control.geometry
    assert geometry.at(GAP)[0] == dt.date(2024, 8, 17)
    props = control_props(geometry, GAP, True)
    assert set(props) == set(CONTROL_UIDS)
    assert props[HATCH_UID]["visible"] and props[OUTLINE_UID]["visible"]
    assert not props[GREY_UID]["visible"]  # the daily archive has no grey zone
    lon, lat = props[OUTLINE_UID]["lon"], props[OUTLINE_UID]["lat"]
    assert len(lon) == len(lat) and None in lon
    points = [(x, y) for x, y in zip(lon, lat, strict=True) if x is not None]
    assert all(21 < x < 41 and 44 < y < 53 for x, y in points)  # inside the map's frame


@pytest.mark.parametrize("day, visible", [(BEFORE, True), (LAST, False)])
def test_no_snapshot_or_switched_off_draws_nothing(data, day, visible):
    props = control_props(data.control.geometry, day, visible)
    assert all(p == {"lon": [], "lat": [], "visible": False} for p in props.values())


def test_no_control_data_draws_nothing():
    assert all(not p["visible"] for p in control_props(None, LAST, True).values())


def test_a_days_layer_is_small(data):
    props = control_props(data.control.geometry, LAST, True)
    assert len(json.dumps(props)) < 40_000


def test_held_area_matches_the_shares(data):
    """The drawn outline is the same area the ledger's shares were computed from."""
    _snapshot, occupied, _grey = data.control.geometry.at(LAST)
    kherson = data.layers.ukraine.loc["UA-65"].geometry
    drawn = shapely.area(shapely.intersection(occupied, kherson)) / shapely.area(kherson)
    assert drawn == pytest.approx(data.control.shares.row(LAST, "UA-65").occupied_share, abs=0.03)


# -- the page's callback -----------------------------------------------------------------------


def _control_callback(client, data, day, toggle):
    response = call(
        client,
        [(Ids.MAP, "figure"), (Ids.CONTROL_LEGEND, "children")],
        [(Ids.DATES, "value", [0, data.axis.offset(day)]), (Ids.CONTROL_TOGGLE, "value", toggle)],
    )
    assert response.status_code == 200, response.data[:300]
    out = response.json["response"]
    figure = next(v for k, v in out["map"].items() if k.startswith("figure"))
    return apply_patch(figure), json.dumps(out[str(Ids.CONTROL_LEGEND)]["children"]), len(response.data)


@pytest.mark.slow
def test_a_date_change_patches_only_the_control_traces(client, data):
    patch, legend, size = _control_callback(client, data, LAST, ["on"])
    indices = {map_trace_index(uid) for uid in CONTROL_UIDS}
    assert {location[1] for location in patch} <= indices
    assert {location[2] for location in patch} == {"lon", "lat", "visible"}
    assert "snapshot of 21 Aug 2026" in legend and "DeepStateMap" in legend
    assert size < 40_000
    gap_patch, gap_legend, _ = _control_callback(client, data, GAP, ["on"])
    assert "snapshot of 17 Aug 2024" in gap_legend
    outline = ("data", map_trace_index(OUTLINE_UID), "lon")
    assert gap_patch[outline] != patch[outline]


def test_the_toggle_hides_the_layer(client, data):
    patch, legend, _ = _control_callback(client, data, LAST, [])
    assert all(value is False for (_, _, key), value in patch.items() if key == "visible")
    assert "control-key off" in legend


def test_before_the_archive_the_page_says_so(client, data):
    patch, legend, _ = _control_callback(client, data, BEFORE, ["on"])
    assert "No DeepStateMap snapshot on or before 1 Jan 2015" in legend
    assert all(value is False for (_, _, key), value in patch.items() if key == "visible")


def test_hostile_toggle_values_are_harmless(client, data):
    for toggle in (None, "on", [1, None], {"x": 1}):
        response = call(
            client,
            [(Ids.MAP, "figure"), (Ids.CONTROL_LEGEND, "children")],
            [(Ids.DATES, "value", "junk"), (Ids.CONTROL_TOGGLE, "value", toggle)],
        )
        assert response.status_code == 200


# -- exports ------------------------------------------------------------------------------------


def test_an_export_draws_the_layer_with_its_key_and_source(data):
    state = FilterState(data.axis.first_day, LAST)
    figure = image_figure(data, state, ImageOptions(), text_for())
    outline = figure["data"][trace_index(figure, OUTLINE_UID)]
    assert outline["visible"] and len(outline["lon"]) > 100
    notes = {note.get("name"): note for note in figure["layout"]["annotations"]}
    assert "DeepStateMap" in notes["attribution"]["text"] and "GPL-3.0" in notes["attribution"]["text"]
    key = " ".join(notes["control-key"]["text"].replace("<br>", " ").split())  # wrapped to the frame
    assert (
        notes["control-key"]["visible"]
        and key == "Area held by Russian forces per DeepStateMap, snapshot of 21 Aug 2026"
    )


def test_an_export_without_the_layer(data):
    state = FilterState(data.axis.first_day, LAST)
    figure = image_figure(data, state, ImageOptions(), text_for(), control=False)
    assert not figure["data"][trace_index(figure, OUTLINE_UID)]["visible"]
    notes = {note.get("name"): note for note in figure["layout"]["annotations"]}
    assert "DeepStateMap" not in notes["attribution"]["text"] and not notes["control-key"]["visible"]
