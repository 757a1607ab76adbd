"""Fitting the map's Mercator view to a frame: the ranges that fill it, and lon/lat to pixels.

Plotly geo fits the lon/lat ranges into the geo subplot's domain keeping the
projection's aspect ratio, and leaves the rest of the domain blank. Ranges
whose Mercator aspect ratio equals the domain's fill it exactly, so the
export widens the box of interest (Ukraine, or the picked regions with a
margin) along one axis until the two match.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Bounds as (min lon, min lat, max lon, max lat), degrees.
Bounds = tuple[float, float, float, float]

#: Share of the box of interest added on every side when zoomed to regions.
REGION_MARGIN = 0.12
#: Share added around Ukraine (its coast and borders stay clear of the frame).
UKRAINE_MARGIN = 0.03
#: The smallest view when zoomed (degrees of longitude): Sevastopol alone is a few pixels
#: of Natural Earth 1:50m coast at city scale, so a view never gets closer than about 250 km.
MIN_SPAN_DEG = 3.5
MAX_LAT = 80.0


def mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def with_margin(bounds: Bounds, margin: float, min_span: float = 0.0) -> Bounds:
    """`bounds` grown by `margin` of its size on each side, and to at least `min_span` degrees across."""
    lon0, lat0, lon1, lat1 = bounds
    dx, dy = (lon1 - lon0) * margin, (lat1 - lat0) * margin
    lon0, lon1, lat0, lat1 = lon0 - dx, lon1 + dx, lat0 - dy, lat1 + dy
    if lon1 - lon0 < min_span:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - min_span / 2, mid + min_span / 2
    # The same minimum north-south, in Mercator units at this latitude.
    y0, y1 = mercator_y(lat0), mercator_y(lat1)
    min_y = math.radians(min_span)
    if y1 - y0 < min_y:
        mid = (y0 + y1) / 2
        lat0, lat1 = _lat(mid - min_y / 2), _lat(mid + min_y / 2)
    return lon0, lat0, lon1, lat1


def mercator_aspect(bounds: Bounds) -> float:
    """Width over height of `bounds` drawn in Mercator."""
    lon0, lat0, lon1, lat1 = bounds
    return math.radians(lon1 - lon0) / (mercator_y(lat1) - mercator_y(lat0))


def fill_bounds(bounds: Bounds, width_px: float, height_px: float) -> Bounds:
    """`bounds` widened along one axis (centred) so their Mercator aspect equals width/height:
    drawn into a frame of that size, they fill it with no blank band."""
    lon0, lat0, lon1, lat1 = bounds
    target = width_px / height_px
    x0, x1 = math.radians(lon0), math.radians(lon1)
    y0, y1 = mercator_y(lat0), mercator_y(lat1)
    if (x1 - x0) / (y1 - y0) < target:
        grow = (y1 - y0) * target - (x1 - x0)
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    else:
        grow = (x1 - x0) / target - (y1 - y0)
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    lat_limit = mercator_y(MAX_LAT)
    if y1 > lat_limit or y0 < -lat_limit:  # only for absurd frames (8000 × 200 portrait strips)
        y0, y1 = max(y0, -lat_limit), min(y1, lat_limit)
    return math.degrees(x0), _lat(y0), math.degrees(x1), _lat(y1)


@dataclass(frozen=True)
class GeoFrame:
    """The map's view (lon/lat ranges) and where it is drawn (a pixel box, origin top left)."""

    bounds: Bounds
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
    width: int  # the whole image, pixels at scale 1
    height: int

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """The pixel (x right, y down) where Plotly draws lon/lat."""
        lon0, lat0, lon1, lat1 = self.bounds
        x0, y0, x1, y1 = self.box
        x = x0 + (lon - lon0) / (lon1 - lon0) * (x1 - x0)
        top, bottom = mercator_y(lat1), mercator_y(lat0)
        y = y0 + (top - mercator_y(lat)) / (top - bottom) * (y1 - y0)
        return x, y

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        lon0, lat0, lon1, lat1 = self.bounds
        x0, y0, x1, y1 = self.box
        top, bottom = mercator_y(lat1), mercator_y(lat0)
        lon = lon0 + (x - x0) / (x1 - x0) * (lon1 - lon0)
        return lon, _lat(top - (y - y0) / (y1 - y0) * (top - bottom))

    def domain(self) -> dict[str, list[float]]:
        """The geo subplot's domain in paper units (y up)."""
        x0, y0, x1, y1 = self.box
        return {"x": [x0 / self.width, x1 / self.width], "y": [1 - y1 / self.height, 1 - y0 / self.height]}

    def geo(self) -> dict[str, object]:
        """The geo subplot's properties for this frame."""
        lon0, lat0, lon1, lat1 = self.bounds
        return {
            "domain": self.domain(),
            "lonaxis": {"range": [lon0, lon1]},
            "lataxis": {"range": [lat0, lat1]},
            "projection": {"type": "mercator", "scale": 1},
        }
