"""The on-disk control cache (and the bundled layer, which has the same layout).

A directory holds::

    manifest.json                  format version and one entry per source: its name, licence,
                                   attribution, days and the names of its own data files
    shares-<token>.parquet         one row per snapshot day and unit (dashboard.core.control.STORED_COLUMNS)
    geometry-<token>.parquet       snapshot_date, occupied and grey as WKB (EPSG:4326, simplified)
    places-<token>.parquet         snapshot_date, source, held: the ids of the gazetteer places inside the
                                   occupied area that day, from the full-resolution geometry (optional:
                                   without it, or for another gazetteer, the table is computed at
                                   load from the stored geometry and ControlData.places.note says so)

Each source keeps its own data files, named in its manifest entry: importing one
source rewrites only its files, and two sources are never merged. Format 1 (one
source, its name, licence and attribution at the top of the manifest, as the bundled
layer's is) is still read; the next import into such a cache writes format 2.

Writing (``dashboard.sources.control_cache_write``) is atomic: new data files get fresh names, then the manifest is
replaced in one ``os.replace``; only then are the old data files removed. An
import interrupted at any point leaves the manifest, and so the cache, as it
was. A reader trusts only the files the manifest names, and checks them.

One writer at a time: a commit holds an exclusive lock on ``.lock`` in the
directory (filelock: fcntl on Linux and macOS, msvcrt on Windows) for its whole
read-merge-write, re-reading the manifest under it, so two imports at once
both keep their days. Under the lock, data files no manifest entry names (left
by an import that was killed) are removed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.errors import ShapelyError

from dashboard.core.control import STORED_COLUMNS, ControlData, ControlGeometry, ControlShares
from dashboard.core.control_sources import ControlSource, find_control
from dashboard.core.errors import DataError
from dashboard.core.held_places import HeldPlaces
from dashboard.sources.cache_lock import LOCK_FILE, LOCK_TIMEOUT_S, cache_lock
from dashboard.sources.control_cache_write import write_locked
from dashboard.sources.control_formats import first_line
from dashboard.sources.control_manifest import CACHE_FORMAT, MANIFEST, find_entry, read_manifest

__all__ = [
    "CACHE_FORMAT",
    "ENV_VAR",
    "LOCK_FILE",
    "MANIFEST",
    "ControlCache",
    "bundled_control_dir",
    "cache_lock",
    "default_control_dir",
    "load_control",
    "load_controls",
]

ENV_VAR = "CONTESTED_MAP_CONTROL"


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


def _read_places(
    cache: ControlCache, entry: dict[str, Any], shares: ControlShares, geometry: ControlGeometry
) -> HeldPlaces:
    """One source's stored held-places table, or one computed now from its stored geometry (noted)."""
    from dashboard.sources.control_import import held_places
    from dashboard.sources.places import load_places

    gazetteer = load_places()
    if "places" in entry["files"]:
        if entry.get("places_gazetteer") == gazetteer.signature:
            frame = cache._read("places", entry)
            try:
                return HeldPlaces(frame, gazetteer=gazetteer.signature)
            except (ValueError, TypeError, KeyError) as exc:
                raise DataError(
                    f"control cache file {cache.directory / entry['files']['places']} is corrupt: {first_line(exc)}"
                ) from None
        note = "other_gazetteer"
    else:
        note = "from_geometry"
    source_of = dict(zip(shares.frame["snapshot_date"], shares.frame["source"], strict=True))
    rows = [
        (day, str(source_of.get(day, "")), occupied)
        for day, occupied in zip(geometry.frame["snapshot_date"], geometry.frame["occupied"], strict=True)
    ]
    return held_places(rows, gazetteer, note=note)


