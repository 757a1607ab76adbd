"""Which characters text may hold: none that XML forbids (SVG, PDF metadata and HTML are XML-ish).

Control characters other than tab and line breaks, lone surrogates (a str can hold them; no
encoder can write them) and the noncharacters U+FFFE/U+FFFF are never valid text: a title holding
one made the export browser fail on the SVG it was drawing. Data files refuse them
(sources/claims_schema.py); text typed into a field is cleaned of them (`clean_text`).
"""

from __future__ import annotations

import re

__all__ = ["BAD_CHARS", "clean_text"]

#: Control characters (other than tab and line breaks), lone surrogates and U+FFFE/U+FFFF.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without the characters BAD_CHARS matches (everything else kept as typed)."""
    return BAD_CHARS.sub("", text)
