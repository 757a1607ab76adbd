"""Import control data: detect the format by content, classify, clip to Ukraine, compute shares.

Formats (``contested-map control import`` prints which one it chose):

* ``daily``: one file per day, the day in the name (``deepstatemap_data_20240709.geojson``,
  ``2024-07-09.geojson``), each holding the occupied area (no grey zone);
* ``dated``: one file with a ``date`` property per feature (GeoJSON, ``.geojson.gz``,
  GeoParquet), one row (or more, merged) per day;
* ``raw``: DeepStateMap's own snapshots, every polygon labelled; the day from the Unix time in
  the name or ``--date``. Labels are classified by ``dashboard.core.control_labels``.
* ``viina``: a VIINA settlement control table (CSV, ``.csv.gz``), one snapshot per ``ctr_`` column,
  shares estimated from a tessellation of the settlements (``control_viina``).

Besides GeoJSON and GeoParquet, any vector file pyogrio reads (Shapefile, zipped Shapefile, KML,
KMZ, GeoPackage, FlatGeobuf: ``control_vector``) goes through the same daily/dated/raw detection.
A whole folder of raw snapshots is streamed file by file by ``control_history``.

Nothing is interpolated: a day without a file is a gap. A day given twice: the last one wins.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.core.control import ControlGeometry, ControlShares
from dashboard.core.control_labels import ControlClass, classify_label, classify_style, normalise_label
from dashboard.core.control_measure import ShareUnits, polygons_only, simplify_geometry, snapshot_shares
from dashboard.core.control_sources import ControlSource
from dashboard.core.errors import DataError
from dashboard.core.held_places import HeldPlaces
from dashboard.core.places import Gazetteer
from dashboard.sources.control_formats import FeatureFile, day_from_name, read_feature_file
from dashboard.sources.control_inputs import expand_paths, load_label_mapping
from dashboard.sources.import_limits import ImportLimits, check_day

__all__ = [
    "CACHE_TOLERANCE_DEG",
    "DEFAULT_CONTROL_SOURCE",
    "DEFAULT_SOURCE",
    "RAW_SOURCE",
    "TABLE_SUFFIXES",
    "ImportResult",
    "Snapshot",
    "describe_formats",
    "expand_paths",
    "held_places",
    "implied_source",
    "import_paths",
    "load_label_mapping",
    "report_unknown_labels",
    "share_units",
    "snapshots_from_file",
]

DEFAULT_SOURCE = "DeepStateMap via cyterat/deepstate-map-data"
RAW_SOURCE = "DeepStateMap (raw snapshot)"
#: The source the daily archive's files imply (their name, licence and credit): the only format that
#: names its source; every other format needs --source, --licence (and --attribution) for a new source.
DEFAULT_CONTROL_SOURCE = ControlSource(
    DEFAULT_SOURCE, "GPL-3.0", "DeepStateMap.live, via github.com/cyterat/deepstate-map-data"
)
#: Geometry kept in a cache is simplified to about 100 m (the map draws at about 0.025° a pixel).
CACHE_TOLERANCE_DEG = 0.001
#: Files that may hold many days: never skipped by the day in their name.
TABLE_SUFFIXES = (".gz", ".parquet", ".geoparquet", ".csv", ".gpkg")
#: A polygon counts as inside Ukraine when this share of its area lies inside (border slivers don't).
_INSIDE_SHARE = 0.01

Report = Callable[[str], None]


@dataclass(frozen=True)
class Snapshot:
    """One day's control polygons in WGS 84 (not yet clipped); grey None: the source has none."""

    day: date
    occupied: Any
    grey: Any | None
    origin: str
    source: str | None = None  # the reader's own source name (VIINA), else the import's default


#: (file or label, label or class) pairs counted: unknown labels per file, labels per colour class.
LabelCounts = Counter[tuple[str, str]]


@dataclass
class ImportResult:
    shares: ControlShares
    geometry: ControlGeometry
    formats: set[str] = field(default_factory=set)
    skipped: list[date] = field(default_factory=list)
    unknown_labels: LabelCounts = field(default_factory=Counter)
    #: Gazetteer places inside the occupied area per day (from the full-resolution geometry).
    places: HeldPlaces | None = None

    @property
    def days(self) -> tuple[date, ...]:
        return self.shares.dates


@functools.lru_cache(maxsize=2)
def share_units(geodata_dir: Path | None = None) -> ShareUnits:
    """Ukraine's units from the project's layers, projected to its equal-area CRS (memoised)."""
    from dashboard.core.regions import EQUAL_AREA_CRS
    from dashboard.sources.geodata import load_layers

    layers = load_layers(geodata_dir)
    return ShareUnits.build(layers.ukraine, layers.neighbours, EQUAL_AREA_CRS)


def _detect(ff: FeatureFile) -> str:
    props = [f.properties for f in ff.features]
    if any("date" in p for p in props):
        return "dated"
    if any(isinstance(name := p.get("name"), str) and name.strip() for p in props):
        return "raw"
    return "daily"


