"""A layout plan (export_layout.py) as Plotly layout: title, subtitle, legend keys and words,
attribution; and the picked regions' double outline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.render.export_layout import Plan
from dashboard.render.map_figure import ATTRIBUTION_NAME
from dashboard.render.theme import (
    CHANGE_LOST_LINE,
    CHANGE_TAKEN_LINE,
    CONTROL_GREY_LINE,
    CONTROL_LINE,
    FONT_FAMILY,
    INK,
    MUTED,
    NEIGHBOUR_FILL,
    NEIGHBOUR_WIDTH,
    PICKED_CORE,
    PICKED_CORE_WIDTH,
    PICKED_LINE,
    PICKED_WIDTH,
    STATUS_FILLS,
)

SUBTITLE_NAME = "subtitle"
PICKED_UID = "picked-outline"
PICKED_CORE_UID = "picked-core"
SEAM_UID = "neighbours-seam"
#: Legend keys: a status key draws its fill; these draw the layers' line styles.
HATCH_KEY, GREY_KEY, PICKED_KEY = "hatch", "grey", "picked"
#: The change layer's keys: taken (a cross-hatch) and no longer held (a dashed box).
TAKEN_KEY, LOST_KEY = "change-taken", "change-lost"


def title(plan: Plan) -> dict[str, Any]:
    """The title, its first line's top at the padding. Plotly anchors a title of several lines at
    its first line's middle whatever `yanchor` says (measured: the ink starts 0.7 em above `y`)."""
    top = plan.fonts.pad + (0.7 * plan.fonts.title if len(plan.title_lines) > 1 else 0)
    return {
        "text": "<br>".join(plan.title_lines),
        "x": plan.fonts.pad / plan.width,
        "xanchor": "left",
        "xref": "paper",
        "yref": "paper",
        "y": 1 - top / plan.height,
        "yanchor": "top",
        "font": {"size": plan.fonts.title, "family": FONT_FAMILY, "color": INK},
    }


def _note(plan: Plan, x: float, y: float, lines: Sequence[str], size: int, colour: str, **extra: Any) -> dict:
    return {
        "text": "<br>".join(lines),
        "xref": "paper",
        "yref": "paper",
        "x": x / plan.width,
        "y": 1 - y / plan.height,
        "xanchor": "left",
        "yanchor": "top",
        "align": "left",
        "showarrow": False,
        "borderpad": 0,
        "visible": True,
        "font": {"size": size, "color": colour},
        **extra,
    }


def _rect(plan: Plan, box: tuple[float, float, float, float], **style: Any) -> dict[str, Any]:
    x0, y0, x1, y1 = box
    return {
        "type": "rect",
        "xref": "paper",
        "yref": "paper",
        "x0": x0 / plan.width,
        "x1": x1 / plan.width,
        "y0": 1 - y1 / plan.height,
        "y1": 1 - y0 / plan.height,
        **style,
    }


def _line(plan: Plan, x0: float, y0: float, x1: float, y1: float, **style: Any) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "yref": "paper",
        "x0": x0 / plan.width,
        "x1": x1 / plan.width,
        "y0": 1 - y0 / plan.height,
        "y1": 1 - y1 / plan.height,
        **style,
    }


def _key(plan: Plan, kind: str, x: float, top: float) -> list[dict[str, Any]]:
    """The shapes of one legend key whose box starts at (x, top)."""
    w, h = plan.swatch
    box = (x, top, x + w, top + h)
    scale = max(1.0, plan.fonts.legend / 14)
    if kind in STATUS_FILLS:
        return [_rect(plan, box, fillcolor=STATUS_FILLS[kind], line={"color": "#333333", "width": 1})]
    if kind == HATCH_KEY:
        hatch = [
            _line(
                plan,
                x + i * w / 4,
                top + h,
                x + (i + 1) * w / 4,
                top,
                line={"color": CONTROL_LINE, "width": 0.9 * scale},
            )
            for i in range(4)
        ]
        return [*hatch, _rect(plan, box, line={"color": CONTROL_LINE, "width": 1.6 * scale})]
    if kind == GREY_KEY:
        return [_rect(plan, box, line={"color": CONTROL_GREY_LINE, "width": 1.6 * scale, "dash": "dot"})]
    if kind == TAKEN_KEY:
        cross = [
            _line(
                plan,
                x + i * w / 3,
                y0,
                x + (i + 1) * w / 3,
                y1,
                line={"color": CHANGE_TAKEN_LINE, "width": 0.8 * scale},
            )
            for i in range(3)
            for y0, y1 in ((top + h, top), (top, top + h))
        ]
        return [*cross, _rect(plan, box, line={"color": CHANGE_TAKEN_LINE, "width": 1.2 * scale})]
    if kind == LOST_KEY:
        return [_rect(plan, box, line={"color": CHANGE_LOST_LINE, "width": 2.0 * scale, "dash": "dash"})]
    if kind == PICKED_KEY:
        return [
            _rect(plan, box, line={"color": PICKED_LINE, "width": PICKED_WIDTH * scale * 0.8}),
            _rect(plan, box, line={"color": PICKED_CORE, "width": PICKED_CORE_WIDTH * scale}),
        ]
    return []


