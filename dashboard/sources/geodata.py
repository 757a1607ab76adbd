"""Load the region layers once, validate them, and look regions up by name.

The layers are derived from Natural Earth by geodata/build.py. Every UA-*
unit belongs to Ukraine's layer: the base is Ukraine's internationally
recognised borders; claims are dated data drawn on top (DESIGN.md 1.1).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from dashboard.core.errors import DataError, UnknownRegionError
from dashboard.core.region_names import ALIASES, as_code, normalise, without_region_word
from dashboard.sources.paths import geodata_dir
from dashboard.core.regions import CONTESTED_CODES, UA_CODES

#: Lambert azimuthal equal-area centred on Ukraine: areas in m², never in degrees.
EQUAL_AREA_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"

UKRAINE_FILE = "ukraine_admin1.geojson"
NEIGHBOURS_FILE = "neighbours.geojson"
_UKRAINE_COLUMNS = ("code", "name_en", "name_uk", "name_ru", "name_ne", "name_alt",
                    "contested", "group", "area_km2_source")
_NEIGHBOUR_COLUMNS = ("name_en", "iso_a3")


def _read_layer(path: Path, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise DataError(f"geodata file not found: {path} (rebuild it with geodata/build.py)")
    try:
        layer = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for corrupt files
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


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so figure caches can key on it
class RegionLayers:
    """Ukraine's 27 units and the neighbouring countries, ready for figures and look-ups."""

    ukraine: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    _index: dict[str, str] = field(repr=False, compare=False)

    @property
    def contested(self) -> gpd.GeoDataFrame:
        return self.ukraine[self.ukraine["contested"]]

    @property
    def others(self) -> gpd.GeoDataFrame:
        """Ukraine's other oblasts and Kyiv city (context layer)."""
        return self.ukraine[~self.ukraine["contested"]]

    @functools.cached_property
    def names_en(self) -> dict[str, str]:
        """Code -> English name, for hot paths (a dict look-up, not a DataFrame one)."""
        return dict(zip(self.ukraine["code"], self.ukraine["name_en"]))

    def name_en(self, code: str) -> str:
        return self.names_en[code]

    def lookup(self, name: str) -> str:
        """ISO 3166-2 code for a code or any known name/spelling, case and accents ignored."""
        code = as_code(name)
        if code in UA_CODES:
            return code
        for key in (normalise(name), normalise(without_region_word(name))):
            if key and key in self._index:
                return self._index[key]
        valid = ", ".join(sorted(self.ukraine["name_en"]))
        raise UnknownRegionError(
            f"unknown region {name!r}; expected an ISO 3166-2 code such as UA-14 or one of: {valid}"
        )

    def region_rows(self) -> list[dict[str, Any]]:
        """One flat record per unit, in code order (the `regions` command's rows)."""
        columns = ["code", "name_en", "name_uk", "name_ru", "area_km2", "contested", "group"]
        frame = self.ukraine.reset_index(drop=True)[columns]
        rows = frame.to_dict(orient="records")
        for row in rows:
            row["contested"] = bool(row["contested"])
            row["area_km2"] = float(row["area_km2"])
            row["group"] = row["group"] or None
        return rows


def _build_index(ukraine: pd.DataFrame) -> dict[str, str]:
    """Normalised name -> code. Explicit names win over derived variants."""
    index: dict[str, str] = {}
    explicit: list[tuple[str, str]] = []
    for row in ukraine.itertuples():
        names = [row.code, row.name_en, row.name_uk, row.name_ru, row.name_ne]
        names += [n for n in str(row.name_alt).split("|") if n]
        names += list(ALIASES.get(row.code, ()))
        explicit += [(str(n), row.code) for n in names]
    for name, code in explicit:
        index.setdefault(normalise(name), code)
    for name, code in explicit:  # "Донецька область" -> also "донецька"
        index.setdefault(normalise(without_region_word(name)), code)
    index.pop("", None)
    return index


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
    return RegionLayers(ukraine=ukraine, neighbours=neighbours, _index=_build_index(ukraine))


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
