"""The days an animation or an embedded map steps through: one per day, week or month of a range."""

from __future__ import annotations

import calendar
import datetime as dt

STEPS: tuple[str, ...] = ("day", "week", "month")


def _add_months(anchor: dt.date, months: int) -> dt.date:
    """`anchor` moved by whole months, its day of the month kept or, in a shorter month, its last day."""
    index = anchor.year * 12 + anchor.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))


def step_days(start: dt.date, end: dt.date, step: str) -> list[dt.date]:
    """`start`, then every `step` after it up to `end`, and `end` itself when a step does not land on it.

    A month step keeps the start's day of the month (31 January, 28 February, 31 March, ...).
    """
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}; expected one of: {', '.join(STEPS)}")
    if end < start:
        raise ValueError(f"the range ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    days: list[dt.date] = []
    k = 0
    while True:
        day = (
            start + dt.timedelta(days=k)
            if step == "day"
            else start + dt.timedelta(weeks=k)
            if step == "week"
            else _add_months(start, k)
        )
        if day > end:
            break
        days.append(day)
        k += 1
    if days[-1] != end:
        days.append(end)
    return days
