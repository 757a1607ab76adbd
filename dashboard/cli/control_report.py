"""`contested-map control shares|change`: what the control data says per region and day, and between two days.

Both read a control cache (or the bundled layer) and print rows as JSON, CSV or a table; notes on the
source, its licence and its coverage go to standard error.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click
import numpy as np

from dashboard.cli.human import lang_option, render_rows
from dashboard.cli.options import DAY, chosen_control, control_option, echo_note, format_option, source_option
from dashboard.core.control_sources import STALE_AFTER_DAYS, is_stale
from dashboard.core.errors import DashboardError
from dashboard.text import text_for
from dashboard.text.control_words import coverage_list
from dashboard.text.source_words import source_words

__all__ = ["SHARES_KEYS", "change", "shares"]

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


def _number(value: Any, digits: int) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return round(float(value), digits)


@click.command()
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
@format_option("Output format. Shares are 0-1; km² to 0.1.")
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
    echo_note(text("cli.note.control_source", source=source_words(text, data.source_name), licence=data.licence))
    if start < table.first_day:
        echo_note(text("cli.note.control_starts", day=text.day(table.first_day)))
        echo_note(text("cli.note.control_coverage", coverage=coverage_list(text, sources)))
    if end > table.last_day:
        echo_note(text("cli.note.control_ends", day=text.day(table.last_day)))
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
        echo_note(text("cli.note.control_stale", count=len(stale), days=STALE_AFTER_DAYS))
    click.echo(render_rows(rows, fmt, SHARES_KEYS, lang), nl=False)


@click.command("change")
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
@format_option("Output format. km² to 0.1, shares 0-1.")
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
        echo_note(text("cli.note.control_starts", day=text.day(table.first_day)))
    if end > table.last_day:
        echo_note(text("cli.note.control_ends", day=text.day(table.last_day)))
    outlines = dict(zip(layers.ukraine["code"], layers.ukraine.geometry, strict=True))
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
