"""A YAML loader for claims files that bounds the work of any document, hostile or not.

Limits: nesting depth, keys per mapping, nodes per
document and keys copied through merge keys (`<<`), all counted while the
document is built, so a bomb is refused before it costs memory or time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import yaml

from dashboard.sources.claims_document import (
    MAX_DOCUMENT_NODES,
    MAX_MAPPING_KEYS,
    MAX_MERGED_KEYS,
    MAX_NESTING,
    MAX_NUMBER_CHARS,
    Document,
    Fields,
    _mapping_lines,
    _show,
)


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
    - The whole document is bounded while it is built: at most
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

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
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

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._nodes += 1
        if self._nodes > MAX_DOCUMENT_NODES:
            raise _TooBig(
                f"the document has more than {MAX_DOCUMENT_NODES:,} values (including alias uses); "
                f"split it or convert it to JSON",
                self.peek_event().start_mark,
            )
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:  # the anchor's name or None
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
            sources = (
                [value_node]
                if isinstance(value_node, yaml.MappingNode)
                else value_node.value
                if isinstance(value_node, yaml.SequenceNode)
                else []
            )
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    pairs = self._expanded.get(id(source), len(source.value))
                    self._merged += max(pairs, 1)  # merging an empty mapping still costs a step
                    if self._merged > MAX_MERGED_KEYS:
                        raise _TooBig(
                            f"the document expands to more than {MAX_MERGED_KEYS:,} keys through "
                            f"YAML aliases and merge keys (<<); write the records out",
                            node.start_mark,
                        )
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
                    "while constructing a mapping",
                    node.start_mark,
                    f"expected a mapping or list of mappings for merging, but found {value_node.id}",
                    value_node.start_mark,
                )
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"expected a mapping for merging, but found {source.id}",
                        source.start_mark,
                    )
                self.flatten_mapping(source)
                self._check_size(node, len(merged) + len(source.value) + len(own))
                merged.extend(source.value)
        self._check_size(node, len(merged) + len(own))
        node.value = merged + own

    @staticmethod
    def _check_size(node: yaml.MappingNode, size: int) -> None:
        if size > MAX_MAPPING_KEYS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a mapping has more than {MAX_MAPPING_KEYS} keys (merge keys expand too far)",
                node.start_mark,
            )

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except (ValueError, TypeError, AttributeError, OverflowError, LookupError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            detail = " ".join(str(exc).split())[:120]
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_show(node.value)} as {kind} ({detail})", node.start_mark
            ) from None

    def construct_claims_int(self, node: yaml.ScalarNode) -> Any:
        if isinstance(node.value, str) and len(node.value) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number with {len(node.value)} characters (at most {MAX_NUMBER_CHARS})", node.start_mark
            )
        return self.construct_yaml_int(node)

    def construct_claims_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError, AttributeError):
            return self.construct_scalar(node)  # "2022-02-30": the validator says what is wrong

    def construct_claims_map(self, node: yaml.MappingNode) -> Any:
        data = Fields()
        yield data
        keys = [
            key.value
            for key, _ in node.value
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge"
        ]
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
                source_lines = {k.value: _mapping_lines(v) for k, v in value.value if isinstance(k, yaml.ScalarNode)}
    record_lines = [_mapping_lines(item) for item in records_node.value] if records_node else []
    return Document(data, record_lines, source_lines)
