"""What the dashboard derives from the claims once at start-up: the date axis and its marks.

The date range control is a slider over whole days; its values are day
offsets from `first_day`. Pure functions, tested without a server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.core.claims import ClaimSet
from dashboard.core.events import exact_event_days

#: Marks closer than this share of the axis are merged into one label.
_MIN_MARK_GAP = 0.10


@dataclass(frozen=True)
class DateAxis:
    """The slider's day axis: from 1 January of the year before the first record to the last."""

    first_day: dt.date
    last_day: dt.date
    #: The last day any loaded claims record covers; later days show the last known state.
    #: None means the same as last_day.
    claims_end: dt.date | None = None
    #: The last day of any loaded data (claims or control); None means records_end.
    data_until: dt.date | None = None

    @classmethod
    def for_claims(cls, claims: ClaimSet, today: dt.date | None = None, data_until: dt.date | None = None) -> DateAxis:
        """The axis over the records, and on to `data_until` (the last day of other loaded data,
        such as control snapshots) and `today` where they are later.

        The page passes its start-up day so that any day after the last data can
        be chosen on the slider and shows the last known state; the default range
        ends where the data ends (`data_end`).
        """
        first = claims.records_start()
        last = claims.records_end()
        if first is None or last is None:  # no records
            today = today or data_until or dt.date.today()
            return cls(dt.date(today.year - 1, 1, 1), max(today, data_until or today), None, data_until)
        data = max(last, data_until or last)
        return cls(dt.date(first.year - 1, 1, 1), max(data, today or data), last, data)

    @property
    def records_end(self) -> dt.date:
        """Where the loaded data ends: dates after it are accepted
        and show the last known state, with a note saying so."""
        return self.claims_end or self.last_day

    @property
    def data_end(self) -> dt.date:
        """Where all loaded data ends (claims or control): the default range ends here."""
        return max(self.records_end, self.data_until or self.records_end)

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

    def event_marks(self, claims: ClaimSet, label: Callable[[dt.date], str]) -> dict[int, str]:
        """Slider marks at the exact days events are known to (`exact_event_days`: a refining
        record's day where there is one), labelled by `label` ("30 Sep 2022"); never at the start
        of a window. Events close together on the axis share one mark, labelled by the
        first and how many more ("16 Mar 2014 +2"), so labels never overlap.
        """
        groups: list[list[int]] = []
        labels: dict[int, str] = {}
        for event in exact_event_days(claims):
            offset = self.offset(event.end)
            if event.end < self.first_day or event.end > self.last_day:
                continue
            labels.setdefault(offset, label(event.end))
            if groups and offset - groups[-1][0] < _MIN_MARK_GAP * max(self.days, 1):
                if offset not in groups[-1]:
                    groups[-1].append(offset)
                continue
            groups.append([offset])
        marks: dict[int, str] = {}
        for group in groups:
            extra = len(group) - 1
            marks[group[0]] = labels[group[0]] + (f" +{extra}" if extra else "")
        # Alternate marks sit one line lower (CSS white-space: pre), so neighbours never overlap.
        return {offset: ("\n" + text if i % 2 else text) for i, (offset, text) in enumerate(marks.items())}
