"""The on-disk control cache (and the bundled layer, which has the same layout).

A directory holds::

    manifest.json                  format version, source, days, names of the two data files
    shares-<token>.parquet         one row per snapshot day and unit (dashboard.core.control.STORED_COLUMNS)
    geometry-<token>.parquet       snapshot_date, occupied and grey as WKB (EPSG:4326, simplified)
    places-<token>.parquet         snapshot_date, source, held: the ids of the gazetteer places inside the
                                   occupied area that day (computed at import from full-resolution geometry;
                                   a cache without it, or made against another gazetteer, computes it at
                                   load from the stored geometry and says so in ControlData.places.note)

Writing is atomic: new data files get fresh names, then the manifest is
replaced in one ``os.replace``; only then are the old data files removed. An
import interrupted at any point leaves the manifest, and so the cache, as it
was. A reader trusts only the files the manifest names, and checks them.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from dashboard.core.control import (STORED_COLUMNS, ControlData, ControlGeometry, ControlShares)
from dashboard.core.errors import DataError
from dashboard.core.held_places import HeldPlaces
from dashboard.sources.control_formats import first_line

__all__ = ["CACHE_FORMAT", "MANIFEST", "ENV_VAR", "default_control_dir", "bundled_control_dir",
           "ControlCache", "load_control", "write_cache"]

CACHE_FORMAT = 1
MANIFEST = "manifest.json"
ENV_VAR = "CONTESTED_MAP_CONTROL"
LICENCE = "GPL-3.0"
NOTICE_FILE = "NOTICE.md"


def default_control_dir() -> Path:
    """$CONTESTED_MAP_CONTROL, else ``control`` under the user's data directory (platformdirs)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("contested-map", appauthor=False)) / "control"


def bundled_control_dir() -> Path:
    from dashboard.sources.paths import bundled_control_dir as _bundled

    return _bundled()


def _shares_table(shares: ControlShares) -> pa.Table:
    frame = shares.frame[list(STORED_COLUMNS)].copy()
    return pa.Table.from_pandas(frame, preserve_index=False, schema=pa.schema([
        ("snapshot_date", pa.date32()), ("code", pa.string()), ("occupied_km2", pa.float64()),
        ("occupied_share", pa.float64()), ("occupied_share_raw", pa.float64()), ("grey_km2", pa.float64()),
        ("grey_share", pa.float64()), ("coast_rule", pa.bool_()), ("source", pa.string())]))


def _geometry_table(geometry: ControlGeometry) -> pa.Table:
    frame = geometry.frame
    grey = [None if g is None else shapely.to_wkb(g) for g in frame["grey"]]
    return pa.table({
        "snapshot_date": pa.array(list(frame["snapshot_date"]), pa.date32()),
        "occupied": pa.array([shapely.to_wkb(g) for g in frame["occupied"]], pa.binary()),
        "grey": pa.array(grey, pa.binary()),
    })


def _places_table(places: HeldPlaces) -> pa.Table:
    frame = places.frame
    return pa.table({
        "snapshot_date": pa.array(list(frame["snapshot_date"]), pa.date32()),
        "source": pa.array(list(frame["source"]), pa.string()),
        "held": pa.array([h.tolist() for h in frame["held"]], pa.list_(pa.int64())),
    })


def _read_places(cache: ControlCache, doc: dict[str, Any], shares: ControlShares,
                 geometry: ControlGeometry) -> HeldPlaces:
    """The stored held-places table, or one computed now from the stored geometry (noted)."""
    from dashboard.sources.control_import import held_places
    from dashboard.sources.places import load_places

    gazetteer = load_places()
    if "places" in doc["files"]:
        if doc.get("places_gazetteer") == gazetteer.signature:
            frame = cache._read("places", doc)
            try:
                return HeldPlaces(frame, gazetteer=gazetteer.signature)
            except (ValueError, TypeError, KeyError) as exc:
                raise DataError(f"control cache file {cache.directory / doc['files']['places']} is corrupt: "
                                f"{first_line(exc)}") from None
        note = "other_gazetteer"
    else:
        note = "from_geometry"
    source_of = dict(zip(shares.frame["snapshot_date"], shares.frame["source"]))
    rows = [(day, str(source_of.get(day, "")), occupied)
            for day, occupied in zip(geometry.frame["snapshot_date"], geometry.frame["occupied"])]
    return held_places(rows, gazetteer, note=note)


