"""An article as the drafter reads it: bounded, UTF-8 plain text, split into header and body.

The shared articles carry a header (URL, outlet, title, date lines) above a
line that is exactly `---`; the Reuters seed has none. The body is the text
after that line (or the whole text), and every `evidence` offset counts
characters (Unicode code points, not bytes) from the body's first character.
A later line starting with `---` (`--- [page sidebar, not part of the article] ---`)
ends the body: what follows is page furniture, not the article.

Every non-blank line of a header is `Key: value` metadata with a key from HEADER_KEYS. A line
that is not (a wire dateline such as `KYIV: "..." Zelensky said` above the `---` line) is
article text that would be dropped unread, so the article is refused with a one-line error
naming that line, rather than drafted without it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dashboard.core.errors import DataError

__all__ = ["HEADER_KEYS", "MAX_ARTICLE_BYTES", "Article", "decode_article", "parse_article", "read_article"]

#: About 150,000 words: far more than any news article, small enough that even a pathological
#: text (a megabyte of quotation marks) is drafted in seconds.
MAX_ARTICLE_BYTES = 1024 * 1024
#: How many lines above the `---` line a header may have.
_MAX_HEADER_LINES = 20
_HEADER_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z ]{0,30}):\s*(?P<value>.*)")
#: The keys a header line may have (any case); any other line above `---` is refused, never dropped.
HEADER_KEYS = (
    "url",
    "outlet",
    "publisher",
    "title",
    "date",
    "published",
    "updated",
    "author",
    "byline",
    "retrieved",
    "source",
    "language",
)


@dataclass(frozen=True)
class Article:
    """The body text (what offsets count into), the header's fields and the paragraphs' spans."""

    body: str
    header: dict[str, str]
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) of each non-blank line of the body


def read_article(path: str, stdin: BinaryIO | None = None) -> str:
    """The article's text from a file, or standard input for `-`; DataError for anything unusable."""
    name = "standard input" if path == "-" else str(path)
    try:
        if path == "-":
            raw = (stdin or sys.stdin.buffer).read(MAX_ARTICLE_BYTES + 1)
        else:
            file = Path(path)
            if not file.exists():
                raise DataError(f"{name}: article file not found")
            if not file.is_file():
                raise DataError(f"{name}: not a file; expected a plain-text article")
            size = file.stat().st_size
            if size > MAX_ARTICLE_BYTES:
                raise DataError(
                    f"{name}: {size / 1e6:.1f} MB is too large for an article "
                    f"(the limit is {MAX_ARTICLE_BYTES // 1024} KB of plain text)"
                )
            with file.open("rb") as handle:
                raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise DataError(f"{name}: cannot read the article ({exc.strerror or exc})") from None
    if len(raw) > MAX_ARTICLE_BYTES:
        raise DataError(f"{name}: more than {MAX_ARTICLE_BYTES // 1024} KB, too large for an article")
    return decode_article(raw, name)


def decode_article(raw: bytes, name: str) -> str:
    """UTF-8 text without NUL bytes (a byte-order mark is dropped); DataError otherwise."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DataError(f"{name}: binary data (a NUL byte at byte {nul}); expected a plain-text article")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte {exc.start}); "
            "save the article as UTF-8 plain text"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError(f"{name}: the article is empty; nothing to draft")
    return text


def parse_article(text: str, name: str = "the article") -> Article:
    """Split header and body; find the paragraphs (non-blank lines) of the body. DataError naming
    the line when a header holds a line that is not `Key: value` metadata (see HEADER_KEYS)."""
    lines = text.splitlines(keepends=True)
    header: dict[str, str] = {}
    start = 0
    for number, line in enumerate(lines[: _MAX_HEADER_LINES + 1]):
        if line.strip() == "---":
            fields = [
                (row, _HEADER_LINE.fullmatch(raw.strip())) for row, raw in enumerate(lines[:number], 1) if raw.strip()
            ]
            if fields and fields[0][1] is not None:  # a header starts with a "Key: value" line
                header = _header(fields, lines, name)
                start = sum(len(raw) for raw in lines[: number + 1])
            break
    body = text[start:]
    end = len(body)
    offset = 0
    paragraphs: list[tuple[int, int]] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("---"):
            end = offset
            break
        content = line.rstrip("\r\n")
        stripped = content.strip()
        if stripped:
            left = offset + len(content) - len(content.lstrip())
            paragraphs.append((left, left + len(stripped)))
        offset += len(line)
    return Article(body=body[:end], header=header, paragraphs=tuple(paragraphs))


def _header(fields: list[tuple[int, re.Match[str] | None]], lines: list[str], name: str) -> dict[str, str]:
    """The header's fields by lower-case key; DataError for the first line that is not metadata."""
    for row, match in fields:
        if match is None or match["key"].strip().lower() not in HEADER_KEYS:
            shown = lines[row - 1].strip()
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            raise DataError(
                f"{name}: line {row} above the '---' line is not header metadata ({shown!r}); "
                f"a header holds only 'Key: value' lines with keys {', '.join(HEADER_KEYS)}: "
                "move article text below the '---' line"
            )
    return {match["key"].strip().lower(): match["value"].strip() for _, match in fields if match is not None}
