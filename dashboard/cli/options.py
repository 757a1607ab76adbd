"""Click options shared by several `contested-map` commands."""

from __future__ import annotations

from pathlib import Path

import click

geodata_option = click.option(
    "--geodata", "geodata_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Directory of region layers built by geodata/build.py (default: the bundled ones).",
)
