"""The committed layers: valid, a clean coverage, true to Natural Earth's areas."""

from __future__ import annotations

import json

import pytest
import shapely

from dashboard.core.regions import CONTESTED_CODES, EQUAL_AREA_CRS, UA_CODES
from dashboard.sources.geodata import load_layers
from dashboard.sources.paths import geodata_dir

UKRAINE_AREA_KM2 = 603_628
OFFICIAL_AREA_KM2 = {"UA-43": 26_081, "UA-14": 26_517, "UA-09": 26_684, "UA-65": 28_461, "UA-23": 27_183}


@pytest.fixture(scope="module")
def layers():
    return load_layers()


def test_all_27_units_belong_to_ukraine_layer(layers):
    assert set(layers.ukraine["code"]) == UA_CODES
    assert len(layers.ukraine) == 27
    assert set(layers.contested["code"]) == set(CONTESTED_CODES)
    # Natural Earth's de facto tagging must not leak: no UA unit in the neighbours layer.
    assert "UA-43" not in set(layers.neighbours["iso_a3"])


def test_every_geometry_valid(layers):
    for frame in (layers.ukraine, layers.neighbours):
        assert frame.geometry.is_valid.all()
        assert not frame.geometry.is_empty.any()


def test_units_do_not_overlap(layers):
    projected = layers.ukraine.geometry.to_crs(EQUAL_AREA_CRS)
    union_area = shapely.union_all(projected.to_numpy()).area
    assert projected.area.sum() - union_area < 1.0e6  # under 1 km² of overlap in total


def test_no_gaps_inside_ukraine(layers):
    # A gap between neighbouring units shows up as a hole in their union.
    union = shapely.union_all(layers.ukraine.geometry.to_numpy())
    polygons = getattr(union, "geoms", [union])
    holes = [ring for polygon in polygons for ring in polygon.interiors]
    assert holes == [], f"{len(holes)} gap(s) between units"


def test_ukraine_and_neighbours_form_a_valid_coverage(layers):
    geoms = list(layers.ukraine.geometry) + list(layers.neighbours.geometry)
    assert shapely.coverage_is_valid(geoms)


def test_total_area_within_2_percent(layers):
    total = layers.ukraine["area_km2"].sum()
    assert abs(total - UKRAINE_AREA_KM2) / UKRAINE_AREA_KM2 < 0.02


@pytest.mark.parametrize("code, official", sorted(OFFICIAL_AREA_KM2.items()))
def test_contested_area_within_10_percent_of_official(layers, code, official):
    area = layers.ukraine.at[code, "area_km2"]
    assert abs(area - official) / official < 0.10


def test_simplification_changes_no_area_by_more_than_1_percent(layers):
    change = (layers.ukraine["area_km2"] / layers.ukraine["area_km2_source"] - 1).abs()
    assert change.max() < 0.01, change.idxmax()


def test_provenance_records_source_licence_and_tolerance():
    provenance = json.loads((geodata_dir() / "provenance.json").read_text())
    assert "Natural Earth" in provenance["source"]
    assert "Public domain" in provenance["licence"]
    assert provenance["tolerance_deg"] > 0
    assert provenance["ukraine_vertices_after"] < provenance["ukraine_vertices_before"]


def test_layers_load_once(layers):
    assert load_layers() is layers
