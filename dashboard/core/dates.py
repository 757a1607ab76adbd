"""Dates at the precision a source gives: a year, a month or a day.

Sources rarely give a day. The Reuters article of 28 Feb 2023 says "last
September" and "in 2014"; writing those as 2022-09-01 or 2014-01-01 would
invent a day the source never gave. A `PartialDate` keeps
the precision and exposes the window of days it covers, so filters and the
status rule can reason about overlap instead of guessing.

Pure: no I/O, no clock. Relative phrases are resolved against an explicit
dateline, never against "today".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from dashboard.core.errors import DashboardError

__all__ = [
    "PRECISIONS",
    "AbsoluteParser",
    "PartialDate",
    "PartialDateError",
    "resolve_relative",
    "short_repr",
]

#: Precisions from coarsest to finest; the names used in data files and JSON.
PRECISIONS: tuple[str, ...] = ("year", "month", "day")

EXPECTED_FORMAT = "YYYY, YYYY-MM or YYYY-MM-DD"

# Strict on purpose: "2023-2-28", "28/02/2023" or " 2023" are typos to report,
# not inputs to guess at.
_ISO_PARTIAL = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")

# Fixed English abbreviations: labels must not change with the server locale.
_MONTH_ABBR: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBER: Mapping[str, int] = MappingProxyType(
    {name: number for number, full in enumerate(_MONTH_NAMES, start=1) for name in (full, full[:3])}
)
_MONTH_NUMBER = MappingProxyType({**_MONTH_NUMBER, "sept": 9})
_MONTH_DAY = re.compile(r"(?P<month>[a-z]+)\.? (?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?:,? (?P<year>[0-9]{4}))?")
_DAY_MONTH = re.compile(r"(?P<day>[0-9]{1,2}) (?P<month>[a-z]+)\.?(?:,? (?P<year>[0-9]{4}))?")
_MONTH_ALONE = re.compile(r"(?P<month>[a-z]+)\.?")
_WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class PartialDateError(DashboardError, ValueError):
    """A value that is not a year, year-month or calendar date."""


class _BoundedRepr(reprlib.Repr):
    """reprlib with small limits, for subclasses of dict and list too.

    A YAML alias bomb is a small graph of shared lists that the built-in
    repr() would expand into billions of items; reprlib stops at a few items
    and levels, but by default only for the exact built-in types.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict = 2, 4, 4, 4
        self.maxset, self.maxfrozenset, self.maxstring, self.maxlong, self.maxother = 4, 4, 70, 40, 70

    def repr1(self, x: Any, level: int) -> str:
        methods: tuple[tuple[type, Callable[[Any, int], str]], ...] = (
            (dict, self.repr_dict),
            (list, self.repr_list),
            (tuple, self.repr_tuple),
            (set, self.repr_set),
            (frozenset, self.repr_frozenset),
        )
        for base, method in methods:
            if isinstance(x, base) and type(x) is not base:
                return method(x, level)
        return super().repr1(x, level)


_BOUNDED = _BoundedRepr()


def short_repr(value: Any, limit: int = 60) -> str:
    """A repr for messages, at most `limit` characters, in bounded time whatever the value."""
    text = repr(value[: limit + 1]) if isinstance(value, str) else _BOUNDED.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_shorten = short_repr


