"""Control sources in words: what the loaded data covers, and how old a snapshot is.

One place for the sentences the ledger, the hover card, the map legend, the
exports and the CLI share (the rules themselves are in
`dashboard.core.control_sources`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dashboard.core.control import ControlData
from dashboard.core.control_sources import coverage, days_older, is_stale
from dashboard.text import Text
from dashboard.text.source_words import source_words

__all__ = ["coverage_list", "coverage_sentence", "needs_coverage", "snapshot_words", "stale_note"]


def coverage_list(text: Text, sources: Sequence[ControlData]) -> str:
    """ "DeepStateMap via cyterat/deepstate-map-data, 9 Jul 2024 – 21 Aug 2026; Test raw, ..."."""
    parts = [
        text(
            "control.coverage.item",
            source=source_words(text, c.source.name),
            first=text.day(c.first_day),
            last=text.day(c.last_day),
        )
        if c.first_day is not None
        else text("control.coverage.empty", source=source_words(text, c.source.name))
        for c in coverage(sources)
    ]
    return "; ".join(parts)


def coverage_sentence(text: Text, sources: Sequence[ControlData]) -> str:
    """What the loaded data covers and where to read how to import earlier days."""
    return text("control.coverage", coverage=coverage_list(text, sources))


def needs_coverage(sources: Sequence[ControlData], day: dt.date) -> bool:
    """True when `day` is before every loaded snapshot (or nothing is loaded): say what is covered."""
    firsts = [c.shares.first_day for c in sources if c.shares.first_day is not None]
    return not firsts or day < min(firsts)


def stale_note(text: Text, snapshot_day: dt.date | None, day: dt.date) -> str:
    """ "snapshot of 3 Mar 2025, 20 days before the map's date" when stale; "" otherwise."""
    if not is_stale(snapshot_day, day):
        return ""
    return text.plural("control.stale", days_older(snapshot_day, day), snapshot=text.day(snapshot_day))


def snapshot_words(text: Text, snapshot_day: dt.date, day: dt.date) -> str:
    """ "snapshot of 21 Aug 2026", or its stale form when it is more than 14 days older than `day`."""
    return stale_note(text, snapshot_day, day) or text("control.snapshot", snapshot=text.day(snapshot_day))
