"""What the dashboard derives from the claims once at start-up: the date axis and its marks.

The date range control is a slider over whole days; its values are day
offsets from `first_day`. Pure functions, tested without a server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collections.abc import Callable

from dashboard.core.claims import ClaimSet
from dashboard.core.dates import PartialDate

#: Marks closer than this share of the axis are merged into one label.
_MIN_MARK_GAP = 0.10


@dataclass(frozen=True)
class DateAxis:
    """The slider's day axis: from 1 January of the year before the first record to the last."""

    first_day: dt.date
    last_day: dt.date
    #: The last day any loaded record covers; later days show the last known state.
    #: None means the same as last_day.
    data_end: dt.date | None = None

    @classmethod
    def for_claims(cls, claims: ClaimSet, today: dt.date | None = None) -> DateAxis:
        """The axis over the records; with `today`, it runs on to today (issue 10, item 11).

        The page passes its start-up day so that any day after the last record
        can be chosen on the slider and shows the last known state; the default
        range still ends where the records end.
        """
        if claims.empty:
            today = today or dt.date.today()
            return cls(dt.date(today.year - 1, 1, 1), today)
        first = claims.records_start()
        last = claims.records_end()
        return cls(dt.date(first.year - 1, 1, 1), max(last, today or last), last)

    @property
    def records_end(self) -> dt.date:
        """Where the loaded data ends (issue 10, item 11): dates after it are accepted
        and show the last known state, with a note saying so."""
        return self.data_end or self.last_day

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days

    def offset(self, day: dt.date) -> int:
        return (min(max(day, self.first_day), self.last_day) - self.first_day).days

    def day(self, offset: object) -> dt.date:
        """The day at a slider offset; anything that is not a number clamps to the ends."""
        try:
            value = int(offset)  # type: ignore[call-overload]
        except (TypeError, ValueError, OverflowError):
            value = 0
        return self.first_day + dt.timedelta(days=min(max(value, 0), self.days))

    def event_marks(self, claims: ClaimSet, label: Callable[[PartialDate], str]) -> dict[int, str]:
        """Slider marks at the dated events, labelled at their precision by `label` ("Sep 2022").

        Events close together on the axis share one mark so labels never overlap.
        """
        points = sorted({(self.offset(claim.start), label(claim.date))
                         for claim in claims if claim.kind == "event"})
        marks: dict[int, str] = {}
        last_offset: int | None = None
        for offset, label in points:
            if last_offset is not None and offset - last_offset < _MIN_MARK_GAP * max(self.days, 1):
                if label not in marks[last_offset]:
                    marks[last_offset] += f" · {label}"
                continue
            marks[offset] = label
            last_offset = offset
        # Alternate marks sit one line lower (CSS white-space: pre), so neighbours never overlap.
        return {offset: ("\n" + label if i % 2 else label) for i, (offset, label) in enumerate(marks.items())}
