"""`contested-map export`: the dashboard's map as PNG, SVG or PDF files."""

from __future__ import annotations

import dataclasses
import os
import stat
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from dashboard.cli.export_dates import batch_dates, in_timeline, note_past_the_data
from dashboard.cli.human import lang_option
from dashboard.cli.options import (
    PARTIAL_DATE,
    claims_option,
    claims_selection,
    control_cache_option,
    control_selection,
    enrichment_option,
    geodata_option,
    region_codes,
)
from dashboard.core.dataset import Dataset
from dashboard.core.dates import reversed_range
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.core.steps import STEPS
from dashboard.render import batch as render_batch
from dashboard.render.export_job import DEFAULT_FPS, MAX_FPS, MIN_FPS, EmbedAssets, ExportJob
from dashboard.render.export_options import (
    DEFAULT_SIZE,
    FITS,
    MAX_SCALE,
    MAX_SIZE,
    MIN_SCALE,
    MIN_SIZE,
    SIZE_PRESETS,
    ImageOptions,
)
from dashboard.render.exporter import Exporter, render_image, require_browser
from dashboard.render.formats import FORMAT_NAMES, ExportFormat, export_format, format_for_path
from dashboard.sources.dataset import load_dataset
from dashboard.sources.embed_assets import read_embed_assets
from dashboard.sources.files import check_output_file, check_target, check_writable_dir, make_output_dir, write_atomic
from dashboard.sources.paths import assets_dir, plotlyjs_bundle
from dashboard.text import Text, text_for


def export_batch(
    data: Dataset,
    exporter: Exporter,
    states: Sequence[FilterState],
    options: ImageOptions,
    directory: Path,
    progress: Callable[[Path], None] | None = None,
    labels: Sequence[str | None] | None = None,
    control: bool = True,
    text: Text | None = None,
) -> list[Path]:
    """One image per state into `directory` (render/batch.py renders; this writes), every name
    checked before the first render; one warm browser for all."""
    check_writable_dir(directory)
    root = directory.resolve()
    targets = {}
    for name in render_batch.batch_names(states, options, labels):
        target = root / name
        if target.parent != root:
            raise DashboardError(f"refusing to write outside {root}: {name!r}")
        check_target(target)  # every name, before the first render (not resolved: a link is refused)
        targets[name] = target

    def write(name: str, content: bytes) -> Path:
        write_atomic(targets[name], content)
        return targets[name]

    return render_batch.export_batch(
        data, exporter, states, options, write, labels=labels, control=control, text=text, progress=progress
    )


