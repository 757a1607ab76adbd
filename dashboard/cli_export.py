"""`contested-map export`: the dashboard's map as PNG, SVG or PDF files."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import click

from dashboard.cli_claims import PARTIAL_DATE, claims_option, region_codes
from dashboard.cli_options import geodata_option
from dashboard.dates import PartialDate, PartialDateError
from dashboard.errors import DashboardError
from dashboard.export import (FORMATS, MAX_SCALE, MAX_SIZE, MIN_SCALE, MIN_SIZE, Exporter, ImageOptions,
                              check_writable_dir, export_batch, image_figure, require_browser, write_atomic)
from dashboard.state import FilterState, format_day


def _in_timeline(day, axis, option: str):
    if not axis.first_day <= day <= axis.last_day:
        raise click.BadParameter(
            f"{day.isoformat()} is outside the timeline of the loaded claims "
            f"({format_day(axis.first_day)} – {format_day(axis.last_day)})", param_hint=option)
    return day


def _batch_dates(dates: str | None, each_event: bool, data) -> list:
    if dates:
        days = []
        for text in (t.strip() for t in dates.split(",")):
            try:
                days.append(PartialDate.parse(text).end)
            except PartialDateError as exc:
                raise click.BadParameter(str(exc), param_hint="--dates") from None
        return [_in_timeline(d, data.axis, "--dates") for d in days]
    events = data.claims[data.claims["kind"] == "event"]
    return sorted({PartialDate.parse(d).end for d in events["date"]})


def _format_for(output: Path, fmt: str | None, batch: bool) -> str:
    suffix = output.suffix.lower().lstrip(".")
    if batch or suffix not in FORMATS:
        if not batch and suffix and fmt is None:
            raise click.BadParameter(f"cannot tell the format from {output.name!r}; use "
                                     f"--format {'|'.join(FORMATS)} or a .png/.svg/.pdf name",
                                     param_hint="-o")
        return fmt or "png"
    if fmt and fmt != suffix:
        raise click.BadParameter(f"{output.name!r} does not match --format {fmt}", param_hint="-o")
    return suffix


@click.command()
@click.option("--from", "date_from", type=PARTIAL_DATE, help="Start of the range (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", type=PARTIAL_DATE,
              help="End of the range: the map shows each region's status on this day (default: the last record).")
@click.option("--region", "regions", multiple=True, metavar="NAME_OR_CODE",
              help="Outline this region, as selected in the dashboard. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Image format (default: from the -o file name, else png).")
@click.option("--width", type=click.IntRange(MIN_SIZE, MAX_SIZE), default=1200, show_default=True,
              help="Width in pixels at scale 1.")
@click.option("--height", type=click.IntRange(MIN_SIZE, MAX_SIZE), default=800, show_default=True,
              help="Height in pixels at scale 1.")
@click.option("--scale", type=click.FloatRange(MIN_SCALE, MAX_SCALE), default=1.0, show_default=True,
              help="Multiplies the pixel size (2 or 3 for print).")
@click.option("--title", default=None, help="Title drawn in the image (default: regions and the 'as of' date).")
@click.option("--dates", default=None, metavar="D1,D2,...",
              help="Batch: one image per date (each the end of the range) into the -o directory.")
@click.option("--each-event", is_flag=True, help="Batch: one image per dated event into the -o directory.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Image file to write; with --dates or --each-event, a directory.")
@claims_option
@geodata_option
def export(date_from, date_to, regions: Sequence[str], fmt: str | None, width: int, height: int,
           scale: float, title: str | None, dates: str | None, each_event: bool, output: Path,
           claims_paths: Sequence[Path], geodata_dir: Path | None) -> None:
    """Write the map as it would show for these filters, as PNG, SVG or PDF."""
    from dashboard.app import Settings, load_app_data

    if dates and each_event:
        raise click.UsageError("use either --dates or --each-event, not both")
    batch = bool(dates or each_event)
    options = ImageOptions(format=_format_for(output, fmt, batch), width=width, height=height,
                           scale=scale, title=title)
    require_browser()  # say so before loading anything
    data = load_app_data(Settings(geodata_dir=geodata_dir, claims_paths=list(claims_paths) or None))
    axis = data.axis
    start = _in_timeline(date_from.start, axis, "--from") if date_from else axis.first_day
    codes = tuple(region_codes(regions) or ())
    exporter = Exporter()
    started = time.perf_counter()
    try:
        if not batch:
            end = _in_timeline(date_to.end, axis, "--to") if date_to else axis.last_day
            if start > end:
                raise click.BadParameter("--from is after --to", param_hint="--from")
            if output.is_dir():
                raise DashboardError(f"{output} is a directory; give a file name, or use --dates/--each-event")
            check_writable_dir(output.parent)  # before the render, not after it
            state = FilterState(start, end, codes)
            write_atomic(output, exporter.render(image_figure(data, state, options), options))
            click.echo(str(output))
            return
        days = [d for d in _batch_dates(dates, each_event, data) if d >= start]
        if not days:
            raise DashboardError("no dates to export after --from")
        if not output.exists() and output.parent.is_dir():
            output.mkdir()
        states = [FilterState(start, day, codes) for day in days]
        if sys.stderr.isatty():
            with click.progressbar(length=len(states), label="Exporting", file=sys.stderr) as bar:
                written = export_batch(data, exporter, states, options, output,
                                       progress=lambda _path: bar.update(1))
        else:
            written = export_batch(data, exporter, states, options, output)
        seconds = time.perf_counter() - started
        click.echo(f"wrote {len(written)} images to {output} in {seconds:.1f} s "
                   f"({seconds / len(written):.2f} s per image)", err=True)
        for path in written:
            click.echo(str(path))
    finally:
        exporter.close()
