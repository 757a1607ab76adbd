"""How much work repairing a geometry may cost, judged before the repair (pure: no file I/O).

``shapely.make_valid`` (``polygons_only`` in ``dashboard.core.control_measure``) on a
self-intersecting polygon grows much faster than the number of places where its
edges cross: measured here, a random polygon with 100 vertices (988 crossings)
took 0.3 s, with 150 vertices (2,768 crossings) 1.8 s, and a random 500-vertex
polygon 89 s; 20,000 vertices reached 23 GB. The vertex count alone cannot tell
those from DeepStateMap's real polygons (up to about 1,000 vertices, valid, or
invalid only by a ring touching itself, with no crossing at all).

So the importer counts crossings first, which is cheap: the ring segments go
into an STRtree, are queried a chunk at a time, and counting stops as soon as
the budget is passed, so a bomb costs no more than the budget to find. A
geometry that is valid already needs no repair and is not counted.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["MAX_CROSSINGS", "count_crossings", "repair_over_budget", "ring_segments", "vertex_count"]

#: Default crossings allowed in one feature's polygons before repair (about 0.3 s of make_valid).
MAX_CROSSINGS = 1_000
#: Segment pairs one STRtree query may hand back (memory per chunk: 16 bytes a pair).
_PAIRS_PER_CHUNK = 2_000_000


def vertex_count(geometry: BaseGeometry | None) -> int:
    return 0 if geometry is None else int(shapely.get_num_coordinates(geometry))


def _polygons(geometry: BaseGeometry) -> np.ndarray:
    parts = shapely.get_parts(geometry)
    out = []
    for part in parts:
        kind = part.geom_type
        if kind == "Polygon":
            out.append(part)
        elif kind in ("MultiPolygon", "GeometryCollection"):
            out.extend(_polygons(part))
    return np.asarray(out, dtype=object)


def ring_segments(geometry: BaseGeometry | None) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends): every edge of every polygon ring in the geometry, as (n, 2) coordinate arrays."""
    empty = np.empty((0, 2))
    if geometry is None or geometry.is_empty:
        return empty, empty
    polygons = _polygons(geometry)
    if not len(polygons):
        return empty, empty
    coords, index = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    same_ring = index[1:] == index[:-1]
    return coords[:-1][same_ring], coords[1:][same_ring]


def _side(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Sign of the turn a -> b -> c (1 left, -1 right, 0 in line), row by row."""
    turn: np.ndarray = np.sign((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))
    return turn


def count_crossings(geometry: BaseGeometry | None, stop_after: int) -> int:
    """Points where two ring edges cross (touching ends do not count), counted to just past `stop_after`.

    Candidate pairs come from an STRtree of the edges' boxes, a chunk of edges at a
    time (so a chunk's pairs stay within memory), and are tested with orientation signs.
    """
    starts, ends = ring_segments(geometry)
    n = len(starts)
    if n < 4:
        return 0
    boxes = shapely.box(
        np.minimum(starts[:, 0], ends[:, 0]),
        np.minimum(starts[:, 1], ends[:, 1]),
        np.maximum(starts[:, 0], ends[:, 0]),
        np.maximum(starts[:, 1], ends[:, 1]),
    )
    tree = shapely.STRtree(boxes)  # an edge's box is all the tree needs
    chunk = max(1, _PAIRS_PER_CHUNK // n)
    crossings = 0
    for first in range(0, n, chunk):
        left, right = tree.query(boxes[first : first + chunk])
        left = left + first
        keep = left < right  # each pair once, never an edge with itself
        i, j = left[keep], right[keep]
        p1, p2, q1, q2 = starts[i], ends[i], starts[j], ends[j]
        crossings += int(
            np.count_nonzero((_side(p1, p2, q1) * _side(p1, p2, q2) < 0) & (_side(q1, q2, p1) * _side(q1, q2, p2) < 0))
        )
        if crossings > stop_after:
            break
    return crossings


def repair_over_budget(geometry: BaseGeometry | None, max_crossings: int = MAX_CROSSINGS) -> int | None:
    """None when repairing `geometry` stays within the budget (or it needs no repair), else its crossings."""
    if geometry is None or geometry.is_empty:
        return None
    # A collection is always repaired (its parts are unioned), whatever GEOS says of its validity.
    if geometry.geom_type != "GeometryCollection" and bool(shapely.is_valid(geometry)):
        return None
    crossings = count_crossings(geometry, max_crossings)
    return crossings if crossings > max_crossings else None
