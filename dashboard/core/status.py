"""Status of each contested region at a date, derived from the claims' event records.

This is the one place the status is decided; figures and the CLI only read it.
A status reports what was *declared* and by whom; it never says whose
territory a region is. The base remains Ukraine's internationally recognised
borders.

The rule
--------
Only event records with ``effect: annexation_declared`` count (statements and
assessments never change a status). Each such event covers a window of days:
its date at the precision the source gives ("2014" is 1 Jan..31 Dec 2014), or
``date`` .. ``date_end``. A status "at" a date means at the end of that day.

1. Occurrences. An event and the records that ``refines`` it describe one
   happening. For each region, the occurrence's window is the narrowest
   window among its records listing that region: the most precise date wins
   (the 2014-03-18 treaty record makes Crimea's "2014" exact).
2. For a date D and a region:
   - ``annexation_declared`` if some occurrence's window ended on or before D
     (it certainly happened by the end of D);
   - otherwise ``uncertain`` if D falls inside an occurrence's window
     (start <= D < end): the source does not say whether it happened yet;
   - otherwise ``no_annexation_declared``: no annexation declared in the loaded records.
   ``decided_by`` lists the ids of the records of the deciding occurrences
   (empty for ``no_annexation_declared``).
3. Enrichment (``enrichment: true``) can be left out (``enrichment=False``) to
   see what the articles alone support. With the seed article alone, 2022-09-15
   is ``uncertain`` for the four regions ("last September"); with a record
   giving the day (the TASS enrichment, or NPR's article of 30 Sep 2022) it is
   ``no_annexation_declared``, and from 2022-09-30 on ``annexation_declared``.
   Crimea in 2014 is ``uncertain`` without enrichment (the articles say "in
   2014"), ``annexation_declared`` from 18 March 2014 with it.
4. A period (a year or month, as typed on the command line) has one status if
   the region's status at the end of the day before the period equals its
   status at the period's last day; otherwise the status changed inside the
   period and it is ``uncertain`` (``status_during``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from dashboard.core.claims import ANNEXATION_DECLARED, ClaimSet
from dashboard.core.dates import PartialDate
from dashboard.core.regions import CONTESTED_CODES

__all__ = [
    "RegionStatus",
    "Status",
    "StatusTimeline",
    "status_at",
    "status_during",
    "status_timeline",
]


class Status(StrEnum):
    """Status values; `.value` is what JSON and the CLI print."""

    NO_ANNEXATION_DECLARED = "no_annexation_declared"
    UNCERTAIN = "uncertain"
    ANNEXATION_DECLARED = ANNEXATION_DECLARED

    def __str__(self) -> str:  # Python 3.10's str-Enum would print "Status.X"
        return self.value


@dataclass(frozen=True)
class RegionStatus:
    """One contested region's status and the records that decided it."""

    code: str
    status: Status
    decided_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Occurrence:
    """One happening for one region: its most precise window and all its record ids."""

    start: dt.date
    end: dt.date
    ids: tuple[str, ...]


def _annexation_events(claims: ClaimSet, enrichment: bool) -> pd.DataFrame:
    frame = claims.frame
    events = frame.loc[(frame["kind"] == "event") & (frame["effect"] == ANNEXATION_DECLARED)]
    if not enrichment:
        events = events.loc[~events["enrichment"].astype(bool)]
    return events


def _occurrences(events: pd.DataFrame, code: str) -> list[_Occurrence]:
    """Group `code`'s events by the record they refine; keep each group's narrowest window."""
    present = set(events["id"])
    groups: dict[str, list[tuple[dt.date, dt.date, str]]] = {}
    for row in events.itertuples(index=False):
        if code not in row.regions:
            continue
        # A refining record whose target is absent (e.g. filtered out) stands alone.
        root = row.refines if isinstance(row.refines, str) and row.refines in present else row.id
        groups.setdefault(root, []).append((_day(row.start), _day(row.end), row.id))
    result = []
    for root, members in groups.items():
        start, end, _ = min(members, key=lambda m: (m[1] - m[0], -m[0].toordinal()))
        ids = tuple(sorted((m[2] for m in members), key=lambda i: i != root))  # root first
        result.append(_Occurrence(start, end, ids))
    return sorted(result, key=lambda o: (o.start, o.end))


def _day(value: object) -> dt.date:
    day: dt.date = pd.Timestamp(value).date()
    return day


def _decide(code: str, occurrences: Iterable[_Occurrence], when: dt.date) -> RegionStatus:
    occurrences = list(occurrences)
    done = [o for o in occurrences if o.end <= when]
    if done:
        return RegionStatus(code, Status.ANNEXATION_DECLARED, _ids(done))
    pending = [o for o in occurrences if o.start <= when < o.end]
    if pending:
        return RegionStatus(code, Status.UNCERTAIN, _ids(pending))
    return RegionStatus(code, Status.NO_ANNEXATION_DECLARED)


def _ids(occurrences: Iterable[_Occurrence]) -> tuple[str, ...]:
    return tuple(i for o in occurrences for i in o.ids)


@dataclass(frozen=True)
class StatusTimeline:
    """The annexation occurrences of each region, found once; `at(day)` then costs microseconds.

    The dashboard asks for a status on every filter change, so it builds this
    once at start-up instead of scanning every record each time.
    """

    occurrences: Mapping[str, tuple[_Occurrence, ...]]

    def at(self, when: dt.date) -> dict[str, RegionStatus]:
        if isinstance(when, dt.datetime):
            when = when.date()
        if not isinstance(when, dt.date):
            raise TypeError(f"status needs a datetime.date, got {type(when).__name__}")
        return {code: _decide(code, occ, when) for code, occ in self.occurrences.items()}


def status_timeline(
    claims: ClaimSet, *, enrichment: bool = True, codes: Iterable[str] = CONTESTED_CODES
) -> StatusTimeline:
    events = _annexation_events(claims, enrichment)
    return StatusTimeline({code: tuple(_occurrences(events, code)) for code in codes})


def status_at(
    claims: ClaimSet, when: dt.date, *, enrichment: bool = True, codes: Iterable[str] = CONTESTED_CODES
) -> dict[str, RegionStatus]:
    """Each contested region's status at the end of day `when` (see the module docstring)."""
    return status_timeline(claims, enrichment=enrichment, codes=codes).at(when)


def status_during(
    claims: ClaimSet, period: PartialDate, *, enrichment: bool = True, codes: Iterable[str] = CONTESTED_CODES
) -> dict[str, RegionStatus]:
    """Status over a day, month or year: `uncertain` where it changes inside the period."""
    codes = tuple(codes)
    at_end = status_at(claims, period.end, enrichment=enrichment, codes=codes)
    if period.precision == "day":
        return at_end
    if period.start == dt.date.min:  # nothing can precede year 1
        return at_end
    before = status_at(claims, period.start - dt.timedelta(days=1), enrichment=enrichment, codes=codes)
    result = {}
    for code in codes:
        first, last = before[code], at_end[code]
        if first.status == last.status:
            result[code] = last
        else:
            ids = tuple(dict.fromkeys(first.decided_by + last.decided_by))
            result[code] = RegionStatus(code, Status.UNCERTAIN, ids)
    return result
