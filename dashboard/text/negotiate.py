"""Which language a request gets: `?lang=` if it names one we have, else the browser's
`Accept-Language`, else English. Pure: strings in, a language code out.

`Accept-Language` is read as RFC 9110 says: comma-separated language ranges,
each with an optional weight `;q=` from 0 to 1 (1 when absent); q=0 means "not
this one"; ties keep the header's order. The best-weighted range that names an
available language wins; a regional range ("uk-UA") matches its language ("uk")
through Babel's `negotiate_locale`. Malformed parts are skipped, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from babel.core import negotiate_locale

from dashboard.text import DEFAULT_LANG, LANGUAGES

__all__ = ["choose_lang", "parse_accept_language", "query_lang"]

#: Longest header and most ranges read: a browser sends a few; anything longer is cut, not refused.
MAX_HEADER_CHARS = 1024
MAX_RANGES = 32
_RANGE = re.compile(r"^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
_WEIGHT = re.compile(r"^[qQ]\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


def parse_accept_language(header: str | None) -> list[str]:
    """The language ranges of an `Accept-Language` header, best first, without q=0 and `*`:
    "uk-UA,uk;q=0.9,en;q=0.8" -> ["uk-UA", "uk", "en"]."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "")[:MAX_HEADER_CHARS].split(",")[:MAX_RANGES]):
        tag, *params = (p.strip() for p in part.split(";"))
        if not _RANGE.match(tag) or tag == "*":
            continue
        weight = 1.0
        for param in params:
            found = _WEIGHT.match(param)
            if found is None:
                weight = -1.0  # a malformed weight: the range is skipped
                break
            weight = float(found.group(1))
        if weight > 0:
            ranked.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def query_lang(value: str | None, available: Sequence[str] = LANGUAGES) -> str | None:
    """The language `?lang=` names ("uk", "UK", "uk-UA", "pt_BR"), or None when it names none we have."""
    tag = (value or "").strip().replace("_", "-")
    if not tag or len(tag) > 35 or tag == "*" or not _RANGE.match(tag):
        return None
    return _negotiate([tag], available)


def choose_lang(
    query: str | None, accept_language: str | None, available: Sequence[str] = LANGUAGES, default: str = DEFAULT_LANG
) -> str:
    """`?lang=` when it names an available language, else the best `Accept-Language` match, else `default`."""
    chosen = query_lang(query, available)
    if chosen is None:
        preferred = parse_accept_language(accept_language)
        chosen = _negotiate(preferred, available)
    return chosen or default


def _negotiate(preferred: Sequence[str], available: Sequence[str]) -> str | None:
    """Babel's match of ranges to languages, spelled as `available` spells it ("UK" -> "uk";
    "pt-BR" -> a catalogue directory "pt_BR")."""
    if not preferred:
        return None
    spelled = {lang.replace("_", "-").lower(): lang for lang in available}
    found = negotiate_locale(list(preferred), list(spelled), sep="-", aliases=None)
    return spelled.get(found.lower()) if found else None
