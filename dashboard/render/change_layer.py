"""The change layer: area taken by Russian forces between the range's two snapshots, and area no
longer held, drawn over the map like the held layer (render/control_layer.py).

Two patterns, each unlike the held layer's sparse black diagonal hatching and
readable in greyscale: "taken" is a dense cross-hatch (both diagonals) with a
thin solid edge; "no longer held" is a thick dashed outline. All are
Scattergeo line traces found by uid; a range change patches their coordinates only.
What changed is `dashboard.core.control_change.change_shapes` (the geometry's
own snapshots, never interpolated).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from dashboard.core.control import ControlData, ControlGeometry
from dashboard.core.control_change import change_shapes
from dashboard.core.ledger import source_label
from dashboard.render.control_layer import (
    EXPORT_DECIMALS,
    EXPORT_TOLERANCE,
    PAGE_DECIMALS,
    PAGE_TOLERANCE,
    line_coords,
    line_traces,
)
from dashboard.render.markup import plotly_text
from dashboard.render.theme import (
    CHANGE_LOST_LINE,
    CHANGE_LOST_WIDTH,
    CHANGE_TAKEN_HATCH_WIDTH,
    CHANGE_TAKEN_LINE,
    CHANGE_TAKEN_OUTLINE_WIDTH,
)
from dashboard.text import Text

#: The exported image's legend rows of the two patterns (named so image_figure and tests find them).
TAKEN_KEY_NAME = "change-key-taken"
LOST_KEY_NAME = "change-key-lost"

TAKEN_HATCH_UID = "change-taken-hatch"
TAKEN_OUTLINE_UID = "change-taken-outline"
LOST_UID = "change-lost"
CHANGE_UIDS = (TAKEN_HATCH_UID, TAKEN_OUTLINE_UID, LOST_UID)

#: Degrees between cross-hatch lines (about 4.5 km): a third of the held hatching's spacing,
#: so "taken" reads as a dense mesh over the held area's sparse lines.
TAKEN_SPACING = 0.04
#: Parts smaller than this (deg², about 0.4 km²) are the simplified geometry's jitter along a
#: front line that did not move; they are not drawn (the figures still count them).
MIN_PART_DEG2 = 5e-5


def cross_hatch(geometry: BaseGeometry, spacing: float = TAKEN_SPACING) -> BaseGeometry:
    """Lines along both diagonals `spacing` degrees apart, clipped to `geometry`.

    Each polygon gets lines over its own bounding box only (one long front line has parts
    hundreds of km apart: lines over the whole box took a second to clip), on one global
    grid of offsets, so neighbouring parts' lines meet.
    """
    if geometry is None or geometry.is_empty:
        return shapely.MultiLineString([])
    kept: list[BaseGeometry] = []
    for part in shapely.get_parts(geometry):
        minx, miny, maxx, maxy = part.bounds
        rising = np.arange(np.floor((miny - maxx) / spacing), np.ceil((maxy - minx) / spacing) + 1) * spacing
        falling = np.arange(np.floor((miny + minx) / spacing), np.ceil((maxy + maxx) / spacing) + 1) * spacing
        coords = [[(minx, minx + c), (maxx, maxx + c)] for c in rising]
        coords += [[(minx, c - minx), (maxx, c - maxx)] for c in falling]
        shapely.prepare(part)
        clipped = shapely.intersection(shapely.linestrings(coords), part)
        # A line that only touches a corner leaves a point: keep the lines alone.
        kept.extend(p for p in shapely.get_parts(clipped) if p.geom_type == "LineString" and not p.is_empty)
    return shapely.MultiLineString(kept)


def _visible_parts(geometry: MultiPolygon, tolerance: float) -> MultiPolygon:
    parts = [p for p in shapely.get_parts(geometry) if p.area >= MIN_PART_DEG2]
    shape = MultiPolygon(parts)
    return shapely.simplify(shape, tolerance) if tolerance and parts else shape


@functools.lru_cache(maxsize=64)
def _layer(
    geometry: ControlGeometry, start: dt.date, end: dt.date, tolerance: float, decimals: int
) -> tuple[dict[str, dict[str, Any]], dt.date | None, dt.date | None]:
    """The three traces' coordinates for two snapshot days (memoised: a slider drag revisits ranges)."""
    shapes = change_shapes(geometry, start, end)
    taken = _visible_parts(shapes.taken, tolerance)
    lost = _visible_parts(shapes.lost, tolerance)
    hatch_lon, hatch_lat = line_coords(cross_hatch(taken), decimals)
    taken_lon, taken_lat = line_coords(taken, decimals)
    lost_lon, lost_lat = line_coords(lost, decimals)
    return (
        {
            TAKEN_HATCH_UID: {"lon": hatch_lon, "lat": hatch_lat},
            TAKEN_OUTLINE_UID: {"lon": taken_lon, "lat": taken_lat},
            LOST_UID: {"lon": lost_lon, "lat": lost_lat},
        },
        shapes.from_snapshot,
        shapes.to_snapshot,
    )


