"""`contested-map control`: control on the ground, from files into a cache (`import`, `update`); `shares` and
`change` are in control_report.

Bad input ends in one line from `dashboard.cli`'s error handling (DashboardError,
click.BadParameter), never a traceback.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from dashboard.cli.control_report import SHARES_KEYS, change, shares
from dashboard.cli.options import DAY, control_option, echo_note

__all__ = ["SHARES_KEYS", "control"]


@click.group()
def control() -> None:
    """Control on the ground (from each source's files): import, update and print shares per region and day."""


def _import_source(cache: Any, source: str | None, licence: str | None, attribution: str | None) -> Any:
    """The ControlSource an import goes to, checked before any file is read (None: decided by the
    format, which must then imply one). One-line errors name the missing or clashing option."""
    from dashboard.core.control_sources import ControlSource
    from dashboard.sources.control_import import DEFAULT_CONTROL_SOURCE

    if source is None:
        if licence is not None or attribution is not None:
            raise click.UsageError("--licence and --attribution describe a source: give --source NAME too")
        return None
    if not source.strip():
        raise click.BadParameter("the source needs a name", param_hint="'--source'")
    stored = cache.source(source)
    if stored is None and source.strip() == DEFAULT_CONTROL_SOURCE.name:
        stored = DEFAULT_CONTROL_SOURCE  # the daily archive's own name: its licence is known
    if stored is None:
        if licence is None or not licence.strip():
            raise click.UsageError(
                f"missing --licence: source {source!r} is new to {cache.directory}; "
                "give --licence SPDX_OR_TEXT (and --attribution TEXT)"
            )
        return ControlSource(source.strip(), licence.strip(), (attribution or "").strip())
    if licence is not None and licence.strip() != stored.licence:
        raise click.BadParameter(
            f"source {stored.name!r} is stored with licence {stored.licence!r}; "
            f"{licence!r} differs (import under another --source name)",
            param_hint="'--licence'",
        )
    if attribution is not None and attribution.strip() != stored.attribution:
        return ControlSource(stored.name, stored.licence, attribution.strip(), stored.notice)
    return stored


@control.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@control_option
@click.option(
    "--source",
    default=None,
    metavar="NAME",
    help="The source's name, stored with its data and shown wherever it is drawn. Needed for a "
    "new source unless the files imply it (the daily archive's files are "
    "'DeepStateMap via cyterat/deepstate-map-data', GPL-3.0).",
)
@click.option(
    "--licence",
    default=None,
    metavar="SPDX_OR_TEXT",
    help="The source's licence (an SPDX id such as GPL-3.0 or ODbL-1.0, or words). Needed for a new source.",
)
@click.option(
    "--attribution", default=None, metavar="TEXT", help="Credit line shown with the source's data (default: its name)."
)
@click.option(
    "--date", "day", type=DAY, default=None, help="Day of a single file whose name carries no date (YYYY-MM-DD)."
)
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="YAML or JSON mapping of extra raw-snapshot labels to occupied, grey or other.",
)
@click.option(
    "--strict",
    is_flag=True,
    default=False,
    help="Unclassified labels on polygons inside Ukraine are an error, not a warning.",
)
@click.option(
    "--layer", default=None, metavar="NAME", help="Layer to read from a file holding several (a GeoPackage, say)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes reading files in parallel (default: 2 from 20 files on, else 1).",
)
@click.option("--quiet", is_flag=True, default=False, help="No progress bar and no closing 'read N file(s)' line.")
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Refuse a file holding more than N bytes once decompressed "
    "(default: $CONTESTED_MAP_MAX_BYTES, else 536870912 = 512 MiB).",
)
@click.option(
    "--max-features",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Refuse a file with more than N features or rows (default: $CONTESTED_MAP_MAX_FEATURES, else 1000000).",
)
def import_command(
    paths: tuple[Path, ...],
    control_dir: Path | None,
    source: str | None,
    licence: str | None,
    attribution: str | None,
    day: date | None,
    labels_path: Path | None,
    strict: bool,
    layer: str | None,
    workers: int | None,
    quiet: bool,
    max_bytes: int | None,
    max_features: int | None,
) -> None:
    """Import one source's files (daily files, a dated table, raw DeepStateMap snapshots, a VIINA
    table or other vector files) into the control cache, beside the sources already there (each
    kept apart)."""
    from dashboard.cli.progress import file_progress
    from dashboard.sources.control_cache import ControlCache, default_control_dir
    from dashboard.sources.control_history import import_history
    from dashboard.sources.control_import import (
        DEFAULT_CONTROL_SOURCE,
        DEFAULT_SOURCE,
        describe_formats,
        implied_source,
        load_label_mapping,
        share_units,
    )
    from dashboard.sources.import_limits import ImportLimits

    limits = ImportLimits.from_env(max_bytes=max_bytes, max_features=max_features)
    directory = control_dir or default_control_dir()
    cache = ControlCache(directory)
    target = _import_source(cache, source, licence, attribution)
    mapping = load_label_mapping(labels_path) if labels_path else None
    known = cache.days(target.name if target is not None else DEFAULT_SOURCE)
    with file_progress("importing files", quiet=quiet) as progress:
        result = import_history(
            list(paths),
            units=share_units(),
            known_days=known,
            source=target.name if target is not None else None,
            day=day,
            mapping=mapping,
            strict=strict,
            report=echo_note,
            progress=progress,
            workers=workers,
            layer=layer,
            limits=limits,
        )
    if target is None:
        implied = implied_source(result.formats)
        if result.days and implied is None:
            raise click.UsageError(
                f"missing --source: {describe_formats(result.formats)} name no source; "
                "give --source NAME --licence SPDX_OR_TEXT --attribution TEXT"
            )
        target = cache.source(DEFAULT_SOURCE) or implied or DEFAULT_CONTROL_SOURCE
    echo_note(f"format: {describe_formats(result.formats)}")
    echo_note(f"source: {target.name} (licence: {target.licence})")
    if result.skipped:
        echo_note(f"{len(result.skipped)} day(s) already in the cache, skipped")
    if not result.days:
        echo_note(f"no new day; cache {directory} unchanged")
        return
    cache.commit(result.shares, result.geometry, source=target, places=result.places)
    days = result.days
    echo_note(f"added {len(days)} day(s), {days[0]} to {days[-1]}, to {directory}")