def _parse_day(value: Any, path: Path, row: int) -> date:
    try:
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            raise ValueError("empty")
        day = stamp.date()
    except (ValueError, TypeError, OverflowError):
        raise DataError(f"{path}: row {row}: 'date' {value!r} is not a date (expected YYYY-MM-DD)") from None
    return check_day(day, path, f"row {row}: ")


def _inside(units: ShareUnits, geometry: Any) -> bool:
    polys = polygons_only(geometry)
    if polys.is_empty or not shapely.intersects(units.outline, polys):
        return False
    return bool(shapely.intersection(polys, units.outline).area >= _INSIDE_SHARE * polys.area)


def _classify_raw(
    ff: FeatureFile,
    units: ShareUnits,
    mapping: Mapping[str, ControlClass] | None,
    unknown: LabelCounts,
    by_colour: LabelCounts,
) -> tuple[Any, Any, int]:
    occupied, grey = [], []
    polygons_in_ukraine = 0
    for feature in ff.features:
        geom = feature.geometry
        if geom is None or polygons_only(geom).is_empty:
            continue  # points (directions of attack, positions) and lines are ignored
        label = feature.properties.get("name")
        cls = classify_label(label, mapping)
        inside = _inside(units, geom)
        polygons_in_ukraine += inside
        if cls is None:
            cls = classify_style(feature.properties.get("fill") or feature.properties.get("styleUrl"))
            if cls is not None and inside:
                by_colour[(normalise_label(label), cls.value)] += 1
        if cls is None:
            if inside:
                unknown[(ff.path.name, normalise_label(label) or "(no label)")] += 1
            continue
        if cls is ControlClass.OCCUPIED:
            occupied.append(geom)
        elif cls is ControlClass.GREY:
            grey.append(geom)

    def as_multi(parts: list[BaseGeometry]) -> BaseGeometry | None:
        return polygons_only(shapely.GeometryCollection(parts)) if parts else None

    return as_multi(occupied), as_multi(grey), polygons_in_ukraine


def _read_any(path: Path, layer: str | None, limits: ImportLimits | None) -> FeatureFile:
    from dashboard.sources.control_vector import is_vector_file, read_vector_file

    if layer is not None or is_vector_file(path):
        return read_vector_file(path, layer=layer, limits=limits)
    return read_feature_file(path, limits)


def snapshots_from_file(
    path: Path,
    *,
    units: ShareUnits,
    day: date | None = None,
    mapping: Mapping[str, ControlClass] | None = None,
    report: Report = print,
    unknown: LabelCounts | None = None,
    layer: str | None = None,
    limits: ImportLimits | None = None,
) -> tuple[str, list[Snapshot]]:
    """(format, snapshots) of one file; raw labels that fit no class are counted in `unknown`."""
    from dashboard.sources.control_viina import VIINA_SOURCE, is_viina_table, viina_days

    if is_viina_table(path):
        return "viina", [
            Snapshot(*snap, source=VIINA_SOURCE) for snap in viina_days(path, units=units, report=report, limits=limits)
        ]
    ff = _read_any(path, layer, limits)
    if ff.crs_note:
        report(ff.crs_note)
    fmt = _detect(ff)
    if fmt == "dated":
        per_day: dict[date, list[Any]] = {}
        for i, feature in enumerate(ff.features):
            d = _parse_day(feature.properties.get("date"), path, i)
            if d in per_day:
                report(f"{path.name}: {d} appears more than once; the last row wins")
            per_day[d] = [feature.geometry]
        return fmt, [
            Snapshot(d, polygons_only(shapely.GeometryCollection([g for g in geoms if g is not None])), None, path.name)
            for d, geoms in sorted(per_day.items())
        ]
    named = day_from_name(path)
    the_day = day or (named[0] if named else None)
    if the_day is None:
        raise DataError(
            f"{path}: no date: the name carries no YYYYMMDD, YYYY-MM-DD or Unix time, "
            "and the file has no 'date' column (give --date YYYY-MM-DD)"
        )
    check_day(the_day, path, "--date " if day else "the name's ")
    if fmt == "raw":
        colour: LabelCounts = Counter()
        occupied, grey, inside = _classify_raw(
            ff, units, mapping, unknown if unknown is not None else Counter(), colour
        )
        if not inside:
            raise DataError(f"{path}: no polygon inside Ukraine")
        for (label, cls), n in sorted(colour.items()):
            report(
                f"{path.name}: label {label!r} names no status; classified {cls} by its colour "
                f"({n} polygon{'s' if n > 1 else ''})"
            )
        return fmt, [Snapshot(the_day, occupied, grey if grey is not None else polygons_only(None), path.name)]
    geoms = [f.geometry for f in ff.features if f.geometry is not None]
    merged = polygons_only(shapely.GeometryCollection(geoms)) if geoms else polygons_only(None)
    if merged.is_empty:
        raise DataError(f"{path}: empty geometry (no polygon)")
    return fmt, [Snapshot(the_day, merged, None, path.name)]


