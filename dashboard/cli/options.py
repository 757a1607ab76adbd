"""Click options shared by several `contested-map` commands."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from dashboard.core.dates import PartialDate, PartialDateError

geodata_option = click.option(
    "--geodata", "geodata_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
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

claims_option = click.option(
    "--claims", "claims_paths", multiple=True, metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Claims file (.yaml, .yml or .json) to use instead of the bundled dataset. "
         "Repeat to merge several. Accepts what `statements --format json` prints.",
)


def region_codes(names: Sequence[str]) -> list[str] | None:
    """ISO codes for names or codes ("Krym", "UA-14"); UnknownRegionError lists valid names."""
    if not names:
        return None
    from dashboard.sources.geodata import load_layers  # only when asked: reading geodata costs time

    layers = load_layers()
    return [layers.lookup(name) for name in names]
