"""Reading claims files safely: size, encoding, nesting and YAML bombs, before any validation.

A claims file is edited by hand and may come from anyone, so reading it is
bounded in memory and time whatever it holds, and every failure is a
DataError that names the file and, where there is one, the line.
dashboard/claims.py validates what this module returns.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dashboard.core.dates import short_repr
from dashboard.core.errors import DataError

# Moderate guards against huge or hostile files; real claims files are kilobytes.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: YAML is parsed in pure Python (about 0.5 MB/s, with a node tree many times
#: the file's size), so YAML files get a tighter limit than JSON.
MAX_YAML_BYTES = 2 * 1024 * 1024
#: Real files nest 4 levels deep (file, records, record, source); deeper is hostile.
MAX_NESTING = 50
#: Keys in one mapping after YAML merge keys (`<<`) are expanded: stops merge bombs.
MAX_MAPPING_KEYS = 1000
#: Key/value pairs copied through merge keys (`<<`) in one document: stops merge
#: amplification, where many small mappings each merge one large one.
MAX_MERGED_KEYS = 200_000
#: Nodes (values, lists, mappings, alias uses) in one YAML document. PyYAML keeps
#: every node with its position (about half a kilobyte each); real claims files
#: average about 28 bytes a node, so a 2 MB file holds some 75,000.
MAX_DOCUMENT_NODES = 200_000
#: Digits in one integer: Python refuses to convert more than 4300 anyway.
MAX_NUMBER_CHARS = 40
SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".json")


def _show(value: Any, limit: int = 60) -> str:
    if isinstance(value, date):
        value = value.isoformat()
    return short_repr(value, limit)


@dataclass(frozen=True)
class Document:
    """A parsed file: its data and, for YAML, the line of each record and source."""

    data: Any
    record_lines: Sequence[tuple[int, Mapping[str, int]]] = ()
    source_lines: Mapping[str, tuple[int, Mapping[str, int]]] = field(default_factory=dict)


def _mapping_lines(node: yaml.Node) -> tuple[int, Mapping[str, int]]:
    fields = {}
    if isinstance(node, yaml.MappingNode):
        fields = {key.value: key.start_mark.line + 1
                  for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return node.start_mark.line + 1, fields


class Fields(dict):
    """A mapping read from a file that remembers the keys it was given more than once.

    YAML and JSON both keep the last of two equal keys without a word, so a
    hand-edited record with two `summary:` lines would silently lose one.
    """

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Any, Any]]) -> Fields:
        pairs = list(pairs)
        fields = cls(pairs)
        if len(fields) < len(pairs):
            counts = Counter(key for key, _ in pairs)
            fields.duplicates = tuple(str(key) for key, count in counts.items() if count > 1)
        return fields


class _TooDeep(yaml.scanner.ScannerError):
    pass


class _TooBig(yaml.YAMLError):
    """The document is past a per-document budget; the message says which, at which line."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        where = f" (at line {mark.line + 1})" if mark is not None else ""
        super().__init__(message + where)


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _ClaimsLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader (no tags that run code) with limits for hostile files.

    - Nesting deeper than MAX_NESTING stops at once in the scanner: PyYAML's
      scanner is quadratic in the nesting depth and its composer recursive, so
      100,000 `[` would otherwise take a minute and end in RecursionError
      (libyaml's CSafeLoader crashes the process outright, so it is not used).
    - A mapping may not grow past MAX_MAPPING_KEYS through merge keys (`<<`),
      which would otherwise copy nodes exponentially (a "merge bomb").
    - The whole document is bounded while it is built (issue 10, item 4): at most
      MAX_DOCUMENT_NODES nodes composed and MAX_MERGED_KEYS key/value pairs
      copied by merge keys, so many mappings each merging one large mapping
      (linear, not exponential, but 1.9 GB from 190 KB) stop early too.
      Plain aliases (billion laughs) are harmless here: they share objects,
      and messages print values through a bounded repr.
    - Integers longer than MAX_NUMBER_CHARS are errors with a line number.
    - An invalid unquoted date (`2022-02-30`) stays text, so the validator
      names the record and field instead of PyYAML raising ValueError.
    - Mappings remember duplicate keys (Fields).
    """

    def _check_depth(self) -> None:
        if self.flow_level + len(self.indents) >= MAX_NESTING:
            raise _TooDeep(None, None, f"nested more than {MAX_NESTING} levels deep", self.get_mark())

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # noqa: N803 (PyYAML's name)
        self._check_depth()
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        added = super().add_indent(column)
        if added:
            self._check_depth()
        return added

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._merged = 0
        #: Pairs each composed mapping will hold once its merge keys are expanded.
        self._expanded: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._nodes += 1
        if self._nodes > MAX_DOCUMENT_NODES:
            raise _TooBig(f"the document has more than {MAX_DOCUMENT_NODES:,} values (including alias uses); "
                          f"split it or convert it to JSON", self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: str | None) -> yaml.MappingNode:
        """Charge the pairs a mapping's merge keys will copy as soon as it is read.

        Counting here, before the rest of the file is even parsed, stops the
        issue's 20,000 lines of `- <<: *a` at line 202 instead of after the
        whole document is built. flatten_mapping copies exactly what is charged.
        """
        node = super().compose_mapping_node(anchor)
        size = 0
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                size += 1
                continue
            sources = [value_node] if isinstance(value_node, yaml.MappingNode) else \
                value_node.value if isinstance(value_node, yaml.SequenceNode) else []
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    pairs = self._expanded.get(id(source), len(source.value))
                    self._merged += max(pairs, 1)  # merging an empty mapping still costs a step
                    if self._merged > MAX_MERGED_KEYS:
                        raise _TooBig(f"the document expands to more than {MAX_MERGED_KEYS:,} keys through "
                                      f"YAML aliases and merge keys (<<); write the records out",
                                      node.start_mark)
                    size += pairs
        self._expanded[id(node)] = size
        return node

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """PyYAML's merge-key expansion, bounded per mapping (the document's budget was
        charged when the mapping was composed).

        Same precedence as PyYAML (before 6.0.4's de-duplication, which can drop a
        key that should win): a mapping's own keys override merged ones, and of
        `<<: [*a, *b]` the first mapping wins. Linear in the pairs copied, where
        PyYAML deletes merge keys one by one from a list (quadratic).
        """
        if not any(key.tag == _MERGE_TAG for key, _ in node.value):  # the common case: nothing to copy
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:value":
                    key_node.tag = "tag:yaml.org,2002:str"
            self._check_size(node, len(node.value))
            return
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        own: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                if key_node.tag == "tag:yaml.org,2002:value":
                    key_node.tag = "tag:yaml.org,2002:str"
                own.append((key_node, value_node))
                continue
            if isinstance(value_node, yaml.MappingNode):
                sources = [value_node]
            elif isinstance(value_node, yaml.SequenceNode):
                sources = list(reversed(value_node.value))
            else:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"expected a mapping or list of mappings for merging, but found {value_node.id}",
                    value_node.start_mark)
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        f"expected a mapping for merging, but found {source.id}", source.start_mark)
                self.flatten_mapping(source)
                self._check_size(node, len(merged) + len(source.value) + len(own))
                merged.extend(source.value)
        self._check_size(node, len(merged) + len(own))
        node.value = merged + own

    @staticmethod
    def _check_size(node: yaml.MappingNode, size: int) -> None:
        if size > MAX_MAPPING_KEYS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a mapping has more than {MAX_MAPPING_KEYS} keys (merge keys expand too far)",
                node.start_mark)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except (ValueError, TypeError, AttributeError, OverflowError, LookupError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            detail = " ".join(str(exc).split())[:120]
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_show(node.value)} as {kind} ({detail})", node.start_mark) from None

    def construct_claims_int(self, node: yaml.ScalarNode) -> Any:
        if isinstance(node.value, str) and len(node.value) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number with {len(node.value)} characters (at most {MAX_NUMBER_CHARS})",
                node.start_mark)
        return self.construct_yaml_int(node)

    def construct_claims_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError, AttributeError):
            return self.construct_scalar(node)  # "2022-02-30": the validator says what is wrong

    def construct_claims_map(self, node: yaml.MappingNode) -> Any:
        data = Fields()
        yield data
        keys = [key.value for key, _ in node.value
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge"]
        data.update(self.construct_mapping(node))
        if len(set(keys)) < len(keys):
            data.duplicates = tuple(str(key) for key, count in Counter(keys).items() if count > 1)


_ClaimsLoader.add_constructor("tag:yaml.org,2002:int", _ClaimsLoader.construct_claims_int)
_ClaimsLoader.add_constructor("tag:yaml.org,2002:timestamp", _ClaimsLoader.construct_claims_timestamp)
_ClaimsLoader.add_constructor("tag:yaml.org,2002:map", _ClaimsLoader.construct_claims_map)


def _yaml_document(text: str) -> Document:
    """Parse YAML safely, keeping line numbers of records for messages."""
    loader = _ClaimsLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    records_node: yaml.Node | None = node if isinstance(node, yaml.SequenceNode) else None
    source_lines: dict[str, tuple[int, Mapping[str, int]]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "records" and isinstance(value, yaml.SequenceNode):
                records_node = value
            if getattr(key, "value", None) == "sources" and isinstance(value, yaml.MappingNode):
                source_lines = {k.value: _mapping_lines(v) for k, v in value.value
                                if isinstance(k, yaml.ScalarNode)}
    record_lines = [_mapping_lines(item) for item in records_node.value] if records_node else []
    return Document(data, record_lines, source_lines)


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number with {len(text)} characters (at most {MAX_NUMBER_CHARS})")
    return int(text)


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _json_document(text: str) -> Document:
    data = json.loads(text, object_pairs_hook=Fields.from_pairs, parse_int=_json_int,
                      parse_constant=_json_constant)
    record_lines, source_lines = _json_lines(text)
    return Document(data, record_lines, source_lines)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
#: Skips values without building them: only their extent is needed.
_JSON_SKIPPER = json.JSONDecoder(object_pairs_hook=lambda pairs: None, parse_int=lambda text: None,
                                 parse_float=lambda text: None, parse_constant=lambda name: None)


class _JsonLines:
    """Line numbers of positions in a JSON text, counted forward as positions grow."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line = text, 0, 1

    def at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _json_members(text: str, position: int, closing: str) -> Iterator[tuple[str | None, int, int]]:
    """(key or None, start, end) of each item of the array or object opening at `position`."""
    position = _JSON_SPACE.match(text, position + 1).end()
    while position < len(text) and text[position] != closing:
        key = None
        if closing == "}":
            key, position = json.decoder.scanstring(text, position + 1)
            position = _JSON_SPACE.match(text, position).end() + 1  # past the colon
            position = _JSON_SPACE.match(text, position).end()
        _, end = _JSON_SKIPPER.raw_decode(text, position)
        yield key, position, end
        position = _JSON_SPACE.match(text, end).end()
        if position < len(text) and text[position] == ",":
            position = _JSON_SPACE.match(text, position + 1).end()


