"""Read the bundled gazetteer (geodata/places_ua.parquet, GeoNames.org cities500, CC BY 4.0) once.

Built by geodata/build_places.py; its provenance (source, version, licence,
attribution, build date) travels in the Parquet file's metadata and in
geodata/places_ua.NOTICE.md beside it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.core.errors import DataError
from dashboard.core.places import PLACE_COLUMNS, Gazetteer
from dashboard.sources.control_formats import first_line
from dashboard.sources.paths import geodata_dir

__all__ = ["PLACES_FILE", "load_places", "places_path"]

PLACES_FILE = "places_ua.parquet"


def places_path() -> Path:
    return geodata_dir() / PLACES_FILE


@functools.lru_cache(maxsize=2)
def _read(path: Path) -> Gazetteer:
    if not path.is_file():
        raise DataError(f"gazetteer file not found: {path} (rebuild it with geodata/build_places.py)")
    try:
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        provenance = json.loads(meta.get(b"provenance", b"{}"))
        frame = table.to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:  # ValueError: the provenance is not JSON
        raise DataError(f"gazetteer file {path} is corrupt: {first_line(exc)}") from None
    missing = [c for c in PLACE_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"gazetteer file {path}: missing column(s) {', '.join(missing)}")
    frame["alternatenames"] = [tuple(a) if a is not None else () for a in frame["alternatenames"]]
    try:
        return Gazetteer(frame, provenance)
    except ValueError as exc:
        raise DataError(f"gazetteer file {path}: {exc}") from None


def load_places(path: Path | None = None) -> Gazetteer:
    """The gazetteer (the bundled one when `path` is None), read and indexed once per file."""
    return _read(Path(path or places_path()).resolve())
