"""`pybabel extract`'s method for the source catalogue, `en.py` (mapped in babel.cfg).

`en.py` is a dict literal, key -> English template, not calls to gettext, so
Babel's Python extractor would find nothing in it. This one reads the dict
(without importing it) and yields each template with its key as the message
context, the way `Text` looks it up; a pair `X.one` / `X.other` is one plural
entry with context `X`. Each entry's comment names its placeholders, which the
translation must keep.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from dashboard.text.locales import is_plural_key, plural_bases

__all__ = ["extract_catalogue", "placeholders"]

#: Babel's default keywords: pgettext(context, message), npgettext(context, singular, plural, n).
_SINGLE, _PLURAL = "pgettext", "npgettext"


def placeholders(template: str) -> frozenset[str]:
    """The `{name}` and `{name!r}` fields of a template, as written ("value!r")."""
    return frozenset(
        f"{name}!{conversion}" if conversion else name
        for _, name, _, conversion in string.Formatter().parse(template)
        if name is not None
    )


def _catalogue_entries(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, key, template) for each entry of the module's `CATALOGUE = {...}` literal."""
    for node in ast.walk(ast.parse(source)):
        target = (
            node.target
            if isinstance(node, ast.AnnAssign)
            else node.targets[0]
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            else None
        )
        if isinstance(target, ast.Name) and target.id == "CATALOGUE" and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if key is None:
                    raise ValueError(f"line {node.lineno}: CATALOGUE must not use ** unpacking")
                yield key.lineno, ast.literal_eval(key), ast.literal_eval(value)


def _comment(*templates: str) -> list[str]:
    names = sorted(set().union(*map(placeholders, templates)))
    return [f"placeholders: {', '.join('{' + n + '}' for n in names)}"] if names else []


def extract_catalogue(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, tuple[str, ...], list[str]]]:
    """Babel extraction method: (line, function, (context, msgid[, msgid_plural]), comments)."""
    entries = list(_catalogue_entries(fileobj.read().decode(options.get("encoding", "utf-8"))))
    templates = {key: template for _, key, template in entries}
    bases = plural_bases(templates)
    for line, key, template in entries:
        plural = is_plural_key(key, bases)
        if plural is not None:
            base, form = plural
            if form == "one":
                other = templates[f"{base}.other"]
                yield line, _PLURAL, (base, template, other), _comment(template, other)
            continue  # `other` is part of its `one` entry
        yield line, _SINGLE, (key, template), _comment(template)
