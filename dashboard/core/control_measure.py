"""Measuring control: the share of each unit held in one snapshot, and the polygon clean-up it needs.

Pure domain: no file I/O. The typed results (``ControlShares``, ``ControlGeometry``,
``ControlData``) live in ``dashboard.core.control``.

Shares are areas in an equal-area CRS: the unit's area covered by the
occupied (or grey) polygon divided by the unit's area (DESIGN.md 1.3).

The coastline rule
------------------
The control sources draw the coast from another base map than the
project's Natural Earth units: a Crimea held in full measures about 99%, and
Sevastopol about 96%, because slivers of Natural Earth land along the sea lie
outside the source's polygons. Rule: a *coastal band* is the part of a unit
within ``COAST_BAND_KM`` (3 km) of its sea edge (the unit's boundary that
borders neither another Ukrainian unit nor a neighbouring country). When
everything in a unit that is neither occupied nor grey lies inside that band
(up to ``COAST_TOLERANCE_KM2``), the unit counts as fully held:
``occupied_share = 1 - grey_share`` and ``coast_rule`` is True. The raw
figure stays in ``occupied_share_raw``. A unit with any unheld land further
than 3 km from its sea edge keeps its measured share (Kherson's right bank,
any land front), so the rule never hides a real front line; it only stops a
fully held unit from showing as partly held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

__all__ = [
    "COAST_BAND_KM",
    "COAST_TOLERANCE_KM2",
    "ShareUnits",
    "polygons_only",
    "simplify_geometry",
    "snapshot_shares",
]

COAST_BAND_KM = 3.0
#: Unheld land outside the coastal band that still counts as none (float noise, 1 ha).
COAST_TOLERANCE_KM2 = 0.01
#: A neighbour's or other unit's border within this distance is a land border, not a sea edge.
LAND_BORDER_SNAP_M = 500.0


def _polygon_parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    out: list[BaseGeometry] = []
    for part in shapely.get_parts(geometry):
        kind = part.geom_type
        if kind == "Polygon":
            if not part.is_empty:
                out.append(part)
        elif kind in ("MultiPolygon", "GeometryCollection"):
            out.extend(_polygon_parts(part))
    return out


def polygons_only(geometry: BaseGeometry | None) -> MultiPolygon:
    """The polygonal part of any geometry (collections opened, points and lines dropped), made valid."""
    if geometry is None or geometry.is_empty:
        return MultiPolygon()
    if geometry.geom_type == "GeometryCollection" and len(geometry.geoms) == 1:
        geometry = geometry.geoms[0]
    if geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.is_valid:
        return geometry if geometry.geom_type == "MultiPolygon" else MultiPolygon([geometry])
    polys = _polygon_parts(geometry)
    if not polys:
        return MultiPolygon()
    merged = shapely.union_all(shapely.make_valid(np.asarray(polys, dtype=object)))
    return MultiPolygon(_polygon_parts(merged))


def simplify_geometry(geometry: BaseGeometry, tolerance_deg: float) -> MultiPolygon:
    """Simplified (topology kept), valid, polygons only; used for stored and bundled geometry."""
    if geometry is None or geometry.is_empty:
        return MultiPolygon()
    simple = shapely.simplify(geometry, tolerance_deg, preserve_topology=True)
    return polygons_only(simple)


@dataclass(frozen=True, eq=False)
class ShareUnits:
    """Ukraine's units prepared for share computation: projected, with their areas and coastal bands."""

    codes: tuple[str, ...]
    geometries: np.ndarray  # equal-area CRS, one per code
    areas_km2: np.ndarray
    cores: np.ndarray  # each unit minus its coastal band (the unit itself when landlocked)
    band_km2: np.ndarray  # area of each unit's coastal band
    outline: BaseGeometry  # union of the units in EPSG:4326, prepared: the clip mask
    crs: str
    band_km: float = COAST_BAND_KM
    _to_crs: Transformer = field(repr=False, default=None)  # type: ignore[assignment]

    @classmethod
    def build(cls, ukraine: Any, neighbours: Any, crs: str, band_km: float = COAST_BAND_KM) -> ShareUnits:
        """From GeoDataFrames in EPSG:4326 (`ukraine` with a `code` column; `neighbours` any countries)."""
        ukraine = ukraine.sort_values("code")
        projected = ukraine.to_crs(crs).geometry.values
        geoms = np.asarray(shapely.make_valid(np.asarray(projected, dtype=object)), dtype=object)
        areas = shapely.area(geoms) / 1e6
        other_land = np.asarray(neighbours.to_crs(crs).geometry.values, dtype=object)
        cores, bands = [], []
        for i, unit in enumerate(geoms):
            land = shapely.union_all(np.concatenate([np.delete(geoms, i), other_land]))
            sea_edge = shapely.difference(unit.boundary, shapely.buffer(land, LAND_BORDER_SNAP_M))
            if sea_edge.is_empty or band_km <= 0:
                cores.append(unit)
                bands.append(0.0)
                continue
            band = shapely.intersection(unit, shapely.buffer(sea_edge, band_km * 1000.0))
            cores.append(shapely.difference(unit, band))
            bands.append(band.area / 1e6)
        core_array = np.asarray(cores, dtype=object)
        shapely.prepare(core_array)
        shapely.prepare(geoms)
        outline = shapely.union_all(np.asarray(ukraine.geometry.values, dtype=object))
        shapely.prepare(outline)
        return cls(
            codes=tuple(ukraine["code"]),
            geometries=geoms,
            areas_km2=areas,
            cores=core_array,
            band_km2=np.asarray(bands),
            outline=outline,
            crs=crs,
            band_km=band_km,
            _to_crs=Transformer.from_crs("OGC:CRS84", crs, always_xy=True),
        )

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        """EPSG:4326 (lon, lat) -> the equal-area CRS."""

        def _xy(coords: np.ndarray) -> np.ndarray:
            x, y = self._to_crs.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geometry, _xy)

    def clip(self, geometry: BaseGeometry | None) -> MultiPolygon:
        """Polygons only, valid, clipped to Ukraine (EPSG:4326); everything outside dropped."""
        polys = polygons_only(geometry)
        if not self.touches_ukraine(polys):
            return MultiPolygon()
        return polygons_only(shapely.intersection(polys, self.outline))

    def touches_ukraine(self, geometry: BaseGeometry | None) -> bool:
        """True when some of the (polygonal) geometry lies inside Ukraine."""
        if geometry is None or geometry.is_empty or not shapely.intersects(self.outline, geometry):
            return False
        return not shapely.touches(self.outline, geometry)


