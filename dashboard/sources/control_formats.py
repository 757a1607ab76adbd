"""Read control files: GeoJSON (plain or gzipped) and GeoParquet, into features in WGS 84.

Every failure is a DataError of one line that names the file.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

from dashboard.core.errors import DataError, LimitError
from dashboard.sources.import_limits import (
    ImportLimits,
    check_count,
    check_geometries,
    check_regular_file,
    read_limited,
)

__all__ = ["Feature", "FeatureFile", "day_from_name", "features_from_frame", "first_line", "read_feature_file"]

_WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:epsg::4326",
    "epsg:4326",
    "crs84",
    "ogc:crs84",
    "wgs84",
    "wgs 84",
}
_DAY_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
_UNIX_NAME = re.compile(r"^(\d{9,10})$")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(frozen=True)
class Feature:
    geometry: BaseGeometry | None
    properties: dict[str, Any]


@dataclass(frozen=True)
class FeatureFile:
    path: Path
    features: list[Feature]
    crs_note: str | None  # "reprojected from EPSG:3857 to WGS 84" when it was
    container: str  # "GeoJSON", "gzipped GeoJSON", "GeoParquet"


def day_from_name(path: Path) -> tuple[date, str] | None:
    """(day, how) from a name with YYYYMMDD / YYYY-MM-DD, or a Unix time (UTC) as the whole stem."""
    stem = path.name.split(".")[0]
    unix = _UNIX_NAME.match(stem)
    if unix:
        return datetime.fromtimestamp(int(unix.group(1)), tz=UTC).date(), "Unix time in the name"
    for match in _DAY_IN_NAME.finditer(path.name):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))), "date in the name"
        except ValueError:
            continue
    return None


def _to_wgs84(crs: CRS | None, path: Path) -> tuple[Transformer | None, str | None]:
    if crs is None:
        return None, None
    # A CRS that cannot even be compared is not WGS 84: it goes on to the transformer, which says why.
    with contextlib.suppress(ProjError):
        if crs.equals(CRS.from_user_input("OGC:CRS84")) or crs.to_epsg() == 4326:
            return None, None
    try:
        transformer = Transformer.from_crs(crs, "OGC:CRS84", always_xy=True)
    except ProjError as exc:
        raise DataError(f"{path}: cannot reproject from {crs.to_string()}: {first_line(exc)}") from None
    name = crs.to_string()
    return transformer, f"{path.name}: reprojected from {name} to WGS 84"


def _reproject(geometry: BaseGeometry | None, transformer: Transformer | None) -> BaseGeometry | None:
    if geometry is None or transformer is None or geometry.is_empty:
        return geometry

    def _xy(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, _xy)


def _geojson_crs(doc: dict[str, Any], path: Path) -> CRS | None:
    crs = doc.get("crs")
    if not crs:
        return None
    name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str):
        raise DataError(f"{path}: unreadable 'crs' member {json.dumps(crs)[:80]}")
    if name.strip().lower() in _WGS84_NAMES:
        return None
    try:
        return CRS.from_user_input(name)
    except ProjError:
        raise DataError(f"{path}: unknown CRS {name!r}") from None


def _shape(geometry: Any, path: Path, index: int) -> BaseGeometry | None:
    if geometry is None:
        return None
    try:
        return shapely.from_geojson(json.dumps(geometry))
    except (ShapelyError, ValueError, TypeError) as exc:
        raise DataError(f"{path}: feature {index}: invalid geometry: {first_line(exc)}") from None


def _parse_geojson(path: Path, data: bytes, container: str, limits: ImportLimits) -> FeatureFile:
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not a GeoJSON file (cannot parse JSON: {first_line(exc)})") from None
    except RecursionError:
        raise LimitError(f"{path}: JSON nested too deeply to parse (a GeoJSON file needs a few levels)") from None
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise DataError(f"{path}: not a geographic file (expected a GeoJSON FeatureCollection, got {kind!r})")
    raw = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(raw, list):
        raise DataError(f"{path}: 'features' is not a list")
    check_count(len(raw), path, limits)
    transformer, note = _to_wgs84(_geojson_crs(doc, path), path)
    if len(raw) == 1 and isinstance(raw[0], dict) and isinstance(raw[0].get("geometry"), dict):
        # One feature (a daily file): let GEOS read the text directly, no second JSON pass.
        try:
            whole = shapely.from_geojson(data)
        except (ShapelyError, ValueError):  # read again feature by feature below, which names the bad one
            whole = None
        if whole is not None:
            geom = (
                whole.geoms[0]
                if whole.geom_type == "GeometryCollection"
                and len(whole.geoms) == 1
                and raw[0]["geometry"].get("type") != "GeometryCollection"
                else whole
            )
            props = raw[0].get("properties") or {}
            features = [Feature(_reproject(geom, transformer), props if isinstance(props, dict) else {})]
            check_geometries([geom], path, limits)
            if transformer is None:
                _check_lonlat(features, path)
            return FeatureFile(path, features, note, container)
    features = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise DataError(f"{path}: feature {i} is not an object")
        props = item.get("properties") or {}
        geom = _reproject(_shape(item.get("geometry"), path, i), transformer)
        features.append(Feature(geom, props if isinstance(props, dict) else {}))
    check_geometries([f.geometry for f in features], path, limits)
    if transformer is None:
        _check_lonlat(features, path)
    return FeatureFile(path, features, note, container)


def _check_lonlat(features: list[Feature], path: Path) -> None:
    geoms = [f.geometry for f in features if f.geometry is not None and not f.geometry.is_empty]
    if not geoms:
        return
    minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(geoms, dtype=object))
    if minx < -180.5 or maxx > 180.5 or miny < -90.5 or maxy > 90.5:
        raise DataError(f"{path}: coordinates are not longitude/latitude and the file names no CRS")


def _read_parquet(path: Path, limits: ImportLimits) -> FeatureFile:
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: cannot be read as GeoParquet: {first_line(exc)}") from None
    check_count(metadata.num_rows, path, limits, "rows")
    inflated = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if inflated > limits.max_bytes:
        raise limits.refuse(path, "max_bytes", f"the file's rows take {inflated:,} bytes uncompressed")
    try:
        frame = gpd.read_parquet(path)
    except ValueError as exc:  # no geo metadata: a plain Parquet table
        raise DataError(f"{path}: not a geographic file (Parquet without geometry: {first_line(exc)})") from None
    except (pa.ArrowException, OSError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: cannot be read as GeoParquet: {first_line(exc)}") from None
    return features_from_frame(frame, path, "GeoParquet", limits)


def features_from_frame(frame: Any, path: Path, container: str, limits: ImportLimits | None = None) -> FeatureFile:
    """A GeoDataFrame's rows as features in WGS 84 (reprojected from the frame's CRS, and said)."""
    transformer, note = (None, None)
    if frame.crs is not None:
        transformer, note = _to_wgs84(CRS.from_user_input(frame.crs), path)
    geometry_name = frame.geometry.name
    properties = frame.drop(columns=geometry_name)
    # A frame with no column besides the geometry gives no records at all from older pandas (2.1).
    records = properties.to_dict(orient="records") if len(properties.columns) else [{} for _ in range(len(frame))]
    features = [
        Feature(_reproject(g if g is not None else None, transformer), r)
        for g, r in zip(frame.geometry.values, records, strict=True)
    ]
    check_geometries([f.geometry for f in features], path, limits or ImportLimits.from_env())
    if transformer is None:
        _check_lonlat(features, path)
    return FeatureFile(path, features, note, container)


def read_feature_file(path: Path, limits: ImportLimits | None = None) -> FeatureFile:
    """Features of a GeoJSON (plain or gzipped) or GeoParquet file, detected by content, in WGS 84.

    Within `limits` (default: from the environment): a regular file, at most `max_bytes`
    after inflating, `max_features` features, `max_vertices` vertices, and no feature whose
    repair would pass `max_crossings`.
    """
    limits = limits or ImportLimits.from_env()
    if is_parquet(path):
        return _read_parquet(path, limits)
    data, gzipped = read_limited(path, limits)
    if not data.strip():
        raise DataError(f"{path}: empty file")
    container = "gzipped GeoJSON" if gzipped else "GeoJSON"
    if data.lstrip()[:1] not in (b"{", b"["):
        raise DataError(
            f"{path}: not a geographic file (expected GeoJSON, GeoParquet, a VIINA .csv, Shapefile, "
            "KML/KMZ, GeoPackage or FlatGeobuf)"
        )
    return _parse_geojson(path, data, container, limits)


def is_parquet(path: Path) -> bool:
    """A regular file that starts with Parquet's magic bytes (read only after its type is checked)."""
    check_regular_file(path)
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError as exc:
        raise DataError(f"{path}: cannot be read: {exc.strerror or first_line(exc)}") from None
