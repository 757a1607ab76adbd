"""Text search over the records: the one rule for what `q` (the statements search) matches.

A record matches when every word of the query occurs in its speaker, quote,
summary, publisher or region names (`claims.searchable_parts`), ignoring case and accents
("zelensky" finds "Zelenskyy", "kyiv" finds "Kyïv", "ДОНЕЦЬК" finds "Донецьк"). The searchable text of each record is
normalised once, when the records are loaded (`search_text`, the columnar
view's `search` column); a query is then a few vectorised substring tests, so
10,000 records take a few milliseconds.

Pure: no words shown to users here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["MAX_QUERY_LENGTH", "clean_query", "normalise", "query_terms", "search_mask", "search_text"]

#: Longer search text is cut to this many characters: no useful query comes near it.
MAX_QUERY_LENGTH = 200
#: At most this many words are matched (each one is a pass over the records).
MAX_TERMS = 12

# Control characters (C0, DEL, C1) and the bidirectional overrides, isolates and marks:
# none belongs in a search and some would reorder the text shown back in the box.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def clean_query(value: object) -> str:
    """A search as typed or sent in the URL, made safe: text only, controls removed,
    runs of white space as one space, at most MAX_QUERY_LENGTH characters. Not a
    string: the empty search."""
    if not isinstance(value, str):
        return ""
    text = _SPACES.sub(" ", _CONTROLS.sub(" ", value)).strip()
    return text[:MAX_QUERY_LENGTH].rstrip()


def normalise(text: str) -> str:
    """Case and accents folded: casefold, then NFKD with the combining marks dropped.

    "Zelenskyy" -> "zelenskyy", "Kyïv" -> "kyiv", "Straße" -> "strasse",
    "Й" -> "и" (the breve is a combining mark too: "Донецький" matches "донецкии").
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_text(parts: Iterable[str | None]) -> str:
    """What a record's search matches against (`claims.searchable_parts`), normalised
    and joined by a line break (which no query contains, so no word spans two fields)."""
    return "\n".join(normalise(part) for part in parts if part)


def query_terms(query: str) -> tuple[str, ...]:
    """The distinct normalised words of a search (all must match); () for an empty one."""
    words = normalise(clean_query(query)).split()
    return tuple(dict.fromkeys(words))[:MAX_TERMS]


def search_mask(column: pd.Series, query: str) -> np.ndarray:
    """Per row of `column` (each a `search_text`): does it contain every word of `query`?

    An empty query matches every row. Substring tests, not regular expressions:
    a query is text, never a pattern.
    """
    mask = np.ones(len(column), dtype=bool)
    for term in query_terms(query):
        mask &= column.str.contains(term, regex=False).to_numpy(dtype=bool, na_value=False)
    return mask
