"""The control layer: the area held by Russian forces on a day, drawn over the status fills.

Declared annexation (the fills) and control on the ground (this layer) stay
separate: the layer is hatching and an outline, so every status colour shows
through it, and it reads in greyscale print. The grey zone, where a source has
one, is a dotted outline. All three are Scattergeo line traces found by uid;
a date change patches their coordinates only.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.core.control import ControlGeometry
from dashboard.render.theme import CONTROL_GREY_LINE, CONTROL_HATCH_WIDTH, CONTROL_LINE, CONTROL_OUTLINE_WIDTH

HATCH_UID = "control-hatch"
OUTLINE_UID = "control-outline"
GREY_UID = "control-grey"
CONTROL_UIDS = (HATCH_UID, OUTLINE_UID, GREY_UID)

#: Degrees between hatch lines (about 9 km): dense enough to read as an area at
#: 900 px, sparse enough that the status colour under it stays the main colour.
HATCH_SPACING = 0.12
#: The page draws the held area simplified to 0.02 degree (under a pixel at 900 px)
#: and rounded to 0.01 degree: one day's layer is about 20 KB.
PAGE_TOLERANCE = 0.02
PAGE_DECIMALS = 2
#: Exports draw it as stored (already simplified when imported), to 0.001 degree.
EXPORT_TOLERANCE = 0.0
EXPORT_DECIMALS = 3


def line_coords(geometry: BaseGeometry | None, decimals: int) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of every ring or line, each run ended by None (Plotly's break)."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    if geometry is None or geometry.is_empty:
        return lon, lat
    for part in getattr(geometry, "geoms", [geometry]):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        for ring in rings:
            xy = np.round(np.asarray(ring.coords), decimals)
            lon += [*xy[:, 0].tolist(), None]
            lat += [*xy[:, 1].tolist(), None]
    return lon, lat


def hatch(geometry: BaseGeometry, spacing: float = HATCH_SPACING) -> BaseGeometry:
    """Parallel diagonal lines `spacing` degrees apart, clipped to `geometry`."""
    if geometry is None or geometry.is_empty:
        return shapely.MultiLineString([])
    minx, miny, maxx, maxy = geometry.bounds
    offsets = np.arange(miny - maxx, maxy - minx + spacing, spacing)
    lines = shapely.MultiLineString([[(minx, minx + c), (maxx, maxx + c)] for c in offsets])
    # A line that only touches a corner leaves a point: keep the lines alone.
    parts = shapely.get_parts(shapely.intersection(lines, geometry))
    return shapely.MultiLineString([p for p in parts if p.geom_type == "LineString" and not p.is_empty])


@functools.lru_cache(maxsize=64)
def _layer(geometry: ControlGeometry, snapshot: dt.date, tolerance: float, decimals: int) -> dict[str, dict[str, Any]]:
    """The three traces' coordinates for one snapshot (memoised: a slider drag revisits days)."""
    found = geometry.at(snapshot)
    occupied, grey = (found[1], found[2]) if found else (None, None)
    if occupied is not None and tolerance:
        occupied = shapely.simplify(occupied, tolerance)
    if grey is not None and tolerance:
        grey = shapely.simplify(grey, tolerance)
    hatch_lon, hatch_lat = line_coords(hatch(occupied) if occupied is not None else None, decimals)
    outline_lon, outline_lat = line_coords(occupied, decimals)
    grey_lon, grey_lat = line_coords(grey, decimals)
    return {
        HATCH_UID: {"lon": hatch_lon, "lat": hatch_lat},
        OUTLINE_UID: {"lon": outline_lon, "lat": outline_lat},
        GREY_UID: {"lon": grey_lon, "lat": grey_lat},
    }


@dataclass(frozen=True)
class ControlLayer:
    """The control layer for one day: which snapshot it is (None: none on or before the day),
    whether that snapshot has a grey zone, and uid -> each trace's changeable properties."""

    snapshot: dt.date | None
    has_grey: bool
    props: dict[str, dict[str, Any]]


def control_layer(
    geometry: ControlGeometry | None, day: dt.date, visible: bool, *, for_export: bool = False
) -> ControlLayer:
    """The layer for the map's day: the last snapshot on or before `day` (never interpolated).

    The snapshot is named even when the layer is switched off (the legend says
    which it would be); with none, or switched off, the traces are empty and hidden.
    """
    found = geometry.at(day) if geometry is not None else None
    if found is None or not visible:
        hidden = {uid: {"lon": [], "lat": [], "visible": False} for uid in CONTROL_UIDS}
        return ControlLayer(found[0] if found else None, _has_grey(found), hidden)
    tolerance, decimals = (EXPORT_TOLERANCE, EXPORT_DECIMALS) if for_export else (PAGE_TOLERANCE, PAGE_DECIMALS)
    layer = _layer(geometry, found[0], tolerance, decimals)
    return ControlLayer(
        found[0], _has_grey(found), {uid: {**coords, "visible": bool(coords["lon"])} for uid, coords in layer.items()}
    )


def _has_grey(found: Any) -> bool:
    return found is not None and found[2] is not None and not found[2].is_empty


def control_props(
    geometry: ControlGeometry | None, day: dt.date, visible: bool, *, for_export: bool = False
) -> dict[str, dict[str, Any]]:
    """uid -> the changeable properties of each control trace for the map's day."""
    return control_layer(geometry, day, visible, for_export=for_export).props


def line_traces(styles: dict[str, dict[str, Any]], names: dict[str, str]) -> list[go.Scattergeo]:
    """Empty, hidden line traces, one per uid of `styles` (uid -> line style), in that order;
    `names`: uid -> legend name. A date change patches their coordinates only."""
    return [
        go.Scattergeo(
            uid=uid,
            name=names.get(uid, uid),
            lon=[],
            lat=[],
            mode="lines",
            line=line,
            hoverinfo="skip",
            visible=False,
            showlegend=False,
        )
        for uid, line in styles.items()
    ]


def control_traces(names: dict[str, str]) -> list[go.Scattergeo]:
    """The three (empty) traces, drawn above the regions; `names`: uid -> legend name."""
    return line_traces(
        {
            HATCH_UID: {"color": CONTROL_LINE, "width": CONTROL_HATCH_WIDTH},
            OUTLINE_UID: {"color": CONTROL_LINE, "width": CONTROL_OUTLINE_WIDTH},
            GREY_UID: {"color": CONTROL_GREY_LINE, "width": CONTROL_OUTLINE_WIDTH, "dash": "dot"},
        },
        names,
    )
