"""`contested-map statements` and `contested-map status`: the claims timeline on the command line.

Bad input (a malformed date, an unknown region, an invalid claims file) ends
in one error line from `dashboard.cli`'s error handling, never a traceback; an
invalid claims file lists up to 19 more problems below it, indented.
Dates after the last record are accepted: JSON rows carry `data_ends`, and the
table output notes on stderr where the data ends (issue 10, item 11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from dashboard.core.claims import (CSV_KEYS, EXPORT_KEYS, KINDS, PARTIES, filter_claims, load_claims,
                              records_to_csv_rows, records_to_json_rows)
from dashboard.core.dates import PartialDate, PartialDateError
from dashboard.core.status import RegionStatus, status_during
from dashboard.sources.tabular import FORMATS, render
from dashboard.core.axis import records_end

__all__ = ["statements", "status"]

#: The table is for reading in a terminal; CSV and JSON carry every field.
TABLE_COLUMNS: tuple[str, ...] = ("date", "kind", "id", "speaker", "regions", "summary", "source")
#: Characters of a publisher's name in the table's source column.
TABLE_PUBLISHER_CHARS = 40
STATUS_COLUMNS: tuple[str, ...] = ("code", "name", "status", "label", "decided_by")
STATUS_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f != "csv")


class PartialDateParam(click.ParamType):
    """YYYY, YYYY-MM or YYYY-MM-DD; anything else is a one-line usage error."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> PartialDate:
        try:
            return PartialDate.parse(value)
        except PartialDateError as exc:
            self.fail(str(exc), param, ctx)


PARTIAL_DATE = PartialDateParam()

claims_option = click.option(
    "--claims", "claims_paths", multiple=True, metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Claims file (.yaml, .yml or .json) to use instead of the bundled dataset. "
         "Repeat to merge several. Accepts what `statements --format json` prints.",
)


def _load(claims_paths: Sequence[Path]) -> Any:
    return load_claims(list(claims_paths) if claims_paths else None)


def region_codes(names: Sequence[str]) -> list[str] | None:
    """ISO codes for names or codes ("Krym", "UA-14"); UnknownRegionError lists valid names."""
    if not names:
        return None
    from dashboard.sources.geodata import load_layers  # only when asked: reading geodata costs time

    layers = load_layers()
    return [layers.lookup(name) for name in names]


@click.command()
@click.option("--from", "date_from", type=PARTIAL_DATE,
              help="Earliest date (YYYY, YYYY-MM or YYYY-MM-DD). Records whose date window "
                   "overlaps the range are included.")
@click.option("--to", "date_to", type=PARTIAL_DATE,
              help="Latest date (YYYY, YYYY-MM or YYYY-MM-DD); --to 2022 includes all of 2022.")
@click.option("--region", "regions", multiple=True, metavar="NAME_OR_CODE",
              help="Only records about this region: a code (UA-14) or a name (Donetsk, Krym). Repeatable.")
@click.option("--party", "parties", multiple=True, type=click.Choice(tuple(PARTIES)),
              help="Only records involving this party. Repeatable.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only records of this kind. Repeatable.")
@claims_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format. CSV cells that a spreadsheet would run as formulas are neutralised.")
def statements(date_from: PartialDate | None, date_to: PartialDate | None, regions: tuple[str, ...],
               parties: tuple[str, ...], kinds: tuple[str, ...], claims_paths: tuple[Path, ...],
               fmt: str) -> None:
    """List claims, events and assessments about the contested regions, sorted by date."""
    if date_from is not None and date_to is not None and date_from.start > date_to.end:
        raise click.BadParameter(f"{date_from.isoformat()} is after --to {date_to.isoformat()}",
                                 param_hint="'--from'")
    codes = region_codes(regions)
    claims = _load(claims_paths)
    selected = filter_claims(claims, date_from, date_to, codes, parties or None, kinds or None)
    end = records_end(claims)
    if fmt == "csv":
        click.echo(render(records_to_csv_rows(selected), fmt, CSV_KEYS), nl=False)
        return
    rows = records_to_json_rows(selected)
    if fmt == "json":
        data_ends = end.isoformat() if end is not None else None
        click.echo(render([{**row, "data_ends": data_ends} for row in rows], fmt, EXPORT_KEYS), nl=False)
        return
    click.echo(render([{**row, "source": _short_source(row["source"])} for row in rows], fmt, TABLE_COLUMNS),
               nl=False)
    asked = date_to or date_from
    if end is not None and asked is not None and asked.end > end:
        click.echo(f"note: the loaded records end on {_label(end)}; nothing is known after it "
                   f"(asked up to {asked.label()})", err=True)


def _label(day: dt.date) -> str:
    return PartialDate.from_date(day).label()


def _short_source(source: Any) -> str:
    """Publisher and publication date, for the table: "Reuters, 2023-02-28"."""
    if not isinstance(source, dict):
        return ""
    publisher = str(source.get("publisher") or "")
    if len(publisher) > TABLE_PUBLISHER_CHARS:
        publisher = publisher[:TABLE_PUBLISHER_CHARS - 1] + "…"
    return f"{publisher}, {source.get('published')}"


def _status_row(result: RegionStatus, name: str, data_ends: dt.date | None) -> dict[str, Any]:
    return {"code": result.code, "name": name, "status": result.status.value,
            "label": result.label, "decided_by": list(result.decided_by),
            "data_ends": data_ends.isoformat() if data_ends is not None else None}


@click.command()
@click.option("--date", "when", type=PARTIAL_DATE, required=True,
              help="YYYY-MM-DD for a day's status (at the end of that day). For YYYY or YYYY-MM, "
                   "a region whose status changes inside the period is 'uncertain'. Dates after the "
                   "last record show the last known state; JSON rows say where the data ends (data_ends).")
@claims_option
@click.option("--enrichment/--no-enrichment", default=True, show_default=True,
              help="Use records marked as enrichment (exact dates from the public record). "
                   "--no-enrichment shows what the source articles alone support.")
@click.option("--format", "fmt", type=click.Choice(STATUS_FORMATS), default="table", show_default=True,
              help="Output format.")
def status(when: PartialDate, claims_paths: tuple[Path, ...], enrichment: bool, fmt: str) -> None:
    """Status of each contested region at a date, derived from annexation events."""
    from dashboard.sources.geodata import load_layers

    claims = _load(claims_paths)
    results = status_during(claims, when, enrichment=enrichment)
    end = records_end(claims)
    layers = load_layers()
    rows = [_status_row(result, layers.name_en(code), end) for code, result in results.items()]
    click.echo(render(rows, fmt, STATUS_COLUMNS), nl=False)
    if fmt == "table" and end is not None and when.end > end:
        shows = (f"{when.label()} shows the last known state" if when.start > end
                 else f"later days of {when.label()} show the last known state")
        click.echo(f"note: the loaded records end on {_label(end)}; {shows}", err=True)
