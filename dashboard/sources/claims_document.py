"""What reading a claims file yields (`Document`, `Fields`) and the limits every reader keeps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from dashboard.core.dates import short_repr

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
        fields = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return node.start_mark.line + 1, fields


class Fields(dict[Any, Any]):  # keys as the file gives them: a non-string key is reported later
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
