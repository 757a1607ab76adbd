"""Words on the exported map: region names, each contested region's held share, and cities.

Labels are placed in pixels (the frame's own Mercator projection, geo_fit.py)
so they can be kept apart and inside the frame: each region's name sits at its
pole of inaccessibility (the point inside it farthest from its edge, in the
part of it that is in view), the held share under it; a label that would
cover another one already placed moves above or below its point, or is left
out. Drawn as Scattergeo text with a white halo, so they read on every fill.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from dashboard.render.geo_fit import GeoFrame
from dashboard.render.text_fit import LINE_SPACING, text_width, wrap
from dashboard.render.theme import HALO, INK, LABEL_CONTEXT, LABEL_SHARE, PLACE_DOT

#: A place to label: name (in the export's language), longitude, latitude, population.
Place = tuple[str, float, float, int]
#: A pixel box: x0, y0, x1, y1 (origin top left).
Box = tuple[float, float, float, float]

LABEL_NAME = "region-label"
SHARE_NAME = "share-label"
CONTEXT_NAME = "context-label"
CITY_NAME = "city-label"
#: Cities labelled at most, when zoomed.
CITY_LIMIT = 8
#: The halo: white copies of each label shifted this many pixels in eight directions under it
#: (drawn as text, so it stays vector in SVG and PDF, where CSS text shadows do not).
HALO_PX = 2.0


@dataclass(frozen=True)
class TextItem:
    """One line of words at a point: `role` is one of the *_NAME constants (its font and colour)."""

    lon: float
    lat: float
    text: str
    role: str
    size: int


@dataclass(frozen=True)
class RegionToLabel:
    name: str
    geometry: BaseGeometry
    share: str | None = None  # "72% held by Russian forces", when the control layer is drawn
    short_share: str | None = None  # "72% held": where the long form finds no room
    context: bool = False  # a region around the subject, named smaller and muted


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box, bounds: Box) -> Box | None:
    """`box` moved to lie inside `bounds`, or None if it is larger."""
    w, h = box[2] - box[0], box[3] - box[1]
    if w > bounds[2] - bounds[0] or h > bounds[3] - bounds[1]:
        return None
    x0 = min(max(box[0], bounds[0]), bounds[2] - w)
    y0 = min(max(box[1], bounds[1]), bounds[3] - h)
    return x0, y0, x0 + w, y0 + h


def _to_pixels(frame: GeoFrame, geometry: BaseGeometry) -> BaseGeometry:
    def project(xy: np.ndarray) -> np.ndarray:
        lon0, lat0, lon1, lat1 = frame.bounds
        x0, y0, x1, y1 = frame.box
        merc = np.log(np.tan(np.pi / 4 + np.radians(np.clip(xy[:, 1], -85, 85)) / 2))
        top, bottom = np.log(np.tan(np.pi / 4 + np.radians(lat1) / 2)), np.log(np.tan(np.pi / 4 + np.radians(lat0) / 2))
        x = x0 + (xy[:, 0] - lon0) / (lon1 - lon0) * (x1 - x0)
        y = y0 + (top - merc) / (top - bottom) * (y1 - y0)
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


def anchor(frame: GeoFrame, geometry: BaseGeometry) -> tuple[tuple[float, float], float] | None:
    """The pixel inside the in-view part of `geometry` farthest from its edges, and that part's
    area in pixels; None when no part of it is in view."""
    visible = shapely.intersection(_to_pixels(frame, geometry), shapely.box(*frame.box))
    parts = [p for p in shapely.get_parts(visible) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda p: p.area)
    point = polylabel(largest, tolerance=1.0)
    return (point.x, point.y), sum(p.area for p in parts)


def _nudges(width: float, height: float) -> list[tuple[float, float]]:
    """Where a label may move from its anchor, nearest first: up or down, then aside (a small
    region's label goes beside it, over the sea or a neighbour, rather than on another label)."""
    steps = [(0.0, 0.0)]
    for dy in (0.6, 1.1):
        steps += [(0.0, -dy * height), (0.0, dy * height)]
    dx = 0.5 * width + 0.3 * height
    for dy in (0.0, -0.6 * height, 0.6 * height):
        steps += [(-dx, dy), (dx, dy)]
    return steps


#: A subject's label that clears no other label at its size is tried at these smaller sizes.
SHRINK = (1.0, 0.85, 0.72)


def _distance(box: Box, point: tuple[float, float]) -> float:
    """Pixels from `point` to the nearest point of `box` (0 inside it)."""
    dx = max(box[0] - point[0], 0.0, point[0] - box[2])
    dy = max(box[1] - point[1], 0.0, point[1] - box[3])
    return (dx * dx + dy * dy) ** 0.5


def _overlap_area(box: Box, others: Sequence[Box]) -> float:
    return sum(
        max(0.0, min(box[2], o[2]) - max(box[0], o[0])) * max(0.0, min(box[3], o[3]) - max(box[1], o[1]))
        for o in others
    )


def _rows(region: RegionToLabel, fonts, size: float) -> list[tuple[str, str, int, bool]]:
    """(line, role, font px, bold) of a region's label at `size` times its font."""
    name_px = fonts.city if region.context else max(9, round(fonts.label * size))
    rows = [
        (line, CONTEXT_NAME if region.context else LABEL_NAME, name_px, not region.context)
        for line in wrap(region.name, 11 * name_px, name_px, bold=not region.context)
    ]
    if region.share:
        share_px = max(9, round(fonts.share * size))
        rows += [(line, SHARE_NAME, share_px, False) for line in wrap(region.share, 20 * share_px, share_px)]
    return rows


def place_regions(
    frame: GeoFrame, regions: Sequence[RegionToLabel], fonts, taken: list[Box], size: float = 1.0, halo: float = HALO_PX
) -> list[TextItem]:
    """Labels for `regions`, in priority order: each at its anchor, or moved up, down or aside (never
    away from it) to clear the labels before it, smaller if it must, then with its share in short,
    and at last without it. A context label that fits nowhere (or in a region too small to hold it) is left out; a
    subject's never is: at worst it goes where it covers the least of the others."""
    items: list[TextItem] = []
    edge = 2 + 0.3 * fonts.label  # Chromium's glyphs reach a little past the estimated line box
    inset = (frame.box[0] + edge, frame.box[1] + edge, frame.box[2] - edge, frame.box[3] - edge)
    for region in regions:
        found = anchor(frame, region.geometry)
        if found is None:
            continue
        (x, y), area = found
        placed, rows, fallback = None, [], None
        tries = [(region, shrink) for shrink in (SHRINK[:1] if region.context else SHRINK)]
        if region.share and not region.context:
            if region.short_share:
                tries.append((dataclasses.replace(region, share=region.short_share), SHRINK[-1]))
            tries.append((dataclasses.replace(region, share=None), SHRINK[-1]))
        for variant, shrink in tries:
            rows = _rows(variant, fonts, size * shrink)
            width = max(text_width(t, px, bold) for t, _, px, bold in rows) + 2 * halo
            height = sum(px * LINE_SPACING for _, _, px, _ in rows)
            if region.context and area < width * height * 1.5:
                break
            for dx, dy in _nudges(width, height):
                box = _inside((x - width / 2 + dx, y - height / 2 + dy, x + width / 2 + dx, y + height / 2 + dy), inset)
                # Kept inside the frame, a label may have moved: never far from what it names.
                if box is None or _distance(box, (x, y)) > max(0.5 * height, 12):
                    continue
                if not any(_overlaps(box, other) for other in taken):
                    placed = box
                    break
                cost = _overlap_area(box, taken)
                if fallback is None or cost < fallback[0]:
                    fallback = (cost, box, rows)
            if placed is not None:
                break
        if placed is None:
            if region.context or fallback is None:
                continue
            _, placed, rows = fallback
        taken.append(placed)
        cy = placed[1]
        for line, role, px, _ in rows:
            lon, lat = frame.unproject((placed[0] + placed[2]) / 2, cy + px * LINE_SPACING / 2)
            items.append(TextItem(lon, lat, line, role, px))
            cy += px * LINE_SPACING
    return items


def pick_cities(
    places: Iterable[Place], frame: GeoFrame, font_px: float, limit: int = CITY_LIMIT, taken: Sequence[Box] = ()
) -> list[tuple[Place, Box]]:
    """The `limit` most populous `places` inside the frame's view whose labels (a dot and the name
    to its right) clear each other and the boxes in `taken`, most populous first."""
    lon0, lat0, lon1, lat1 = frame.bounds
    inside = [p for p in places if lon0 <= p[1] <= lon1 and lat0 <= p[2] <= lat1]
    boxes = list(taken)
    inset = (frame.box[0] + 2, frame.box[1] + 2, frame.box[2] - 2, frame.box[3] - 2)
    chosen: list[tuple[Place, Box]] = []
    for place in sorted(inside, key=lambda p: -p[3]):
        if len(chosen) >= limit:
            break
        x, y = frame.project(place[1], place[2])
        half = font_px * LINE_SPACING / 2
        box = (x - font_px * 0.4, y - half, x + font_px * 0.7 + text_width(place[0], font_px) + 2 * HALO_PX, y + half)
        if _inside(box, inset) != box or any(_overlaps(box, other) for other in boxes):
            continue
        boxes.append(box)
        chosen.append((place, box))
    return chosen


def text_traces(items: Sequence[TextItem], frame: GeoFrame, family: str, halo: float = HALO_PX) -> list[dict]:
    """Scattergeo text traces for the items, one pair per role and size: a white halo (eight copies
    shifted `halo` pixels) under the ink."""
    styles = {
        LABEL_NAME: (INK, "bold"),
        SHARE_NAME: (LABEL_SHARE, "normal"),
        CONTEXT_NAME: (LABEL_CONTEXT, "normal"),
        CITY_NAME: (INK, "normal"),
    }
    traces: list[dict] = []
    for role, size in dict.fromkeys((i.role, i.size) for i in items):
        colour, weight = styles[role]
        chosen = [i for i in items if i.role == role and i.size == size]
        font = {"family": family, "size": size, "weight": weight}
        halo_lon, halo_lat, halo_text = [], [], []
        for item in chosen:
            x, y = frame.project(item.lon, item.lat)
            for dx, dy in ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
                lon, lat = frame.unproject(x + dx * halo, y + dy * halo)
                halo_lon.append(lon)
                halo_lat.append(lat)
                halo_text.append(item.text)
        base = {
            "type": "scattergeo",
            "mode": "text",
            "hoverinfo": "skip",
            "showlegend": False,
            "textposition": "middle center" if role != CITY_NAME else "middle right",
        }
        traces.append(
            {
                **base,
                "name": f"{role}-halo",
                "lon": halo_lon,
                "lat": halo_lat,
                "text": halo_text,
                "textfont": {**font, "color": HALO},
            }
        )
        traces.append(
            {
                **base,
                "name": role,
                "lon": [i.lon for i in chosen],
                "lat": [i.lat for i in chosen],
                "text": [i.text for i in chosen],
                "textfont": {**font, "color": colour},
            }
        )
    return traces


def city_items(chosen: Sequence[tuple[Place, Box]], frame: GeoFrame, font_px: float) -> tuple[list[TextItem], dict]:
    """Text items for picked cities (name right of the dot) and the dots' trace."""
    items = []
    for place, box in chosen:
        lon, lat = frame.unproject(box[0] + font_px * 0.7, (box[1] + box[3]) / 2)
        items.append(TextItem(lon, lat, place[0], CITY_NAME, round(font_px)))
    dots = {
        "type": "scattergeo",
        "mode": "markers",
        "name": "city-dots",
        "hoverinfo": "skip",
        "showlegend": False,
        "lon": [p[1] for p, _ in chosen],
        "lat": [p[2] for p, _ in chosen],
        "marker": {"size": max(4, font_px * 0.45), "color": PLACE_DOT, "line": {"color": HALO, "width": 1}},
    }
    return items, dots
