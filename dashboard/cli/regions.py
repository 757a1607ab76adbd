"""`contested-map regions`: Ukraine's 27 first-level units."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.human import lang_option, render_rows
from dashboard.cli.options import format_option, geodata_option


@click.command()
@format_option()
@geodata_option
@lang_option
def regions(fmt: str, geodata_dir: Path | None, lang: str) -> None:
    """List Ukraine's 27 first-level units with names, area and contested flag."""
    from dashboard.sources.geodata import load_layers

    layers = load_layers(geodata_dir)
    columns = ["code", "name_en", "name_uk", "name_ru", "area_km2", "contested", "group"]
    click.echo(render_rows(layers.region_rows(), fmt, columns, lang), nl=False)
