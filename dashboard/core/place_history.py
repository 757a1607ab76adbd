"""A place's control history: the runs of snapshots in which its point lay inside the held area.

Pure domain. One function, `place_history`, serves the page and the CLI alike;
it takes the ControlData to read (the page's or the command's control source)
and a gazetteer Place. The runs come from the precomputed `HeldPlaces` table
(`ControlData.places`), so a look-up is a slice of arrays built at load.

Each run is ``{from, to, held, source}``: the first and last snapshot days of
consecutive snapshots with the same status from the same source. A gap of
more than `MAX_GAP_DAYS` days between two snapshots ends a run: what happened
in the gap is unknown and is said to be, never bridged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dashboard.core.control import ControlData
from dashboard.core.held_places import MAX_GAP_DAYS
from dashboard.core.places import Gazetteer, Place

__all__ = ["MAX_GAP_DAYS", "ControlRun", "PlaceHistory", "place_history", "place_record"]


@dataclass(frozen=True)
class ControlRun:
    """Consecutive snapshots (first and last day) in which the place was held, or was not."""

    start: date
    end: date
    held: bool
    source: str

    def as_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "held": self.held, "source": self.source}


@dataclass(frozen=True)
class PlaceHistory:
    """A place and its runs, oldest first; `note` says how the held-places table was made, if unusual."""

    place: Place
    runs: tuple[ControlRun, ...]
    note: str = ""
    #: False: the control data carries no held-places table (no history can be given).
    available: bool = True

    @property
    def latest(self) -> ControlRun | None:
        return self.runs[-1] if self.runs else None

    @property
    def before_latest(self) -> ControlRun | None:
        """The run just before the latest one, when no gap separates them."""
        if len(self.runs) < 2 or gap_between(self.runs[-2], self.runs[-1]):
            return None
        return self.runs[-2]

    @property
    def first_held(self) -> date | None:
        return next((r.start for r in self.runs if r.held), None)


def gap_between(earlier: ControlRun, later: ControlRun) -> bool:
    """True when more than MAX_GAP_DAYS days separate two runs' snapshots."""
    return (later.start - earlier.end).days > MAX_GAP_DAYS


def place_history(control: ControlData | None, place: Place) -> PlaceHistory:
    """`place`'s runs in `control`'s snapshots (oldest first)."""
    if control is None or control.places is None:
        return PlaceHistory(place, (), available=False)
    runs = tuple(ControlRun(*run) for run in control.places.runs(place.geonameid))
    return PlaceHistory(place, runs, note=control.places.note)


def place_record(history: PlaceHistory, gazetteer: Gazetteer, query: str = "") -> dict[str, Any]:
    """The JSON form the CLI prints: name, lat, lon, admin1, history, geonameid, and `matches`: the
    other places called like it or like `query` (what was typed)."""
    place = history.place
    return {
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "admin1": place.admin1,
        "history": [run.as_json() for run in history.runs],
        "geonameid": place.geonameid,
        "matches": [
            {
                "geonameid": p.geonameid,
                "name": p.name,
                "admin1": p.admin1,
                "population": p.population,
                "lat": p.lat,
                "lon": p.lon,
            }
            for p in gazetteer.same_name(place, query)
        ],
    }
