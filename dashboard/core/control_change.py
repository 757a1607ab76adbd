"""Change of control between two dates: km² taken, km² no longer held, and the net, per region.

Pure domain (no file I/O, no web, CLI or rendering imports). Input is one
`ControlData` (its share table and its simplified geometry) and the contested
units' outlines; output is one `RegionChange` per contested unit.

Which snapshots
---------------
Each end of a range uses the last snapshot on or before that day (the share
table's, as everywhere else); before the first snapshot there is none, the
row says so (`from_snapshot` or `to_snapshot` None) and its figures are None.
Nothing is interpolated.

The rule for gained, lost and net
---------------------------------
* `net_km2` is the share table's `occupied_km2` at the `to` snapshot minus the
  same at the `from` snapshot: full-resolution areas, after the coastline rule
  (`dashboard.core.control`). It always agrees with the shares the ledger and
  `control shares` print.
* The geometry (simplified to about 0.01°) only *splits* that net into what was
  taken and what is no longer held: `gained` is the area held at `to` and not at
  `from`, `lost` the area held at `from` and not at `to`, both inside the unit
  and measured in the equal-area CRS (`EQUAL_AREA_CRS`).
* The two geometric figures rarely add up to the table's net exactly: measured
  on the bundled layer, the geometric net of 2024-07-09 -> 2025-07-09 is 12%
  off for Zaporizhzhia (114 km² against 130) and 5.5% for Luhansk over
  2025-07-09 -> 2026-08-21, and in Crimea the coastline slivers give 1.3 km² "no
  longer held" where the table (coastline rule) says nothing changed. So the
  residual r = net − (gained − lost) is shared between the two in proportion to
  their sizes: gained' = gained·(1 + r/(gained+lost)), lost' = lost·(1 − r/(gained+lost)).
  Then gained' − lost' = net exactly, and both stay ≥ 0. When the residual is
  larger than gained + lost (or both are 0), the split is the net alone:
  gained' = max(net, 0), lost' = max(−net, 0).

Regions follow the ledger: one row per contested unit in `CONTESTED_CODES`
order (Crimea and Sevastopol are two rows, as in the ledger), and a region
filter is widened to its group by `widen_to_groups` (asking for Sevastopol
gives Crimea and Sevastopol), the page's one rule for "Crimea means the peninsula".

Months
------
`monthly` gives one row per unit and calendar month in the range, chained so
the months add up to the whole range: a month runs from the state at its start
(the snapshot on or before the last day of the month before, or the range's
`from` in the first month) to the state at its end (the snapshot on or before
its last day, or the range's `to` in the last month). A month without a
snapshot at one of its ends has None figures (`complete` False).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from dashboard.core.control import ControlData, ControlGeometry
from dashboard.core.control_measure import polygons_only
from dashboard.core.regions import CONTESTED_CODES, EQUAL_AREA_CRS, widen_to_groups

__all__ = ["CHANGE_KEYS", "ChangeMeter", "ChangeShapes", "RegionChange", "change_shapes", "month_spans", "split_net"]

#: JSON keys (and CSV/table columns) of `control change`, in this order; `--by month` adds `month` first.
CHANGE_KEYS: tuple[str, ...] = (
    "code",
    "name",
    "from_snapshot",
    "to_snapshot",
    "gained_km2",
    "lost_km2",
    "net_km2",
    "share_from",
    "share_to",
)
#: Projected, clipped snapshots kept per meter (a slider drag revisits days; months need ~30).
CACHE_SNAPSHOTS = 96
#: Measured pairs of snapshots (taken and lost per unit) kept per meter: the whole months inside a
#: range stay the same while its ends move, so a chart of months is measured once.
CACHE_PAIRS = 1024


class _Bounded:
    """A small least-recently-used map behind a lock (shared by a server's threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[object, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object) -> object | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: object, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass(frozen=True)
class RegionChange:
    """One contested unit between two days. Figures are None when a snapshot is missing at an end."""

    code: str
    from_day: dt.date
    to_day: dt.date
    from_snapshot: dt.date | None
    to_snapshot: dt.date | None
    gained_km2: float | None
    lost_km2: float | None
    net_km2: float | None
    share_from: float | None
    share_to: float | None
    #: "YYYY-MM" for a row of the monthly breakdown, else None.
    month: str | None = None

    @property
    def complete(self) -> bool:
        """True when both ends have a snapshot (so the figures are known)."""
        return self.from_snapshot is not None and self.to_snapshot is not None


def split_net(gained: float, lost: float, net: float) -> tuple[float, float]:
    """The geometric `gained` and `lost` adjusted so that gained − lost == `net` (module docstring)."""
    gained, lost = max(float(gained), 0.0), max(float(lost), 0.0)
    total = gained + lost
    residual = float(net) - (gained - lost)
    if total <= 0.0 or abs(residual) >= total:
        return max(float(net), 0.0) + 0.0, max(-float(net), 0.0) + 0.0  # + 0.0: never -0.0
    return gained * (1.0 + residual / total) + 0.0, lost * (1.0 - residual / total) + 0.0


def month_spans(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """("YYYY-MM", from day, to day) per calendar month of [start, end], chained (module docstring)."""
    spans: list[tuple[str, dt.date, dt.date]] = []
    first = dt.date(start.year, start.month, 1)
    while first <= end:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        low = max(start, first - dt.timedelta(days=1))
        high = min(end, following - dt.timedelta(days=1))
        spans.append((f"{first.year:04d}-{first.month:02d}", low, high))
        first = following
    return spans


@dataclass(frozen=True)
class ChangeShapes:
    """The map's change layer between two snapshots (EPSG:4326): `taken` held at `to_snapshot` and
    not at `from_snapshot`, `lost` the other way. Empty with a missing snapshot."""

    from_snapshot: dt.date | None
    to_snapshot: dt.date | None
    taken: MultiPolygon
    lost: MultiPolygon


def change_shapes(geometry: ControlGeometry | None, start: dt.date, end: dt.date) -> ChangeShapes:
    """Area taken and area no longer held between the geometry snapshots of `start` and `end`.

    The geometry's own snapshot days (it may be sparser than the share table).
    """
    first = geometry.at(start) if geometry is not None else None
    last = geometry.at(end) if geometry is not None else None
    if first is None or last is None or first[0] == last[0]:
        return ChangeShapes(first[0] if first else None, last[0] if last else None, MultiPolygon(), MultiPolygon())
    return ChangeShapes(
        first[0],
        last[0],
        polygons_only(shapely.difference(last[1], first[1])),
        polygons_only(shapely.difference(first[1], last[1])),
    )


@dataclass(frozen=True, eq=False)
class ChangeMeter:
    """Measures change for one ControlData over the contested units; immutable apart from a
    bounded, locked cache of projected snapshots clipped to each unit (one per snapshot day)."""

    control: ControlData
    codes: tuple[str, ...]
    units: np.ndarray  # projected unit outlines, one per code
    crs: str = EQUAL_AREA_CRS
    cache_size: int = CACHE_SNAPSHOTS
    _to_crs: Transformer = field(repr=False, default=None)  # type: ignore[assignment]
    _snapshots: _Bounded = field(repr=False, default=None)  # type: ignore[assignment]
    _pairs: _Bounded = field(repr=False, default_factory=lambda: _Bounded(CACHE_PAIRS))
    _shares_at: _Bounded = field(repr=False, default_factory=lambda: _Bounded(CACHE_SNAPSHOTS))

    def __post_init__(self) -> None:
        if self._snapshots is None:
            object.__setattr__(self, "_snapshots", _Bounded(self.cache_size))

    @classmethod
    def build(
        cls,
        control: ControlData,
        outlines: Mapping[str, BaseGeometry],
        crs: str = EQUAL_AREA_CRS,
        cache_size: int = CACHE_SNAPSHOTS,
    ) -> ChangeMeter:
        """`outlines`: code -> the unit's outline in EPSG:4326 (lon, lat); the contested ones are kept."""
        transformer = Transformer.from_crs("OGC:CRS84", crs, always_xy=True)
        codes = tuple(c for c in CONTESTED_CODES if c in outlines)
        units = np.asarray([shapely.make_valid(_project(transformer, outlines[c])) for c in codes], dtype=object)
        shapely.prepare(units)
        return cls(control=control, codes=codes, units=units, crs=crs, cache_size=cache_size, _to_crs=transformer)

    def codes_for(self, wanted: Iterable[str] | None) -> tuple[str, ...]:
        """The rows to give, in the ledger's order; a filter widened to its group (Crimea + Sevastopol)."""
        if wanted is None:
            return self.codes
        widened = set(widen_to_groups(wanted))
        return tuple(c for c in self.codes if c in widened)

    def _clipped(self, day: dt.date) -> tuple[dt.date, np.ndarray] | None:
        """(geometry snapshot day, the held area inside each unit, projected) for `day`'s snapshot."""
        found = self.control.geometry.at(day)
        if found is None:
            return None
        snapshot = found[0]
        hit = self._snapshots.get(snapshot)
        if hit is not None:
            return snapshot, hit  # type: ignore[return-value]
        occupied = found[1]
        if occupied is None or occupied.is_empty:
            clipped = np.asarray([MultiPolygon()] * len(self.codes), dtype=object)
        else:
            clipped = shapely.intersection(self.units, _project(self._to_crs, occupied))
        self._snapshots.put(snapshot, clipped)
        return snapshot, clipped

    def _split(self, start: dt.date, end: dt.date) -> tuple[np.ndarray, np.ndarray]:
        """(taken, lost) km² per unit between the geometry snapshots of `start` and `end`."""
        a, b = self.control.geometry.at(start), self.control.geometry.at(end)
        none = (np.zeros(len(self.codes)), np.zeros(len(self.codes)))
        if a is None or b is None or a[0] == b[0]:
            return none
        key = (a[0], b[0])
        hit = self._pairs.get(key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        before, after = self._clipped(start)[1], self._clipped(end)[1]  # type: ignore[index]
        pair = (
            shapely.area(shapely.difference(after, before)) / 1e6,
            shapely.area(shapely.difference(before, after)) / 1e6,
        )
        self._pairs.put(key, pair)
        return pair

    def _shares(self, day: dt.date) -> dict[str, tuple[float, float]] | None:
        """code -> (occupied_km2, occupied_share) of the share snapshot on or before `day` (None: none)."""
        snapshot = self.control.shares.snapshot_for(day)
        if snapshot is None:
            return None
        hit = self._shares_at.get(snapshot)
        if hit is None:
            hit = _shares(self.control.shares.at(snapshot))
            self._shares_at.put(snapshot, hit)
        return hit  # type: ignore[return-value]

    def change(self, start: dt.date, end: dt.date, codes: Iterable[str] | None = None) -> list[RegionChange]:
        """One row per contested unit (in `codes_for(codes)`) between the snapshots of `start` and `end`."""
        if start > end:
            raise ValueError(f"change: {start} is after {end}")
        wanted = self.codes_for(codes)
        shares = self.control.shares
        from_snapshot, to_snapshot = shares.snapshot_for(start), shares.snapshot_for(end)
        before, after = self._shares(start), self._shares(end)
        if before is None or after is None:
            share_to = after or {}
            return [
                RegionChange(
                    c, start, end, from_snapshot, to_snapshot, None, None, None, None, share_to.get(c, (None, None))[1]
                )
                for c in wanted
            ]
        gained, lost = self._split(start, end)
        rows = []
        for i, code in enumerate(self.codes):
            if code not in wanted:
                continue
            (km2_from, held_from), (km2_to, held_to) = before[code], after[code]
            net = km2_to - km2_from
            g, lo = split_net(gained[i], lost[i], net)
            rows.append(RegionChange(code, start, end, from_snapshot, to_snapshot, g, lo, g - lo, held_from, held_to))
        return rows

    def monthly(self, start: dt.date, end: dt.date, codes: Iterable[str] | None = None) -> list[RegionChange]:
        """One row per contested unit and calendar month of [start, end] (month first, then unit)."""
        if start > end:
            raise ValueError(f"change: {start} is after {end}")
        rows: list[RegionChange] = []
        for month, low, high in month_spans(start, end):
            rows.extend(replace(row, month=month) for row in self.change(low, high, codes))
        return rows


def _project(transformer: Transformer, geometry: BaseGeometry) -> BaseGeometry:
    def xy(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, xy)


def _shares(rows: object) -> dict[str, tuple[float, float]]:
    """code -> (occupied_km2, occupied_share) of one snapshot's rows (empty for None)."""
    if rows is None:
        return {}
    return {str(r.code): (float(r.occupied_km2), float(r.occupied_share)) for r in rows.itertuples(index=False)}  # type: ignore[attr-defined]
