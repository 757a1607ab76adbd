"""`contested-map control import|update|shares|change`: control on the ground, from files into a cache.

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
import numpy as np

from dashboard.cli.human import lang_option, render_rows
from dashboard.cli.options import chosen_control, source_option
from dashboard.core.control_sources import STALE_AFTER_DAYS, is_stale
from dashboard.core.errors import DashboardError
from dashboard.sources.tabular import FORMATS
from dashboard.text import text_for
from dashboard.text.control_words import coverage_list

__all__ = ["SHARES_KEYS", "control"]

#: JSON keys (and CSV/table columns) of `control shares`, in this order.
SHARES_KEYS: tuple[str, ...] = (
    "date",
    "code",
    "name",
    "occupied_km2",
    "occupied_share",
    "grey_km2",
    "grey_share",
    "snapshot_date",
    "source",
    "licence",
)


class DayParam(click.ParamType):
    """A calendar day, YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            if len(str(value)) != 10:
                raise ValueError
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a day; expected YYYY-MM-DD", param, ctx)


DAY = DayParam()


def _echo(message: str) -> None:
    click.echo(message, err=True)


control_option = click.option(
    "--control",
    "control_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Control cache directory (default: $CONTESTED_MAP_CONTROL, else 'control' under the user's "
    "data directory; `shares` without it reads the bundled data).",
)


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
            report=_echo,
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
    _echo(f"format: {describe_formats(result.formats)}")
    _echo(f"source: {target.name} (licence: {target.licence})")
    if result.skipped:
        _echo(f"{len(result.skipped)} day(s) already in the cache, skipped")
    if not result.days:
        _echo(f"no new day; cache {directory} unchanged")
        return
    cache.commit(result.shares, result.geometry, source=target, places=result.places)
    days = result.days
    _echo(f"added {len(days)} day(s), {days[0]} to {days[-1]}, to {directory}")


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
                report=_echo,
                deadline=deadline,
            )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if result.added:
        _echo(f"added {len(result.added)} day(s), {result.added[0]} to {result.added[-1]}")
    else:
        _echo("no new day in the archive; cache unchanged")
    if result.gaps:
        _echo(
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


def _number(value: Any, digits: int) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return round(float(value), digits)


@control.command()
@control_option
@click.option(
    "--from",
    "date_from",
    type=DAY,
    default=None,
    help="First day (YYYY-MM-DD). Alone: from that day to the last snapshot.",
)
@click.option(
    "--to",
    "date_to",
    type=DAY,
    default=None,
    help="Last day (YYYY-MM-DD). Alone: that one day. Without --from/--to: the last snapshot.",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="NAME_OR_CODE",
    help="Only this unit: a code (UA-65) or a name (Kherson, Krym). Repeatable. Default: all 27.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format. Shares are 0-1; km² to 0.1.",
)
@click.option(
    "--source",
    "source",
    default=None,
    metavar="NAME",
    help="The control source to read (its name or slug); default: the one covering the last day "
    "asked for (bundled first). Sources are never merged.",
)
@click.option(
    "--no-bundled-control",
    "no_bundled_control",
    is_flag=True,
    default=False,
    help="Leave the bundled control layer out: read only the --control cache.",
)
@lang_option
def shares(
    control_dir: Path | None,
    date_from: date | None,
    date_to: date | None,
    regions: tuple[str, ...],
    fmt: str,
    source: str | None,
    no_bundled_control: bool,
    lang: str,
) -> None:
    """Occupied and grey-zone area and share per unit and day, from one source (the bundled layer and
    the --control cache are both loaded). A unit of a group (Crimea: UA-43 with Sevastopol UA-40)
    gives the rows of the whole group, as the page's region filter and ledger do."""
    from dashboard.core.control_sources import find_control, pick_control
    from dashboard.core.regions import widen_to_groups
    from dashboard.sources.control_cache import load_controls
    from dashboard.sources.geodata import load_layers

    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"{date_from} is after --to {date_to}", param_hint="'--from'")
    if no_bundled_control and control_dir is None:
        raise click.UsageError("--no-bundled-control leaves no control data to load; give --control DIR")
    sources = load_controls(control_dir, bundled=not no_bundled_control)
    layers = load_layers()
    codes = list(widen_to_groups(layers.lookup(name) for name in regions)) or None
    if source is not None:
        data = find_control(sources, source)
        if data is None:
            raise click.BadParameter(
                f"no control source {source!r} is loaded (loaded: "
                + ", ".join(repr(c.source_name) for c in sources)
                + ")",
                param_hint="'--source'",
            )
    else:
        last = max((c.last_day for c in sources if c.last_day is not None), default=None)
        data = pick_control(sources, date_to or date_from or last or date.today())
    if data is None or data.shares.last_day is None:
        raise DashboardError("the control data holds no snapshot")
    table = data.shares
    start = date_from or date_to or table.last_day
    end = date_to or (table.last_day if date_from is None or date_from <= table.last_day else date_from)
    if (end - start).days > 20_000:
        raise click.BadParameter("range longer than 20,000 days", param_hint="'--from'")
    text = text_for(lang)
    _echo(text("cli.note.control_source", source=data.source_name, licence=data.licence))
    if start < table.first_day:
        _echo(text("cli.note.control_starts", day=text.day(table.first_day)))
        _echo(text("cli.note.control_coverage", coverage=coverage_list(text, sources)))
    if end > table.last_day:
        _echo(text("cli.note.control_ends", day=text.day(table.last_day)))
    frame = table.between(start, end, codes)
    names = layers.names(lang)
    rows = [
        {
            "date": r.date.isoformat(),
            "code": r.code,
            "name": names[r.code],
            "occupied_km2": _number(r.occupied_km2, 1),
            "occupied_share": _number(r.occupied_share, 4),
            "grey_km2": _number(r.grey_km2, 1),
            "grey_share": _number(r.grey_share, 4),
            "snapshot_date": r.snapshot_date.isoformat(),
            "source": data.source_name,
            "licence": data.licence,
        }
        for r in frame.itertuples()
    ]
    stale = sorted({r.date for r in frame.itertuples() if is_stale(r.snapshot_date, r.date)})
    if stale:
        _echo(text("cli.note.control_stale", count=len(stale), days=STALE_AFTER_DAYS))
    click.echo(render_rows(rows, fmt, SHARES_KEYS, lang), nl=False)


