"""Pure figure building: layers (and later the claims state) in, a go.Figure out.

Nothing here reads files or knows about Dash, so every function is testable
without a server and reusable by the image export.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import plotly.graph_objects as go
import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from dashboard.core.control import ShareRow
from dashboard.core.layers import NAME_LANGS, RegionLayers
from dashboard.core.views import ContestedView
from dashboard.render.change_layer import LOST_UID, TAKEN_HATCH_UID, TAKEN_OUTLINE_UID, change_traces
from dashboard.render.control_layer import GREY_UID, HATCH_UID, OUTLINE_UID, control_traces
from dashboard.render.markup import plotly_text
from dashboard.render.theme import (
    BORDER_COLOUR,
    CONTESTED_FILL,
    FONT_FAMILY,
    HIGHLIGHT_LINE,
    HIGHLIGHT_WIDTH,
    INK,
    NEIGHBOUR_FILL,
    NEIGHBOUR_WIDTH,
    OCEAN_FILL,
    OTHER_PLAIN_WIDTH,
    PLAIN_WIDTH,
    SELECTED_LINE,
    SELECTED_WIDTH,
    STATUS_FILLS,
    UKRAINE_BORDER,
    UKRAINE_FILL,
)
from dashboard.text import Text
from dashboard.text.control_words import coverage_sentence, needs_coverage, stale_note

#: Map frame (lon, lat), a little wider than Ukraine.
LON_RANGE = (21.6, 41.0)
LAT_RANGE = (43.9, 52.8)

#: Stable names of the map's traces: callbacks, export and the browser find them by
#: these (`trace_index`), never by position.
NEIGHBOURS_UID = "neighbours"
OTHERS_UID = "other-regions"
CONTESTED_UID = "contested"
#: The attribution annotation's name in an exported figure, and the control key's shapes and words.
ATTRIBUTION_NAME = "attribution"
CONTROL_KEY_NAME = "control-key"


def _clockwise(geometry: shapely.Geometry) -> shapely.Geometry:
    """Plotly geo (d3) wants exteriors clockwise; otherwise a region fills the whole globe."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, sign=-1.0)
    if geometry.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([orient(p, sign=-1.0) for p in geometry.geoms])
    return geometry


#: Decimals of the coordinates sent to the browser and to image export: 0.001 degree
#: (about 100 m) is far below a pixel even at 8000 px wide, and shared borders stay
#: shared because equal input coordinates round to equal output.
FIGURE_DECIMALS = 3


def _rounded(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, lambda xy: np.round(xy, FIGURE_DECIMALS))


