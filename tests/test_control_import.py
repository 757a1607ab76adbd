"""Import of control files: raw snapshots (labels), daily files, dated tables, bad input."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from dashboard.core.control_labels import ControlClass
from dashboard.core.errors import DataError
from dashboard.sources import control_import
from dashboard.sources.control_import import import_paths, share_units
from tests.control_helpers import RAW, copy_daily, daily, geometry_of, need_shared

RAW_FILES = ["1648989208", "1654366131", "1664055163", "1675031774", "1714512461", "1754251105"]


@pytest.fixture(scope="module")
def units():
    return share_units()


def _raw(stem: str) -> Path:
    return need_shared(RAW / f"{stem}.geojson")


def _one(units, path, **kwargs):
    messages: list[str] = []
    result = import_paths([path], units=units, report=messages.append, **kwargs)
    return result, messages


@pytest.mark.slow
def test_kherson_falls_from_above_90_to_about_73_percent(units):
    sept, _ = _one(units, _raw("1664055163"))
    jan, _ = _one(units, _raw("1675031774"))
    assert sept.days == (date(2022, 9, 24),) and jan.days == (date(2023, 1, 29),)
    kherson_sept = sept.shares.at(date(2022, 9, 24)).set_index("code").loc["UA-65"]
    kherson_jan = jan.shares.at(date(2023, 1, 29)).set_index("code").loc["UA-65"]
    assert kherson_sept["occupied_share"] > 0.90
    assert 0.70 <= kherson_jan["occupied_share"] <= 0.76
    assert not kherson_jan["coast_rule"]


@pytest.mark.slow
@pytest.mark.parametrize("stem", RAW_FILES)
def test_every_raw_scheme_classifies_every_polygon_in_ukraine(units, stem):
    result, _messages = _one(units, _raw(stem), strict=True)  # strict: any unknown label would raise
    assert not result.unknown_labels
    assert result.formats == {"raw"}
    rows = result.shares.frame.set_index("code")
    assert rows.loc["UA-14", "occupied_share"] > 0.25  # Donetsk always partly held
    assert rows.loc["UA-46", "occupied_share"] == 0  # Lviv never
    assert rows["grey_share"].notna().all()  # raw snapshots have a grey layer


def _with_unknown_label(tmp_path: Path) -> Path:
    doc = json.loads(_raw("1675031774").read_text())
    renamed = 0
    for feature in doc["features"]:
        if feature["properties"].get("name", "").startswith("Окуповано") and renamed < 2:
            feature["properties"]["name"] = "Mystery\xa0zone\n"
            feature["properties"].pop("fill", None)
            feature["properties"].pop("styleUrl", None)
            renamed += 1
    path = tmp_path / "1675031774.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    return path


@pytest.mark.slow
def test_unknown_label_reported_with_count_then_strict_then_mapping(units, tmp_path):
    path = _with_unknown_label(tmp_path)
    result, messages = _one(units, path)
    assert result.unknown_labels[("1675031774.geojson", "mystery zone")] == 2
    warning = [m for m in messages if m.startswith("warning:")]
    assert len(warning) == 1 and "'mystery zone' x2" in warning[0] and "\n" not in warning[0]
    with pytest.raises(DataError, match="mystery zone") as info:
        _one(units, path, strict=True)
    assert "\n" not in str(info.value)
    mapping_file = tmp_path / "labels.yaml"
    mapping_file.write_text("'Mystery zone': occupied\n", encoding="utf-8")
    mapped, _ = _one(units, path, strict=True, mapping=control_import.load_label_mapping(mapping_file))
    assert not mapped.unknown_labels
    km_unmapped = result.shares.frame["occupied_km2"].sum()
    assert mapped.shares.frame["occupied_km2"].sum() > km_unmapped  # the mapped polygons count now


def test_bad_label_mapping_is_one_line(tmp_path):
    bad = tmp_path / "labels.json"
    bad.write_text('{"x": "sideways"}')
    with pytest.raises(DataError, match=r"labels.json: label 'x': unknown class"):
        control_import.load_label_mapping(bad)


def test_raw_file_outside_ukraine_is_an_error(units, tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Окуповано"},
                "geometry": shapely.geometry.mapping(shapely.box(10, 50, 11, 51)),
            }
        ],
    }
    path = tmp_path / "1700000000.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(DataError, match=r"1700000000.geojson: no polygon inside Ukraine"):
        _one(units, path)


def test_daily_folder_keeps_gaps(units, tmp_path):
    folder = copy_daily(["2024-08-16", "2024-08-17", "2024-08-20"], tmp_path / "daily")
    result, _ = _one(units, folder)
    assert result.formats == {"daily"}
    assert result.days == (date(2024, 8, 16), date(2024, 8, 17), date(2024, 8, 20))
    rows = result.shares.at(date(2024, 8, 19))
    assert set(rows["snapshot_date"]) == {date(2024, 8, 17)} and set(rows["date"]) == {date(2024, 8, 19)}
    crimea = rows.set_index("code").loc[["UA-43", "UA-40"]]
    assert (crimea["occupied_share"] == 1.0).all() and crimea["coast_rule"].all()
    assert (crimea["occupied_share_raw"] < 0.995).all()  # the rule, not the raw figure, makes it whole


def test_duplicate_day_last_wins_and_says_so(units, tmp_path):
    first = copy_daily(["2024-08-16"], tmp_path / "a") / "deepstatemap_data_20240816.geojson"
    second = tmp_path / "b" / "2024-08-16.geojson"
    second.parent.mkdir()
    second.write_text(daily("2025-08-16").read_text())  # a different day's polygon under the same day
    messages: list[str] = []
    result = import_paths([first, second], units=units, report=messages.append)
    assert result.days == (date(2024, 8, 16),)
    assert any("given twice" in m and "last one wins" in m for m in messages)
    alone = import_paths([second], units=units, report=lambda m: None)
    assert result.shares.frame["occupied_km2"].tolist() == alone.shares.frame["occupied_km2"].tolist()


def _dated_collection(days: list[str]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"id": i, "date": d}, "geometry": geometry_of(daily(d))}
            for i, d in enumerate(days)
        ],
    }


@pytest.mark.slow
@pytest.mark.parametrize("container", ["geojson", "gz", "parquet"])
def test_dated_table_plain_gzipped_and_geoparquet(units, tmp_path, container):
    days = ["2024-07-09", "2024-07-10", "2024-08-20"]
    doc = _dated_collection(days)
    if container == "geojson":
        path = tmp_path / "table.geojson"
        path.write_text(json.dumps(doc))
    elif container == "gz":
        path = tmp_path / "deepstate-map-data.geojson.gz"
        path.write_bytes(gzip.compress(json.dumps(doc).encode()))
    else:
        path = tmp_path / "table.parquet"
        gpd.GeoDataFrame.from_features(doc["features"], crs=4326).to_parquet(path)
    result, _ = _one(units, path)
    assert result.formats == {"dated"}
    assert [d.isoformat() for d in result.days] == days
    single = import_paths([daily("2024-08-20")], units=units, report=lambda m: None)
    assert result.shares.at(date(2024, 8, 20))["occupied_km2"].tolist() == pytest.approx(
        single.shares.frame["occupied_km2"].tolist()
    )


def test_other_crs_is_reprojected_and_said(units, tmp_path):
    frame = gpd.read_file(daily("2024-08-20")).to_crs(3857)
    path = tmp_path / "2024-08-20.geojson"
    frame.to_file(path, driver="GeoJSON")
    assert "3857" in path.read_text()[:400]
    result, messages = _one(units, path)
    assert any("reprojected from EPSG:3857" in m for m in messages)
    single = import_paths([daily("2024-08-20")], units=units, report=lambda m: None)
    assert result.shares.frame["occupied_share"].tolist() == pytest.approx(
        single.shares.frame["occupied_share"].tolist(), abs=1e-4
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "2024-01-01.geojson",
            (
                '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
                '"geometry": {"type": "MultiPolygon", "coordinates": []}}]}'
            ),
            r"2024-01-01.geojson: empty geometry",
        ),
        ("2024-01-02.geojson", '{"type": "FeatureCollection", "feat', r"2024-01-02.geojson: not a GeoJSON file"),
        ("2024-01-03.geojson", b"\x00\x01garbage", r"2024-01-03.geojson: not a geographic file"),
        ("2024-01-04.json", '{"rows": [1, 2, 3]}', r"2024-01-04.json: not a geographic file"),
        ("2024-01-05.geojson.gz", b"\x1f\x8b\x08\x00garbage", r"2024-01-05.geojson.gz: damaged gzip"),
        (
            "nodate.geojson",
            (
                '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
                '"geometry": {"type": "Polygon", "coordinates": [[[35,47],[36,47],[36,48],[35,47]]]}}]}'
            ),
            r"nodate.geojson: no date",
        ),
        (
            "2024-01-06.geojson",
            (
                '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
                '"geometry": {"type": "Polygon", "coordinates": [[[3500000,4700000],[3600000,4700000],'
                "[3600000,4800000],[3500000,4700000]]]}}]}"
            ),
            r"2024-01-06.geojson: coordinates are not longitude/latitude",
        ),
    ],
)
def test_bad_files_are_one_line_errors_naming_the_file(units, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(DataError, match=message) as info:
        _one(units, path)
    assert "\n" not in str(info.value)


def test_unreadable_file_names_it(units, tmp_path, monkeypatch):
    path = tmp_path / "2024-01-07.geojson"
    path.write_text("{}")
    real = Path.open

    def refuse(self, *args, **kwargs):  # permissions do not bite as root, so the refusal is simulated
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DataError, match=r"2024-01-07.geojson: cannot be read: Permission denied"):
        _one(units, path)


def test_points_and_lines_are_ignored(units, tmp_path):
    doc = json.loads(daily("2024-08-20").read_text())
    doc["features"].append(
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [30, 50]}}
    )
    path = tmp_path / "2024-08-20.geojson"
    path.write_text(json.dumps(doc))
    result, _ = _one(units, path)
    single = import_paths([daily("2024-08-20")], units=units, report=lambda m: None)
    assert result.shares.frame["occupied_km2"].tolist() == single.shares.frame["occupied_km2"].tolist()


def test_label_class_enum_values_are_stable():
    assert [c.value for c in ControlClass] == ["occupied", "grey", "other"]