def import_paths(
    paths: Sequence[Path],
    *,
    units: ShareUnits,
    known_days: Iterable[date] = (),
    source: str | None = None,
    day: date | None = None,
    mapping: Mapping[str, ControlClass] | None = None,
    strict: bool = False,
    report: Report = print,
    tolerance_deg: float = CACHE_TOLERANCE_DEG,
    layer: str | None = None,
    places: Gazetteer | None = None,
    limits: ImportLimits | None = None,
) -> ImportResult:
    """Read `paths` (files or folders) into shares and simplified geometry for the days not yet known.

    Files whose name carries a day in `known_days` are skipped unread (incremental import).
    `places`: the gazetteer whose places are tested against each day's occupied area at full
    resolution (default: the bundled one).
    """
    files = expand_paths(paths)
    if day is not None and len(files) != 1:
        raise DataError(f"--date applies to one file; {len(files)} were given")
    known = set(known_days)
    chosen: dict[date, Snapshot] = {}
    result_formats: set[str] = set()
    skipped: list[date] = []
    unknown: LabelCounts = Counter()
    for path in files:
        named = None if day else day_from_name(path)
        if named and named[0] in known and not path.name.lower().endswith(TABLE_SUFFIXES):
            skipped.append(named[0])
            continue
        fmt, snaps = snapshots_from_file(
            path, units=units, day=day, mapping=mapping, report=report, unknown=unknown, layer=layer, limits=limits
        )
        result_formats.add(fmt)
        for snap in snaps:
            if snap.day in known:
                skipped.append(snap.day)
                continue
            if snap.day in chosen:
                report(f"{snap.day}: given twice ({chosen[snap.day].origin}, {snap.origin}); the last one wins")
            chosen[snap.day] = snap
    report_unknown_labels(unknown, strict, report)
    frames, geometry_rows, held_rows = [], [], []
    for d in sorted(chosen):
        snap = chosen[d]
        occupied = polygons_only(snap.occupied)
        grey = polygons_only(snap.grey) if snap.grey is not None else None
        if not units.touches_ukraine(occupied) and (grey is None or not units.touches_ukraine(grey)):
            raise DataError(f"{snap.origin}: {d}: no polygon inside Ukraine")
        name = source or snap.source or (RAW_SOURCE if snap.grey is not None else DEFAULT_SOURCE)
        # Shares intersect with each unit, which clips; stored geometry is simplified, then clipped.
        frames.append(snapshot_shares(units, d, occupied, grey, name))
        held_rows.append((d, name, occupied))
        geometry_rows.append(
            {
                "snapshot_date": d,
                "occupied": units.clip(simplify_geometry(occupied, tolerance_deg)),
                "grey": None if grey is None else units.clip(simplify_geometry(grey, tolerance_deg)),
            }
        )
    geometry = ControlGeometry(
        pd.DataFrame(geometry_rows, columns=["snapshot_date", "occupied", "grey"]), tolerance_deg=tolerance_deg
    )
    return ImportResult(
        ControlShares.from_snapshots(frames),
        geometry,
        result_formats,
        sorted(set(skipped)),
        unknown,
        held_places(held_rows, places),
    )


def report_unknown_labels(unknown: LabelCounts, strict: bool, report: Report) -> None:
    """Raw labels on polygons inside Ukraine that fit no class, counted per file: a warning, or with
    `strict` an error (DataError) naming them."""
    if not unknown:
        return
    listed = "; ".join(f"{name}: {label!r} x{n}" for (name, label), n in sorted(unknown.items()))
    message = f"unclassified label(s) on polygons inside Ukraine: {listed}"
    if strict:
        raise DataError(message + " (map them with --labels FILE)")
    report("warning: " + message + "; they are left out (map them with --labels FILE)")


def held_places(
    snapshots: Sequence[tuple[date, str, Any]], gazetteer: Gazetteer | None = None, note: str = ""
) -> HeldPlaces:
    """Which places of `gazetteer` (default: the bundled one) lie inside each (day, source, occupied)."""
    if gazetteer is None:
        from dashboard.sources.places import load_places

        gazetteer = load_places()
    return HeldPlaces.compute(snapshots, gazetteer.ids, gazetteer.lons, gazetteer.lats, gazetteer.signature, note)


def implied_source(formats: set[str]) -> ControlSource | None:
    """The source a format implies: daily archive files are DEFAULT_CONTROL_SOURCE; others imply none."""
    return DEFAULT_CONTROL_SOURCE if formats == {"daily"} else None


def describe_formats(formats: set[str]) -> str:
    words = {
        "daily": "daily files (one day per file, the day in its name)",
        "dated": "a table with a 'date' column",
        "raw": "raw DeepStateMap snapshots (polygons classified by label)",
        "viina": "a VIINA settlement control table (shares estimated from a tessellation of settlements)",
    }
    return " and ".join(words[f] for f in sorted(formats)) or "nothing new"
