"""The map panel: the legend, the map, and its link to the filters and the statements.

A date change recolours the map in the browser at once (`statusColours` in
assets/dashboard.js picks a precomputed step of `colour_steps`); the server's
patch follows with the same colours plus hover cards, counts and outlines.
Traces are found by their uid (`trace_index`), never by position, and only
their changeable properties are patched: geometry is sent once.
"""

from __future__ import annotations

import json

from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard.core.filters import FilterState
from dashboard.core.views import ContestedView, contested_view, status_changes
from dashboard.render.change_layer import CHANGE_UIDS, change_layer
from dashboard.render.control_layer import CONTROL_UIDS, control_layer
from dashboard.render.map_figure import (
    CONTESTED_UID,
    OTHERS_UID,
    colour_steps,
    contested_props,
    other_props,
    trace_index,
)
from dashboard.text import Text
from dashboard.web import control_source
from dashboard.web.context import PageContext
from dashboard.web.controls import CHANGE_ON, clicked_codes, region_codes, state_from_controls
from dashboard.web.ids import Ids
from dashboard.web.map_figures import figure_for, initial_figure
from dashboard.web.map_legends import change_legend, control_legend, legend
from dashboard.web.patches import assign_traces
from dashboard.web.plotly_locale import plotly_locale

IDS = (
    Ids.MAP_TABLE_LINK,
    Ids.LEGEND,
    Ids.CONTROL_TOGGLE,
    Ids.CONTROL_LEGEND,
    Ids.CONTROL_SOURCE,
    Ids.CONTROL_SOURCE_NOTE,
    Ids.CLEAR_SELECTION,
    Ids.MAP,
    Ids.STATUS_STEPS,
    Ids.CHANGE_LAYER,
    Ids.CHANGE_LEGEND,
)

#: Toolbar buttons that could send the chart off the machine: Dash's
#: "Share chart..." uploads it to Plotly Cloud, "Edit in Chart Studio" posts it to plotly.com.
OUTBOUND_BUTTONS = ["sendDataToCloud", "editInChartStudio"]


def graph_config(topojson_url: str, text: Text | None = None) -> dict:
    """dcc.Graph config: the basemap topojson comes from our own assets, not a CDN, and no
    toolbar button or link can send the chart anywhere (nothing leaves the machine); the toolbar
    speaks `text`'s language."""
    return {
        **(plotly_locale(text) if text is not None else {}),
        "topojsonURL": topojson_url,
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", *OUTBOUND_BUTTONS],
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "sendData": False,
        "plotlyServerURL": "",
    }


def layout(page: PageContext) -> html.Div:
    figure = initial_figure(page.for_lang(page.lang))
    state = page.initial_state()
    day = state.date_to
    control = control_source.control_for_state(page, state)
    geometry = control.geometry if control is not None else None
    change = change_layer(geometry, state.date_from, state.date_to, state.change)

    def steps_for(enrichment: bool) -> dict:
        return colour_steps(
            page.data.layers,
            [(page.data.axis.offset(day), statuses) for day, statuses in status_changes(page.data, enrichment)],
            trace_index(figure, CONTESTED_UID),
        )

    # Both step tables: "Article records only" recolours from the article records alone.
    steps = {**steps_for(True), "article_steps": steps_for(False)["steps"], "graph": Ids.MAP}
    return html.Div(
        [
            # The contested trace's colours per status step, so the browser recolours the map at once.
            dcc.Store(id=Ids.STATUS_STEPS, data=steps),
            # The same table where the page's own script finds it the moment the slider is let go.
            html.Div(hidden=True, className="status-steps", **{"data-status-steps": json.dumps(steps)}),
            html.Div(id=Ids.LEGEND, children=legend(page.text)),
            html.Div(
                className="control-controls",
                children=[
                    dcc.Checklist(
                        id=Ids.CONTROL_TOGGLE,
                        className="control-toggle",
                        options=[
                            {
                                "label": page.text("map.control.toggle"),
                                "value": "on",
                                "disabled": page.data.control is None,
                            }
                        ],
                        value=["on"] if page.data.control is not None else [],
                    ),
                    html.Div(
                        id=Ids.CONTROL_LEGEND,
                        className="control-legend",
                        role="status",
                        children=control_legend(page, control_layer(geometry, day, True), day, True, control),
                    ),
                    control_source.picker(page),
                    # The change of control over the page's range (URL change=yes), set from the URL on load.
                    dcc.Checklist(
                        id=Ids.CHANGE_LAYER,
                        className="control-toggle change-toggle",
                        options=[
                            {
                                "label": page.text("map.change.toggle"),
                                "value": CHANGE_ON,
                                "disabled": page.data.control is None,
                            }
                        ],
                        value=[CHANGE_ON] if state.change else [],
                    ),
                    html.Div(
                        id=Ids.CHANGE_LEGEND,
                        className="control-legend change-legend",
                        role="status",
                        children=change_legend(page, change, state.date_from, state.date_to, state.change, control),
                    ),
                ],
            ),
            # The map's information as a table (the ledger below): the way in for a screen reader or keyboard.
            html.A(
                page.text("map.table_link"), href=f"#{Ids.LEDGER}", id=Ids.MAP_TABLE_LINK, className="map-table-link"
            ),
            html.Button(
                page.text("map.clear_selection"),
                id=Ids.CLEAR_SELECTION,
                n_clicks=0,
                hidden=not state.statement,
                className="clear-selection",
            ),
            dcc.Loading(
                dcc.Graph(
                    id=Ids.MAP,
                    figure=figure_for(page),
                    config=graph_config(page.topojson_url, page.text),
                    className="map-graph",
                ),
                type="dot",
                delay_show=300,
            ),
        ]
    )


