"""The marker of the place picked in "Find a place", and the map's zoom to it.

One Scattergeo trace (uid `PLACE_UID`), empty until a place is picked; the
page patches its coordinates and name, and the geo's center and projection
scale, so nothing else of the figure is resent.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from dashboard.core.places import Place
from dashboard.render.map_figure import LAT_RANGE, LON_RANGE
from dashboard.render.theme import FONT_FAMILY, INK

__all__ = ["PLACE_SCALE", "PLACE_UID", "place_props", "place_trace", "place_zoom"]

PLACE_UID = "place-marker"
#: Projection scale when zoomed to a place: about 4 degrees of longitude across the page's map.
PLACE_SCALE = 5.0
MARKER_COLOUR = "#FFFFFF"


def place_trace() -> go.Scattergeo:
    """The (empty, hidden) marker trace, drawn above everything else."""
    return go.Scattergeo(
        uid=PLACE_UID,
        lon=[],
        lat=[],
        text=[],
        mode="markers+text",
        visible=False,
        showlegend=False,
        textposition="top center",
        textfont={"family": FONT_FAMILY, "size": 14, "color": INK},
        marker={"size": 12, "symbol": "circle", "color": MARKER_COLOUR, "line": {"color": INK, "width": 3}},
        hovertemplate="%{text}<extra></extra>",
    )


def place_props(place: Place | None, label: str = "") -> dict[str, Any]:
    """The marker trace's changeable properties: the place's point and `label`, or nothing."""
    if place is None:
        return {"lon": [], "lat": [], "text": [], "visible": False}
    return {"lon": [place.lon], "lat": [place.lat], "text": [label or place.name], "visible": True}


def place_zoom(place: Place | None) -> dict[str, Any]:
    """geo.center and geo.projection.scale: on the place, or back to the whole frame."""
    if place is None:
        return {"center": {"lon": sum(LON_RANGE) / 2, "lat": sum(LAT_RANGE) / 2}, "scale": 1.0}
    return {"center": {"lon": place.lon, "lat": place.lat}, "scale": PLACE_SCALE}
