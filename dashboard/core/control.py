"""Control on the ground: the shares of each unit held per snapshot, the simplified geometry per
snapshot, and one source's data together (never merged with another source's).

Pure domain: no file I/O, no web, CLI or rendering imports. The shares are measured in
``dashboard.core.control_measure`` (the coastline rule is explained there); readers live in
``dashboard.sources.control_import``, the cache in ``control_cache``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import MultiPolygon

from dashboard.core.control_sources import ControlSource
from dashboard.core.held_places import HeldPlaces

__all__ = [
    "SHARE_COLUMNS",
    "STORED_COLUMNS",
    "ControlData",
    "ControlGeometry",
    "ControlShares",
    "GeometrySnapshot",
    "ShareRow",
]

#: Columns of a share row as the CLI and the web part see them.
SHARE_COLUMNS: tuple[str, ...] = (
    "date",
    "code",
    "occupied_km2",
    "occupied_share",
    "grey_km2",
    "grey_share",
    "snapshot_date",
    "source",
)
#: Columns stored per snapshot (date == snapshot_date there).
STORED_COLUMNS: tuple[str, ...] = (
    "snapshot_date",
    "code",
    "occupied_km2",
    "occupied_share",
    "occupied_share_raw",
    "grey_km2",
    "grey_share",
    "coast_rule",
    "source",
)


@dataclass(frozen=True)
class ShareRow:
    """One unit on one day (the ledger's "held" half). grey_* None: the source has no grey layer."""

    date: dt.date
    code: str
    occupied_km2: float
    occupied_share: float
    occupied_share_raw: float
    grey_km2: float | None
    grey_share: float | None
    coast_rule: bool
    snapshot_date: dt.date
    source: str


def _opt(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def _as_day(value: Any) -> date:
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        day: date = value.date()
        return day
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    return date.fromisoformat(str(value))


def _day_index(days: Iterable[date]) -> np.ndarray:
    return np.asarray([np.datetime64(d, "D") for d in days], dtype="datetime64[D]")


@dataclass(frozen=True, eq=False)
class ControlShares:
    """Shares per snapshot and unit, sorted by snapshot then code; every snapshot has every unit.

    `frame` holds STORED_COLUMNS plus `date` (equal to snapshot_date).
    """

    frame: pd.DataFrame
    _days: np.ndarray = field(init=False, repr=False)
    _n_units: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        frame = self.frame.copy()
        frame["snapshot_date"] = [_as_day(d) for d in frame["snapshot_date"]]
        frame = frame.sort_values(["snapshot_date", "code"], kind="stable").reset_index(drop=True)
        frame["date"] = frame["snapshot_date"]
        days = sorted(set(frame["snapshot_date"]))
        n_units = frame["code"].nunique() if len(frame) else 0
        if len(frame) != len(days) * n_units:
            raise ValueError("control shares: every snapshot must have one row per unit")
        object.__setattr__(self, "frame", frame[["date", *STORED_COLUMNS]])
        object.__setattr__(self, "_days", _day_index(days))
        object.__setattr__(self, "_n_units", n_units)

    @classmethod
    def from_snapshots(cls, frames: Sequence[pd.DataFrame]) -> ControlShares:
        if not frames:
            return cls(pd.DataFrame({c: [] for c in STORED_COLUMNS}))
        return cls(pd.concat(frames, ignore_index=True))

    @property
    def dates(self) -> tuple[date, ...]:
        """Snapshot days, ascending (gaps stay gaps)."""
        return tuple(pd.Timestamp(d).date() for d in self._days)

    @property
    def first_day(self) -> date | None:
        return _as_day(self._days[0]) if len(self._days) else None

    @property
    def last_day(self) -> date | None:
        return _as_day(self._days[-1]) if len(self._days) else None

    def snapshot_for(self, day: date) -> date | None:
        """The last snapshot day on or before `day`, None before the first."""
        i = int(np.searchsorted(self._days, np.datetime64(_as_day(day), "D"), side="right")) - 1
        return pd.Timestamp(self._days[i]).date() if i >= 0 else None

    def at(self, day: date) -> pd.DataFrame | None:
        """Rows per unit of the last snapshot on or before `day` (`date` = day), None before the first."""
        day = _as_day(day)
        i = int(np.searchsorted(self._days, np.datetime64(day, "D"), side="right")) - 1
        if i < 0:
            return None
        rows = self.frame.iloc[i * self._n_units : (i + 1) * self._n_units].copy()
        rows["date"] = day
        return rows.reset_index(drop=True)

    def row(self, day: date, code: str) -> ShareRow | None:
        """One unit on `day` (its last snapshot on or before it), None before the first snapshot."""
        rows = self.at(day)
        if rows is None:
            return None
        match = rows[rows["code"] == code]
        if match.empty:
            raise KeyError(f"no control figures for unit {code!r}")
        r = match.iloc[0]
        return ShareRow(
            date=_as_day(day),
            code=code,
            occupied_km2=float(r["occupied_km2"]),
            occupied_share=float(r["occupied_share"]),
            occupied_share_raw=float(r["occupied_share_raw"]),
            grey_km2=_opt(r["grey_km2"]),
            grey_share=_opt(r["grey_share"]),
            coast_rule=bool(r["coast_rule"]),
            snapshot_date=r["snapshot_date"],
            source=str(r["source"]),
        )

    def between(self, start: date, end: date, codes: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per day in [start, end] and unit (days before the first snapshot have none)."""
        days = pd.date_range(_as_day(start), _as_day(end), freq="D")
        parts = [r for r in (self.at(d.date()) for d in days) if r is not None]
        if not parts:
            return self.frame.iloc[0:0].copy()
        out = pd.concat(parts, ignore_index=True)
        if codes is not None:
            order = {c: i for i, c in enumerate(codes)}
            out = out[out["code"].isin(order)]
            out = out.assign(_o=out["code"].map(order)).sort_values(["date", "_o"], kind="stable")
            out = out.drop(columns="_o").reset_index(drop=True)
        return out

    def merged(self, newer: ControlShares) -> ControlShares:
        """This table plus `newer`'s snapshots; a day in both takes `newer`'s rows."""
        keep = self.frame[~self.frame["snapshot_date"].isin(set(newer.frame["snapshot_date"]))]
        return ControlShares(pd.concat([keep, newer.frame], ignore_index=True).drop(columns="date"))


#: (snapshot day, occupied MultiPolygon, grey MultiPolygon or None), EPSG:4326.
GeometrySnapshot = tuple[date, MultiPolygon, "MultiPolygon | None"]


@dataclass(frozen=True, eq=False)
class ControlGeometry:
    """Simplified occupied and grey geometry (EPSG:4326, clipped to Ukraine) per snapshot day.

    Its days may be sparser than the shares' (the bundled layer is weekly):
    `at` names the geometry's own snapshot day.
    """

    frame: pd.DataFrame  # snapshot_date, occupied (shapely), grey (shapely or None)
    tolerance_deg: float = 0.0
    _days: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        frame = self.frame.copy()
        frame["snapshot_date"] = [_as_day(d) for d in frame["snapshot_date"]]
        frame = frame.sort_values("snapshot_date", kind="stable").reset_index(drop=True)
        if frame["snapshot_date"].duplicated().any():
            raise ValueError("control geometry: one row per snapshot day")
        object.__setattr__(self, "frame", frame[["snapshot_date", "occupied", "grey"]])
        object.__setattr__(self, "_days", _day_index(frame["snapshot_date"]))

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(self.frame["snapshot_date"])

    def at(self, day: date) -> GeometrySnapshot | None:
        """(snapshot day, occupied, grey or None) of the last snapshot on or before `day`."""
        i = int(np.searchsorted(self._days, np.datetime64(_as_day(day), "D"), side="right")) - 1
        if i < 0:
            return None
        row = self.frame.iloc[i]
        grey = row["grey"]
        return (
            row["snapshot_date"],
            row["occupied"],
            (None if grey is None or (isinstance(grey, float) and np.isnan(grey)) else grey),
        )

    def merged(self, newer: ControlGeometry) -> ControlGeometry:
        keep = self.frame[~self.frame["snapshot_date"].isin(set(newer.frame["snapshot_date"]))]
        return ControlGeometry(
            pd.concat([keep, newer.frame], ignore_index=True),
            tolerance_deg=max(self.tolerance_deg, newer.tolerance_deg),
        )


@dataclass(frozen=True, eq=False)
class ControlData:
    """One source's control data: shares, geometry, held places per day (None: not computed), and the
    source they come from (never merged)."""

    shares: ControlShares
    geometry: ControlGeometry
    source_name: str
    licence: str
    notice: str
    places: HeldPlaces | None = None
    attribution: str = ""

    @property
    def source(self) -> ControlSource:
        return ControlSource(self.source_name, self.licence or "unknown", self.attribution, self.notice)

    @property
    def last_day(self) -> date | None:
        return self.shares.last_day