@dataclass(frozen=True)
class PartialDate:
    """A year, a month of a year, or a day: the precision is whether month/day are set."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        parts = (self.year, self.month, self.day)
        if any(isinstance(p, bool) or not isinstance(p, (int, type(None))) for p in parts) or self.year is None:
            raise PartialDateError(f"expected whole numbers for year, month and day, got {_shorten(parts)}")
        if self.day is not None and self.month is None:
            raise PartialDateError(f"a day needs a month: got year={self.year}, day={self.day}")
        if not all(p is None or 0 <= p <= 99999 for p in parts):
            raise PartialDateError(f"expected a real calendar date, got {_shorten(parts)}")
        try:
            # Explicit None tests: `self.month or 1` would accept a month of 0.
            dt.date(self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day)
        except (TypeError, ValueError, OverflowError) as exc:
            raise PartialDateError(f"expected a real calendar date, got {self.isoformat()!r} ({exc})") from None

    # -- construction -------------------------------------------------------

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """A PartialDate from text, a `datetime.date` or a YAML-parsed year (int).

        YAML reads an unquoted `2014` as an int and `2023-02-28` as a date,
        so both are accepted; a `datetime` with a time of day is not, because
        sources here never give one.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise PartialDateError(f"expected {EXPECTED_FORMAT} without a time, got {_shorten(str(value))}")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            if 1 <= value <= 9999:
                return cls(value)
            raise PartialDateError(f"expected {EXPECTED_FORMAT}, got {_shorten(value)}")
        if not isinstance(value, str):
            raise PartialDateError(f"expected {EXPECTED_FORMAT}, got {_shorten(value)}")
        match = _ISO_PARTIAL.fullmatch(value)
        if match is None:
            raise PartialDateError(f"expected {EXPECTED_FORMAT}, got {_shorten(value)}")
        month, day = match["month"], match["day"]
        return cls(int(match["year"]), int(month) if month else None, int(day) if day else None)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    # -- properties ---------------------------------------------------------

    @property
    def precision(self) -> str:
        """The precision the source gave: "year", "month" or "day"."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def start(self) -> dt.date:
        """First day of the window this date covers."""
        return dt.date(self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day)

    @property
    def end(self) -> dt.date:
        """Last day of the window this date covers (inclusive)."""
        if self.day is not None:
            return self.start
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def isoformat(self) -> str:
        """`2014`, `2022-09` or `2023-02-28`: the form data files and JSON use."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()

    def label(self) -> str:
        """Human form: "28 Feb 2023", "Sep 2022" or "2014"."""
        if self.month is None:
            return f"{self.year}"
        month = _MONTH_ABBR[self.month - 1]
        return f"{self.day} {month} {self.year}" if self.day is not None else f"{month} {self.year}"

    # -- comparisons --------------------------------------------------------

    def contains(self, day: dt.date) -> bool:
        """Whether `day` lies inside this date's window."""
        return self.start <= day <= self.end

    def overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        """Whether this window shares at least one day with [start, end].

        `None` leaves that side open. "2022" overlaps 2022-09-15..2023-01-01,
        because the source allows the thing to have happened in that range.
        """
        return bool(windows_overlap(self.start, self.end, start, end))

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """Order by window start, then the narrower (more precise) window first."""
        return (self.start, self.end)


def reversed_range(low: PartialDate | dt.date | None, high: PartialDate | dt.date | None) -> bool:
    """Whether a range starts after it ends: the one test for a reversed range.

    A partial date counts from its first day (`low`) to its last (`high`), so
    "2022" to "2022-03" is a range and "2022-09" to "2022-03" is not. Where a
    reversed range is an error (the CLI, filters) the caller raises; where it
    comes from a URL or a slider it is put in order with `in_order`.
    """
    if low is None or high is None:
        return False
    start = low.start if isinstance(low, PartialDate) else low
    end = high.end if isinstance(high, PartialDate) else high
    return start > end


def in_order(a: dt.date, b: dt.date) -> tuple[dt.date, dt.date]:
    """Two days as a range, earlier first."""
    return (b, a) if reversed_range(a, b) else (a, b)


def windows_overlap(start: Any, end: Any, low: Any, high: Any) -> Any:
    """Whether the window start..end shares a day with low..high; None leaves a side open.

    The one overlap rule: used for single dates and, element-wise, for whole
    columns of window bounds (numpy arrays), where it returns an array.
    """
    result: Any = True
    if low is not None:
        result = end >= low
    if high is not None:
        result = result & (start <= high)
    return result


# -- relative phrases ------------------------------------------------------


def _dateline_day(dateline: dt.date | PartialDate) -> dt.date:
    if isinstance(dateline, PartialDate):
        if dateline.precision != "day":
            raise PartialDateError(
                f"a dateline must be a full date to resolve relative phrases, got {dateline.isoformat()!r}"
            )
        return dateline.start
    if isinstance(dateline, dt.datetime):
        return dateline.date()
    return dateline


def _previous_month(day: dt.date) -> PartialDate:
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    return PartialDate(year, month)


