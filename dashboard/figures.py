"""Pure figure building: layers (and later the claims state) in, a go.Figure out.

Nothing here reads files or knows about Dash, so every function is testable
without a server and reusable by the image export.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import plotly.graph_objects as go
import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from dashboard.layers import RegionLayers

# Colours chosen from the Okabe-Ito palette, distinguishable with colour-blindness.
CONTESTED_FILL = "#E69F00"
UKRAINE_FILL = "#F4F1EA"
NEIGHBOUR_FILL = "#E3E3E3"
OCEAN_FILL = "#DCE9F2"
BORDER_COLOUR = "#6E6E6E"
UKRAINE_BORDER = "#1F1F1F"

#: Map frame (lon, lat), a little wider than Ukraine.
LON_RANGE = (21.6, 41.0)
LAT_RANGE = (43.9, 52.8)

ATTRIBUTION = "Boundaries: Natural Earth (public domain). Base: Ukraine's internationally recognised borders."


def _clockwise(geometry: shapely.Geometry) -> shapely.Geometry:
    """Plotly geo (d3) wants exteriors clockwise; otherwise a region fills the whole globe."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, sign=-1.0)
    if geometry.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([orient(p, sign=-1.0) for p in geometry.geoms])
    return geometry


def figure_geojson(layer: gpd.GeoDataFrame, id_column: str) -> dict[str, Any]:
    """A FeatureCollection whose feature ids are `id_column`, exteriors clockwise."""
    features = [
        {"type": "Feature", "id": str(key), "properties": {}, "geometry": mapping(_clockwise(geom))}
        for key, geom in zip(layer[id_column], layer.geometry)
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


def _context_trace(layer: gpd.GeoDataFrame, id_column: str, fill: str, name: str,
                   hover: Sequence[str], line_width: float) -> go.Choropleth:
    return go.Choropleth(
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


def build_map(layers: RegionLayers, fills: Mapping[str, str] | None = None,
              title: str | None = None) -> go.Figure:
    """The map: neighbours and Ukraine's other units as context, contested units on top.

    `fills` maps contested ISO codes to colours (default: one "contested" colour).
    The contested trace's `locations` are the ISO 3166-2 codes.
    """
    contested = layers.contested
    others = layers.others
    codes = list(contested["code"])
    colours = [(fills or {}).get(code, CONTESTED_FILL) for code in codes]
    z, colorscale, zmax = colour_codes(colours)

    contested_hover = [
        f"<b>{r.name_en}</b><br>{r.name_uk} · {r.name_ru}<br>{r.area_km2:,.0f} km²"
        for r in contested.itertuples()
    ]
    other_hover = [f"{r.name_en}<br>{r.name_uk}" for r in others.itertuples()]

    figure = go.Figure([
        _context_trace(layers.neighbours, "iso_a3", NEIGHBOUR_FILL, "Neighbouring countries",
                       layers.neighbours["name_en"], 0.6),
        _context_trace(others, "code", UKRAINE_FILL, "Other regions of Ukraine", other_hover, 0.5),
        go.Choropleth(
            geojson=figure_geojson(contested, "code"),
            locations=codes,
            z=z,
            zmin=0,
            zmax=zmax,
            colorscale=colorscale,
            showscale=False,
            marker={"line": {"color": UKRAINE_BORDER, "width": 1.0}},
            name="Contested regions",
            customdata=codes,
            text=contested_hover,
            hovertemplate="%{text}<extra></extra>",
        ),
    ])
    figure.update_geos(
        projection_type="mercator",
        lonaxis_range=list(LON_RANGE),
        lataxis_range=list(LAT_RANGE),
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
