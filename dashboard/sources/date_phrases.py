"""Date phrases resolved against a dateline: the project's rules, then dateparser for absolute dates.

One implementation for the claims loader (which checks a record's `date_phrase`
gives its `date`) and the article drafter (which writes both). The relative
rules ("on Tuesday" on a Tuesday dateline is that day, "last September", "last
year") are `dashboard.core.dates.resolve_relative`; dateparser misses or
misreads those (DESIGN.md section 1.4), so it is only asked about what they do
not cover: absolute dates such as "Nov. 11", "June 14, 2024" or "in March",
which it resolves offline, at the precision the words give, to the last such
date on or before the dateline.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from dashboard.core.dates import PartialDate, PartialDateError, resolve_relative

if TYPE_CHECKING:
    from dateparser.date import DateData, DateDataParser

__all__ = ["parse_typed_date", "resolve_phrase"]

#: dateparser's period names -> how many parts of a PartialDate to keep.
_PERIODS = {"year": 1, "month": 2, "day": 3}
#: Only phrases that name a month or hold a number are absolute dates; dateparser would
#: also read "now" or "in a while", which a person should resolve.
_ABSOLUTE_HINT = re.compile(r"[0-9]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE)


@functools.lru_cache(maxsize=16)
def _parser(day: dt.date) -> DateDataParser:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(day.year, day.month, day.day),
            "PREFER_DATES_FROM": "past",
            "STRICT_PARSING": False,
            "RETURN_TIME_AS_PERIOD": True,
        },
    )


@functools.lru_cache(maxsize=1024)  # an article repeats its dates; dateparser takes ~3 ms a phrase
def _absolute(text: str, day: dt.date) -> PartialDate | None:
    if not _ABSOLUTE_HINT.search(text) or len(text) > 60:
        return None
    return _partial(_parser(day).get_date_data(text))


def _partial(data: DateData) -> PartialDate | None:
    """What dateparser found, kept to the precision it read (year, month or day), or None."""
    parts = _PERIODS.get(data.period or "")
    if data.date_obj is None or parts is None:
        return None
    found = data.date_obj.date()
    try:
        return PartialDate(found.year, found.month if parts > 1 else None, found.day if parts > 2 else None)
    except PartialDateError:
        return None


def resolve_phrase(phrase: str, dateline: dt.date | PartialDate) -> PartialDate:
    """The date `phrase` gives against `dateline`, or PartialDateError naming the phrase."""
    return resolve_relative(phrase, dateline, absolute=_absolute)


#: A typed date must name its year: "yesterday" or "Tuesday" are not dates a field takes.
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
#: The page writes days as "11 Nov 2022" / "11 лист. 2022"; numeric days are read day first.
_TYPED_LANGUAGES = ("en", "uk")


@functools.lru_cache(maxsize=1)
def _typed_parser() -> DateDataParser:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=list(_TYPED_LANGUAGES),
        settings={
            "RETURN_TIME_AS_PERIOD": True,
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


@functools.lru_cache(maxsize=256)
def parse_typed_date(text: str) -> PartialDate | None:
    """A date as a person types it into a date field, with its precision, or None.

    `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (the URL's forms), and the forms the page itself
    shows, in English or Ukrainian: "11 Nov 2022", "11 лист. 2022", "Nov 2022",
    "листопад 2022", "30/09/2022" (day first). The text must hold a four-digit year,
    so relative words ("yesterday") are never read as a day.
    """
    text = text.strip()
    try:
        return PartialDate.parse(text)
    except PartialDateError:
        pass
    if not _YEAR.search(text) or len(text) > 40:
        return None
    return _partial(_typed_parser().get_date_data(text))