def _write_table(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", compression_level=9)


class ControlCache:
    """One cache directory: read what the manifest names, commit new days atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.manifest_path = self.directory / MANIFEST

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict[str, Any]:
        try:
            doc = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError(f"control cache {self.directory}: no {MANIFEST}; import files first "
                            "(contested-map control import PATH --control DIR)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"control cache file {self.manifest_path} is corrupt: {first_line(exc)}") from None
        if not isinstance(doc, dict) or doc.get("format") != CACHE_FORMAT or not isinstance(
                doc.get("files"), dict) or not isinstance(doc.get("days"), list):
            raise DataError(f"control cache file {self.manifest_path} is corrupt or of another version "
                            f"(expected format {CACHE_FORMAT})")
        return doc

    def days(self) -> list[date]:
        if not self.exists():
            return []
        try:
            return [date.fromisoformat(d) for d in self.manifest()["days"]]
        except (TypeError, ValueError):
            raise DataError(f"control cache file {self.manifest_path} is corrupt: bad day list") from None

    def _read(self, key: str, doc: dict[str, Any]) -> pd.DataFrame:
        name = doc["files"].get(key)
        path = self.directory / str(name)
        if not name or "/" in str(name) or not path.is_file():
            raise DataError(f"control cache {self.directory}: {key} file {name!r} named by {MANIFEST} is missing")
        try:
            # Arrow's default pool (mimalloc) keeps the pages of the read buffers after they
            # are freed: about 70 MB of a server's memory for nothing. The system allocator
            # gives them back; this process reads Parquet nowhere else.
            pa.set_memory_pool(pa.system_memory_pool())
            return pq.read_table(path).to_pandas(date_as_object=True)
        except Exception as exc:  # noqa: BLE001  pyarrow raises several types for damaged files
            raise DataError(f"control cache file {path} is corrupt: {first_line(exc)}") from None

    def read(self) -> ControlData:
        doc = self.manifest()
        shares_frame = self._read("shares", doc)
        path = self.directory / doc["files"]["shares"]
        missing = [c for c in STORED_COLUMNS if c not in shares_frame.columns]
        if missing:
            raise DataError(f"control cache file {path} is corrupt: missing column(s) {', '.join(missing)}")
        try:
            shares = ControlShares(shares_frame)
        except (ValueError, TypeError) as exc:
            raise DataError(f"control cache file {path} is corrupt: {first_line(exc)}") from None
        if [d.isoformat() for d in shares.dates] != list(doc["days"]):
            raise DataError(f"control cache file {path} does not hold the days {MANIFEST} lists")
        geo = self._read("geometry", doc)
        gpath = self.directory / doc["files"]["geometry"]
        try:
            occupied = shapely.from_wkb(geo["occupied"].to_numpy())
            grey = [None if g is None else shapely.from_wkb(g) for g in geo["grey"]]
            geometry = ControlGeometry(pd.DataFrame({"snapshot_date": geo["snapshot_date"], "occupied": occupied,
                                                     "grey": grey}),
                                       tolerance_deg=float(doc.get("geometry_tolerance_deg", 0.0)))
        except Exception as exc:  # noqa: BLE001  bad WKB, missing column
            raise DataError(f"control cache file {gpath} is corrupt: {first_line(exc)}") from None
        notice = ""
        notice_path = self.directory / NOTICE_FILE
        if notice_path.is_file():
            notice = notice_path.read_text(encoding="utf-8")
        return ControlData(shares=shares, geometry=geometry, source_name=str(doc.get("source", "")),
                           licence=str(doc.get("licence", LICENCE)), notice=notice,
                           places=_read_places(self, doc, shares, geometry))

    def commit(self, shares: ControlShares, geometry: ControlGeometry, *, source: str,
               extra: dict[str, Any] | None = None, _before_manifest: Callable[[], None] | None = None,
               places: HeldPlaces | None = None) -> None:
        """Merge `shares`/`geometry` (and `places`) into the cache (a day in both: the new one) atomically."""
        if self.exists():
            current = self.read()
            shares = current.shares.merged(shares)
            geometry = current.geometry.merged(geometry)
            if places is not None and current.places is not None:
                places = current.places.merged(places)
            sources = sorted(set(self.manifest().get("sources", [])) | {source})
        else:
            sources = [source]
        write_cache(self.directory, shares, geometry, source=" + ".join(sources) if len(sources) > 1 else source,
                    sources=sources, extra=extra, _before_manifest=_before_manifest, places=places)


def write_cache(directory: Path, shares: ControlShares, geometry: ControlGeometry, *, source: str,
                sources: list[str] | None = None, extra: dict[str, Any] | None = None,
                _before_manifest: Callable[[], None] | None = None, places: HeldPlaces | None = None) -> None:
    """Write a whole cache atomically: data files under fresh names, then the manifest, then clean up.

    `places` (the held-places table) is written as a third file when given."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"control cache {directory}: cannot create: {exc.strerror or first_line(exc)}") from None
    old_files: list[str] = []
    manifest_path = directory / MANIFEST
    if manifest_path.is_file():
        try:
            old_files = list(json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {}).values())
        except (OSError, ValueError, AttributeError):
            old_files = []
    token = secrets.token_hex(4)
    names = {"shares": f"shares-{token}.parquet", "geometry": f"geometry-{token}.parquet"}
    tables = [("shares", _shares_table(shares)), ("geometry", _geometry_table(geometry))]
    if places is not None:
        names["places"] = f"places-{token}.parquet"
        tables.append(("places", _places_table(places)))
    written: list[Path] = []
    tmp_manifest = directory / f".{MANIFEST}.{token}.tmp"
    try:
        for key, table in tables:
            path = directory / names[key]
            written.append(path)
            _write_table(table, path)
        doc = {"format": CACHE_FORMAT, "source": source, "sources": sources or [source], "licence": LICENCE,
               "days": [d.isoformat() for d in shares.dates],
               "geometry_days": [d.isoformat() for d in geometry.dates],
               "geometry_tolerance_deg": geometry.tolerance_deg, "files": names,
               **({"places_gazetteer": places.gazetteer} if places is not None else {}),
               "updated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(), **(extra or {})}
        written.append(tmp_manifest)
        tmp_manifest.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        if _before_manifest is not None:
            _before_manifest()
        os.replace(tmp_manifest, manifest_path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    for name in old_files:
        if name not in names.values() and "/" not in str(name):
            (directory / str(name)).unlink(missing_ok=True)


def load_control(directory: Path | None = None) -> ControlData:
    """Control data from a cache directory, or the bundled layer when `directory` is None."""
    if directory is None:
        return ControlCache(bundled_control_dir()).read()
    cache = ControlCache(Path(directory))
    if not Path(directory).is_dir():
        raise DataError(f"control cache {directory}: no such directory")
    return cache.read()
