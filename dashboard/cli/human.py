"""The CLI's human output in the language of `--lang`: the option, and tables with words for headings.

Only what people read changes with the language: table headings, yes/no,
numbers (a decimal comma in Ukrainian), region names, status words and the
notes on stderr. JSON and CSV keys are the same in every language (their
`name` and `label` values are words and follow the language), and so are the
codes a command takes as options and prints as values (region codes, status,
kind and party slugs, ISO dates), so a value read in a table can be typed back
into a command. Claim text stays in the language of its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click

from dashboard.sources.tabular import render
from dashboard.text import DEFAULT_LANG, LANGUAGES, Text, text_for

__all__ = ["lang_option", "render_rows"]

lang_option = click.option(
    "--lang",
    "lang",
    type=click.Choice(LANGUAGES),
    default=DEFAULT_LANG,
    show_default=True,
    help="Language of the table, the notes, the region names and status labels, and the images' words "
    "(JSON and CSV keys are the same in every language).",
)


def _cell(value: Any, text: Text) -> Any:
    if isinstance(value, bool):
        return text("cli.value.true" if value else "cli.value.false")
    if isinstance(value, float):
        return text.number(value)
    return value


def render_rows(rows: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str], lang: str) -> str:
    """`rows` as `dashboard.sources.tabular.render` prints them; a table in `lang`'s words
    (`cli.column.<key>` headings). JSON and CSV never change with the language."""
    if fmt != "table":
        return render(rows, fmt, columns)
    text = text_for(lang)
    headings = [text(f"cli.column.{column}") for column in columns]
    worded = [
        {heading: _cell(row.get(column), text) for heading, column in zip(headings, columns, strict=True)}
        for row in rows
    ]
    return render(worded, fmt, headings)