def legend(plan: Plan) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(shapes, annotations) of the legend, each row's words named as its entry is."""
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    line_height = plan.fonts.legend * 1.3
    for placed in plan.legend:
        entry = placed.entry
        top = placed.y + (line_height - plan.swatch[1]) / 2
        shapes += _key(plan, entry.swatch, placed.x, top)
        x = placed.x + (plan.legend_text_dx if entry.swatch else 0)
        notes.append(
            _note(plan, x, placed.y, placed.lines, plan.fonts.legend, INK if entry.swatch else MUTED, name=entry.name)
        )
    return shapes, notes


def subtitle(plan: Plan) -> dict[str, Any]:
    return _note(
        plan,
        plan.fonts.pad,
        plan.subtitle_top,
        plan.subtitle_lines,
        plan.fonts.subtitle,
        MUTED,
        name=SUBTITLE_NAME,
        visible=bool(plan.subtitle_lines),
    )


def attribution_note(plan: Plan) -> dict[str, Any]:
    return _note(
        plan,
        plan.fonts.pad,
        plan.attribution_top,
        plan.attribution_lines,
        plan.fonts.attribution,
        MUTED,
        name=ATTRIBUTION_NAME,
    )


def _boundary_lines(geometries: Sequence[BaseGeometry]) -> tuple[list[float | None], list[float | None]]:
    lon: list[float | None] = []
    lat: list[float | None] = []
    for geometry in geometries:
        for line in shapely.get_parts(shapely.boundary(geometry)):
            for x, y in line.coords:
                lon.append(round(x, 3))
                lat.append(round(y, 3))
            lon.append(None)
            lat.append(None)
    return lon, lat


def picked_traces(geometries: Sequence[BaseGeometry]) -> list[dict[str, Any]]:
    """The picked regions' outline as a double line: a thick dark-blue line, a thin white core on it."""
    lon, lat = _boundary_lines(geometries)
    base = {
        "type": "scattergeo",
        "mode": "lines",
        "lon": lon,
        "lat": lat,
        "hoverinfo": "skip",
        "showlegend": False,
        "visible": bool(lon),
    }
    return [
        {**base, "uid": PICKED_UID, "name": PICKED_UID, "line": {"color": PICKED_LINE, "width": PICKED_WIDTH}},
        {
            **base,
            "uid": PICKED_CORE_UID,
            "name": PICKED_CORE_UID,
            "line": {"color": PICKED_CORE, "width": PICKED_CORE_WIDTH},
        },
    ]


def seam_trace(neighbours: BaseGeometry) -> dict[str, Any]:
    """Lines in the neighbours' fill over the edges where the neighbours layer was cut to a box
    (geodata/build.py): a wide frame shows the basemap's land past them, and the cut would read
    as a border that is not there."""
    minx, miny, maxx, maxy = neighbours.bounds
    edges = shapely.intersection(shapely.box(minx, miny, maxx, maxy).exterior, neighbours)
    lon, lat = [], []
    for part in shapely.get_parts(edges):
        if part.geom_type != "LineString":
            continue
        for x, y in part.coords:
            lon.append(round(x, 3))
            lat.append(round(y, 3))
        lon.append(None)
        lat.append(None)
    return {
        "type": "scattergeo",
        "mode": "lines",
        "uid": SEAM_UID,
        "name": SEAM_UID,
        "lon": lon,
        "lat": lat,
        "hoverinfo": "skip",
        "showlegend": False,
        "line": {"color": NEIGHBOUR_FILL, "width": 3 * NEIGHBOUR_WIDTH},
    }
