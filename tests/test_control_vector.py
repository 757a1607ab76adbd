"""Vector formats through pyogrio: each written from a real daily file must import like the GeoJSON."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from dashboard.core.errors import DataError
from dashboard.sources import control_vector
from dashboard.sources.control_import import import_paths, share_units
from dashboard.sources.control_vector import VECTOR_DRIVERS, read_vector_file
from tests.control_helpers import RAW, daily, need_shared

DAY = "2025-08-20"


@pytest.fixture(scope="module")
def units():
    return share_units()


@pytest.fixture(scope="module")
def reference(units):
    return import_paths([daily(DAY)], units=units, report=lambda m: None)


def _frame() -> gpd.GeoDataFrame:
    return gpd.read_file(daily(DAY))


def _write(kind: str, folder: Path) -> Path:
    frame = _frame()
    if kind == "shp":
        path = folder / f"{DAY}.shp"
        frame.to_file(path)
    elif kind == "zip":
        (folder / "shp").mkdir()
        _write("shp", folder / "shp")
        path = folder / f"{DAY}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for part in (folder / "shp").iterdir():
                archive.write(part, part.name)
    elif kind == "gpkg":
        path = folder / f"{DAY}.gpkg"
        frame.to_file(path, driver="GPKG", layer="occupied")
    elif kind == "gpkg-3857":
        path = folder / f"{DAY}.gpkg"
        frame.to_crs(3857).to_file(path, driver="GPKG", layer="occupied")
    elif kind == "fgb":
        path = folder / f"{DAY}.fgb"
        frame.to_file(path, driver="FlatGeobuf")
    elif kind == "kml":
        path = folder / f"{DAY}.kml"
        frame.to_file(path, driver="KML", layer="occupied")
    elif kind == "kmz":
        path = folder / f"{DAY}.kmz"
        frame.to_file(path, driver="LIBKML", layer="occupied")
    else:
        raise AssertionError(kind)
    return path


def test_this_gdal_reads_every_format_the_importer_names():
    available = pyogrio.list_drivers(read=True)
    for kind, drivers in VECTOR_DRIVERS.values():
        assert any(d in available for d in drivers), kind


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["shp", "zip", "gpkg", "fgb"])
def test_binary_formats_import_exactly_like_the_geojson(units, reference, tmp_path, kind):
    path = _write(kind, tmp_path)
    messages: list[str] = []
    result = import_paths([path], units=units, report=messages.append)
    assert result.formats == {"daily"} and result.days == (date.fromisoformat(DAY),)
    pd.testing.assert_frame_equal(result.shares.frame, reference.shares.frame)
    assert not messages


@pytest.mark.parametrize("kind", ["gpkg-3857", "kml", "kmz"])
def test_reprojected_and_text_formats_import_like_the_geojson(units, reference, tmp_path, kind):
    # EPSG:3857 goes there and back through PROJ; KML keeps coordinates as decimal text.
    path = _write(kind, tmp_path)
    messages: list[str] = []
    result = import_paths([path], units=units, report=messages.append)
    assert result.formats == {"daily"}
    if kind == "gpkg-3857":
        assert messages == [f"{DAY}.gpkg: reprojected from EPSG:3857 to WGS 84"]
    ours, theirs = result.shares.frame, reference.shares.frame
    assert ours["occupied_km2"].tolist() == pytest.approx(theirs["occupied_km2"].tolist(), rel=1e-6, abs=1e-3)
    assert ours["coast_rule"].tolist() == theirs["coast_rule"].tolist()


@pytest.mark.slow
def test_dated_geopackage_and_the_layer_option(units, tmp_path):
    days = ["2024-07-09", "2025-08-20"]
    frame = pd.concat([gpd.read_file(daily(d)).assign(date=d) for d in days], ignore_index=True)
    path = tmp_path / "history.gpkg"
    frame.to_file(path, layer="control", driver="GPKG")
    frame.iloc[:1].to_file(path, layer="other", driver="GPKG")
    with pytest.raises(
        DataError,
        match=r"history.gpkg: holds 2 layers \('control', 'other'\); pick one with "
        r"--layer NAME",
    ):
        import_paths([path], units=units, report=lambda m: None)
    with pytest.raises(DataError, match=r"history.gpkg: no layer 'nope'; it holds 'control', 'other'"):
        import_paths([path], units=units, report=lambda m: None, layer="nope")
    result = import_paths([path], units=units, report=lambda m: None, layer="control")
    assert result.formats == {"dated"} and [d.isoformat() for d in result.days] == days
    single = import_paths([daily("2024-07-09")], units=units, report=lambda m: None)
    assert result.shares.at(date(2024, 7, 9))["occupied_km2"].tolist() == single.shares.frame["occupied_km2"].tolist()


@pytest.mark.slow
def test_raw_labels_in_a_flatgeobuf_are_classified_like_the_geojson(units, tmp_path):
    raw = need_shared(RAW / "1675031774.geojson")
    frame = gpd.read_file(raw)
    frame = frame[["name", "fill", "geometry"]].explode(index_parts=False)  # GeometryCollections into parts
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])].rename(columns={"name": "Name"})
    path = tmp_path / "1675031774.fgb"
    frame.to_file(path, driver="FlatGeobuf")
    result = import_paths([path], units=units, report=lambda m: None, strict=True)
    assert result.formats == {"raw"}  # `Name` counts as the label column
    expected = import_paths([raw], units=units, report=lambda m: None)
    assert result.shares.frame["occupied_km2"].tolist() == pytest.approx(
        expected.shares.frame["occupied_km2"].tolist(), rel=1e-6, abs=1e-3
    )
    assert result.shares.frame["grey_km2"].tolist() == pytest.approx(
        expected.shares.frame["grey_km2"].tolist(), rel=1e-6, abs=1e-3
    )


def test_a_format_this_gdal_cannot_read_is_one_line(monkeypatch, tmp_path):
    path = _write("kmz", tmp_path)
    monkeypatch.setattr(pyogrio, "list_drivers", lambda **kw: {"GeoJSON": "rw", "GPKG": "rw"})
    with pytest.raises(DataError) as info:
        read_vector_file(path)
    assert str(info.value) == (
        f"{path}: this machine's GDAL cannot read KMZ files (no LIBKML driver); "
        "convert it to GeoJSON, GeoPackage or Shapefile"
    )


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("2024-01-01.gpkg", b"not a database", "2024-01-01.gpkg: cannot be read as a vector file"),
        ("2024-01-02.shp", b"\x00" * 200, "2024-01-02.shp: cannot be read as a vector file"),
        ("2024-01-03.zip", b"PK\x05\x06" + b"\x00" * 18, "2024-01-03.zip: cannot be read as a vector file"),
    ],
)
def test_damaged_vector_files_are_one_line(units, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        import_paths([path], units=units, report=lambda m: None)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_points_only_layer_is_empty_geometry(units, tmp_path):
    path = tmp_path / "2024-01-04.fgb"
    gpd.GeoDataFrame(geometry=[shapely.Point(35, 48)], crs=4326).to_file(path, driver="FlatGeobuf")
    with pytest.raises(DataError, match=r"2024-01-04.fgb: empty geometry"):
        import_paths([path], units=units, report=lambda m: None)


def test_reader_names_each_container(tmp_path):
    assert read_vector_file(_write("fgb", tmp_path)).container == "FlatGeobuf"
    assert control_vector.is_vector_file(Path("x.KMZ")) and not control_vector.is_vector_file(Path("x.geojson"))


@pytest.mark.slow
def test_kmz_folders_are_read_together_unless_a_layer_is_picked(units, tmp_path):
    raw = need_shared(RAW / "1675031774.geojson")
    frame = gpd.read_file(raw)[["name", "geometry"]].explode(index_parts=False)
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    held = frame["name"].str.contains("Окуп|ОРДЛО")
    kml = tmp_path / "doc.kml"
    frame[held].to_file(kml, driver="KML", layer="held")
    frame[~held].to_file(kml, driver="KML", layer="rest", mode="a")  # a second folder
    path = tmp_path / "1675031774.kmz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(kml, "doc.kml")
    assert sorted(pyogrio.list_layers(path)[:, 0]) == ["held", "rest"]
    both = import_paths([path], units=units, report=lambda m: None, strict=True)
    expected = import_paths([raw], units=units, report=lambda m: None)
    assert both.formats == {"raw"}
    for column in ("occupied_km2", "grey_km2"):
        assert both.shares.frame[column].tolist() == pytest.approx(
            expected.shares.frame[column].tolist(), rel=1e-6, abs=1e-3
        ), column
    held_only = import_paths([path], units=units, report=lambda m: None, layer="held")
    assert held_only.shares.frame["grey_km2"].sum() == 0
    assert held_only.shares.frame["occupied_km2"].tolist() == pytest.approx(
        expected.shares.frame["occupied_km2"].tolist(), rel=1e-6, abs=1e-3
    )