def _is_directory(path: Path) -> bool:
    """A directory itself (not a symlink to one); False for names the system cannot even look up."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _format_for(output: Path, fmt: str | None, batch: bool, animate: bool = False) -> ExportFormat:
    """The export format: --format, else the -o name's extension (a batch's -o is a directory), else png
    (gif with --animate); a name that says another format than --format is refused."""
    named = None if batch else format_for_path(output)
    suffix = output.suffix.lower().lstrip(".")
    if named is None and not batch and suffix and fmt is None:
        raise click.BadParameter(
            f"cannot tell the format from {output.name!r}; use --format "
            f"{'|'.join(FORMAT_NAMES)} or a name ending in one of them",
            param_hint="-o",
        )
    if named is not None and fmt and fmt != named.name:
        raise click.BadParameter(f"{output.name!r} does not match --format {fmt}", param_hint="-o")
    chosen = export_format(fmt or (named.name if named else "gif" if animate else "png"))
    if batch and chosen.stepped:
        raise click.UsageError(
            f"--format {chosen.name} makes one file from a range; it cannot be used with --dates or --each-event"
        )
    if animate and not chosen.animated:
        raise click.UsageError(
            f"--animate writes {'/'.join(n for n in FORMAT_NAMES if export_format(n).animated)}, "
            f"not {chosen.name}; name the output .gif, .mp4 or .webm"
        )
    return chosen


def _write_stepped(
    fmt: ExportFormat,
    output: Path,
    data: Dataset,
    exporter: Exporter,
    state: FilterState,
    options: ImageOptions,
    text: Text,
    control: bool,
    step: str,
    fps: float,
) -> None:
    """An animation or an HTML map over the range: every frame with one warm browser, a progress bar
    on a terminal, the file checked before it is written."""
    assets = EmbedAssets(*read_embed_assets(assets_dir())) if fmt.name == "html" else None
    job = ExportJob(data, state, options, text, exporter=exporter, control=control, step=step, fps=fps, assets=assets)
    count = job.check_frame_count()
    if sys.stderr.isatty():
        with click.progressbar(length=count, label=text("cli.export.frames"), file=sys.stderr) as bar:
            content = fmt.export(dataclasses.replace(job, progress=lambda: bar.update(1)))
    else:
        content = fmt.export(job)
    write_atomic(output, content)


def _frame_size(preset: str | None, width: int | None, height: int | None) -> tuple[int, int]:
    """The image's size: a --preset's, or --width/--height (each defaulting to DEFAULT_SIZE's)."""
    if preset is not None:
        if width is not None or height is not None:
            raise click.UsageError("use either --preset or --width/--height, not both")
        return SIZE_PRESETS[preset]
    return (width if width is not None else DEFAULT_SIZE[0], height if height is not None else DEFAULT_SIZE[1])


@click.command()
@click.option("--from", "date_from", type=PARTIAL_DATE, help="Start of the range (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option(
    "--to",
    "date_to",
    type=PARTIAL_DATE,
    help="End of the range: the map shows each region's status on this day (default: the last day "
    "of the loaded data, claims or control).",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="NAME_OR_CODE",
    help="Outline this region, as selected in the dashboard. Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="File format (default: from the -o file name, else png; gif with --animate). "
    "html: one offline page with a date slider over the range.",
)
@click.option(
    "--width",
    type=click.IntRange(MIN_SIZE, MAX_SIZE),
    default=None,
    help=f"Width in pixels at scale 1 (default {DEFAULT_SIZE[0]}).",
)
@click.option(
    "--height",
    type=click.IntRange(MIN_SIZE, MAX_SIZE),
    default=None,
    help=f"Height in pixels at scale 1 (default {DEFAULT_SIZE[1]}).",
)
@click.option(
    "--preset",
    type=click.Choice(list(SIZE_PRESETS)),
    default=None,
    help="A named size instead of --width/--height: "
    + ", ".join(f"{name} {w}×{h}" for name, (w, h) in SIZE_PRESETS.items())
    + " (A4 at 300 dpi).",
)
@click.option(
    "--fit",
    type=click.Choice(FITS),
    default=None,
    help="What the map's view fits: the regions picked with --region (with a margin) or the whole "
    "of Ukraine (default: regions when --region is given, else ukraine).",
)
@click.option(
    "--scale",
    type=click.FloatRange(MIN_SCALE, MAX_SCALE),
    default=1.0,
    show_default=True,
    help="Multiplies the pixel size (2 or 3 for print).",
)
@click.option("--title", default=None, help="Title drawn in the image (default: regions and the 'as of' date).")
@click.option(
    "--dates",
    default=None,
    metavar="D1,D2,...",
    help="Batch: one image per date (each the end of the range) into the -o directory.",
)
@click.option("--each-event", is_flag=True, help="Batch: one image per dated event into the -o directory.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Image file to write; with --dates or --each-event, a directory.",
)
@click.option(
    "--control-layer/--no-control-layer",
    "control_layer",
    default=True,
    show_default=True,
    help="Draw the area held by Russian forces (the last control snapshot on or before the date).",
)
@click.option(
    "--change-layer/--no-change-layer",
    "change_layer",
    default=False,
    show_default=True,
    help="Draw the change of control over the range (--from to the date): area taken by Russian "
    "forces and area no longer held, with both snapshots named in the legend.",
)
@click.option(
    "--animate", is_flag=True, help="One frame per --step from --from to --to, into a .gif, .mp4 or .webm file."
)
@click.option(
    "--step",
    type=click.Choice(STEPS),
    default=None,
    help="Animation frames, or the HTML map's slider steps: one per day, week or month (default: week).",
)
@click.option(
    "--fps",
    type=click.FloatRange(MIN_FPS, MAX_FPS),
    default=DEFAULT_FPS,
    show_default=True,
    help="Animation frames per second.",
)
@claims_option
@enrichment_option
@geodata_option
@control_cache_option
@click.option(
    "--source",
    "source",
    default=None,
    metavar="NAME",
    help="Control source to draw (its name or slug; default: the one covering the map's date).",
)
@lang_option
def export(
    date_from,
    date_to,
    regions: Sequence[str],
    fmt: str | None,
    width: int | None,
    height: int | None,
    preset: str | None,
    fit: str | None,
    scale: float,
    title: str | None,
    dates: str | None,
    each_event: bool,
    output: Path,
    control_layer: bool,
    change_layer: bool,
    animate: bool,
    step: str | None,
    fps: float,
    claims_paths: Sequence[Path],
    no_bundled: bool,
    enrichment: bool,
    geodata_dir: Path | None,
    control_dir: Path | None,
    no_bundled_control: bool,
    source: str | None,
    lang: str,
) -> None:
    """Write the map as it would show for these filters, as PNG, SVG or PDF; as an animation
    (GIF, MP4, WebM) over a range with --animate; or as one offline HTML page with a date slider."""
    text = text_for(lang)
    if dates is not None and each_event:
        raise click.UsageError("use either --dates or --each-event, not both")
    batch = dates is not None or each_event
    width, height = _frame_size(preset, width, height)
    if animate and batch:
        raise click.UsageError(
            "--animate makes one file from --from to --to; it cannot be used with --dates or --each-event"
        )
    chosen = _format_for(output, fmt, batch, animate)
    if chosen.animated and date_to is None:
        raise click.UsageError(
            f"--to is missing: an animation ({chosen.name}) runs from --from to --to, its last frame's day"
        )
    if step is not None and not chosen.stepped:
        raise click.UsageError(f"--step is for animations and HTML maps, not {chosen.name}")
    options = ImageOptions(
        format=chosen.name if chosen.still else "png", width=width, height=height, scale=scale, title=title, fit=fit
    )
    files = claims_selection(claims_paths, no_bundled)
    require_browser()  # say so before loading anything
    control_dir, bundled_control = control_selection(control_dir, no_bundled_control)
    data = load_dataset(geodata_dir, files, control_dir=control_dir, bundled_control=bundled_control)
    if source is not None:
        try:
            data = data.with_control(data.control_for(source))
        except KeyError as exc:
            raise click.BadParameter(exc.args[0], param_hint="'--source'") from None
    axis = data.axis
    start = in_timeline(date_from.start, axis, "--from") if date_from else axis.first_day
    codes = tuple(region_codes(regions) or ())
    exporter = Exporter(assets_dir() / "topojson", plotlyjs=plotlyjs_bundle())
    started = time.perf_counter()
    try:
        if not batch:
            end = in_timeline(date_to.end, axis, "--to") if date_to else axis.data_end
            if reversed_range(start, end):
                raise click.BadParameter("--from is after --to", param_hint="--from")
            if _is_directory(output):
                raise DashboardError(f"{output} is a directory; give a file name, or use --dates/--each-event")
            check_output_file(output)  # before the render, not after it
            state = FilterState(start, end, codes, enrichment=enrichment, change=change_layer)
            if chosen.stepped:
                _write_stepped(chosen, output, data, exporter, state, options, text, control_layer, step or "week", fps)
                note_past_the_data([end], axis, text)
                click.echo(str(output))
                return
            write_atomic(output, render_image(exporter, data, state, options, text, control_layer))
            note_past_the_data([end], axis, text)
            if change_layer and data.control is not None and start < data.control.shares.first_day:
                click.echo(text("cli.note.control_starts", day=text.day(data.control.shares.first_day)), err=True)
            click.echo(str(output))
            return
        days = [(d, label) for d, label in batch_dates(dates, data, text, enrichment) if d >= start]
        if not days:
            raise DashboardError("no dates to export after --from")
        make_output_dir(output)
        states = [FilterState(start, day, codes, enrichment=enrichment, change=change_layer) for day, _ in days]
        labels = [label for _, label in days]
        if sys.stderr.isatty():
            with click.progressbar(length=len(states), label=text("cli.export.progress"), file=sys.stderr) as bar:
                written = export_batch(
                    data,
                    exporter,
                    states,
                    options,
                    output,
                    progress=lambda _path: bar.update(1),
                    labels=labels,
                    control=control_layer,
                    text=text,
                )
        else:
            written = export_batch(
                data, exporter, states, options, output, labels=labels, control=control_layer, text=text
            )
        seconds = time.perf_counter() - started
        note_past_the_data([d for d, _ in days], axis, text)  # after the work: an error stays one line
        click.echo(
            text.plural(
                "cli.export.wrote",
                len(written),
                directory=output,
                seconds=text.number(seconds, 1),
                each=text.number(seconds / len(written), 2),
            ),
            err=True,
        )
        for path in written:
            click.echo(str(path))
    finally:
        exporter.close()
