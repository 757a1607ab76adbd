"""The map's figure as the page starts with it: the default state's, built once per context, and the
one for the state a URL asks for (`figure_for`), which the map panel's layout sends.

The URL's figure is the default's with what the map's callbacks would patch for that state assigned
the same way, so the first paint needs no callback; its geometry is shared with the default's.
"""

from __future__ import annotations

import copy
import functools

import plotly.graph_objects as go

from dashboard.core.views import contested_view
from dashboard.render.change_layer import change_layer
from dashboard.render.control_layer import control_layer, control_props
from dashboard.render.map_figure import CONTESTED_UID, OTHERS_UID, build_map, contested_props, other_props, trace_index
from dashboard.render.place_marker import PLACE_UID, place_props, place_trace, place_zoom
from dashboard.web import control_source
from dashboard.web.context import PageContext

__all__ = ["figure_for", "initial_figure"]


@functools.lru_cache(maxsize=4)
def initial_figure(page: PageContext) -> go.Figure:
    """The map for the default state, built once per page context (read-only)."""
    data = page.data
    state = data.query_context.default_state()
    figure = build_map(data.layers, contested_view(data, state), page.text)
    geometry = data.control.geometry if data.control is not None else None
    for uid, props in control_props(geometry, state.date_to, True).items():
        figure.data[trace_index(figure, uid)].update(props)
    figure.add_trace(place_trace())  # "Find a place" (panels/places.py): empty until a place is picked
    return figure


@functools.lru_cache(maxsize=4)
def _initial_dict(page: PageContext) -> dict:
    return initial_figure(page).to_plotly_json()


def figure_for(page: PageContext) -> go.Figure | dict:
    """The map for the state the page is laid out for: the default's figure with what the callbacks
    would patch for that state assigned the same way (colours, hover cards and outlines; the day's
    held layer; the change layer; the place's marker and zoom). Geometry is shared, never copied."""
    if page.state is None:
        return initial_figure(page)
    state, base = page.state, page.for_lang(page.lang)
    figure = _initial_dict(base)
    traces = [dict(trace) for trace in figure["data"]]  # shallow: the geometry is shared, never changed
    layout = copy.deepcopy(figure["layout"])
    index = {trace.get("uid"): i for i, trace in enumerate(traces)}
    claim = page.data.claims.get(state.statement) if state.statement else None
    view = contested_view(control_source.data_for_state(page, state), state, claim.regions if claim is not None else ())
    control = control_source.control_for_state(page, state)
    geometry = control.geometry if control is not None else None
    place = page.data.places.get(state.place) if page.data.places is not None and state.place is not None else None
    props = {
        CONTESTED_UID: contested_props(page.data.layers, view, page.text),
        OTHERS_UID: other_props(page.data.layers, view),
        **control_layer(geometry, state.date_to, True).props,
        **change_layer(geometry, state.date_from, state.date_to, state.change).props,
    }
    if place is not None:
        props[PLACE_UID] = place_props(place)
        zoom = place_zoom(place)
        layout["geo"]["center"] = zoom["center"]
        layout["geo"]["projection"]["scale"] = zoom["scale"]
    for uid, changed in props.items():
        traces[index[uid]].update(changed)
    return {"data": traces, "layout": layout}
