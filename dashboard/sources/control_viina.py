"""Read VIINA settlement control tables (``control_latest_*.csv``, plain or gzipped).

VIINA (Zhukov, "Violent Incident Information from News Articles", ODbL) publishes one row per
settlement: ``geonameid, name, asciiname, alternatenames, longitude, latitude, feature_code`` and
one ``ctr_YYYYMMDDHHMMSS...`` column per time stamp whose values are ``UA``, ``RU`` or
``CONTESTED``. Each time stamp becomes one snapshot day (several in one day: the last wins).
Areas come from a tessellation of the settlements (``dashboard.core.control_tessellation``):
RU cells are the occupied area, CONTESTED cells the grey zone; the importer clips them to
Ukraine's units. VIINA shares are therefore estimates, not drawn front lines, and the import
says so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from shapely.geometry import MultiPolygon

from dashboard.core.control_measure import ShareUnits
from dashboard.core.control_tessellation import tessellate
from dashboard.core.errors import DataError
from dashboard.sources.control_formats import first_line
from dashboard.sources.import_limits import ImportLimits, check_count, check_day, open_limited

__all__ = ["VIINA_SOURCE", "VIINA_VALUES", "ViinaTable", "is_viina_table", "read_viina_table", "viina_days"]

VIINA_SOURCE = "VIINA (settlement control, tessellated)"
VIINA_VALUES = ("UA", "RU", "CONTESTED")
_REQUIRED = ("geonameid", "longitude", "latitude")
_STAMP = re.compile(r"^ctr_(\d{8})(\d*)$")


def is_viina_table(path: Path) -> bool:
    """A CSV by its name (``.csv``, ``.csv.gz``): the only CSV the importer reads is VIINA's."""
    name = path.name.lower()
    return name.endswith((".csv", ".csv.gz"))


def method_note(path: Path, settlements: int) -> str:
    return (
        f"{path.name}: VIINA shares are estimated from a tessellation of {settlements:,} settlements, "
        "not drawn front lines"
    )


class ViinaTable:
    """Settlements (lon, lat) and, per snapshot day, each settlement's status code (0 UA, 1 RU, 2 CONTESTED)."""

    def __init__(
        self,
        path: Path,
        lon: np.ndarray,
        lat: np.ndarray,
        days: dict[date, np.ndarray],
        dropped_stamps: int,
        repeated_points: int,
    ) -> None:
        self.path, self.lon, self.lat, self.days = path, lon, lat, days
        self.dropped_stamps, self.repeated_points = dropped_stamps, repeated_points


def _open_text(path: Path, limits: ImportLimits) -> io.TextIOBase:
    """The table as text, inflated when gzipped, refused past the import's byte limit."""
    return io.TextIOWrapper(open_limited(path, limits), encoding="utf-8", newline="")


def _header(path: Path, limits: ImportLimits) -> list[str]:
    try:
        with _open_text(path, limits) as handle:
            line = handle.readline(1 << 20)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read as CSV: {first_line(exc)}") from None
    return [c.strip().strip('"') for c in line.rstrip("\r\n").split(",")]


def _stamp_day(column: str, path: Path) -> tuple[date, str]:
    match = _STAMP.match(column)
    if match is None:
        raise DataError(f"{path}: column {column!r} is not a dated column (expected ctr_YYYYMMDD...)")
    digits = match.group(1)
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])), match.group(1) + match.group(2)
    except ValueError:
        raise DataError(f"{path}: column {column!r}: {digits} is not a day (expected ctr_YYYYMMDD...)") from None


def _coordinates(frame: pd.DataFrame, column: str, path: Path, low: float, high: float) -> np.ndarray:
    values: np.ndarray = pd.to_numeric(frame[column].str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < low) | (values > high)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(
            f"{path}: row {i + 2}: column {column!r}: {frame[column].iloc[i]!r} is not a "
            f"{column} (expected a number from {low:g} to {high:g})"
        )
    return values