class ControlCache:
    """One cache directory: read what the manifest names, commit new days of one source atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.manifest_path = self.directory / MANIFEST

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict[str, Any]:
        """The manifest as format 2 (a format 1 manifest is read as one source entry)."""
        return read_manifest(self.directory)

    def entries(self) -> list[dict[str, Any]]:
        return self.manifest()["sources"] if self.exists() else []

    def entry(self, name: str) -> dict[str, Any] | None:
        """The manifest entry of the source called `name` (or its slug), None when there is none."""
        return find_entry(self.entries(), name)

    def source(self, name: str) -> ControlSource | None:
        entry = self.entry(name)
        return None if entry is None else self._source(entry)

    def days(self, source: str | None = None) -> list[date]:
        """The days one source holds (`source` None: the days of every source in the cache)."""
        entries = [e for e in [self.entry(source)] if e] if source is not None else self.entries()
        try:
            return sorted({date.fromisoformat(d) for e in entries for d in e["days"]})
        except (TypeError, ValueError):
            raise DataError(f"control cache file {self.manifest_path} is corrupt: bad day list") from None

    def _read(self, key: str, entry: dict[str, Any]) -> pd.DataFrame:
        name = entry["files"].get(key)
        path = self.directory / str(name)
        if not name or "/" in str(name) or not path.is_file():
            raise DataError(f"control cache {self.directory}: {key} file {name!r} named by {MANIFEST} is missing")
        try:
            # Arrow's default pool (mimalloc) keeps the pages of the read buffers after they
            # are freed: about 70 MB of a server's memory for nothing. The system allocator
            # gives them back; this process reads Parquet nowhere else.
            pa.set_memory_pool(pa.system_memory_pool())
            return pq.read_table(path).to_pandas(date_as_object=True)
        except (pa.ArrowException, OSError) as exc:
            raise DataError(f"control cache file {path} is corrupt: {first_line(exc)}") from None

    def _source(self, entry: dict[str, Any]) -> ControlSource:
        notice = ""
        notice_name = entry.get("notice")
        if isinstance(notice_name, str) and "/" not in notice_name and (self.directory / notice_name).is_file():
            notice = (self.directory / notice_name).read_text(encoding="utf-8")
        try:
            return ControlSource(
                entry["name"], str(entry.get("licence", "")), str(entry.get("attribution", "")), notice
            )
        except ValueError as exc:
            raise DataError(f"control cache file {self.manifest_path}: {exc}") from None

    def read_source(self, entry: dict[str, Any]) -> ControlData:
        """One source's data, as its manifest entry names it."""
        shares_frame = self._read("shares", entry)
        path = self.directory / entry["files"]["shares"]
        missing = [c for c in STORED_COLUMNS if c not in shares_frame.columns]
        if missing:
            raise DataError(f"control cache file {path} is corrupt: missing column(s) {', '.join(missing)}")
        try:
            shares = ControlShares(shares_frame)
        except (ValueError, TypeError) as exc:
            raise DataError(f"control cache file {path} is corrupt: {first_line(exc)}") from None
        if [d.isoformat() for d in shares.dates] != list(entry["days"]):
            raise DataError(f"control cache file {path} does not hold the days {MANIFEST} lists")
        geo = self._read("geometry", entry)
        gpath = self.directory / entry["files"]["geometry"]
        try:
            occupied = shapely.from_wkb(geo["occupied"].to_numpy())
            grey = [None if g is None else shapely.from_wkb(g) for g in geo["grey"]]
            geometry = ControlGeometry(
                pd.DataFrame({"snapshot_date": geo["snapshot_date"], "occupied": occupied, "grey": grey}),
                tolerance_deg=float(entry.get("geometry_tolerance_deg", 0.0)),
            )
        except (ShapelyError, KeyError, TypeError, ValueError) as exc:
            raise DataError(f"control cache file {gpath} is corrupt: {first_line(exc)}") from None
        source = self._source(entry)
        return ControlData(
            shares=shares,
            geometry=geometry,
            source_name=source.name,
            licence=source.licence,
            notice=source.notice,
            attribution=source.attribution,
            places=_read_places(self, entry, shares, geometry),
        )

    def read_all(self) -> tuple[ControlData, ...]:
        """Every source in the cache, in the manifest's order (each apart)."""
        return tuple(self.read_source(e) for e in self.manifest()["sources"])

    def read(self, source: str | None = None) -> ControlData:
        """One source: the one called `source`, else the cache's first."""
        entries = self.manifest()["sources"]
        if not entries:
            raise DataError(f"control cache {self.directory} holds no source")
        entry = entries[0] if source is None else self.entry(source)
        if entry is None:
            raise DataError(
                f"control cache {self.directory} holds no source {source!r} "
                f"(it holds: {', '.join(repr(e['name']) for e in entries)})"
            )
        return self.read_source(entry)

    def commit(
        self,
        shares: ControlShares,
        geometry: ControlGeometry,
        *,
        source: ControlSource | str,
        extra: dict[str, Any] | None = None,
        _before_manifest: Callable[[], None] | None = None,
        places: HeldPlaces | None = None,
        lock_timeout: float = LOCK_TIMEOUT_S,
    ) -> None:
        """Merge `shares`/`geometry` (and `places`) into one source's data (a day in both: the new one),
        atomically.

        `source` as a name must already be in the cache (a new source needs its licence: a
        ControlSource). The other sources' files and entries are left as they are. Holds the
        cache's writer lock throughout (waiting at most `lock_timeout` seconds for it).
        """
        with cache_lock(self.directory, lock_timeout):
            # The manifest is read again under the lock: another writer may have committed since.
            entry = self.entry(source if isinstance(source, str) else source.name)
            if entry is None:
                if isinstance(source, str):
                    raise DataError(f"control source {source!r} is new to {self.directory}: give its licence")
                target = source
            else:
                current = self.read_source(entry)
                shares = current.shares.merged(shares)
                geometry = current.geometry.merged(geometry)
                if places is not None and current.places is not None:
                    places = current.places.merged(places)
                target = current.source if isinstance(source, str) else source
            write_locked(
                self.directory,
                shares,
                geometry,
                source=target,
                extra=extra,
                _before_manifest=_before_manifest,
                places=places,
            )


def load_control(directory: Path | None = None, source: str | None = None) -> ControlData:
    """One source from a cache directory (`source`: its name, else the first), or the bundled layer."""
    if directory is None:
        return ControlCache(bundled_control_dir()).read(source)
    if not Path(directory).is_dir():
        raise DataError(f"control cache {directory}: no such directory")
    return ControlCache(Path(directory)).read(source)


def load_controls(directory: Path | None = None, bundled: bool = True) -> tuple[ControlData, ...]:
    """The control sources to show: the bundled layer's (unless `bundled` is False), then the user
    cache's at `directory` (if given). A cache source with a bundled source's name is that source:
    its days are added to the bundled days (a day in both: the cache's), its entry's words are used."""
    sources: list[ControlData] = list(ControlCache(bundled_control_dir()).read_all()) if bundled else []
    if directory is not None:
        if not Path(directory).is_dir():
            raise DataError(f"control cache {directory}: no such directory")
        for control in ControlCache(Path(directory)).read_all():
            same = find_control(sources, control.source_name)
            if same is None:
                sources.append(control)
                continue
            places = control.places or same.places
            if (
                same.places is not None
                and control.places is not None
                and same.places.gazetteer == control.places.gazetteer
            ):
                places = same.places.merged(control.places)
            sources[sources.index(same)] = ControlData(
                shares=same.shares.merged(control.shares),
                geometry=same.geometry.merged(control.geometry),
                source_name=control.source_name,
                licence=control.licence,
                notice=control.notice or same.notice,
                attribution=control.attribution or same.attribution,
                places=places,
            )
    return tuple(sources)
