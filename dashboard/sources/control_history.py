"""Import many control files at once, streamed: a raw DeepStateMap history folder, say.

Each file goes through ``control_import.import_paths`` on its own (read, classify, shares,
simplified geometry), so only one file's full geometry is in memory at a time (per worker), and
what is kept is small: 27 share rows and the simplified geometry per day. Files are read in
``workers`` forked worker processes with a memory and a time limit (``import_guard``; one
worker by default) and the results merged in day order.

Before anything is read the files are planned by the day in their name: several snapshots of
one UTC day (``1648989208.geojson``, ``1649010000.geojson``) -> the last one wins and the others
are not read; days already in the cache are skipped unread. Files that may hold many days
(dated tables, VIINA tables, GeoPackages) and files without a day in their name are read whole.
Notes that every file would repeat ("label ... classified by its colour") are said once with a
count; unclassified labels are summed over all files into one warning (or one error: strict).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.core.control import ControlGeometry, ControlShares
from dashboard.core.control_labels import ControlClass
from dashboard.core.control_measure import ShareUnits
from dashboard.core.errors import DataError
from dashboard.core.held_places import HeldPlaces
from dashboard.sources.control_formats import day_from_name
from dashboard.sources.control_import import (
    CACHE_TOLERANCE_DEG,
    TABLE_SUFFIXES,
    ImportResult,
    LabelCounts,
    expand_paths,
    import_paths,
    report_unknown_labels,
)
from dashboard.sources.import_guard import guarded_map
from dashboard.sources.import_limits import ImportLimits

__all__ = ["AUTO_WORKERS_FROM", "Job", "import_history", "plan_files"]

#: With workers=None, a second process is started only from this many files (it costs ~0.2 s).
AUTO_WORKERS_FROM = 20
_UNCLASSIFIED = "warning: unclassified label(s)"

Report = Callable[[str], None]
#: progress(files done, files planned), called once with 0 before the first file.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    path: Path
    day: date | None  # from the name; None: a table, or a file whose day is inside


@dataclass(frozen=True)
class _Options:
    known: frozenset[date]
    source: str | None
    day: date | None
    mapping: Mapping[str, ControlClass] | None
    tolerance_deg: float
    layer: str | None
    limits: ImportLimits


def _order(path: Path, position: int) -> tuple[int, int]:
    stem = path.name.split(".")[0]
    return (int(stem), position) if stem.isdigit() else (0, position)


def plan_files(files: Sequence[Path], known_days: Iterable[date] = ()) -> tuple[list[Job], int, list[date]]:
    """(jobs in day order, files superseded by a later snapshot of their day, known days skipped)."""
    known = set(known_days)
    latest: dict[date, tuple[tuple[int, int], Path]] = {}
    tables: list[Job] = []
    superseded = 0
    for position, path in enumerate(files):
        named = None if path.name.lower().endswith(TABLE_SUFFIXES) else day_from_name(path)
        if named is None:
            tables.append(Job(path, None))
            continue
        day, key = named[0], _order(path, position)
        if day in latest:
            superseded += 1
            if latest[day][0] > key:
                continue
        latest[day] = (key, path)
    skipped = sorted(d for d in latest if d in known)
    jobs = tables + [Job(path, d) for d, (_, path) in sorted(latest.items()) if d not in known]
    return jobs, superseded, skipped


def _run(job: Job, options: _Options, units: ShareUnits) -> tuple[ImportResult, list[str]]:
    messages: list[str] = []
    result = import_paths(
        [job.path],
        units=units,
        known_days=options.known,
        source=options.source,
        day=options.day,
        mapping=options.mapping,
        strict=False,
        report=messages.append,
        tolerance_deg=options.tolerance_deg,
        layer=options.layer,
        limits=options.limits,
    )
    return result, messages


def _results(
    jobs: list[Job], options: _Options, units: ShareUnits, workers: int
) -> Iterator[tuple[ImportResult, list[str]]]:
    """Each file in a guarded worker process (import_guard), `workers` at once, results in job order.

    What every child would otherwise load again (the gazetteer, the readers' modules) is
    loaded here once, before the first fork, and shared copy-on-write.
    """
    from dashboard.sources import control_vector, control_viina  # noqa: F401  loaded for the children
    from dashboard.sources.places import load_places

    load_places()
    yield from guarded_map(
        lambda job: _run(job, options, units),
        jobs,
        workers=workers,
        limits=options.limits,
        path_of=lambda job: job.path,
    )


def _said_once(lines: list[str], names: set[str]) -> list[str]:
    """Lines that differ only by the file they name, said once with a count of files."""
    counted: Counter[str] = Counter()
    first: dict[str, str] = {}
    for line in lines:
        head, _, rest = line.partition(": ")
        key = rest if head in names and rest else line
        counted[key] += 1
        first.setdefault(key, line)
    return [first[k] if n == 1 else f"{k} ({n} files)" for k, n in counted.items()]


def import_history(
    paths: Sequence[Path],
    *,
    units: ShareUnits,
    known_days: Iterable[date] = (),
    source: str | None = None,
    day: date | None = None,
    mapping: Mapping[str, ControlClass] | None = None,
    strict: bool = False,
    report: Callable[[str], None] = print,
    progress: Progress | None = None,
    workers: int | None = None,
    tolerance_deg: float = CACHE_TOLERANCE_DEG,
    layer: str | None = None,
    limits: ImportLimits | None = None,
) -> ImportResult:
    """Like ``import_paths`` for any number of files, one at a time (in `workers` processes).

    `limits` (default: from the environment) bound each file; each file is read in a child
    process with their memory and time limits (``import_guard``).
    """
    files = expand_paths(paths)
    if day is not None and len(files) != 1:
        raise DataError(f"--date applies to one file; {len(files)} were given")
    if day is not None:
        skipped: list[date] = []
        jobs, superseded = [Job(files[0], day)], 0
    else:
        jobs, superseded, skipped = plan_files(files, known_days)
    if superseded:
        report(
            f"{superseded} file(s) share a UTC day with a later snapshot: the last of each day is "
            "imported, the others are not read"
        )
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(jobs) >= AUTO_WORKERS_FROM else 1
    options = _Options(
        frozenset(known_days), source, day, mapping, tolerance_deg, layer, limits or ImportLimits.from_env()
    )
    if progress:
        progress(0, len(jobs))
    owner: dict[date, int] = {}
    results: list[ImportResult] = []
    lines: list[str] = []
    unknown: LabelCounts = Counter()
    formats: set[str] = set()
    twice = 0
    for done, (result, messages) in enumerate(_results(jobs, options, units, max(1, workers)), start=1):
        for snapshot_day in result.days:
            twice += snapshot_day in owner
            owner[snapshot_day] = len(results)
        results.append(result)
        lines.extend(m for m in messages if not m.startswith(_UNCLASSIFIED))
        unknown.update(result.unknown_labels)
        formats |= result.formats
        skipped.extend(result.skipped)
        if progress:
            progress(done, len(jobs))
    for line in _said_once(lines, {job.path.name for job in jobs}):
        report(line)
    if twice:
        report(f"{twice} day(s) given by more than one file; the last one wins")
    report_unknown_labels(unknown, strict, report)
    frames, geometry, held = [], [], []
    for i, result in enumerate(results):
        mine = {d for d, who in owner.items() if who == i}
        if not mine:
            continue
        shares = result.shares.frame
        frames.append(shares[shares["snapshot_date"].isin(mine)].drop(columns="date"))
        rows = result.geometry.frame
        geometry.append(rows[rows["snapshot_date"].isin(mine)])
        if result.places is not None:
            places = result.places.frame
            held.append(places[places["snapshot_date"].isin(mine)])
    shares_table = ControlShares.from_snapshots(frames)
    geometry_table = ControlGeometry(
        pd.concat(geometry, ignore_index=True)
        if geometry
        else pd.DataFrame(columns=["snapshot_date", "occupied", "grey"]),
        tolerance_deg=tolerance_deg,
    )
    # Places held per day, computed by each file's import from its full-resolution geometry.
    signature = next((r.places.gazetteer for r in results if r.places is not None), "")
    places_table = HeldPlaces(pd.concat(held, ignore_index=True), signature) if held else None
    return ImportResult(shares_table, geometry_table, formats, sorted(set(skipped)), unknown, places_table)
