"""How wide a line of text is drawn, and wrapping text to a width, without a browser.

The export lays out its title, legend, labels and attribution before Chromium
draws them, so it estimates text widths from the advance widths of DejaVu Sans
(theme.FONT_FAMILY's first choice), rounded UP per class of characters: an
estimate is never narrower than the drawn text, so wrapped lines never run off
the frame (tests/test_export_layout.py checks this against the real font).
"""

from __future__ import annotations

import re

#: Advance widths in em, each class rounded up to its widest member in DejaVu Sans.
_CLASSES: tuple[tuple[str, float], ...] = (
    ("fijlIJ .,:;()-'/|!іїІЇ", 0.42),
    ('tckrsvxyzFL–"вгзстухчьєґ', 0.62),
    ("DGHNOQU&мДИЙКЛНОПЦ", 0.83),
    ("wMфюМФ#+<=>^~×←→▶◀", 0.92),
    ("mW%—жшщЖШЩЮ@…№", 1.2),
)
_WIDTHS = {ch: width for chars, width in _CLASSES for ch in chars}
#: Everything else (most letters and digits of both alphabets): 0.70 em or less.
_DEFAULT = 0.72
#: DejaVu Sans Bold runs up to about 20% wider than the book weight (labels are short).
BOLD_FACTOR = 1.22
#: Plotly's line spacing for multi-line text (a line is this many font sizes high).
LINE_SPACING = 1.3

_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def visible(text: str) -> str:
    """The characters Plotly draws for `text`: tags dropped, entities as one character."""
    return _ENTITY.sub("&", _TAG.sub("", text))


def text_width(text: str, font_px: float, bold: bool = False) -> float:
    """A conservative width in pixels of one line of `text` (Plotly markup allowed) at `font_px`."""
    ems = sum(_WIDTHS.get(ch, _DEFAULT) for ch in visible(text))
    return ems * font_px * (BOLD_FACTOR if bold else 1.0)


def wrap(text: str, max_px: float, font_px: float, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `max_px`, broken at spaces; a word wider than
    the width on its own is broken inside (never left to run off the frame)."""
    lines: list[str] = []
    for paragraph in text.split("<br>"):
        line = ""
        for word in _unbreakable(paragraph.split()):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, font_px, bold) <= max_px:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for piece in _split_word(word, max_px, font_px, bold):
                if line:
                    lines.append(line)
                line = piece
        lines.append(line)
    return lines


_DAY = re.compile(r"^\d{1,2}$")
_YEAR = re.compile(r"^\d{4}\W?$")


def _unbreakable(words: list[str]) -> list[str]:
    """Words with the parts of a date joined: a line never breaks inside "21 Aug 2026" or
    "28 лют. 2023" (a day number stays with its month, a month with its year)."""
    joined: list[str] = []
    for word in words:
        if joined and (_DAY.match(joined[-1].rsplit(" ", 1)[-1]) or _YEAR.match(word)):
            joined[-1] = f"{joined[-1]} {word}"
        else:
            joined.append(word)
    return joined


def _split_word(word: str, max_px: float, font_px: float, bold: bool) -> list[str]:
    """A word in pieces that each fit `max_px` (at least one character a piece)."""
    if text_width(word, font_px, bold) <= max_px:
        return [word]
    pieces, piece = [], ""
    for ch in word:
        if piece and text_width(piece + ch, font_px, bold) > max_px:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece]


def block_height(lines: int, font_px: float) -> float:
    """The height Plotly gives `lines` lines of text at `font_px`."""
    return lines * font_px * LINE_SPACING