#: Resolves a phrase the rules below do not know ("Nov. 11", "11 November 2022") against the
#: dateline's day, or None. Supplied by the caller (dashboard.sources.date_phrases uses dateparser),
#: so this module stays free of library data and locale files.
AbsoluteParser = Callable[[str, dt.date], "PartialDate | None"]


def resolve_relative(
    phrase: str, dateline: dt.date | PartialDate, absolute: AbsoluteParser | None = None
) -> PartialDate:
    """The date a relative phrase in a dated text refers to, at the precision it gives.

    Rules (news style, resolved against the story's dateline):
    - "today", "yesterday"; "on Tuesday" / "Tuesday": the most recent such
      weekday on or before the dateline (a Tuesday story's "on Tuesday" is
      that same day);
    - "last September": the most recent September strictly before the
      dateline's month (Feb 2023 -> 2022-09; Sep 2023 -> 2022-09);
    - "last month", "last year", "this year";
    - "in 2014" / "2014", "in September 2022" / "September 2022";
    - "on Nov. 11", "June 14, 2024", "14 June 2024", "in March": without a year, the
      last such day (or month) on or before the dateline;
    - an ISO partial date ("2022-09") as itself;
    - anything else is passed, without a leading "on"/"in", to `absolute` when
      given (other absolute forms, such as "the 11th of November 2022").
    Anything else raises PartialDateError naming the phrase: an unknown
    phrase must be resolved by a person, not guessed.
    """
    day = _dateline_day(dateline)
    text = " ".join(phrase.lower().split()) if isinstance(phrase, str) else ""
    try:
        result = _resolve_known(text, day)
        if result is None and absolute is not None and text:
            result = absolute(re.sub(r"^(?:on|in) ", "", text), day)
    except OverflowError:  # "yesterday" on 1 January of year 1
        raise PartialDateError(f"{_shorten(phrase)} falls before year 1") from None
    if result is None:
        raise PartialDateError(f"cannot resolve relative date phrase {_shorten(phrase)}")
    return result


def _resolve_known(text: str, day: dt.date) -> PartialDate | None:
    if text == "today":
        return PartialDate.from_date(day)
    if text == "yesterday":
        return PartialDate.from_date(day - dt.timedelta(days=1))
    if text == "last month":
        return _previous_month(day)
    if text == "last year":
        return PartialDate(day.year - 1)
    if text == "this year":
        return PartialDate(day.year)
    words = text.split(" ")
    if words[0] in {"on", "in"}:
        words = words[1:]
    if len(words) == 1 and words[0] in _WEEKDAYS:
        back = (day.weekday() - _WEEKDAYS.index(words[0])) % 7
        return PartialDate.from_date(day - dt.timedelta(days=back))
    if len(words) == 2 and words[0] == "last" and words[1] in _MONTH_NUMBER:
        month = _MONTH_NUMBER[words[1]]
        return PartialDate(day.year if month < day.month else day.year - 1, month)
    if len(words) == 2 and words[0] in _MONTH_NUMBER and re.fullmatch(r"[0-9]{4}", words[1]):
        return PartialDate(int(words[1]), _MONTH_NUMBER[words[0]])
    if len(words) == 1:
        try:
            return PartialDate.parse(words[0])
        except PartialDateError:
            pass
    return _resolve_calendar(" ".join(words), day)


def _resolve_calendar(text: str, day: dt.date) -> PartialDate | None:
    """ "Nov. 11", "June 14, 2024", "14 June 2024", "March": a year left out is the last one that
    puts the date on or before the dateline (news copy reports what has happened)."""
    match = _MONTH_DAY.fullmatch(text) or _DAY_MONTH.fullmatch(text)
    if match is not None and match["month"] in _MONTH_NUMBER:
        month, number = _MONTH_NUMBER[match["month"]], int(match["day"])
        if match["year"]:
            return PartialDate(int(match["year"]), month, number)
        year = day.year if (month, number) <= (day.month, day.day) else day.year - 1
        return PartialDate(year, month, number)
    match = _MONTH_ALONE.fullmatch(text)
    if match is not None and match["month"] in _MONTH_NUMBER:
        month = _MONTH_NUMBER[match["month"]]
        return PartialDate(day.year if month <= day.month else day.year - 1, month)
    return None