@control.command("change")
@control_option
@click.option("--from", "date_from", type=DAY, required=True, help="First day of the range (YYYY-MM-DD).")
@click.option(
    "--to", "date_to", type=DAY, default=None, help="Last day of the range (YYYY-MM-DD; default: the last snapshot)."
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="NAME_OR_CODE",
    help="Only this contested region: a code (UA-14) or a name (Donetsk, Krym); Crimea or "
    "Sevastopol gives both. Repeatable. Default: all six.",
)
@click.option(
    "--by",
    "by",
    type=click.Choice(["month"]),
    default=None,
    help="One row per region and calendar month of the range (adds `month`, YYYY-MM).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format. km² to 0.1, shares 0-1.",
)
@source_option
@click.option(
    "--no-bundled-control",
    "no_bundled_control",
    is_flag=True,
    default=False,
    help="Leave the bundled control layer out: read only the --control cache.",
)
@lang_option
def change(
    control_dir: Path | None,
    date_from: date,
    date_to: date | None,
    regions: tuple[str, ...],
    by: str | None,
    fmt: str,
    source: str | None,
    no_bundled_control: bool,
    lang: str,
) -> None:
    """Km² taken by Russian forces, km² no longer held, and the net, per contested region between two days.

    Net is the share table's difference (full resolution); the simplified geometry splits it into
    taken and no longer held (README, "Change between two dates").
    """
    from dashboard.core.control_change import CHANGE_KEYS, ChangeMeter
    from dashboard.core.errors import UnknownRegionError
    from dashboard.core.regions import CONTESTED_CODES
    from dashboard.sources.geodata import load_layers

    if date_to is not None and date_from > date_to:
        raise click.BadParameter(f"{date_from} is after --to {date_to}", param_hint="'--from'")
    layers = load_layers()
    codes: list[str] | None = None
    if regions:
        codes = []
        for name in regions:
            try:
                code = layers.lookup(name)
            except UnknownRegionError as exc:
                raise click.BadParameter(str(exc), param_hint="'--region'") from None
            if code not in CONTESTED_CODES:
                raise click.BadParameter(
                    f"{name!r} ({code}) is not a contested region; expected one of "
                    f"{', '.join(CONTESTED_CODES)} or their names",
                    param_hint="'--region'",
                )
            codes.append(code)
    data, _ = chosen_control(control_dir, no_bundled_control, source, date_to)
    table = data.shares
    if table.last_day is None:
        raise DashboardError("the control data holds no snapshot")
    end = date_to or table.last_day
    if date_from > end:
        raise click.BadParameter(f"{date_from} is after the last snapshot {end}; give --to", param_hint="'--from'")
    if (end - date_from).days > 20_000:
        raise click.BadParameter("range longer than 20,000 days", param_hint="'--from'")
    text = text_for(lang)
    if date_from < table.first_day:
        _echo(text("cli.note.control_starts", day=text.day(table.first_day)))
    if end > table.last_day:
        _echo(text("cli.note.control_ends", day=text.day(table.last_day)))
    outlines = dict(zip(layers.ukraine["code"], layers.ukraine.geometry))
    meter = ChangeMeter.build(data, outlines)
    found = meter.monthly(date_from, end, codes) if by == "month" else meter.change(date_from, end, codes)
    names = layers.names(lang)
    rows = [
        {
            **({"month": r.month} if by == "month" else {}),
            "code": r.code,
            "name": names[r.code],
            "from_snapshot": r.from_snapshot.isoformat() if r.from_snapshot else None,
            "to_snapshot": r.to_snapshot.isoformat() if r.to_snapshot else None,
            "gained_km2": _number(r.gained_km2, 1),
            "lost_km2": _number(r.lost_km2, 1),
            "net_km2": _number(r.net_km2, 1),
            "share_from": _number(r.share_from, 4),
            "share_to": _number(r.share_to, 4),
        }
        for r in found
    ]
    keys = ("month", *CHANGE_KEYS) if by == "month" else CHANGE_KEYS
    click.echo(render_rows(rows, fmt, keys, lang), nl=False)
