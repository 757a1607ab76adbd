"""Log lines that stay lines: whatever a client sends, it cannot fill or forge the log."""

from __future__ import annotations

#: How much of a request's text (an exception message, a path) a log line may quote.
LOG_TEXT_CHARS = 200


def one_line(text: object, limit: int = LOG_TEXT_CHARS) -> str:
    """`text` on one line (control characters escaped) and at most `limit` characters (+ "...")."""
    text = str(text)
    cut = len(text) > limit
    text = text[:limit]
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")[:limit]
    return text + "..." if cut else text
