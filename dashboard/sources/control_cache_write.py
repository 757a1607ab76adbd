"""Writing one source's data into a control cache: its data files under fresh names, then the
manifest in one ``os.replace``, then the files no entry names removed (the layout and the
reasons are in ``dashboard.sources.control_cache``, whose ``ControlCache.commit`` calls it).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from dashboard.core.control import STORED_COLUMNS, ControlGeometry, ControlShares
from dashboard.core.control_sources import ControlSource
from dashboard.core.held_places import HeldPlaces
from dashboard.sources.cache_lock import LOCK_TIMEOUT_S, cache_lock, remove_orphans, remove_stale_updates
from dashboard.sources.control_manifest import CACHE_FORMAT, MANIFEST, find_entry, read_manifest

__all__ = ["write_cache", "write_locked"]


def _shares_table(shares: ControlShares) -> pa.Table:
    frame = shares.frame[list(STORED_COLUMNS)].copy()
    return pa.Table.from_pandas(
        frame,
        preserve_index=False,
        schema=pa.schema(
            [
                ("snapshot_date", pa.date32()),
                ("code", pa.string()),
                ("occupied_km2", pa.float64()),
                ("occupied_share", pa.float64()),
                ("occupied_share_raw", pa.float64()),
                ("grey_km2", pa.float64()),
                ("grey_share", pa.float64()),
                ("coast_rule", pa.bool_()),
                ("source", pa.string()),
            ]
        ),
    )


def _geometry_table(geometry: ControlGeometry) -> pa.Table:
    frame = geometry.frame
    grey = [None if g is None else shapely.to_wkb(g) for g in frame["grey"]]
    return pa.table(
        {
            "snapshot_date": pa.array(list(frame["snapshot_date"]), pa.date32()),
            "occupied": pa.array([shapely.to_wkb(g) for g in frame["occupied"]], pa.binary()),
            "grey": pa.array(grey, pa.binary()),
        }
    )


def _places_table(places: HeldPlaces) -> pa.Table:
    frame = places.frame
    return pa.table(
        {
            "snapshot_date": pa.array(list(frame["snapshot_date"]), pa.date32()),
            "source": pa.array(list(frame["source"]), pa.string()),
            "held": pa.array([h.tolist() for h in frame["held"]], pa.list_(pa.int64())),
        }
    )


def _write_table(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", compression_level=9)


def write_cache(
    directory: Path,
    shares: ControlShares,
    geometry: ControlGeometry,
    *,
    source: ControlSource,
    extra: dict[str, Any] | None = None,
    notice_file: str | None = None,
    _before_manifest: Callable[[], None] | None = None,
    places: HeldPlaces | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> None:
    """Write one source's data atomically: its data files under fresh names, then the manifest
    (the cache's other sources kept as they are), then remove the files no entry names; all
    under the cache's writer lock.

    `places` (the held-places table) is written as a third file when given."""
    with cache_lock(Path(directory), lock_timeout):
        write_locked(
            Path(directory),
            shares,
            geometry,
            source=source,
            extra=extra,
            notice_file=notice_file,
            _before_manifest=_before_manifest,
            places=places,
        )


def write_locked(
    directory: Path,
    shares: ControlShares,
    geometry: ControlGeometry,
    *,
    source: ControlSource,
    extra: dict[str, Any] | None = None,
    notice_file: str | None = None,
    _before_manifest: Callable[[], None] | None = None,
    places: HeldPlaces | None = None,
) -> None:
    """write_cache's work, the caller holding the lock (ControlCache.commit holds it too)."""
    entries: list[dict[str, Any]] = read_manifest(directory)["sources"] if (directory / MANIFEST).is_file() else []
    old_files = {str(n) for e in entries for n in e["files"].values()}
    found = find_entry(entries, source.name)
    previous = next((e for e in entries if found is not None and e["name"] == found["name"]), None)
    manifest_path = directory / MANIFEST
    token = secrets.token_hex(4)
    names = {"shares": f"shares-{token}.parquet", "geometry": f"geometry-{token}.parquet"}
    written: list[Path] = []
    tmp_manifest = directory / f".{MANIFEST}.{token}.tmp"
    try:
        tables = [("shares", _shares_table(shares)), ("geometry", _geometry_table(geometry))]
        if places is not None:
            names["places"] = f"places-{token}.parquet"
            tables.append(("places", _places_table(places)))
        for key, table in tables:
            path = directory / names[key]
            written.append(path)
            _write_table(table, path)
        entry = {
            **({k: v for k, v in previous.items() if k not in ("files", "places_gazetteer")} if previous else {}),
            "name": source.name,
            "licence": source.licence,
            "attribution": source.attribution,
            "days": [d.isoformat() for d in shares.dates],
            "geometry_days": [d.isoformat() for d in geometry.dates],
            "geometry_tolerance_deg": geometry.tolerance_deg,
            **(extra or {}),
        }
        if notice_file:
            entry["notice"] = notice_file
        if places is not None:
            entry["places_gazetteer"] = places.gazetteer
        # A places table of older days is not kept beside newer shares: without one, it is computed at load.
        entry["files"] = {**{k: v for k, v in (previous or {}).get("files", {}).items() if k != "places"}, **names}
        kept = [entry if e is previous else e for e in entries] if previous else [*entries, entry]
        doc = {
            "format": CACHE_FORMAT,
            "sources": kept,
            "updated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
        written.append(tmp_manifest)
        tmp_manifest.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        if _before_manifest is not None:
            _before_manifest()
        os.replace(tmp_manifest, manifest_path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    named = {str(n) for e in kept for n in e["files"].values()}
    for name in old_files - named:
        if "/" not in name and name != manifest_path.name:
            (directory / name).unlink(missing_ok=True)
    remove_orphans(directory, named)
    remove_stale_updates(directory)
