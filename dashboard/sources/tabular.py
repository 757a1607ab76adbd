"""Render a list of flat records as JSON, CSV or a plain-text table.

Shared by every CLI command that prints rows, so the formats behave alike.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMATS: tuple[str, ...] = ("json", "csv", "table")

# Spreadsheets run cells that start with these as formulas (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: A formula character at the start of a line inside a cell: a tool that reads
#: line by line (or splits rows at a bare CR, as some spreadsheets do) would see
#: the line on its own. The line breaks are those str.splitlines knows.
_LINE_START_FORMULA = re.compile("(?:\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])(?=[=+\\-@\t])")

#: What a terminal must never receive from the data (table output): control
#: characters (C0, DEL, C1), line and paragraph separators, and the
#: bidirectional embeddings, overrides, isolates and marks that reorder text.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def neutralise_cell(value: str) -> str:
    """Prefix a quote so a spreadsheet shows the text instead of running it.

    The quote goes before the cell when it starts with a formula character,
    a tab or a carriage return, and before every line inside the cell that
    starts with =, +, -, @ or a tab. Nothing else changes.
    """
    value = _LINE_START_FORMULA.sub(lambda m: m.group() + "'", value)
    return "'" + value if value.startswith(_FORMULA_PREFIXES) else value


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on shown as an escape (`\\x1b`, `\\u202e`)."""
    return _TERMINAL_UNSAFE.sub(
        lambda m: (
            _SHORT_ESCAPES.get(m.group())
            or (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}")
        ),
        text,
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(_cell_text(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def to_json(rows: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2)


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV with every cell quoted, so any text (a bare CR, quotes, commas,
    NUL) stays in its cell: csv.reader gives back one row per record and the exact
    text, apart from the formula-neutralising quotes (neutralise_cell).

    The default QUOTE_MINIMAL quotes only cells holding the line terminator's
    characters, so with "\\n" a bare "\\r" went out unquoted.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        # A number is never a formula: "-8.7" stays a number a spreadsheet can add up.
        writer.writerow(
            [
                _cell_text(v)
                if isinstance(v, (int, float)) and not isinstance(v, bool)
                else neutralise_cell(_cell_text(v))
                for v in (row.get(c) for c in columns)
            ]
        )
    return buffer.getvalue()


def to_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Aligned plain text for a terminal; unsafe characters are shown escaped (terminal_safe)."""
    cells = [[terminal_safe(_cell_text(row.get(c))) for c in columns] for row in rows]
    columns = [terminal_safe(c) for c in columns]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def render(rows: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str]) -> str:
    """Rows in the chosen format; `columns` fixes the order for CSV and table."""
    rows = list(rows)
    if fmt == "json":
        return to_json(rows) + "\n"
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "table":
        return to_table(rows, columns)
    raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