def _json_lines(text: str) -> tuple[list[tuple[int, Mapping[str, int]]], dict[str, tuple[int, Mapping[str, int]]]]:
    """The line of each record's and each named source's opening brace (issue 10, item 15).

    Runs on text json.loads has already accepted, so it can trust the syntax and
    the nesting; values are skipped with the C scanner, so it stays fast on the
    largest file allowed. Field lines are not tracked: messages give the record's.
    """
    lines = _JsonLines(text)
    start = _JSON_SPACE.match(text).end()
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
    record_lines = [(found[p], {}) for p in record_starts]
    source_lines = {str(k): (found[p], {}) for k, p in source_starts}
    # In minified JSON every record is on line 1: a line names none, the position (#3) does.
    if len({line for line, _ in record_lines}) < len(record_lines):
        record_lines = []
    if len({line for line, _ in source_lines.values()}) < len(source_lines):
        source_lines = {}
    return record_lines, source_lines


_FORMATS_HINT = ("claims files are YAML or JSON; `contested-map statements --format json` prints "
                 "a file you can edit and load back")


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 text (a BOM is allowed); other encodings get a message saying what to do."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            raise DataError(f"{path}: not UTF-8 text: the file is {name}; save it as UTF-8")
    if b"\x00" in raw[:4096]:
        raise DataError(f"{path}: not UTF-8 text: it contains NUL bytes (UTF-16 without a byte order "
                        f"mark, or a binary file); save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(f"{path}: not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}, column {column} "
                        f"(byte {exc.start}) is not UTF-8 (Latin-1 or Windows-1252?); save the file as UTF-8") \
            from None


