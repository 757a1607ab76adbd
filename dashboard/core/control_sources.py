"""Where control data comes from: one source per ControlData, its coverage, and how stale a snapshot is.

Pure domain. A `ControlSource` (name, licence, attribution, notice) is entered
when a source is imported and kept with its data; every place that draws a
source's data names it from here, so nothing says "DeepStateMap" unless the
data came from it. Several sources may be loaded at once (the bundled layer
and a user's cache); they are never merged: the page picks one.

Rules kept here, once:

* `pick_control`: the source shown when none is picked: the first loaded
  (bundled first) whose snapshots cover the day (first snapshot <= day <=
  last snapshot); else the one whose last snapshot on or before the day is the
  latest; else (the day is before every source) the first loaded.
* `is_stale`: a snapshot more than `STALE_AFTER_DAYS` (14) days older than the
  map's date is stale, and is flagged wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar


class _Span(Protocol):
    @property
    def first_day(self) -> dt.date | None: ...

    @property
    def last_day(self) -> dt.date | None: ...

    def snapshot_for(self, day: dt.date) -> dt.date | None: ...


class Sourced(Protocol):
    """What this module reads of a `dashboard.core.control.ControlData` (that module imports this one)."""

    @property
    def source_name(self) -> str: ...

    @property
    def source(self) -> ControlSource: ...

    @property
    def shares(self) -> _Span: ...


ControlT = TypeVar("ControlT", bound=Sourced)

__all__ = [
    "STALE_AFTER_DAYS",
    "ControlSource",
    "Coverage",
    "coverage",
    "days_older",
    "find_control",
    "is_stale",
    "pick_control",
    "source_slug",
]

#: A snapshot more than this many days older than the map's date is flagged as stale.
STALE_AFTER_DAYS = 14


def source_slug(name: str) -> str:
    """The URL form of a source's name (`source=`): lower case ASCII words joined by hyphens.

    "DeepStateMap via cyterat/deepstate-map-data" -> "deepstatemap-via-cyterat-deepstate-map-data".
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "source"


@dataclass(frozen=True)
class ControlSource:
    """One source of control data, as entered at import: shown wherever its data is drawn."""

    name: str
    licence: str
    attribution: str = ""
    #: The licence notice shipped with the data (NOTICE.md), when there is one.
    notice: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a control source needs a name")
        if not self.licence.strip():
            raise ValueError(f"control source {self.name!r} needs a licence")

    @property
    def slug(self) -> str:
        return source_slug(self.name)

    @property
    def credit(self) -> str:
        """The attribution as entered, or the name when none was."""
        return self.attribution.strip() or self.name


def days_older(snapshot_day: dt.date, day: dt.date) -> int:
    """How many days the snapshot is older than `day` (0 on the day itself)."""
    return (day - snapshot_day).days


def is_stale(snapshot_day: dt.date | None, day: dt.date) -> bool:
    """True when the snapshot shown for `day` is more than STALE_AFTER_DAYS days older than it."""
    return snapshot_day is not None and days_older(snapshot_day, day) > STALE_AFTER_DAYS


@dataclass(frozen=True)
class Coverage:
    """What one loaded source covers: its first and last snapshot days (None: it holds none)."""

    source: ControlSource
    first_day: dt.date | None
    last_day: dt.date | None


def coverage(sources: Sequence[Sourced]) -> tuple[Coverage, ...]:
    """Each loaded source's span, in load order (bundled first)."""
    return tuple(Coverage(c.source, c.shares.first_day, c.shares.last_day) for c in sources)


def pick_control(sources: Sequence[ControlT], day: dt.date) -> ControlT | None:
    """The source shown for `day` when none is picked (the rule in the module's notes)."""
    if not sources:
        return None
    for control in sources:
        first, last = control.shares.first_day, control.shares.last_day
        if first is not None and last is not None and first <= day <= last:
            return control
    before = [(c.shares.snapshot_for(day), -i, c) for i, c in enumerate(sources)]
    before = [b for b in before if b[0] is not None]
    if before:
        return max(before, key=lambda b: (b[0], b[1]))[2]
    return sources[0]


def find_control(sources: Sequence[ControlT], name: str) -> ControlT | None:
    """The loaded source called `name` (its full name or its slug, any case); None when none is."""
    wanted = name.strip().casefold()
    slug = source_slug(name)
    for control in sources:
        if control.source_name.casefold() == wanted or control.source.slug == slug:
            return control
    return None
