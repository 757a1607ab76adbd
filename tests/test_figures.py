"""The map figure, built without a server."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape

from dashboard.core.regions import CONTESTED_CODES
from dashboard.render.map_figure import CONTESTED_UID, OTHERS_UID, build_map, colour_codes, figure_geojson, trace_index
from dashboard.render.theme import CONTESTED_FILL
from dashboard.sources.geodata import load_layers


@pytest.fixture(scope="module")
def layers():
    return load_layers()


def _exteriors(geojson):
    for feature in geojson["features"]:
        geometry = shape(feature["geometry"])
        for polygon in getattr(geometry, "geoms", [geometry]):
            yield feature["id"], polygon.exterior


def test_figure_geojson_exteriors_are_clockwise(layers):
    # Counter-clockwise exteriors make d3 fill the whole globe except the region.
    for layer, column in ((layers.ukraine, "code"), (layers.neighbours, "iso_a3")):
        for key, ring in _exteriors(figure_geojson(layer, column)):
            assert not shapely.is_ccw(ring), f"{key}: exterior is counter-clockwise"


def test_clockwise_check_catches_the_whole_globe_fill():
    ccw = shapely.Polygon([(30, 45), (31, 45), (31, 46), (30, 46)])
    assert shapely.is_ccw(ccw.exterior)
    import geopandas as gpd

    layer = gpd.GeoDataFrame({"code": ["X"]}, geometry=[ccw], crs="EPSG:4326")
    ((_, ring),) = list(_exteriors(figure_geojson(layer, "code")))
    assert not shapely.is_ccw(ring)


def test_contested_trace_uses_iso_codes_and_distinct_fill(layers):
    figure = build_map(layers)
    contested = figure.data[trace_index(figure, CONTESTED_UID)]
    assert list(contested.locations) == list(layers.contested["code"])
    assert set(contested.locations) == set(CONTESTED_CODES)
    others = figure.data[trace_index(figure, OTHERS_UID)]
    assert set(others.locations).isdisjoint(CONTESTED_CODES)
    assert contested.colorscale[0][1] == CONTESTED_FILL
    assert others.colorscale[0][1] != CONTESTED_FILL


def test_basemap_country_borders_are_off(layers):
    geo = build_map(layers).layout.geo
    assert geo.showcountries is False
    assert geo.showsubunits is False


def test_colour_codes_paint_each_location_its_fill():
    z, colorscale, zmax = colour_codes(["#a", "#b", "#a", "#c"])
    assert z == [0, 1, 0, 2]
    assert [c for _, c in colorscale] == ["#a", "#b", "#c"]
    assert zmax == 2.0


def test_custom_fills_applied(layers):
    fills = {"UA-43": "#111111", "UA-40": "#111111"}
    figure = build_map(layers, fills=fills)
    contested = figure.data[trace_index(figure, CONTESTED_UID)]
    palette = [c for _, c in contested.colorscale]
    by_code = dict(zip(contested.locations, (palette[int(i)] for i in contested.z), strict=True))
    assert by_code["UA-43"] == "#111111"
    assert by_code["UA-14"] == CONTESTED_FILL
