"""Text inside Plotly figures: Plotly reads <tags> and &entities; in titles, annotations and hover
text as markup, so text from data files is escaped before it goes in."""

from __future__ import annotations

import html

__all__ = ["plotly_text", "shorten"]


def plotly_text(text: str) -> str:
    """Text Plotly prints as written: it reads <tags> and &entities; as markup, but does not
    turn &quot; back into a quote, so quotes are left alone."""
    return html.escape(text, quote=False)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word where one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.6 else cut).rstrip(" ,;:.") + "…"
