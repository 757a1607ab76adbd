"""Which gazetteer places lay inside the held (occupied) area, per control snapshot.

Pure domain. Computed at control import from the full-resolution geometry
(``dashboard.sources.control_import``), stored in the control cache as one row
per snapshot day with the ids of the places held that day, and turned once at
load into per-place arrays, so that one place's record is a slice.

A place counts as held on a snapshot day when its point (GeoNames' coordinates)
lies inside the occupied area of that snapshot; the grey zone never counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["MAX_GAP_DAYS", "NOTES", "HeldPlaces", "held_ids"]

#: Codes of `HeldPlaces.note`: computed at load from a cache's stored (simplified) geometry, because
#: the cache has no held-places table or one made against another gazetteer.
NOTES: tuple[str, ...] = ("from_geometry", "other_gazetteer")
#: Two snapshots further apart than this do not continue one run: the gap is said, never bridged.
MAX_GAP_DAYS = 14


def held_ids(occupied: BaseGeometry | None, ids: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The ids whose point (lon, lat, EPSG:4326) lies inside `occupied` (vectorised, prepared geometry)."""
    if occupied is None or occupied.is_empty or not len(ids):
        return np.zeros(0, dtype=np.int64)
    shapely.prepare(occupied)
    west, south, east, north = occupied.bounds
    near = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    inside = np.zeros(len(ids), dtype=bool)
    inside[near] = shapely.contains_xy(occupied, lon[near], lat[near])
    return np.sort(np.asarray(ids, dtype=np.int64)[inside])


@dataclass(frozen=True, eq=False)
class HeldPlaces:
    """Per snapshot day (ascending): its source and the ids of the places inside the held area.

    `gazetteer` names the gazetteer the ids were computed against (its signature);
    `note` says how the table came to be when it was not stored with the data: one of
    NOTES (a code; the words are the text catalogue's ``places.note.<code>``).
    """

    frame: pd.DataFrame  # snapshot_date, source, held (array of int64 ids)
    gazetteer: str = ""
    note: str = ""
    _days: np.ndarray = field(init=False, repr=False)
    _breaks: np.ndarray = field(init=False, repr=False)  # True where a new run must start (gap, new source)
    _place_ids: np.ndarray = field(init=False, repr=False)  # every id ever held, sorted
    _starts: np.ndarray = field(init=False, repr=False)  # CSR: _day_rows[_starts[i]:_starts[i+1]]
    _day_rows: np.ndarray = field(init=False, repr=False)  # snapshot rows on which that place was held

    def __post_init__(self) -> None:
        frame = self.frame.copy()
        frame["snapshot_date"] = [d if type(d) is date else pd.Timestamp(d).date() for d in frame["snapshot_date"]]
        frame["held"] = [np.asarray(h if h is not None else (), dtype=np.int64) for h in frame["held"]]
        frame = frame.sort_values("snapshot_date", kind="stable").reset_index(drop=True)
        if frame["snapshot_date"].duplicated().any():
            raise ValueError("held places: one row per snapshot day")
        days = np.asarray([np.datetime64(d, "D") for d in frame["snapshot_date"]], dtype="datetime64[D]")
        breaks = np.zeros(len(frame), dtype=bool)
        if len(frame):
            breaks[0] = True
            breaks[1:] = (np.diff(days).astype(np.int64) > MAX_GAP_DAYS) | (
                frame["source"].to_numpy()[1:] != frame["source"].to_numpy()[:-1]
            )
        counts = np.asarray([len(h) for h in frame["held"]], dtype=np.int64)
        all_ids = np.concatenate(list(frame["held"])) if len(frame) else np.zeros(0, dtype=np.int64)
        all_rows = np.repeat(np.arange(len(frame), dtype=np.int64), counts)
        order = np.lexsort((all_rows, all_ids))
        all_ids, all_rows = all_ids[order], all_rows[order]
        place_ids, first = np.unique(all_ids, return_index=True)
        object.__setattr__(self, "frame", frame[["snapshot_date", "source", "held"]])
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_breaks", breaks)
        object.__setattr__(self, "_place_ids", place_ids)
        object.__setattr__(self, "_starts", np.append(first, len(all_ids)).astype(np.int64))
        object.__setattr__(self, "_day_rows", all_rows)

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[date, str, np.ndarray]], gazetteer: str = "", note: str = "") -> HeldPlaces:
        return cls(pd.DataFrame(list(rows), columns=["snapshot_date", "source", "held"]), gazetteer, note)

    @classmethod
    def compute(
        cls,
        snapshots: Iterable[tuple[date, str, BaseGeometry | None]],
        ids: np.ndarray,
        lon: np.ndarray,
        lat: np.ndarray,
        gazetteer: str = "",
        note: str = "",
    ) -> HeldPlaces:
        """From (day, source, occupied area in EPSG:4326) per snapshot and the gazetteer's points."""
        return cls.from_rows(
            [(day, source, held_ids(occupied, ids, lon, lat)) for day, source, occupied in snapshots], gazetteer, note
        )

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(self.frame["snapshot_date"])

    def held_mask(self, geonameid: int) -> np.ndarray:
        """Per snapshot row: was the place held? (A slice of the precomputed arrays.)"""
        mask = np.zeros(len(self._days), dtype=bool)
        i = int(np.searchsorted(self._place_ids, geonameid))
        if i < len(self._place_ids) and self._place_ids[i] == geonameid:
            mask[self._day_rows[self._starts[i] : self._starts[i + 1]]] = True
        return mask

    def runs(self, geonameid: int) -> list[tuple[date, date, bool, str]]:
        """(first day, last day, held, source) for each run of consecutive snapshots with the same
        status, oldest first. A run ends where the status or the source changes, or where the next
        snapshot is more than MAX_GAP_DAYS days later (a gap is never bridged)."""
        if not len(self._days):
            return []
        mask = self.held_mask(geonameid)
        change = self._breaks.copy()
        change[1:] |= mask[1:] != mask[:-1]
        starts = np.flatnonzero(change)
        ends = np.append(starts[1:], len(mask)) - 1
        days = self.frame["snapshot_date"]
        sources = self.frame["source"]
        return [
            (days.iat[s], days.iat[e], bool(mask[s]), str(sources.iat[s])) for s, e in zip(starts, ends, strict=True)
        ]

    def merged(self, newer: HeldPlaces) -> HeldPlaces:
        """This table plus `newer`'s days; a day in both takes `newer`'s row."""
        keep = self.frame[~self.frame["snapshot_date"].isin(set(newer.frame["snapshot_date"]))]
        return HeldPlaces(pd.concat([keep, newer.frame], ignore_index=True), newer.gazetteer, newer.note or self.note)
