"""`contested-map place NAME`: a place from the gazetteer and its control history.

The history comes from `dashboard.core.place_history.place_history`, the same
function the page's "Find a place" panel uses, over the same control data
(the bundled layer, or `--control DIR`).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from dashboard.cli.human import lang_option, render_rows
from dashboard.cli.options import chosen_control, control_cache_option, format_option, source_option

__all__ = ["HISTORY_KEYS", "PLACE_KEYS", "place"]

#: JSON keys of `place --format json`, in this order.
PLACE_KEYS: tuple[str, ...] = ("name", "lat", "lon", "admin1", "history", "geonameid", "matches")
#: Keys of each history interval (and the table's columns).
HISTORY_KEYS: tuple[str, ...] = ("from", "to", "held", "source")


@click.command()
@click.argument("name", nargs=-1, required=True)
@format_option(choices=("json", "table"))
@control_cache_option
@source_option
@lang_option
def place(
    name: tuple[str, ...], fmt: str, control_dir: Path | None, no_bundled_control: bool, source: str | None, lang: str
) -> None:
    """A place in Ukraine (any spelling, Latin or Cyrillic, former names too) and when it was held.

    Prints the best match (exact name first, then the larger population), the
    runs of control snapshots in which its point lay inside the area held by
    Russian forces per the control source, and the other places of the same name.
    """
    from dashboard.core.place_history import place_history, place_record
    from dashboard.sources.places import load_places
    from dashboard.text import text_for
    from dashboard.text.places import history_summary

    query = " ".join(name).strip()
    text = text_for(lang)
    gazetteer = load_places()
    found = gazetteer.resolve(query)
    if found is None:
        suggestions = gazetteer.suggest(query)
        if suggestions:
            raise click.UsageError(text("cli.place.unknown", name=query, suggestions=", ".join(suggestions)))
        raise click.UsageError(text("cli.place.unknown_none", name=query))
    control, _ = chosen_control(control_dir, no_bundled_control, source)
    history = place_history(control, found)
    if history.note:
        click.echo(text(f"places.note.{history.note}"), err=True)
    record = place_record(history, gazetteer, query)
    if fmt == "json":
        click.echo(json.dumps({key: record[key] for key in PLACE_KEYS}, ensure_ascii=False, indent=2))
        return
    from dashboard.sources.geodata import load_layers

    names = load_layers().names(lang)
    click.echo(
        text(
            "cli.place.heading",
            name=found.name,
            region=names.get(found.admin1, found.admin1),
            lat=text.number(found.lat, 5),
            lon=text.number(found.lon, 5),
            geonameid=found.geonameid,
        )
    )
    click.echo(history_summary(history, text))
    click.echo(render_rows(record["history"], "table", HISTORY_KEYS, lang), nl=False)
    if record["matches"]:
        others = ", ".join(
            f"{m['name']} ({names.get(m['admin1'], m['admin1'])}, {m['geonameid']})" for m in record["matches"]
        )
        click.echo(text("cli.place.matches", name=found.name, places=others))
