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

from dashboard.core.dates import PartialDate, PartialDateError, resolve_relative

__all__ = ["resolve_phrase"]

#: dateparser's period names -> how many parts of a PartialDate to keep.
_PERIODS = {"year": 1, "month": 2, "day": 3}
#: Only phrases that name a month or hold a number are absolute dates; dateparser would
#: also read "now" or "in a while", which a person should resolve.
_ABSOLUTE_HINT = re.compile(r"[0-9]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b\.?",
                            re.IGNORECASE)


@functools.lru_cache(maxsize=16)
def _parser(day: dt.date):  # noqa: ANN202  (dateparser's class, imported lazily: it costs ~60 ms)
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime(day.year, day.month, day.day),
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
        "RETURN_TIME_AS_PERIOD": True,
    })


@functools.lru_cache(maxsize=1024)  # an article repeats its dates; dateparser takes ~3 ms a phrase
def _absolute(text: str, day: dt.date) -> PartialDate | None:
    if not _ABSOLUTE_HINT.search(text) or len(text) > 60:
        return None
    data = _parser(day).get_date_data(text)
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
