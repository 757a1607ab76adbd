"""A place's control history in words, in one language: for the page's panel and the CLI's table.

The source is always named (its short name, `source_label`), with the snapshot
days; a gap of more than `MAX_GAP_DAYS` days between snapshots is said, never
bridged.
"""

from __future__ import annotations

import datetime as dt

from dashboard.core.ledger import source_label
from dashboard.core.place_history import MAX_GAP_DAYS, ControlRun, PlaceHistory, gap_between
from dashboard.text import Text

__all__ = ["history_lines", "history_summary", "run_line"]


def history_summary(history: PlaceHistory, text: Text) -> str:
    """One sentence on the latest run (and the snapshot before it, when it changed):
    "Held by Russian forces per DeepStateMap since 20 Nov 2025; not held on 19 Nov 2025."."""
    latest = history.latest
    if not history.available or latest is None:
        return text("places.summary.none")
    source = source_label(latest.source)
    state = "held" if latest.held else "not_held"
    before = history.before_latest
    if before is not None:
        return text(
            f"places.summary.{state}_changed", source=source, start=text.day(latest.start), before=text.day(before.end)
        )
    if len(history.runs) == 1:
        return text(
            f"places.summary.{state}_throughout", source=source, start=text.day(latest.start), end=text.day(latest.end)
        )
    return text(f"places.summary.{state}_since", source=source, start=text.day(latest.start))


def run_line(run: ControlRun, text: Text) -> str:
    """One run: "20 Nov 2025 – 21 Aug 2026: held by Russian forces per DeepStateMap"."""
    state = "held" if run.held else "not_held"
    source = source_label(run.source)
    if run.start == run.end:
        return text(f"places.run.{state}_day", day=text.day(run.start), source=source)
    return text(f"places.run.{state}", start=text.day(run.start), end=text.day(run.end), source=source)


def history_lines(history: PlaceHistory, text: Text) -> list[str]:
    """Every run, newest first, with a line for each gap of more than MAX_GAP_DAYS days between them."""
    lines: list[str] = []
    runs = history.runs
    for i in range(len(runs) - 1, -1, -1):
        lines.append(run_line(runs[i], text))
        if i > 0 and gap_between(runs[i - 1], runs[i]):
            lines.append(
                text(
                    "places.gap",
                    start=text.day(runs[i - 1].end + dt.timedelta(days=1)),
                    end=text.day(runs[i].start - dt.timedelta(days=1)),
                    days=MAX_GAP_DAYS,
                )
            )
    if history.note:
        lines.append(text(f"places.note.{history.note}"))
    return lines
