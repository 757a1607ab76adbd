"""The timeline panel: claims and control on one time axis, sharing the page's date range.

The figure is built once for the default state; every change goes out as a Patch of the traces
it touches, found by uid: a date change moves the range band (and, past MAX_MARKS records,
re-picks which records are drawn one by one), a region or party change redraws the record marks,
a selection moves the ring. Dragging across the chart sets the page's date range; clicking a
record selects it as "Show regions on map" does (outlined on the map, marked in the list).
"""

from __future__ import annotations

import functools
from dataclasses import replace

import plotly.graph_objects as go
from dash import Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard.core.claims import ClaimSet
from dashboard.core.filters import FilterState
from dashboard.core.timeline import MAX_MARKS, mark_count, record_marks
from dashboard.core.views import filtered_claims
from dashboard.render.timeline_control import (
    CHANGE_AXIS,
    CHANGE_MARGIN_RIGHT,
    MARGIN_RIGHT,
    change_bar_props,
    control_line_props,
    control_visibility,
)
from dashboard.render.timeline_figure import (
    RANGE_SHAPE,
    SELECTED_UID,
    build_timeline,
    range_shape,
    record_props,
    rule_layout,
    selected_props,
)
from dashboard.text import Text
from dashboard.web.context import PageContext
from dashboard.web.control_source import data_for_state
from dashboard.web.controls import brushed_days, clicked_record, state_from_controls
from dashboard.web.ids import Ids
from dashboard.web.panels.map import OUTBOUND_BUTTONS
from dashboard.web.patches import assign_traces
from dashboard.web.plotly_locale import plotly_locale

IDS = (Ids.TIMELINE,)

#: Only "select" (the brush) and the image download stay in the chart's toolbar.
_REMOVED_BUTTONS = [
    "zoom2d",
    "pan2d",
    "lasso2d",
    "zoomIn2d",
    "zoomOut2d",
    "autoScale2d",
    "resetScale2d",
    *OUTBOUND_BUTTONS,
]


def graph_config(text: Text | None = None) -> dict:
    return {
        **(plotly_locale(text) if text is not None else {}),
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": _REMOVED_BUTTONS,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "sendData": False,
        "plotlyServerURL": "",
        "doubleClick": False,
    }


def claims_for(page: PageContext, state: FilterState) -> ClaimSet:
    """The records the filters keep, at any date: the timeline shows them all and bands the range."""
    axis = page.data.axis
    return filtered_claims(page.data, replace(state, date_from=axis.first_day, date_to=axis.last_day))


@functools.lru_cache(maxsize=4)
def initial_figure(page: PageContext) -> go.Figure:
    state = page.data.query_context.default_state()
    return build_timeline(page.data, claims_for(page, state), state, page.text)


def figure_for(page: PageContext) -> go.Figure:
    """The timeline for the state the page is laid out for, as the callbacks would leave it: the
    records it keeps, the range's band, the picked record, the held lines of the source shown and,
    with `change=yes`, the change bars."""
    if page.state is None:
        return initial_figure(page)
    state = page.state
    shown = data_for_state(page, state)
    claim = page.data.claims.get(state.statement) if state.statement else None
    figure = build_timeline(page.data, claims_for(page, state), state, page.text, claim)
    index = {trace.uid: i for i, trace in enumerate(figure.data)}
    props = dict(control_line_props(shown, page.text))
    if state.change:
        props.update(change_bar_props(shown, state, page.text))
    for uid, changed in props.items():
        if uid in index:
            figure.data[index[uid]].update(changed)
    if state.change:
        drawn = any(changed["visible"] for changed in change_bar_props(shown, state, page.text).values())
        figure.layout[CHANGE_AXIS].visible = drawn
        figure.layout.margin.r = CHANGE_MARGIN_RIGHT if drawn else MARGIN_RIGHT
    return figure


def layout(page: PageContext) -> html.Section:
    return html.Section(
        className="timeline-panel",
        **{"aria-labelledby": "timeline-heading"},
        children=[
            html.H2(page.text("timeline.heading"), id="timeline-heading"),
            html.P(page.text("timeline.hint"), className="hint"),
            # On a narrow screen the plot keeps a width its rule labels fit in and scrolls sideways in
            # this box, which takes the focus so the keyboard can scroll it too.
            html.Div(
                className="timeline-scroll",
                tabIndex="0",
                role="region",
                **{"aria-labelledby": "timeline-heading"},
                children=dcc.Graph(
                    id=Ids.TIMELINE, figure=figure_for(page), config=graph_config(page.text), className="timeline-graph"
                ),
            ),
        ],
    )