def _areas(units: ShareUnits, projected: BaseGeometry) -> np.ndarray:
    if projected is None or projected.is_empty:
        return np.zeros(len(units.codes))
    hits = shapely.intersects(units.geometries, projected)
    out = np.zeros(len(units.codes))
    if hits.any():
        out[hits] = shapely.area(shapely.intersection(units.geometries[hits], projected)) / 1e6
    return out


def snapshot_shares(
    units: ShareUnits, day: date, occupied: BaseGeometry, grey: BaseGeometry | None, source: str
) -> pd.DataFrame:
    """One row per unit (all of them) for one snapshot, STORED_COLUMNS; inputs in EPSG:4326, clipped.

    `grey` None means the source has no grey layer: grey_km2 and grey_share are NaN.
    """
    occ_p = units.project(occupied) if occupied is not None and not occupied.is_empty else None
    grey_p = None
    if grey is not None and not grey.is_empty:
        grey_p = units.project(grey)
        if occ_p is not None:
            grey_p = shapely.difference(grey_p, occ_p)  # occupied wins where the two overlap
    occ_km2 = _areas(units, occ_p)
    grey_km2 = _areas(units, grey_p) if grey is not None else np.full(len(units.codes), np.nan)
    area = units.areas_km2
    raw_share = np.clip(occ_km2 / area, 0.0, 1.0)
    grey_share = np.clip(grey_km2 / area, 0.0, 1.0)
    held_km2 = occ_km2 + np.nan_to_num(grey_km2)
    # Coastline rule: only a unit whose whole unheld part could fit in its coastal band.
    coast = np.zeros(len(units.codes), dtype=bool)
    candidates = np.flatnonzero(
        (units.band_km2 > 0) & (occ_km2 > 0) & (area - held_km2 <= units.band_km2 + COAST_TOLERANCE_KM2)
    )
    if len(candidates):
        held = occ_p if grey_p is None else shapely.union(occ_p, grey_p)
        cores = units.cores[candidates]
        held_in_core = shapely.area(shapely.intersection(cores, held)) / 1e6
        unheld_outside_band = shapely.area(cores) / 1e6 - held_in_core
        coast[candidates] = unheld_outside_band <= COAST_TOLERANCE_KM2
    gs = np.nan_to_num(grey_share)
    share = np.where(coast, 1.0 - gs, raw_share)
    occ_out = np.where(coast, area - np.nan_to_num(grey_km2), occ_km2)
    return pd.DataFrame(
        {
            "snapshot_date": [day] * len(units.codes),
            "code": list(units.codes),
            "occupied_km2": occ_out,
            "occupied_share": share,
            "occupied_share_raw": raw_share,
            "grey_km2": grey_km2,
            "grey_share": grey_share,
            "coast_rule": coast,
            "source": [source] * len(units.codes),
        }
    )
