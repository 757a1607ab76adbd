"""`contested-map statements` and `contested-map status`: the claims timeline on the command line.

Bad input (a malformed date, an unknown region, an invalid claims file) ends
in one error line from `dashboard.cli`'s error handling, never a traceback; an
invalid claims file lists up to 19 more problems below it, indented.
Dates after the last record are accepted: JSON rows carry `data_ends`, and the
table output notes on stderr where the data ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from dashboard.cli.human import lang_option, render_rows
from dashboard.cli.options import (
    PARTIAL_DATE,
    claims_option,
    claims_selection,
    enrichment_option,
    format_option,
    region_codes,
)
from dashboard.core.claims import CSV_KEYS, EXPORT_KEYS, KINDS, PARTIES, ClaimSet
from dashboard.core.dates import PartialDate, reversed_range
from dashboard.core.status import RegionStatus, status_during
from dashboard.sources.claims_load import load_claims
from dashboard.sources.claims_write import records_to_csv_rows, records_to_json_rows
from dashboard.sources.tabular import FORMATS, render
from dashboard.text import Text, text_for

__all__ = ["statements", "status"]

#: The table is for reading in a terminal; CSV and JSON carry every field.
TABLE_COLUMNS: tuple[str, ...] = ("date", "kind", "id", "speaker", "regions", "summary", "source")
#: Characters of a publisher's name in the table's source column.
TABLE_PUBLISHER_CHARS = 40
STATUS_COLUMNS: tuple[str, ...] = ("code", "name", "status", "label", "decided_by")
STATUS_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f != "csv")


def _load(claims_paths: Sequence[Path], no_bundled: bool) -> ClaimSet:
    return load_claims(claims_selection(claims_paths, no_bundled))


@click.command()
@click.option(
    "--from",
    "date_from",
    type=PARTIAL_DATE,
    help="Earliest date (YYYY, YYYY-MM or YYYY-MM-DD). Records whose date window overlaps the range are included.",
)
@click.option(
    "--to",
    "date_to",
    type=PARTIAL_DATE,
    help="Latest date (YYYY, YYYY-MM or YYYY-MM-DD); --to 2022 includes all of 2022.",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="NAME_OR_CODE",
    help="Only records about this region: a code (UA-14) or a name (Donetsk, Krym). Repeatable.",
)
@click.option(
    "--party",
    "parties",
    multiple=True,
    type=click.Choice(tuple(PARTIES)),
    help="Only records involving this party. Repeatable.",
)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only records of this kind. Repeatable.")
@claims_option
@enrichment_option
@format_option("Output format. CSV cells that a spreadsheet would run as formulas are neutralised.")
@lang_option
def statements(
    date_from: PartialDate | None,
    date_to: PartialDate | None,
    regions: tuple[str, ...],
    parties: tuple[str, ...],
    kinds: tuple[str, ...],
    claims_paths: tuple[Path, ...],
    no_bundled: bool,
    enrichment: bool,
    fmt: str,
    lang: str,
) -> None:
    """List claims, events and assessments about the contested regions, sorted by date."""
    if reversed_range(date_from, date_to):
        raise click.BadParameter(f"{date_from.isoformat()} is after --to {date_to.isoformat()}", param_hint="'--from'")
    codes = region_codes(regions)
    claims = _load(claims_paths, no_bundled)
    selected = claims.filter(date_from, date_to, codes, parties or None, kinds or None, enrichment)
    end = claims.records_end()
    if fmt == "csv":
        click.echo(render(records_to_csv_rows(selected), fmt, CSV_KEYS), nl=False)
        return
    rows = records_to_json_rows(selected)
    if fmt == "json":
        data_ends = end.isoformat() if end is not None else None
        click.echo(render([{**row, "data_ends": data_ends} for row in rows], fmt, EXPORT_KEYS), nl=False)
        return
    click.echo(
        render_rows([{**row, "source": _short_source(row["source"])} for row in rows], fmt, TABLE_COLUMNS, lang),
        nl=False,
    )
    asked = date_to or date_from
    if end is not None and asked is not None and asked.end > end:
        text = text_for(lang)
        click.echo(text("cli.note.statements_past", end=text.day(end), asked=text.partial(asked)), err=True)


def _short_source(source: Any) -> str:
    """Publisher and publication date, for the table: "Reuters, 2023-02-28"."""
    if not isinstance(source, dict):
        return ""
    publisher = str(source.get("publisher") or "")
    if len(publisher) > TABLE_PUBLISHER_CHARS:
        publisher = publisher[: TABLE_PUBLISHER_CHARS - 1] + "…"
    return f"{publisher}, {source.get('published')}"


def _status_row(result: RegionStatus, name: str, data_ends: dt.date | None, text: Text) -> dict[str, Any]:
    return {
        "code": result.code,
        "name": name,
        "status": result.status.value,
        "label": text.status(result.status),
        "decided_by": list(result.decided_by),
        "data_ends": data_ends.isoformat() if data_ends is not None else None,
    }


@click.command()
@click.option(
    "--date",
    "when",
    type=PARTIAL_DATE,
    required=True,
    help="YYYY-MM-DD for a day's status (at the end of that day). For YYYY or YYYY-MM, "
    "a region whose status changes inside the period is 'uncertain'. Dates after the "
    "last record show the last known state; JSON rows say where the data ends (data_ends).",
)
@claims_option
@enrichment_option
@format_option(choices=STATUS_FORMATS)
@lang_option
def status(
    when: PartialDate, claims_paths: tuple[Path, ...], no_bundled: bool, enrichment: bool, fmt: str, lang: str
) -> None:
    """Status of each contested region at a date, derived from annexation events."""
    from dashboard.sources.geodata import load_layers

    claims = _load(claims_paths, no_bundled)
    results = status_during(claims, when, enrichment=enrichment)
    end = claims.records_end()
    names = load_layers().names(lang)
    text = text_for(lang)
    rows = [_status_row(result, names[code], end, text) for code, result in results.items()]
    click.echo(render_rows(rows, fmt, STATUS_COLUMNS, lang), nl=False)
    if fmt == "table" and end is not None and when.end > end:
        shows = text("cli.note.shows_last" if when.start > end else "cli.note.later_days", asked=text.partial(when))
        click.echo(text("cli.note.status_past", end=text.day(end), shows=shows), err=True)