def register(app: Dash, page: PageContext) -> None:
    data = page.data
    figure = initial_figure(page)
    index = {trace.uid: i for i, trace in enumerate(figure.data)}
    all_marks = record_marks(data.claims)  # once: a filter change then only looks its rows up

    @app.callback(
        Output(Ids.TIMELINE, "figure"),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        Input(Ids.ARTICLE_ONLY, "value"),
        # The marks are the records the statements panel would list at any date: the search too.
        Input(Ids.STATEMENT_SEARCH, "value"),
        Input(Ids.SELECTED, "data"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,  # the layout's figure is already the URL's (figure_for)
    )
    def update_timeline(dates, regions, parties, article_only, search, selected, lang=None):
        text = page.for_lang(lang).text
        state = state_from_controls(data, dates, regions, parties, article_only, search)
        changed = {item["prop_id"].split(".")[0] for item in ctx.triggered} if ctx.triggered else set()
        initial = not changed or changed == {"."}
        patch = Patch()
        if initial or Ids.ARTICLE_ONLY in changed:  # the rules follow the status the map shows
            shapes, notes = rule_layout(data, text, state.enrichment)
            patch["layout"]["shapes"] = [range_shape(state), *shapes]
            patch["layout"]["annotations"] = notes
        elif Ids.DATES in changed:
            patch["layout"]["shapes"][RANGE_SHAPE] = range_shape(state)
        if initial or Ids.DATES in changed:
            patch["layout"]["selections"] = []
        claims = claims_for(page, state)
        # Past MAX_MARKS marks, which records are drawn one by one depends on the range too.
        if (
            initial
            or changed & {Ids.REGIONS, Ids.PARTIES, Ids.ARTICLE_ONLY, Ids.STATEMENT_SEARCH}
            or (Ids.DATES in changed and mark_count(claims) > MAX_MARKS)
        ):
            assign_traces(patch, index, record_props(data, claims, state, text, all_marks))
            assign_traces(patch, index, control_visibility(state.regions))
        if initial or Ids.SELECTED in changed:
            assign_traces(patch, index, {SELECTED_UID: selected_props(data.claims.get(selected))})
        return patch

    if any(uid in index for uid in control_line_props(data, page.text)):

        @app.callback(
            Output(Ids.TIMELINE, "figure", allow_duplicate=True),
            Input(Ids.CONTROL_SOURCE, "value"),
            State(Ids.DATES, "value"),
            State(Ids.LANG, "data"),
            prevent_initial_call=True,
        )
        def show_source_lines(source, dates, lang=None):
            """The held lines of the source shown (its own days; another source's never mixed in)."""
            state = state_from_controls(data, dates, [], [], source=source)
            shown = data_for_state(page, state)
            return assign_traces(Patch(), index, control_line_props(shown, page.for_lang(lang).text))

    @app.callback(
        Output(Ids.TIMELINE, "figure", allow_duplicate=True),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.CHANGE_LAYER, "value"),
        Input(Ids.CONTROL_SOURCE, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def update_change_bars(dates, regions, change, source, lang=None):
        """ "Show change over the range": each region's net change per month as bars in the control
        row, on their own axis (a Patch of the bars' data and that axis only)."""
        state = state_from_controls(data, dates, regions, [], change=change, source=source)
        if not state.change and ctx.triggered_id != Ids.CHANGE_LAYER:
            return no_update  # unticked: the bars are already hidden; only unticking sends
        bars = change_bar_props(data_for_state(page, state), state, page.for_lang(lang).text)
        patch = assign_traces(Patch(), index, bars)
        drawn = any(props["visible"] for props in bars.values())
        patch["layout"][CHANGE_AXIS]["visible"] = drawn
        patch["layout"]["margin"]["r"] = CHANGE_MARGIN_RIGHT if drawn else MARGIN_RIGHT
        return patch

    @app.callback(
        Output(Ids.DATES, "value", allow_duplicate=True),
        Input(Ids.TIMELINE_BRUSH, "data"),  # the timeline's selectedData, as after_map.py passes it on
        prevent_initial_call=True,
    )
    def brush_dates(selected):
        days = brushed_days(selected)
        if days is None:
            return no_update
        return [data.axis.offset(days[0]), data.axis.offset(days[1])]

    @app.callback(
        Output(Ids.SELECTED, "data", allow_duplicate=True),
        Output(Ids.DATES, "value", allow_duplicate=True),
        Input(Ids.TIMELINE_CLICK, "data"),  # the timeline's clickData, as after_map.py passes it on
        prevent_initial_call=True,
    )
    def click_record(click):
        hit = clicked_record(click)
        if isinstance(hit, dict):  # a bin of counted records: show its days, one by one
            return no_update, [data.axis.offset(hit["from"]), data.axis.offset(hit["to"])]
        if hit is None or data.claims.get(hit) is None:
            return no_update, no_update
        return hit, no_update
