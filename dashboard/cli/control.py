"""`contested-map control import|update|shares`: control on the ground, from files into a cache.

Bad input ends in one line from `dashboard.cli`'s error handling (DashboardError,
click.BadParameter), never a traceback.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import click
import numpy as np

from dashboard.cli.human import lang_option, render_rows
from dashboard.core.errors import DashboardError
from dashboard.sources.tabular import FORMATS
from dashboard.text import text_for

__all__ = ["control", "SHARES_KEYS"]

#: JSON keys (and CSV/table columns) of `control shares`, in this order.
SHARES_KEYS: tuple[str, ...] = ("date", "code", "name", "occupied_km2", "occupied_share", "grey_km2",
                                "grey_share", "snapshot_date", "source")


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
    "--control", "control_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Control cache directory (default: $CONTESTED_MAP_CONTROL, else 'control' under the user's "
         "data directory; `shares` without it reads the bundled data).",
)


@click.group()
def control() -> None:
    """Control on the ground (DeepStateMap): import, update and print shares per region and day."""


@control.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@control_option
@click.option("--source", default=None, help="Source name stored with each row "
              "(default: 'DeepStateMap via cyterat/deepstate-map-data', or '... (raw snapshot)').")
@click.option("--date", "day", type=DAY, default=None,
              help="Day of a single file whose name carries no date (YYYY-MM-DD).")
@click.option("--labels", "labels_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="YAML or JSON mapping of extra raw-snapshot labels to occupied, grey or other.")
@click.option("--strict", is_flag=True, default=False,
              help="Unclassified labels on polygons inside Ukraine are an error, not a warning.")
@click.option("--layer", default=None, metavar="NAME",
              help="Layer to read from a file holding several (a GeoPackage, say).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes reading files in parallel (default: 2 from 20 files on, else 1).")
@click.option("--quiet", is_flag=True, default=False,
              help="No progress bar and no closing 'read N file(s)' line.")
@click.option("--max-bytes", type=click.IntRange(1), default=None, metavar="N",
              help="Refuse a file holding more than N bytes once decompressed "
                   "(default: $CONTESTED_MAP_MAX_BYTES, else 536870912 = 512 MiB).")
@click.option("--max-features", type=click.IntRange(1), default=None, metavar="N",
              help="Refuse a file with more than N features or rows "
                   "(default: $CONTESTED_MAP_MAX_FEATURES, else 1000000).")
def import_command(paths: tuple[Path, ...], control_dir: Path | None, source: str | None, day: date | None,
                   labels_path: Path | None, strict: bool, layer: str | None, workers: int | None,
                   quiet: bool, max_bytes: int | None, max_features: int | None) -> None:
    """Import daily, dated, raw DeepStateMap, VIINA or other vector files into the control cache."""
    from dashboard.cli.progress import file_progress
    from dashboard.sources.control_cache import ControlCache, default_control_dir
    from dashboard.sources.control_history import import_history
    from dashboard.sources.control_import import describe_formats, load_label_mapping, share_units
    from dashboard.sources.import_limits import ImportLimits

    limits = ImportLimits.from_env(max_bytes=max_bytes, max_features=max_features)
    directory = control_dir or default_control_dir()
    mapping = load_label_mapping(labels_path) if labels_path else None
    cache = ControlCache(directory)
    known = cache.days()
    units = share_units()
    with file_progress("importing files", quiet=quiet) as progress:
        result = import_history(list(paths), units=units, known_days=known, source=source, day=day,
                                mapping=mapping, strict=strict, report=_echo, progress=progress,
                                workers=workers, layer=layer, limits=limits)
    _echo(f"format: {describe_formats(result.formats)}")
    if result.skipped:
        _echo(f"{len(result.skipped)} day(s) already in the cache, skipped")
    if not result.days:
        _echo(f"no new day; cache {directory} unchanged")
        return
    cache.commit(result.shares, result.geometry, source=source or result.shares.frame["source"].iloc[0],
                 places=result.places)
    days = result.days
    _echo(f"added {len(days)} day(s), {days[0]} to {days[-1]}, to {directory}")


@control.command()
@control_option
@click.option("--from-url", "url_template", default=None, metavar="URL",
              help="Address of one day's file with {date} (YYYY-MM-DD) or {YYYYMMDD} "
                   "(default: the raw files of github.com/cyterat/deepstate-map-data).")
@click.option("--since", "start", type=DAY, default=None,
              help="First day to fetch (default: the day after the cache's last day).")
@click.option("--until", type=DAY, default=None, help="Last day to fetch (default: today, UTC).")
def update(control_dir: Path | None, url_template: str | None, start: date | None, until: date | None) -> None:
    """Fetch the days missing from the cache from the public archive (the only command that goes online)."""
    from dashboard.sources.control_cache import default_control_dir
    from dashboard.sources.control_import import share_units
    from dashboard.sources.control_update import DEFAULT_URL_TEMPLATE, update_cache

    directory = control_dir or default_control_dir()
    until = until or datetime.now(timezone.utc).date()
    bar = None
    if sys.stderr.isatty():
        from dashboard.sources.control_cache import ControlCache

        days = ControlCache(directory).days()
        first = start or (days[-1] if days else until)
        bar = click.progressbar(length=max((until - first).days, 1), label="fetching days", file=sys.stderr)
        bar.__enter__()
    try:
        result = update_cache(directory, units=share_units(), url_template=url_template or DEFAULT_URL_TEMPLATE,
                              start=start, until=until, progress=(lambda d: bar.update(1)) if bar else None,
                              report=_echo)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if result.added:
        _echo(f"added {len(result.added)} day(s), {result.added[0]} to {result.added[-1]}")
    else:
        _echo("no new day in the archive; cache unchanged")
    if result.gaps:
        _echo(f"{len(result.gaps)} day(s) missing from the archive (gaps): "
              + ", ".join(d.isoformat() for d in result.gaps))


def _number(value: Any, digits: int) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return round(float(value), digits)


@control.command()
@control_option
@click.option("--from", "date_from", type=DAY, default=None,
              help="First day (YYYY-MM-DD). Alone: from that day to the last snapshot.")
@click.option("--to", "date_to", type=DAY, default=None,
              help="Last day (YYYY-MM-DD). Alone: that one day. Without --from/--to: the last snapshot.")
@click.option("--region", "regions", multiple=True, metavar="NAME_OR_CODE",
              help="Only this unit: a code (UA-65) or a name (Kherson, Krym). Repeatable. Default: all 27.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format. Shares are 0-1; km² to 0.1.")
@lang_option
def shares(control_dir: Path | None, date_from: date | None, date_to: date | None, regions: tuple[str, ...],
           fmt: str, lang: str) -> None:
    """Occupied and grey-zone area and share per unit and day (default: the bundled data)."""
    from dashboard.sources.geodata import load_layers
    from dashboard.sources.control_cache import load_control

    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"{date_from} is after --to {date_to}", param_hint="'--from'")
    data = load_control(control_dir)
    layers = load_layers()
    codes = [layers.lookup(name) for name in regions] or None
    table = data.shares
    if table.last_day is None:
        raise DashboardError("the control data holds no snapshot")
    start = date_from or date_to or table.last_day
    end = date_to or (table.last_day if date_from is None or date_from <= table.last_day else date_from)
    if (end - start).days > 20_000:
        raise click.BadParameter("range longer than 20,000 days", param_hint="'--from'")
    text = text_for(lang)
    if start < table.first_day:
        _echo(text("cli.note.control_starts", day=text.day(table.first_day)))
    if end > table.last_day:
        _echo(text("cli.note.control_ends", day=text.day(table.last_day)))
    frame = table.between(start, end, codes)
    names = layers.names(lang)
    rows = [{
        "date": r.date.isoformat(), "code": r.code, "name": names[r.code],
        "occupied_km2": _number(r.occupied_km2, 1), "occupied_share": _number(r.occupied_share, 4),
        "grey_km2": _number(r.grey_km2, 1), "grey_share": _number(r.grey_share, 4),
        "snapshot_date": r.snapshot_date.isoformat(), "source": r.source,
    } for r in frame.itertuples()]
    click.echo(render_rows(rows, fmt, SHARES_KEYS, lang), nl=False)