def read_document(path: Path) -> Document:
    """Read and parse one claims file; DataError for anything unreadable.

    Memory stays bounded whatever the file: the size is checked before
    reading, and at most the limit plus one byte is ever read.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = " (CSV cannot hold a record's lists and source)" if suffix in {".csv", ".tsv"} else ""
        raise DataError(f"{path}: expected a .yaml, .yml or .json claims file, got "
                        f"{_show(suffix or path.name)}{hint}; {_FORMATS_HINT}")
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
        raise DataError(f"{path}: claims file is {size / 1e6:.1f} MB; the limit is "
                        f"{MAX_FILE_BYTES / 1e6:.0f} MB")
    if size > limit:
        raise DataError(f"{path}: YAML claims file is {size / 1e6:.1f} MB; the limit for YAML is "
                        f"{limit / 1e6:.0f} MB (JSON: {MAX_FILE_BYTES / 1e6:.0f} MB), so convert it to JSON")
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
        raise DataError(f"{path}: nested too deeply to be a claims file (more than {MAX_NESTING} "
                        f"levels)") from None
    except _TooBig as exc:
        raise DataError(f"{path}: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DataError(f"{path}: invalid YAML{where}: {one_line(exc.problem or exc)}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise DataError(f"{path}: invalid YAML at line {line}: character {_show(char)} is not allowed "
                        f"in YAML") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: invalid YAML: {one_line(exc)}") from None
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a claims file") from None
    except ValueError as exc:  # from the JSON hooks: long numbers, NaN
        raise DataError(f"{path}: invalid JSON: {one_line(exc)}") from None


def one_line(value: Any) -> str:
    return " ".join(str(value).split())[:300]
