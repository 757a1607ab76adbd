"""Direct quotations and sentences in an article body.

Quotation marks: straight ("..."), curly (“...”), guillemets («...») and
single quotes ('...' and ‘...’). A single quote opens only before a letter or
digit after a space or the paragraph's start, and closes only where no letter
follows, so apostrophes (Putin’s, won't, Ukrainians’) are never quote marks.
A quotation inside another one ("The game 'let’s discuss...' will not work")
is part of the outer quote. A quotation left open at the end of its paragraph
(a truncated excerpt) is not a quote: its words cannot be checked.
Sentences never end inside a quotation.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Quote", "find_quotes", "sentence_spans", "split_long"]

#: Opening mark -> the closing marks that end it.
_PAIRS: dict[str, str] = {'"': '"', "“": '”"', "«": "»", "‘": "’'", "'": "'’", "„": "“”"}
_SINGLE = {"‘", "'"}
#: Words whose full stop does not end a sentence ("Nov. 11", "U.S. officials", "St. George").
_ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "sgt",
        "rep",
        "sen",
        "gov",
        "pres",
        "prof",
        "no",
        "vs",
        "etc",
        "jr",
        "sr",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "approx",
        "est",
    ]
)
_LAST_WORD = re.compile(r"([\w.]+)\.$")
_BOUNDARY = re.compile(r"([.!?…][.!?…\"”»’']*)\s+")
_OPENING = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
_ANY_MARK = re.compile("[" + re.escape("".join(set("".join(_PAIRS.values())))) + "]")


@dataclass(frozen=True)
class Quote:
    """A quotation: body offsets of its words (without the marks), the words, its paragraph."""

    start: int
    end: int
    text: str
    paragraph: int
    mark: str


def _closers(body: str, start: int, end: int) -> dict[str, list[int]]:
    """For each opening mark, the positions in start..end where a mark could close it.

    Whether a mark closes depends only on its neighbours, so each paragraph is scanned once
    and every opening finds its closer by bisection (a paragraph of a million
    unclosed marks stays fast)."""
    at: dict[str, list[int]] = {}
    for match in _ANY_MARK.finditer(body, start, end):
        at.setdefault(match.group(), []).append(match.start())
    singles = sorted(
        i
        for ch in "’'"
        for i in at.get(ch, ())
        if i > start and body[i - 1] != " " and not (i + 1 < end and body[i + 1].isalnum())
    )
    found = {
        mark: sorted(i for ch in closers for i in at.get(ch, ()))
        for mark, closers in _PAIRS.items()
        if mark not in _SINGLE
    }
    found.update(dict.fromkeys(_SINGLE, singles))
    return found


def _opens(body: str, i: int, start: int, end: int) -> bool:
    ch = body[i]
    after = body[i + 1] if i + 1 < end else " "
    if ch in _SINGLE:
        before = body[i - 1] if i > start else " "
        return (before.isspace() or before in "([—–-:") and after.isalnum()
    return ch in _PAIRS


def find_quotes(body: str, paragraphs: tuple[tuple[int, int], ...]) -> list[Quote]:
    """Every closed quotation, in order, with its words trimmed of spaces and a trailing comma."""
    found: list[Quote] = []
    for number, (start, end) in enumerate(paragraphs):
        closers = _closers(body, start, end)
        position = start
        for match in _OPENING.finditer(body, start, end):
            i = match.start()
            if i < position or not _opens(body, i, start, end):
                continue
            candidates = closers[body[i]]
            k = bisect.bisect_right(candidates, i)
            if k == len(candidates):
                continue
            close = candidates[k]
            left, right = i + 1, close
            while left < right and body[left].isspace():
                left += 1
            while right > left and (body[right - 1].isspace() or body[right - 1] == ","):
                right -= 1
            if any(ch.isalnum() for ch in body[left:right]):
                found.append(Quote(left, right, body[left:right], number, body[i]))
            position = close + 1
    return found


def _ends_sentence(text: str, i: int) -> bool:
    """Whether the terminal mark at `text[i]` ends a sentence (not "Nov." or "U.S.")."""
    if text[i] != ".":
        return True
    match = _LAST_WORD.search(text, max(0, i - 40), i + 1)
    word = match.group(1).lower() if match else ""
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def sentence_spans(text: str, start: int, end: int, protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentences of `text[start:end]` as (start, end) spans; no sentence ends inside a protected span
    (`protected` in text order)."""
    spans: list[tuple[int, int]] = []
    lefts = [left for left, _ in protected]
    begin = start
    for match in _BOUNDARY.finditer(text, start, end):
        i, after = match.start(), match.end()
        k = bisect.bisect_right(lefts, i) - 1
        if k >= 0 and protected[k][0] <= i < protected[k][1]:
            continue
        if (
            after < end
            and (text[after].isupper() or text[after].isdigit() or text[after] in _PAIRS)
            and _ends_sentence(text, i)
        ):
            spans.append((begin, match.end(1)))
            begin = after
    if begin < end:
        spans.append((begin, end))
    return spans


def split_long(quote: Quote, limit: int) -> list[Quote]:
    """A quote longer than `limit` characters as runs of whole sentences, each at most `limit`
    where its sentences allow (a single longer sentence stays whole)."""
    if len(quote.text) <= limit:
        return [quote]
    parts: list[tuple[int, int]] = []
    run: tuple[int, int] | None = None
    for left, right in sentence_spans(quote.text, 0, len(quote.text)):
        if run is not None and right - run[0] > limit:
            parts.append(run)
            run = None
        run = (left, right) if run is None else (run[0], right)
    if run is not None:
        parts.append(run)
    return [
        Quote(quote.start + a, quote.start + b, quote.text[a:b].rstrip(", "), quote.paragraph, quote.mark)
        for a, b in parts
    ]