@control.command()
@control_option
@click.option(
    "--from-url",
    "url_template",
    default=None,
    metavar="URL",
    help="Address of one day's file with {date} (YYYY-MM-DD) or {YYYYMMDD} "
    "(default: the raw files of github.com/cyterat/deepstate-map-data).",
)
@click.option(
    "--since", "start", type=DAY, default=None, help="First day to fetch (default: the day after the cache's last day)."
)
@click.option("--until", type=DAY, default=None, help="Last day to fetch (default: today, UTC).")
@click.option(
    "--deadline",
    type=click.FloatRange(min=1),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="Longest the whole run may take; the days fetched by then are kept, and it exits non-zero "
    "naming the day it stopped at.",
)
def update(
    control_dir: Path | None, url_template: str | None, start: date | None, until: date | None, deadline: float
) -> None:
    """Fetch the days missing from the cache from the public archive (the only command that goes online)."""
    from dashboard.sources.control_cache import default_control_dir
    from dashboard.sources.control_import import share_units
    from dashboard.sources.control_update import DEFAULT_URL_TEMPLATE, update_cache

    directory = control_dir or default_control_dir()
    until = until or datetime.now(UTC).date()
    bar = None
    if sys.stderr.isatty():
        from dashboard.sources.control_cache import ControlCache

        days = ControlCache(directory).days()
        first = start or (days[-1] if days else until)
        bar = click.progressbar(length=max((until - first).days, 1), label="fetching days", file=sys.stderr)
        bar.__enter__()
    try:
        with _terminate_as_exit():  # SIGTERM unwinds like Ctrl-C, so the temporary folder is removed
            result = update_cache(
                directory,
                units=share_units(),
                url_template=url_template or DEFAULT_URL_TEMPLATE,
                start=start,
                until=until,
                progress=(lambda d: bar.update(1)) if bar else None,
                report=echo_note,
                deadline=deadline,
            )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if result.added:
        echo_note(f"added {len(result.added)} day(s), {result.added[0]} to {result.added[-1]}")
    else:
        echo_note("no new day in the archive; cache unchanged")
    if result.gaps:
        echo_note(
            f"{len(result.gaps)} day(s) missing from the archive (gaps): "
            + ", ".join(d.isoformat() for d in result.gaps)
        )


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """While inside, SIGTERM raises SystemExit(143) in the main thread (finally blocks and context
    managers run); the previous handler is put back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _exit(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


control.add_command(shares)
control.add_command(change)
