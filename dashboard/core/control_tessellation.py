"""Areas from settlement points: a Voronoi tessellation, each cell taking its settlement's status.

Sources such as VIINA give control per settlement, not drawn front lines. To turn
them into shares the ground is split into the Voronoi cells of the settlements
(every point of Ukraine goes to its nearest settlement), computed in the units'
equal-area CRS so "nearest" means metres, not degrees. A status's area on a day is
the union of its settlements' cells; the importer then clips it to Ukraine's units
like any other source. This is an estimate: a cell's edge lies half-way between two
settlements, wherever the real line runs.

Pure: no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon

from dashboard.core.control_measure import ShareUnits, polygons_only

__all__ = ["Tessellation", "tessellate"]

#: The diagram reaches this far beyond Ukraine's outline, so every cell of a border place is closed.
_MARGIN_M = 200_000.0


@dataclass(frozen=True, eq=False)
class Tessellation:
    """Voronoi cells (equal-area CRS) aligned with the settlements given, and the way back to WGS 84."""

    cells: np.ndarray
    crs: str

    def __len__(self) -> int:
        return len(self.cells)

    def union(self, mask: np.ndarray) -> MultiPolygon:
        """The union of the cells where `mask` is True, in EPSG:4326 (unclipped)."""
        chosen = self.cells[np.asarray(mask, dtype=bool)]
        if not len(chosen):
            return MultiPolygon()
        try:
            merged = shapely.coverage_union_all(chosen)  # the cells tile the plane: a coverage
        except shapely.errors.GEOSException:
            merged = shapely.union_all(chosen)
        back = Transformer.from_crs(self.crs, "OGC:CRS84", always_xy=True)

        def _xy(coords: np.ndarray) -> np.ndarray:
            x, y = back.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return polygons_only(shapely.transform(merged, _xy))


def tessellate(units: ShareUnits, lon: np.ndarray, lat: np.ndarray) -> Tessellation:
    """Cells of the settlements at (lon, lat) (EPSG:4326), one per point, in the given order.

    Points must be distinct (a repeated point would share one cell): the caller drops repeats.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if len(lon) < 2:
        raise ValueError("a tessellation needs at least 2 distinct settlements")
    points = units.project(shapely.multipoints(np.column_stack([lon, lat])))
    extent = shapely.buffer(shapely.envelope(shapely.union(units.project(units.outline.envelope), points)), _MARGIN_M)
    diagram = shapely.voronoi_polygons(points, extend_to=extent, ordered=True)
    cells = np.asarray(shapely.get_parts(diagram), dtype=object)
    if len(cells) != len(lon):
        raise ValueError(f"the tessellation made {len(cells)} cells for {len(lon)} settlements (repeated points?)")
    return Tessellation(cells=cells, crs=units.crs)