@dataclass(frozen=True)
class ChangeLayer:
    """The change layer for a range: the two geometry snapshots it compares (None: none on or
    before that end) and uid -> each trace's changeable properties."""

    from_snapshot: dt.date | None
    to_snapshot: dt.date | None
    props: dict[str, dict[str, Any]]

    @property
    def drawn(self) -> bool:
        return any(p.get("visible") for p in self.props.values())


def change_layer(
    geometry: ControlGeometry | None, start: dt.date, end: dt.date, visible: bool, *, for_export: bool = False
) -> ChangeLayer:
    """The layer for the range [start, end]: each end's last snapshot on or before it.

    The snapshots are named even when the layer is off; off, or with a missing
    snapshot, or with one snapshot at both ends, the traces are empty and hidden.
    """
    first = geometry.at(start) if geometry is not None else None
    last = geometry.at(end) if geometry is not None else None
    days = (first[0] if first else None, last[0] if last else None)
    if not visible or first is None or last is None or days[0] == days[1]:
        hidden = {uid: {"lon": [], "lat": [], "visible": False} for uid in CHANGE_UIDS}
        return ChangeLayer(*days, hidden)
    tolerance, decimals = (EXPORT_TOLERANCE, EXPORT_DECIMALS) if for_export else (PAGE_TOLERANCE, PAGE_DECIMALS)
    coords, _, _ = _layer(geometry, days[0], days[1], tolerance, decimals)
    return ChangeLayer(*days, {uid: {**c, "visible": bool(c["lon"])} for uid, c in coords.items()})


def change_keys(
    control: ControlData | None, layer: ChangeLayer, text: Text, start: dt.date, end: dt.date
) -> dict[str, str]:
    """An export's two keys in words (Plotly markup; the legend wraps them): name -> text. With nothing to draw
    (no snapshot at an end, or one snapshot at both), the first key says why instead."""
    if control is None:
        return {}
    source = source_label(control.source_name)
    if layer.from_snapshot is None or layer.to_snapshot is None:
        day = start if layer.from_snapshot is None else end
        return {TAKEN_KEY_NAME: plotly_text(text("map.change.none", source=source, day=text.day(day)))}
    if layer.from_snapshot == layer.to_snapshot:
        return {TAKEN_KEY_NAME: plotly_text(text("map.change.same", source=source, day=text.day(layer.to_snapshot)))}
    days = {"start": text.day(layer.from_snapshot), "end": text.day(layer.to_snapshot), "source": source}
    return {
        name: plotly_text(text(key, **days))
        for name, key in ((TAKEN_KEY_NAME, "map.change.taken"), (LOST_KEY_NAME, "map.change.lost"))
    }


def change_traces(names: dict[str, str]) -> list[go.Scattergeo]:
    """The three (empty) traces, drawn above the held layer; `names`: uid -> legend name."""
    return line_traces(
        {
            TAKEN_HATCH_UID: {"color": CHANGE_TAKEN_LINE, "width": CHANGE_TAKEN_HATCH_WIDTH},
            TAKEN_OUTLINE_UID: {"color": CHANGE_TAKEN_LINE, "width": CHANGE_TAKEN_OUTLINE_WIDTH},
            LOST_UID: {"color": CHANGE_LOST_LINE, "width": CHANGE_LOST_WIDTH, "dash": "dash"},
        },
        names,
    )
