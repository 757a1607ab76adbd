"""Load the region layers once from geodata/ and validate them.

The layers are derived from Natural Earth by geodata/build.py. Every UA-*
unit belongs to Ukraine's layer: the base is Ukraine's internationally
recognised borders; claims are dated data drawn on top (README, "Data sources and licences").
"""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd
from pyogrio.errors import DataLayerError, DataSourceError

from dashboard.core.errors import DataError
from dashboard.core.layers import RegionLayers, build_index
from dashboard.core.regions import CONTESTED_CODES, EQUAL_AREA_CRS, UA_CODES
from dashboard.sources.paths import geodata_dir

__all__ = ["RegionLayers", "load_layers"]

UKRAINE_FILE = "ukraine_admin1.geojson"
NEIGHBOURS_FILE = "neighbours.geojson"
_UKRAINE_COLUMNS = (
    "code",
    "name_en",
    "name_uk",
    "name_ru",
    "name_ne",
    "name_alt",
    "contested",
    "group",
    "area_km2_source",
)
_NEIGHBOUR_COLUMNS = ("name_en", "iso_a3")


def _read_layer(path: Path, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise DataError(f"geodata file not found: {path} (rebuild it with geodata/build.py)")
    try:
        layer = gpd.read_file(path)
    except (DataSourceError, DataLayerError, ValueError, OSError) as exc:  # what GDAL raises for a corrupt file
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"geodata file {path} cannot be read as GeoJSON: {first_line}") from None
    missing = [c for c in columns if c not in layer.columns]
    if missing:
        raise DataError(f"geodata file {path}: missing column(s) {', '.join(missing)}")
    if layer.crs is None or layer.crs.to_epsg() != 4326:
        raise DataError(f"geodata file {path}: expected coordinates in EPSG:4326, got {layer.crs}")
    invalid = layer.index[~layer.geometry.is_valid | layer.geometry.is_empty].tolist()
    if invalid:
        raise DataError(f"geodata file {path}: invalid or empty geometry in row(s) {invalid[:5]}")
    return layer


def _read_layers(directory: Path) -> RegionLayers:
    ukraine = _read_layer(directory / UKRAINE_FILE, _UKRAINE_COLUMNS)
    codes = set(ukraine["code"])
    if codes != UA_CODES or len(ukraine) != len(UA_CODES):
        raise DataError(
            f"geodata file {directory / UKRAINE_FILE}: expected the 27 Ukrainian units once each, "
            f"missing {sorted(UA_CODES - codes)}, unexpected {sorted(codes - UA_CODES)}"
        )
    ukraine["contested"] = ukraine["code"].isin(CONTESTED_CODES)
    ukraine["area_km2"] = (ukraine.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6).round(1)
    ukraine = ukraine.set_index("code", drop=False).sort_index()
    ukraine.index.name = None
    neighbours = _read_layer(directory / NEIGHBOURS_FILE, _NEIGHBOUR_COLUMNS)
    return RegionLayers(ukraine=ukraine, neighbours=neighbours, _index=build_index(ukraine))


@functools.lru_cache(maxsize=4)
def _cached_layers(directory: Path) -> RegionLayers:
    return _read_layers(directory)


def load_layers(directory: Path | None = None) -> RegionLayers:
    """Read and check the layers once per directory (memoised; they never change at run time)."""
    path = Path(directory or geodata_dir())
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        reason = "symbolic link loop" if isinstance(exc, RuntimeError) else exc.strerror
        raise DataError(f"geodata directory {path} cannot be opened: {reason}") from None
    return _cached_layers(resolved)
