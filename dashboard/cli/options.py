"""Click options shared by several `contested-map` commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from dashboard.core.dates import PartialDate, PartialDateError
from dashboard.sources.tabular import FORMATS

geodata_option = click.option(
    "--geodata",
    "geodata_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory of region layers built by geodata/build.py (default: the bundled ones).",
)


class PartialDateParam(click.ParamType):
    """YYYY, YYYY-MM or YYYY-MM-DD; anything else is a one-line usage error."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> PartialDate:
        try:
            return PartialDate.parse(value)
        except PartialDateError as exc:
            self.fail(str(exc), param, ctx)


PARTIAL_DATE = PartialDateParam()

_claims_paths_option = click.option(
    "--claims",
    "claims_paths",
    multiple=True,
    metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Claims file (.yaml, .yml or .json) to load beside the bundled records. Repeatable: "
    "every file is merged, and an id defined in two files is an error naming both. "
    "Accepts what `statements --format json` prints.",
)
_no_bundled_option = click.option(
    "--no-bundled",
    "no_bundled",
    is_flag=True,
    default=False,
    help="Leave the bundled records out: load only the --claims files (at least one).",
)


def claims_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--claims PATH` (repeatable) and `--no-bundled`, resolved by `claims_selection`."""
    return _claims_paths_option(_no_bundled_option(command))


def claims_selection(claims_paths: Sequence[Path], no_bundled: bool) -> list[Path]:
    """The claims files to load: the bundled one (unless --no-bundled), then each --claims file."""
    from dashboard.sources.claims_load import claims_files

    if no_bundled and not claims_paths:
        raise click.UsageError("--no-bundled leaves no claims to load; give at least one --claims PATH")
    return claims_files(claims_paths, bundled=not no_bundled)


enrichment_option = click.option(
    "--enrichment/--no-enrichment",
    default=True,
    show_default=True,
    help="Use the records marked as enrichment (added from the public record, not from an article). "
    "--no-enrichment keeps the article records only, for the list and the status alike.",
)


def region_codes(names: Sequence[str]) -> list[str] | None:
    """ISO codes for names or codes ("Krym", "UA-14"); UnknownRegionError lists valid names."""
    if not names:
        return None
    from dashboard.sources.geodata import load_layers  # only when asked: reading geodata costs time

    layers = load_layers()
    return [layers.lookup(name) for name in names]


_control_dir_option = click.option(
    "--control",
    "control_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Control cache made by `contested-map control import`: its sources are loaded beside the "
    "bundled control layer (each apart; the page's `source=` picks one).",
)
_no_bundled_control_option = click.option(
    "--no-bundled-control",
    "no_bundled_control",
    is_flag=True,
    default=False,
    help="Leave the bundled control layer out: load only the --control cache's sources.",
)


def control_cache_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--control DIR` and `--no-bundled-control` (the user's cache beside, or instead of, the bundled layer)."""
    return _control_dir_option(_no_bundled_control_option(command))


def control_selection(control_dir: Path | None, no_bundled_control: bool) -> tuple[Path | None, bool]:
    """(cache directory, load the bundled layer?) for load_dataset; refuses a selection with no source."""
    if no_bundled_control and control_dir is None:
        raise click.UsageError("--no-bundled-control leaves no control data to load; give --control DIR")
    return control_dir, not no_bundled_control


source_option = click.option(
    "--source",
    "source",
    default=None,
    metavar="NAME",
    help="The control source to read (its name or slug); default: the one covering the day asked "
    "for (bundled first). Sources are never merged.",
)


def chosen_control(
    control_dir: Path | None, no_bundled_control: bool, source: str | None, day: Any = None
) -> tuple[Any, tuple[Any, ...]]:
    """(the control source a command reads, every loaded source): `--source` when given, else the
    one covering `day` (default: the latest snapshot of any source), as the page picks. One line
    naming the loaded sources when `--source` names none of them."""
    import datetime as dt

    from dashboard.core.control_sources import find_control, pick_control
    from dashboard.core.errors import DashboardError
    from dashboard.sources.control_cache import load_controls

    control_dir, bundled = control_selection(control_dir, no_bundled_control)
    sources = load_controls(control_dir, bundled=bundled)
    if source is not None:
        found = find_control(sources, source)
        if found is None:
            raise click.BadParameter(
                f"no control source {source!r} is loaded (loaded: "
                + ", ".join(repr(c.source_name) for c in sources)
                + ")",
                param_hint="'--source'",
            )
        return found, sources
    last = max((c.last_day for c in sources if c.last_day is not None), default=None)
    found = pick_control(sources, day or last or dt.date.today())
    if found is None or found.shares.last_day is None:
        raise DashboardError("the control data holds no snapshot")
    return found, sources


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


control_option = click.option(
    "--control",
    "control_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Control cache directory (default: $CONTESTED_MAP_CONTROL, else 'control' under the user's "
    "data directory; `shares` without it reads the bundled data).",
)


def echo_note(message: str) -> None:
    """A note on standard error, so standard output stays the data alone."""
    click.echo(message, err=True)


def format_option(help: str = "Output format.", choices: Sequence[str] = FORMATS) -> Callable[..., Any]:
    """`--format` (into `fmt`), a table unless asked otherwise; `help` says what the formats hold."""
    return click.option(
        "--format", "fmt", type=click.Choice(tuple(choices)), default="table", show_default=True, help=help
    )