def figure_geojson(layer: gpd.GeoDataFrame, id_column: str) -> dict[str, Any]:
    """A FeatureCollection whose feature ids are `id_column`, exteriors clockwise."""
    features = [
        {"type": "Feature", "id": str(key), "properties": {}, "geometry": mapping(_clockwise(_rounded(geom)))}
        for key, geom in zip(layer[id_column], layer.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _flat_colorscale(colours: Sequence[str]) -> list[list[Any]]:
    """A stepped colorscale: z = i draws colours[i] exactly."""
    if len(colours) == 1:
        return [[0.0, colours[0]], [1.0, colours[0]]]
    n = len(colours) - 1
    return [[i / n, c] for i, c in enumerate(colours)]


def colour_codes(fills: Sequence[str]) -> tuple[list[int], list[list[Any]], float]:
    """z values, colorscale and zmax that paint each location in its own fill.

    Returned separately so the dashboard can patch colours without resending geometry.
    """
    palette = list(dict.fromkeys(fills))
    z = [palette.index(f) for f in fills]
    return z, _flat_colorscale(palette), float(max(len(palette) - 1, 1))


def _context_trace(
    layer: gpd.GeoDataFrame, id_column: str, fill: str, name: str, hover: Sequence[str], line_width: float, uid: str
) -> go.Choropleth:
    return go.Choropleth(
        uid=uid,
        geojson=figure_geojson(layer, id_column),
        locations=list(layer[id_column]),
        z=[0] * len(layer),
        colorscale=_flat_colorscale([fill]),
        showscale=False,
        marker={"line": {"color": BORDER_COLOUR, "width": line_width}},
        name=name,
        text=list(hover),
        hovertemplate="%{text}<extra></extra>",
    )


def trace_index(figure: go.Figure | Mapping[str, Any], uid: str) -> int:
    """The position of the trace named `uid` in a figure (or its dict), for patches."""
    traces = figure.data if isinstance(figure, go.Figure) else figure["data"]
    for index, trace in enumerate(traces):
        if (trace["uid"] if not isinstance(trace, dict) else trace.get("uid")) == uid:
            return index
    raise KeyError(f"the figure has no trace {uid!r}")


def _unit_names(row: Any, lang: str) -> list[str]:
    """A unit's names, the one in `lang` first (English where the layers have none), then the others:
    ["Donetsk", "Донецька область", "Донецкая область"]; in Ukrainian, "Донецька область" first."""
    first = lang if lang in NAME_LANGS else "en"
    return [getattr(row, f"name_{n}") for n in (first, *(n for n in NAME_LANGS if n != first))]


def _hover_card(row: Any, view: ContestedView, text: Text) -> str:
    name, *others = _unit_names(row, text.lang)
    lines = [f"<b>{name}</b>", " · ".join(others), text.area(row.area_km2)]
    status = view.status.get(row.code)
    if status is not None and view.as_of is not None:
        lines.append(text("map.hover.status", day=text.day(view.as_of), status=text.status(status)))
    if view.held is not None and row.code in view.held and view.as_of is not None:
        lines.append(_held_line(view.held[row.code], view, text))
    if view.counts is not None:
        lines.append(_count_line(view.counts.get(row.code, {}), text))
    return "<br>".join(lines)


def _held_line(held: ShareRow | None, view: ContestedView, text: Text) -> str:
    """ "Held by Russian forces: 72% (DeepStateMap, 21 Aug 2026)": the ledger's held half."""
    if held is None:
        line = text("ledger.hover.none", source=view.held_source, day=text.day(view.as_of))
        if needs_coverage(view.held_sources, view.as_of):
            line += "<br>" + plotly_text(coverage_sentence(text, view.held_sources))
        return line
    share = text.share(held.occupied_share)
    if held.grey_share is not None:
        share = text("ledger.hover.grey", held=share, grey=text.share(held.grey_share))
    return text(
        "control.hover.held",
        held=share,
        source=view.held_source,
        snapshot=stale_note(text, held.snapshot_date, view.as_of) or text.day(held.snapshot_date),
        note=text("ledger.hover.coast_rule") if held.coast_rule else "",
    )


def _count_line(by_kind: Mapping[str, int], text: Text) -> str:
    """ "3 records in range (2 statements, 1 event)"; "0 records in range" is said too."""
    records = text.plural("count.record", sum(by_kind.values()))
    parts = [
        text.plural(f"count.{kind}", by_kind[kind])
        for kind in ("statement", "event", "assessment")
        if by_kind.get(kind)
    ]
    if not parts:
        return text("map.hover.count", records=records)
    return text("map.hover.count_detail", records=records, detail=", ".join(parts))


def contested_props(
    layers: RegionLayers, view: ContestedView, text: Text, fills: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The contested trace's changeable properties, in the order of its locations."""
    rows = list(layers.contested.itertuples())
    colours = [(fills or {}).get(r.code) or STATUS_FILLS.get(view.status.get(r.code, ""), CONTESTED_FILL) for r in rows]
    z, colorscale, zmax = colour_codes(colours)
    return {
        "z": z,
        "zmax": zmax,
        "colorscale": colorscale,
        "text": [_hover_card(r, view, text) for r in rows],
        "marker": {"line": _outlines([r.code for r in rows], view, UKRAINE_BORDER, PLAIN_WIDTH)},
    }


def _outlines(codes: Sequence[str], view: ContestedView, plain_colour: str, plain_width: float) -> dict[str, Any]:
    """Line colour and width per location: highlighted record > region filter > plain."""
    colours = [
        HIGHLIGHT_LINE if c in view.highlighted else SELECTED_LINE if c in view.selected else plain_colour
        for c in codes
    ]
    widths = [
        HIGHLIGHT_WIDTH if c in view.highlighted else SELECTED_WIDTH if c in view.selected else plain_width
        for c in codes
    ]
    return {
        "color": colours if len(set(colours)) > 1 else plain_colour,
        "width": widths if len(set(widths)) > 1 else plain_width,
    }


def other_props(layers: RegionLayers, view: ContestedView) -> dict[str, Any]:
    """The other units' changeable properties: outlines when picked in the filter or a record.

    A region outside the six can be picked (click, filter, URL) and a record can be
    about it; the map shows that as it does for the six.
    """
    return {"marker": {"line": _outlines(list(layers.others["code"]), view, BORDER_COLOUR, OTHER_PLAIN_WIDTH)}}


def build_map(
    layers: RegionLayers,
    view: ContestedView | None = None,
    text: Text | None = None,
    fills: Mapping[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """The map: neighbours and Ukraine's other units as context, contested units on top.

    Contested regions are coloured by `view.status` (default: one "contested"
    colour); `fills` overrides colours per code. The contested trace's
    `locations` are the ISO 3166-2 codes.
    """
    text = text or Text()
    view = view or ContestedView()
    contested = layers.contested
    others = layers.others
    codes = list(contested["code"])
    props = contested_props(layers, view, text, fills)
    other_hover = ["<br>".join(_unit_names(r, text.lang)[:2]) for r in others.itertuples()]
    neighbour_hover = [
        text.country(a3, name)
        for a3, name in zip(layers.neighbours["iso_a3"], layers.neighbours["name_en"], strict=True)
    ]

    figure = go.Figure(
        [
            _context_trace(
                layers.neighbours,
                "iso_a3",
                NEIGHBOUR_FILL,
                text("map.trace.neighbours"),
                neighbour_hover,
                NEIGHBOUR_WIDTH,
                NEIGHBOURS_UID,
            ),
            _context_trace(
                others, "code", UKRAINE_FILL, text("map.trace.others"), other_hover, OTHER_PLAIN_WIDTH, OTHERS_UID
            ),
            go.Choropleth(
                uid=CONTESTED_UID,
                geojson=figure_geojson(contested, "code"),
                locations=codes,
                zmin=0,
                showscale=False,
                name=text("map.trace.contested"),
                customdata=codes,
                hovertemplate="%{text}<extra></extra>",
                **props,
            ),
            # Control on the ground, over the fills and never merged with them (render/control_layer.py).
            *control_traces(
                {
                    HATCH_UID: text("map.trace.control"),
                    OUTLINE_UID: text("map.trace.control"),
                    GREY_UID: text("map.trace.grey"),
                }
            ),
            # The change of control over the range, above the held layer (render/change_layer.py).
            *change_traces(
                {
                    TAKEN_HATCH_UID: text("map.trace.change_taken"),
                    TAKEN_OUTLINE_UID: text("map.trace.change_taken"),
                    LOST_UID: text("map.trace.change_lost"),
                }
            ),
        ]
    )
    figure.data[trace_index(figure, OTHERS_UID)].update(other_props(layers, view))
    figure.update_geos(
        projection_type="mercator",
        lonaxis_range=list(LON_RANGE),
        lataxis_range=list(LAT_RANGE),
        # 1:50m, not 1:110m: at the page's ~790 px frame 110m drops the Kremenchuk
        # reservoir and leaves grey slivers of land off the coasts of Crimea and Odesa.
        resolution=50,
        scope="europe",
        showland=True,
        landcolor=NEIGHBOUR_FILL,
        showocean=True,
        oceancolor=OCEAN_FILL,
        showlakes=True,
        lakecolor=OCEAN_FILL,
        # The basemap's borders are de facto ones; borders come from our own layers.
        showcountries=False,
        showcoastlines=False,
        showsubunits=False,
        showrivers=False,
        showframe=False,
        bgcolor=OCEAN_FILL,
    )
    figure.update_layout(
        title={"text": title, "x": 0.01} if title else None,
        margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
        paper_bgcolor="white",
        dragmode=False,
        uirevision="map",
        showlegend=False,
    )
    return figure


def build_export_map(layers: RegionLayers, view: ContestedView, text: Text) -> go.Figure:
    """The map's traces for a publication-ready image, the same as the dashboard's, so an export
    shows exactly what the page shows. The frame (view, title, legend, labels, attribution) is
    fitted per image size by export_figure.image_figure."""
    figure = build_map(layers, view, text)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0}, font={"family": FONT_FAMILY, "color": INK})
    return figure


def colour_steps(layers: RegionLayers, changes: Sequence[tuple[int, Mapping[str, str]]], trace: int) -> dict[str, Any]:
    """What the browser needs to recolour the map the moment the dates change.

    For each step (a day offset from which the statuses hold), the contested
    trace's z, colorscale and zmax exactly as `contested_props` computes them:
    the browser only picks the step for a day and assigns it (assets/dashboard.js),
    so palette and colour rule live here alone.
    """
    codes = list(layers.contested["code"])
    steps = []
    for start, statuses in changes:
        z, colorscale, zmax = colour_codes([STATUS_FILLS.get(statuses.get(c, ""), CONTESTED_FILL) for c in codes])
        steps.append({"from": start, "z": z, "colorscale": colorscale, "zmax": zmax})
    # `codes`: the contested units in z's order, so the browser can also paint the step's fills on
    # the drawn regions at once (colorscale[z] is each unit's fill), before Plotly redraws.
    return {"trace": trace, "codes": codes, "steps": steps}
