"""Reading claims files safely: size, encoding, nesting and YAML bombs, before any validation.

A claims file is edited by hand and may come from anyone, so reading it is
bounded in memory and time whatever it holds, and every failure is a
DataError that names the file and, where there is one, the line.
dashboard/sources/claims_load.py validates what this module returns; the YAML loader
is claims_yaml.py.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from dashboard.core.errors import DataError
from dashboard.sources.claims_document import (  # noqa: F401  (the limits are part of this module's interface)
    MAX_DOCUMENT_NODES,
    MAX_FILE_BYTES,
    MAX_MAPPING_KEYS,
    MAX_MERGED_KEYS,
    MAX_NESTING,
    MAX_NUMBER_CHARS,
    MAX_YAML_BYTES,
    SUFFIXES,
    Document,
    Fields,
    _show,
)
from dashboard.sources.claims_yaml import _TooBig, _TooDeep, _yaml_document


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number with {len(text)} characters (at most {MAX_NUMBER_CHARS})")
    return int(text)


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _json_document(text: str) -> Document:
    data = json.loads(text, object_pairs_hook=Fields.from_pairs, parse_int=_json_int, parse_constant=_json_constant)
    record_lines, source_lines = _json_lines(text)
    return Document(data, record_lines, source_lines)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
#: Reads an object's key (a JSON string) and where it ends.
_JSON_STRINGS = json.JSONDecoder()
#: Skips values without building them: only their extent is needed.
_JSON_SKIPPER = json.JSONDecoder(
    object_pairs_hook=lambda pairs: None,
    parse_int=lambda text: None,
    parse_float=lambda text: None,
    parse_constant=lambda name: None,
)


class _JsonLines:
    """Line numbers of positions in a JSON text, counted forward as positions grow."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line = text, 0, 1

    def at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _skip_space(text: str, position: int) -> int:
    """The position of the first character at or after `position` that is not JSON white space."""
    match = _JSON_SPACE.match(text, position)
    return match.end() if match else position


def _json_members(text: str, position: int, closing: str) -> Iterator[tuple[str | None, int, int]]:
    """(key or None, start, end) of each item of the array or object opening at `position`."""
    position = _skip_space(text, position + 1)
    while position < len(text) and text[position] != closing:
        key = None
        if closing == "}":
            key, position = _JSON_STRINGS.raw_decode(text, position)
            position = _skip_space(text, position) + 1  # past the colon
            position = _skip_space(text, position)
        _, end = _JSON_SKIPPER.raw_decode(text, position)
        yield key, position, end
        position = _skip_space(text, end)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)


def _json_lines(text: str) -> tuple[list[tuple[int, Mapping[str, int]]], dict[str, tuple[int, Mapping[str, int]]]]:
    """The line of each record's and each named source's opening brace.

    Runs on text json.loads has already accepted, so it can trust the syntax and
    the nesting; values are skipped with the C scanner, so it stays fast on the
    largest file allowed. Field lines are not tracked: messages give the record's.
    """
    lines = _JsonLines(text)
    start = _skip_space(text, 0)
    records_at: int | None = start if text.startswith("[", start) else None
    sources_at: int | None = None
    if text.startswith("{", start):
        for key, position, _ in _json_members(text, start, "}"):
            if key == "records" and text.startswith("[", position):
                records_at = position
            elif key == "sources" and text.startswith("{", position):
                sources_at = position
    record_starts = [] if records_at is None else [p for _, p, _ in _json_members(text, records_at, "]")]
    source_starts = [] if sources_at is None else [(k, p) for k, p, _ in _json_members(text, sources_at, "}")]
    # Count lines in position order (sources may come before or after the records).
    found: dict[int, int] = {}
    for position in sorted(record_starts + [p for _, p in source_starts]):
        found[position] = lines.at(position)
    record_lines: list[tuple[int, Mapping[str, int]]] = [(found[p], {}) for p in record_starts]
    source_lines: dict[str, tuple[int, Mapping[str, int]]] = {str(k): (found[p], {}) for k, p in source_starts}
    # In minified JSON every record is on line 1: a line names none, the position (#3) does.
    if len({line for line, _ in record_lines}) < len(record_lines):
        record_lines = []
    if len({line for line, _ in source_lines.values()}) < len(source_lines):
        source_lines = {}
    return record_lines, source_lines


_FORMATS_HINT = (
    "claims files are YAML or JSON; `contested-map statements --format json` prints a file you can edit and load back"
)


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 text (a BOM is allowed); other encodings get a message saying what to do."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if raw.startswith(bom):
            raise DataError(f"{path}: not UTF-8 text: the file is {name}; save it as UTF-8")
    if b"\x00" in raw[:4096]:
        raise DataError(
            f"{path}: not UTF-8 text: it contains NUL bytes (UTF-16 without a byte order "
            f"mark, or a binary file); save it as UTF-8"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            f"{path}: not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}, column {column} "
            f"(byte {exc.start}) is not UTF-8 (Latin-1 or Windows-1252?); save the file as UTF-8"
        ) from None


def read_document(path: Path) -> Document:
    """Read and parse one claims file; DataError for anything unreadable.

    Memory stays bounded whatever the file: the size is checked before
    reading, and at most the limit plus one byte is ever read.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = " (CSV cannot hold a record's lists and source)" if suffix in {".csv", ".tsv"} else ""
        raise DataError(
            f"{path}: expected a .yaml, .yml or .json claims file, got "
            f"{_show(suffix or path.name)}{hint}; {_FORMATS_HINT}"
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError(f"{path}: claims file not found") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read claims file ({getattr(exc, 'strerror', None) or exc})") from None
    if not path.is_file():
        raise DataError(f"{path}: not a file")
    limit = MAX_YAML_BYTES if suffix != ".json" else MAX_FILE_BYTES
    if size > MAX_FILE_BYTES:
        raise DataError(f"{path}: claims file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
    if size > limit:
        raise DataError(
            f"{path}: YAML claims file is {size / 1e6:.1f} MB; the limit for YAML is "
            f"{limit / 1e6:.0f} MB (JSON: {MAX_FILE_BYTES / 1e6:.0f} MB), so convert it to JSON"
        )
    try:
        with path.open("rb") as handle:
            chunks = [handle.read(min(size, limit) + 1)]
            read = len(chunks[0])
            while read <= limit and chunks[-1]:  # the file grew since stat(): read on, up to the limit
                chunks.append(handle.read(min(1 << 16, limit + 1 - read)))
                read += len(chunks[-1])
        raw = b"".join(chunks)
    except OSError as exc:
        raise DataError(f"{path}: cannot read claims file ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise DataError(f"{path}: claims file is larger than the limit of {limit / 1e6:.0f} MB")
    text = _decode(path, raw)
    del raw
    try:
        if suffix == ".json":
            return _json_document(text)
        return _yaml_document(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except _TooDeep:
        raise DataError(f"{path}: nested too deeply to be a claims file (more than {MAX_NESTING} levels)") from None
    except _TooBig as exc:
        raise DataError(f"{path}: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DataError(f"{path}: invalid YAML{where}: {one_line(exc.problem or exc)}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise DataError(
            f"{path}: invalid YAML at line {line}: character {_show(char)} is not allowed in YAML"
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: invalid YAML: {one_line(exc)}") from None
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a claims file") from None
    except ValueError as exc:  # from the JSON hooks: long numbers, NaN
        raise DataError(f"{path}: invalid JSON: {one_line(exc)}") from None


def one_line(value: Any) -> str:
    return " ".join(str(value).split())[:300]