def read_viina_table(path: Path, limits: ImportLimits | None = None) -> ViinaTable:
    """Validate and read a VIINA control table; every problem is a one-line DataError.

    At most `limits.max_features` rows are read (one more tells the table is past it).
    """
    limits = limits or ImportLimits.from_env()
    columns = _header(path, limits)
    stamps = [c for c in columns if _STAMP.match(c)]
    missing = [c for c in _REQUIRED if c not in columns]
    if missing or not stamps:
        raise DataError(
            f"{path}: not a VIINA control table (expected columns geonameid, longitude, latitude "
            f"and ctr_YYYYMMDD...; missing {', '.join(missing + ([] if stamps else ['ctr_*']))})"
        )
    try:
        with _open_text(path, limits) as handle:
            frame = pd.read_csv(
                handle,
                usecols=[*_REQUIRED, *stamps],
                keep_default_na=False,
                nrows=limits.max_features + 1,
                dtype={**dict.fromkeys(_REQUIRED, str), **dict.fromkeys(stamps, "category")},
            )
    except (ValueError, OSError, EOFError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"{path}: cannot be read as CSV: {first_line(exc)}") from None
    if frame.empty:
        raise DataError(f"{path}: VIINA control table without rows")
    if len(frame) > limits.max_features:
        check_count(len(frame), path, limits, "rows (or more)")
    lon = _coordinates(frame, "longitude", path, -180, 180)
    lat = _coordinates(frame, "latitude", path, -90, 90)
    codes: dict[str, np.ndarray] = {}
    lookup = {value: i for i, value in enumerate(VIINA_VALUES)}
    for column in stamps:
        series = frame[column]
        values = series.cat.categories
        unknown = [v for v in values if str(v).strip() not in lookup]
        if unknown:
            bad = series.isin(unknown).to_numpy()
            i = int(np.argmax(bad))
            raise DataError(
                f"{path}: row {i + 2}: column {column!r}: {series.iloc[i]!r} is not a control "
                "status (expected UA, RU or CONTESTED)"
            )
        table = np.asarray([lookup[str(v).strip()] for v in values], dtype=np.int8)
        codes[column] = table[series.cat.codes.to_numpy()]
    # One cell per place: a settlement repeated at the same coordinates keeps its first row.
    _, first = np.unique(np.column_stack([lon, lat]), axis=0, return_index=True)
    keep = np.sort(first)
    by_day: dict[date, tuple[str, np.ndarray]] = {}
    dropped = 0
    for column in stamps:
        day, order = _stamp_day(column, path)
        check_day(day, path, f"column {column!r}: ")
        if day in by_day:
            dropped += 1
            if by_day[day][0] > order:
                continue
        by_day[day] = (order, codes[column][keep])
    return ViinaTable(
        path, lon[keep], lat[keep], {d: v for d, (_, v) in sorted(by_day.items())}, dropped, len(lon) - len(keep)
    )


def viina_days(
    path: Path, *, units: ShareUnits, report: Callable[[str], None], limits: ImportLimits | None = None
) -> list[tuple[date, MultiPolygon, MultiPolygon, str]]:
    """(day, occupied, grey, origin) per day of the table: RU cells occupied, CONTESTED cells grey (unclipped)."""
    table = read_viina_table(path, limits)
    try:
        cells = tessellate(units, table.lon, table.lat)
    except ValueError as exc:
        raise DataError(f"{path}: {exc}") from None
    report(method_note(path, len(cells)))
    if table.repeated_points:
        report(
            f"{path.name}: {table.repeated_points} row(s) repeat another settlement's coordinates; "
            "the first row of each place counts"
        )
    if table.dropped_stamps:
        report(
            f"{path.name}: {table.dropped_stamps} time stamp(s) share a day with a later one; the last of each day wins"
        )
    unions: dict[bytes, MultiPolygon] = {}  # consecutive days often repeat: one union per distinct set

    def union(mask: np.ndarray) -> MultiPolygon:
        key = np.packbits(mask).tobytes()
        if key not in unions:
            unions[key] = cells.union(mask)
        return unions[key]

    return [(day, union(status == 1), union(status == 2), f"{path.name} {day}") for day, status in table.days.items()]