def register(app: Dash, page: PageContext) -> None:
    data = page.data
    figure = initial_figure(page)
    contested, others = trace_index(figure, CONTESTED_UID), trace_index(figure, OTHERS_UID)

    @app.callback(
        Output(Ids.REGIONS, "value", allow_duplicate=True),
        Input(Ids.MAP, "clickData"),
        State(Ids.REGIONS, "value"),
        prevent_initial_call=True,
    )
    def toggle_clicked_region(click, regions):
        clicked = clicked_codes(click)
        if not clicked:
            return no_update
        state = FilterState(data.axis.first_day, data.axis.last_day, region_codes(regions))
        return list(state.with_region_toggled(clicked).regions)

    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="statusColours"),
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Input(Ids.DATES, "value"),
        Input(Ids.ARTICLE_ONLY, "value"),
        State(Ids.STATUS_STEPS, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(Ids.MAP, "figure"),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        Input(Ids.ARTICLE_ONLY, "value"),
        Input(Ids.SELECTED, "data"),
        # The hover cards' counts follow the statements search; the colours do not.
        Input(Ids.STATEMENT_SEARCH, "value"),
        State(Ids.LANG, "data"),
        # The control source picked: its figures in the hover cards (a State, so a client that does
        # not send it gets the source covering the map's date; a change of source: show_source_hover).
        State(Ids.CONTROL_SOURCE, "value"),
        prevent_initial_call=True,  # the layout's figure is already the URL's (figure_for)
    )
    def update_map(dates, regions, parties, article_only, selected, search, lang=None, source=None):
        return _hover_patch(dates, regions, parties, article_only, selected, search, lang, source)

    @app.callback(
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Input(Ids.CONTROL_SOURCE, "value"),
        State(Ids.DATES, "value"),
        State(Ids.REGIONS, "value"),
        State(Ids.PARTIES, "value"),
        State(Ids.ARTICLE_ONLY, "value"),
        State(Ids.SELECTED, "data"),
        State(Ids.STATEMENT_SEARCH, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def show_source_hover(source, dates, regions, parties, article_only, selected, search, lang=None):
        """Another control source picked: the hover cards' held figures follow it."""
        return _hover_patch(dates, regions, parties, article_only, selected, search, lang, source)

    def _hover_patch(dates, regions, parties, article_only, selected, search, lang, source) -> Patch:
        state = state_from_controls(data, dates, regions, parties, article_only, search, source=source)
        claim = data.claims.get(selected)
        view = contested_view(
            control_source.data_for_state(page, state), state, claim.regions if claim is not None else ()
        )
        return patch_for(page.for_lang(lang), view, contested, others)

    control_traces = {uid: trace_index(figure, uid) for uid in CONTROL_UIDS}

    @app.callback(
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Output(Ids.CONTROL_LEGEND, "children"),
        Input(Ids.DATES, "value"),
        Input(Ids.CONTROL_TOGGLE, "value"),
        Input(Ids.CONTROL_SOURCE, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def update_control_layer(dates, toggle, source, lang=None):
        """Only that day's control layer of the source shown goes out (a Patch of three traces' coordinates)."""
        state = state_from_controls(data, dates, [], [], source=source)
        day = state.date_to
        visible = isinstance(toggle, list) and "on" in toggle
        control = control_source.control_for_state(page, state)
        layer = control_layer(control.geometry if control is not None else None, day, visible)
        patch = assign_traces(Patch(), control_traces, layer.props)
        return patch, control_legend(page.for_lang(lang), layer, day, visible, control)

    change_traces = {uid: trace_index(figure, uid) for uid in CHANGE_UIDS}

    @app.callback(
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Output(Ids.CHANGE_LEGEND, "children"),
        Input(Ids.DATES, "value"),
        Input(Ids.CHANGE_LAYER, "value"),
        Input(Ids.CONTROL_SOURCE, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def update_change_layer(dates, change, source, lang=None):
        """The change over the range in the source shown (a Patch of three traces' coordinates),
        when the box is ticked; with the box unticked the layer is already empty, so only unticking sends."""
        state = state_from_controls(data, dates, [], [], change=change, source=source)
        if not state.change and ctx.triggered_id != Ids.CHANGE_LAYER:
            return no_update, no_update
        control = control_source.control_for_state(page, state)
        layer = change_layer(
            control.geometry if control is not None else None, state.date_from, state.date_to, state.change
        )
        patch = assign_traces(Patch(), change_traces, layer.props)
        return patch, change_legend(page.for_lang(lang), layer, state.date_from, state.date_to, state.change, control)

    @app.callback(Output(Ids.CLEAR_SELECTION, "hidden"), Input(Ids.SELECTED, "data"), prevent_initial_call=True)
    def show_clear_button(selected):
        return not isinstance(selected, str)


def patch_for(page: PageContext, view: ContestedView, contested: int, others: int) -> Patch:
    """Only the contested trace's colours, hover text and outlines, and the other units'
    outlines: no geometry is resent."""
    return assign_traces(
        Patch(),
        {CONTESTED_UID: contested, OTHERS_UID: others},
        {
            CONTESTED_UID: contested_props(page.data.layers, view, page.text),
            OTHERS_UID: other_props(page.data.layers, view),
        },
    )
