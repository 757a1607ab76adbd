"""Date phrases in article text, and which one dates an attribution.

Found: "on Tuesday", "yesterday", "today", "last September", "last month",
"last year", "this year", "in 2014", "in September 2022", "in March",
"on Nov. 11", "on Sept. 30, 2022", "June 14" and "14 June 2024". Each is
resolved against the dateline by `dashboard.sources.date_phrases.resolve_phrase`,
the same rules the claims loader checks `date_phrase` with.
A phrase dates a quotation only when it belongs to the attribution: right
before or after the speech verb or the speaker ("Peskov said on Tuesday",
"The Kremlin on Tuesday repeated", "said on Nov. 11 that"), or opening the
sentence ("On Sept. 30, Putin said ..."). A date elsewhere in the sentence is
usually what the words are about, not when they were said.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dashboard.core.dates import PartialDate, PartialDateError
from dashboard.sources.date_phrases import resolve_phrase

__all__ = ["DatePhrase", "attribution_date", "find_date_phrases"]

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PHRASE = re.compile(
    rf"(?<![\w-])(?:"
    rf"(?:on\s+)?{_WEEKDAY}"
    rf"|yesterday|today|last\s+(?:year|month)|this\s+year"
    rf"|last\s+{_MONTH}(?!\s+\d)"
    rf"|(?:on\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?![\d-])"
    rf"|(?:on\s+)?\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?(?![\d-])"
    rf"|in\s+{_MONTH}(?:\s+\d{{4}})?(?![\d-])"
    rf"|in\s+\d{{4}}(?![\d-])"
    rf")(?![\w-])",
    re.IGNORECASE,
)
#: What may stand between an attribution and its date phrase: nothing, "reporters", a comma.
_NEAR = re.compile(r"[\s,]*(?:(?:told|to)\s+)?(?:reporters|journalists)?[\s,]*(?:that\s+)?")


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    words: str
    date: PartialDate


def find_date_phrases(text: str, start: int, end: int, dateline: dt.date) -> list[DatePhrase]:
    """Phrases in text[start:end] that resolve against the dateline (others are left alone)."""
    found: list[DatePhrase] = []
    for match in _PHRASE.finditer(text, start, end):
        words = " ".join(match.group().split())
        try:
            date = resolve_phrase(words, dateline)
        except PartialDateError:
            continue
        if date.start <= dateline:
            found.append(DatePhrase(match.start(), match.end(), words, date))
    return found


def attribution_date(
    text: str, phrases: list[DatePhrase], spans: list[tuple[int, int]], sentence_start: int
) -> DatePhrase | None:
    """The phrase that belongs to the attribution made of `spans` (speaker and verb), if any."""
    for phrase in phrases:
        for left, right in spans:
            if _NEAR.fullmatch(text, right, phrase.start) or _NEAR.fullmatch(text, phrase.end, left):
                return phrase
        if phrase.start == sentence_start and text[phrase.end : phrase.end + 1] == ",":
            return phrase
    return None
