"""The panels under the first screen, drawn once the map has drawn.

Dash's renderer mounts the whole layout before any graph draws, and every component it mounts
delays the map. The timeline, the ledger, "Find a place" and the export are under the first screen
at every width, so the layout is sent with them held in a memory store (`after-map-content`) and
their place (`after-map`) empty; a clientside callback (`panelsAfterMap` in assets/dashboard.js, no
round trip) puts them in place in the frame after the map's first region is drawn. They are laid
out for the URL's state like the rest, so nothing has to be asked for again.

The layout the app builds (`app.layout()`, the callbacks' validation layout) holds them in place:
only the JSON sent to the browser (`deferred`) moves them into the store.

Two rules of Dash's renderer shape the rest. It refuses to run a callback while one of its inputs is
missing from the page; and when panels are put in, it runs every callback that listens to them and
writes outside them, whatever `prevent_initial_call` says. So no callback listens to a control drawn
here and writes outside it: it listens to a store of the first screen that follows the control
(`MIRRORS`). A value is passed on when it differs from the store's (not when the panels are put in
with the value the store was laid out with), an event (a click or a brush on the timeline) when
there is one. A click on the slider before the panels are in is not lost, and putting them in asks
the server nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html
from dash.development.base_component import Component

from dashboard.web.first_paint import components
from dashboard.web.ids import Ids

__all__ = ["MIRRORS", "Mirror", "deferred", "find_node", "panels", "register"]


@dataclass(frozen=True)
class Mirror:
    """A property of a control drawn after the map, followed by a memory store of the first screen."""

    control: Ids
    prop: str
    store: Ids
    #: "value": passed on when it differs from the store's; "event": passed on unless empty.
    kind: Literal["value", "event"]


MIRRORS = (
    Mirror(Ids.PLACE_SEARCH, "value", Ids.PLACE_CHOSEN, "value"),
    Mirror(Ids.LEDGER_COMPARE, "value", Ids.COMPARE_CHOSEN, "value"),
    Mirror(Ids.TIMELINE, "clickData", Ids.TIMELINE_CLICK, "event"),
    Mirror(Ids.TIMELINE, "selectedData", Ids.TIMELINE_BRUSH, "event"),
)

_PASS_ON = {
    "value": """function (value, held) {
        const none = (v) => v === undefined || v === null || v === false;
        const same = none(value) ? none(held) : JSON.stringify(value) === JSON.stringify(held);
        return same ? window.dash_clientside.no_update : (none(value) ? null : value);
    }""",
    "event": """function (event) {
        return event === null || event === undefined ? window.dash_clientside.no_update : event;
    }""",
}


def panels(children: list[Component]) -> list[Component]:
    """`children` in the place drawn after the map, with the store that carries them there and the
    stores that follow their controls (holding what the controls are laid out with)."""
    laid_out = {str(c.id): c for c in components(children) if isinstance(getattr(c, "id", None), str)}
    # Nothing is False, not None: a memory Store holding None reports a change when it mounts, which
    # would run its readers on every load (a round trip each).
    mirrors = [
        dcc.Store(id=m.store, data=_held(getattr(laid_out[m.control], m.prop, None) if m.control in laid_out else None))
        for m in MIRRORS
    ]
    # display: contents in style.css: the wrapper adds no box, so the panels keep their own layout.
    return [
        *mirrors,
        dcc.Store(id=Ids.AFTER_MAP_CONTENT, data=None),
        html.Div(id=Ids.AFTER_MAP, className="after-map", children=children),
    ]


def _held(value: Any) -> Any:
    return False if value is None else value


def find_node(node: Any, ident: str) -> dict | None:
    """The component with id `ident` in a serialised layout (its dict, depth first), or None."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if props.get("id") == ident:
                return node
            for value in props.values():
                found = find_node(value, ident)
                if found is not None:
                    return found
    elif isinstance(node, list):
        for item in node:
            found = find_node(item, ident)
            if found is not None:
                return found
    return None


def deferred(layout: dict) -> dict:
    """The serialised layout as sent: the panels after the map moved into their store (in place)."""
    place, store = find_node(layout, Ids.AFTER_MAP), find_node(layout, Ids.AFTER_MAP_CONTENT)
    if place is None or store is None:
        return layout
    store["props"]["data"] = place["props"].get("children")
    place["props"]["children"] = None
    return layout


def register(app: Dash) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="panelsAfterMap"),
        Output(Ids.AFTER_MAP, "children"),
        # Set again only when the filters moved before the panels were in (their callbacks could not run).
        Output(Ids.DATES, "value", allow_duplicate=True),
        Input(Ids.AFTER_MAP_CONTENT, "data"),
        State(Ids.URL_STATE, "data"),
        prevent_initial_call="initial_duplicate",
    )
    for mirror in MIRRORS:
        app.clientside_callback(
            _PASS_ON[mirror.kind],
            Output(mirror.store, "data"),
            Input(mirror.control, mirror.prop),
            State(mirror.store, "data"),
            prevent_initial_call=True,
        )
