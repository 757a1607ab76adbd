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

import re
from dataclasses import dataclass

__all__ = ["Quote", "find_quotes", "sentence_spans", "split_long"]

#: Opening mark -> the closing marks that end it.
_PAIRS: dict[str, str] = {'"': '"', "“": "”\"", "«": "»", "‘": "’'", "'": "'’", "„": "“”"}
_SINGLE = {"‘", "'"}
_TERMINAL = ".!?…"
_CLOSERS = "\"”»’'"
#: Words whose full stop does not end a sentence ("Nov. 11", "U.S. officials", "St. George").
_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st gen lt col sgt rep sen gov "
    "pres prof no vs etc jr sr u.s u.k u.n e.g i.e approx est".split())
_LAST_WORD = re.compile(r"([\w.]+)\.$")


@dataclass(frozen=True)
class Quote:
    """A quotation: body offsets of its words (without the marks), the words, its paragraph."""

    start: int
    end: int
    text: str
    paragraph: int
    mark: str


def _closing(body: str, mark: str, position: int, limit: int) -> int:
    """Position of the mark closing a quote opened just before `position`, or -1."""
    closers = _PAIRS[mark]
    i = position
    while i < limit:
        ch = body[i]
        if ch in closers:
            if mark not in _SINGLE:
                return i
            after = body[i + 1] if i + 1 < limit else " "
            if body[i - 1] != " " and not after.isalnum():
                return i
        i += 1
    return -1


def _opens(body: str, i: int, start: int, end: int) -> bool:
    ch = body[i]
    if ch not in _PAIRS:
        return False
    after = body[i + 1] if i + 1 < end else " "
    if ch in _SINGLE or ch == '"':
        before = body[i - 1] if i > start else " "
        if ch in _SINGLE and not (before.isspace() or before in "([—–-:") or not after.isalnum():
            return False
    return not after.isspace() or ch not in _SINGLE


def find_quotes(body: str, paragraphs: tuple[tuple[int, int], ...]) -> list[Quote]:
    """Every closed quotation, in order, with its words trimmed of spaces and a trailing comma."""
    found: list[Quote] = []
    for number, (start, end) in enumerate(paragraphs):
        i = start
        while i < end:
            if _opens(body, i, start, end):
                close = _closing(body, body[i], i + 1, end)
                if close < 0:
                    i += 1
                    continue
                left, right = i + 1, close
                while left < right and body[left].isspace():
                    left += 1
                while right > left and (body[right - 1].isspace() or body[right - 1] == ","):
                    right -= 1
                if any(ch.isalnum() for ch in body[left:right]):
                    found.append(Quote(left, right, body[left:right], number, body[i]))
                i = close + 1
            else:
                i += 1
    return found


def _ends_sentence(text: str, i: int) -> bool:
    """Whether the terminal mark at `text[i]` ends a sentence (not "Nov." or "U.S.")."""
    if text[i] != ".":
        return True
    match = _LAST_WORD.search(text, max(0, i - 40), i + 1)
    word = match.group(1).lower() if match else ""
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def sentence_spans(text: str, start: int, end: int,
                   protected: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentences of `text[start:end]` as (start, end) spans; no sentence ends inside a protected span."""
    spans: list[tuple[int, int]] = []
    inside = [False] * (end - start)
    for left, right in protected:
        for k in range(max(left, start), min(right, end)):
            inside[k - start] = True
    begin = start
    i = start
    while i < end:
        if text[i] in _TERMINAL and not inside[i - start] and _ends_sentence(text, i):
            j = i + 1
            while j < end and text[j] in _CLOSERS + _TERMINAL:
                j += 1
            if j < end and text[j].isspace():
                k = j
                while k < end and text[k].isspace():
                    k += 1
                if k < end and (text[k].isupper() or text[k].isdigit() or text[k] in _PAIRS):
                    spans.append((begin, j))
                    begin, i = k, k
                    continue
        i += 1
    if begin < end:
        spans.append((begin, end))
    return spans


def split_long(quote: Quote, limit: int) -> list[Quote]:
    """A quote longer than `limit` characters as runs of whole sentences, each at most `limit`
    where its sentences allow (a single longer sentence stays whole)."""
    if len(quote.text) <= limit:
        return [quote]
    parts: list[Quote] = []
    run: tuple[int, int] | None = None
    for left, right in sentence_spans(quote.text, 0, len(quote.text)):
        if run is not None and right - run[0] > limit:
            parts.append(run)  # type: ignore[arg-type]
            run = None
        run = (left, right) if run is None else (run[0], right)
    if run is not None:
        parts.append(run)  # type: ignore[arg-type]
    return [Quote(quote.start + a, quote.start + b, quote.text[a:b].rstrip(", "), quote.paragraph, quote.mark)
            for a, b in parts]
