"""The page shell: header (with the language switch), the panels in their places, attribution below.

A print-only header (class `print-header`; the range in `print-range`) carries the date range and
the sources onto paper; `assets/style.css` (@media print) hides every control.
"""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from dashboard.text.source_words import publisher_words, source_words
from dashboard.web import after_map
from dashboard.web.context import PageContext
from dashboard.web.ids import Ids
from dashboard.web.panels import export, filters, language, ledger, map, places, play, statements, timeline


def sources(page: PageContext) -> str:
    publishers = sorted({publisher_words(page.text, claim.source.publisher) for claim in page.data.claims})
    return page.text("footer.claims", publishers=", ".join(publishers) or page.text("footer.no_claims"))


def control_credits(page: PageContext) -> str:
    """Each loaded control source with its attribution and licence ("" when none is loaded)."""
    sources = page.data.control_sources
    if not sources:
        return ""
    return page.text(
        "footer.control",
        sources="; ".join(
            page.text("ledger.caption.source_item", source=source_words(page.text, c.source.credit), licence=c.licence)
            for c in sources
        ),
    )


def map_section(page: PageContext) -> html.Section:
    """The map panel (the map and its keys) as a landmark of its own."""
    return html.Section(className="map-panel", **{"aria-label": page.text("map.region")}, children=[map.layout(page)])


def build_layout(page: PageContext) -> html.Div:
    text = page.text
    # The first screen (`first-screen`) holds the header, the filter bar and the map with the statements
    # beside it; on a wide screen it is the window's height and the map takes what the rest leaves.
    # The timeline, then the ledger with the map's tools follow, in that order for the keyboard too.
    return html.Div(
        className="page",
        lang=page.lang,
        children=[
            language.store(page),
            html.Main(
                className="panels",
                children=[
                    html.Div(
                        className="first-screen",
                        children=[
                            html.Header(
                                className="page-header",
                                children=[
                                    html.Div(
                                        className="title",
                                        children=[
                                            html.H1(text("app.title")),
                                            html.P(text("app.subtitle"), className="subtitle"),
                                        ],
                                    ),
                                    language.switch(page),
                                ],
                            ),
                            html.Div(
                                className="print-only print-header",
                                children=[
                                    html.P(
                                        filters.readout(page, filters.slider_value(page, page.initial_state())),
                                        id=Ids.PRINT_RANGE,
                                        className="print-range",
                                    ),
                                    html.P(sources(page), className="print-sources"),
                                    html.P(text("footer.boundaries"), className="print-sources"),
                                ],
                            ),
                            html.Div(className="filter-bar", children=[filters.layout(page), play.layout(page)]),
                            html.Div(
                                className="screen-row",
                                children=[
                                    map_section(page),
                                    statements.layout(page),
                                ],
                            ),
                        ],
                    ),
                    # Drawn once the map has drawn (after_map.py): they are under the first screen.
                    *after_map.panels(
                        [
                            # Time as the way into the data: right under the first screen, the full width.
                            timeline.layout(page),
                            # The ledger (the map as a table, at the map's date) with finding a place and the
                            # export beside it, under the statements.
                            html.Div(
                                className="details-row",
                                children=[
                                    ledger.layout(page),
                                    html.Div(
                                        className="map-tools", children=[places.layout(page), export.layout(page)]
                                    ),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
            html.Footer(
                className="attribution",
                **{"aria-label": text("footer.label")},
                children=[
                    html.P(text("footer.boundaries")),
                    html.P(sources(page)),
                    html.P(control_credits(page), hidden=not control_credits(page)),
                ],
            ),
        ],
    )


def validation_layout(layout: Component) -> html.Div:
    """Every component of `layout` that has an id, as its type with only that id: what Dash's renderer
    checks callbacks against. The layout is a function of the request, and Dash would
    otherwise send the whole English layout again, figures and all (~280 KB), with every page."""
    skeleton = []
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, Component):
            ident = getattr(node, "id", None)
            if ident is not None:
                skeleton.append(type(node)(id=ident))
            stack.append(getattr(node, "children", None))
    return html.Div(skeleton)
