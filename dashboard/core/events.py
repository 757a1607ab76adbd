"""Dated events: the days they are known to, for slider marks, "next event" and `export --each-event`.

One rule, used by the page and the CLI: an event and the records that
`refines` it are one occurrence (as in dashboard/core/status.py), named by the
event it refines. Its window is the narrowest among them: the exact day where
any of them gives one (2014-03-18 for "in 2014").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.core.claims import ClaimSet

__all__ = ["EventDay", "event_days", "exact_event_days", "next_event_day", "previous_event_day"]


@dataclass(frozen=True)
class EventDay:
    """One occurrence: its narrowest window, the event it is named by, and whether it is one day."""

    start: dt.date
    end: dt.date
    event_id: str

    @property
    def exact(self) -> bool:
        return self.start == self.end


def _occurrences(claims: ClaimSet) -> list[EventDay]:
    events = [claim for claim in claims if claim.kind == "event"]
    present = {claim.id for claim in events}
    groups: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for claim in events:
        root = claim.refines if claim.refines in present else claim.id
        groups.setdefault(root, []).append((claim.start, claim.end))
    found = []
    for root, windows in groups.items():
        start, end = min(windows, key=lambda w: (w[1] - w[0], -w[0].toordinal()))
        found.append(EventDay(start, end, root))
    return sorted(found, key=lambda e: (e.end, e.start, e.event_id))


def event_days(claims: ClaimSet) -> list[tuple[dt.date, str]]:
    """One (day, event id) per occurrence, in date order, for `export --each-event`: the exact
    day where there is one, otherwise the end of the window (the first day by which it had
    certainly happened)."""
    return [(e.end, e.event_id) for e in _occurrences(claims)]


def exact_event_days(claims: ClaimSet) -> list[EventDay]:
    """The occurrences known to an exact day, in date order: where the slider puts its marks and
    where "previous/next event" stop. An event known only to a window (a month, a year, the five
    voting days of a referendum) has no day to stop at: the timeline shows it as a bar instead."""
    return [e for e in _occurrences(claims) if e.exact]


def next_event_day(days: list[dt.date], after: dt.date) -> dt.date | None:
    """The first of the sorted `days` after `after`, None when there is none."""
    return next((day for day in days if day > after), None)


def previous_event_day(days: list[dt.date], before: dt.date) -> dt.date | None:
    """The last of the sorted `days` before `before`, None when there is none."""
    return next((day for day in reversed(days) if day < before), None)
