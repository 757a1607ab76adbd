"""The page shell: header, the panels in their places, attribution below."""

from __future__ import annotations

from dash import html

from dashboard.web.context import PageContext
from dashboard.web.panels import export, filters, ledger, map, statements, timeline


def _sources(page: PageContext) -> str:
    publishers = sorted({claim.source.publisher for claim in page.data.claims})
    return page.text("footer.claims", publishers=", ".join(publishers) or page.text("footer.no_claims"))


def build_layout(page: PageContext) -> html.Div:
    text = page.text
    return html.Div(className="page", children=[
        html.Header([
            html.H1(text("app.title")),
            html.P(text("app.subtitle"), className="subtitle"),
        ]),
        filters.layout(page),
        html.Main(className="panels", children=[
            # The ledger sits under the map it describes (the map's date), in the same column.
            html.Section(className="map-panel", children=[map.layout(page), export.layout(page),
                                                          ledger.layout(page)]),
            statements.layout(page),
            # Time as the way into the data: under the map and the statements, the full width.
            timeline.layout(page),
        ]),
        html.Footer(className="attribution", children=[
            html.P(text("footer.boundaries")),
            html.P(_sources(page)),
        ]),
    ])
