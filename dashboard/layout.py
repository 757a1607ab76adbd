"""The page's layout: the map with its attribution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dash import Dash, dcc, html

from dashboard.figures import ATTRIBUTION, build_map
from dashboard.ids import Ids

if TYPE_CHECKING:
    from dashboard.app import AppData


def graph_config(app: Dash) -> dict:
    """dcc.Graph config: the basemap topojson comes from our own assets, not a CDN."""
    return {
        "topojsonURL": app.get_asset_url("topojson/"),
        "displaylogo": False,
        "scrollZoom": False,
    }


def build_layout(app: Dash, data: "AppData") -> html.Div:
    return html.Div(
        className="page",
        children=[
            html.Header([
                html.H1("Contested Regions Dashboard"),
                html.P(
                    "Crimea (with Sevastopol), Donetsk, Luhansk, Kherson and Zaporizhzhia, "
                    "shown within Ukraine's internationally recognised borders.",
                    className="subtitle",
                ),
            ]),
            dcc.Graph(id=Ids.MAP, figure=build_map(data.layers), config=graph_config(app),
                      style={"height": "70vh"}),
            html.Footer(html.P(ATTRIBUTION), className="attribution"),
        ],
    )
