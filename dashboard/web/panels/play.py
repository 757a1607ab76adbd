"""Play: step the end of the date range through the control snapshots, at a chosen speed.

A clientside callback driven by a dcc.Interval moves the range's end to the next
snapshot on each tick and stops on the last one. While it runs, the address bar
is left alone (filtersToUrl skips writing while the timer runs); when it stops,
the range is set once more, so the URL is written once (one history entry, not one per step).
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from dashboard.web.context import PageContext
from dashboard.web.dropdowns import dropdown_labels
from dashboard.web.ids import Ids

IDS = (Ids.PLAY, Ids.PLAY_SPEED, Ids.PLAY_TIMER, Ids.PLAY_STEPS)
#: Milliseconds per step for each speed.
SPEEDS = {"slow": 1500, "normal": 700, "fast": 250}


def snapshot_offsets(page: PageContext) -> list[int]:
    """The axis offsets of the control snapshots on the axis, in order."""
    data = page.data
    if data.control is None:
        return []
    axis = data.axis
    return [axis.offset(day) for day in data.control.geometry.dates if axis.first_day <= day <= axis.last_day]


def layout(page: PageContext) -> html.Div:
    text = page.text
    offsets = snapshot_offsets(page)
    return html.Div(
        className="play",
        children=[
            dcc.Store(
                id=Ids.PLAY_STEPS, data={"offsets": offsets, "play": text("play.button"), "stop": text("play.stop")}
            ),
            dcc.Interval(id=Ids.PLAY_TIMER, interval=SPEEDS["normal"], disabled=True, n_intervals=0),
            html.Button(
                text("play.button"),
                id=Ids.PLAY,
                n_clicks=0,
                className="play-button",
                title=text("play.hint"),
                disabled=not offsets,
            ),
            html.Label(text("play.speed.label"), htmlFor=Ids.PLAY_SPEED, className="visually-hidden"),
            dcc.Dropdown(
                id=Ids.PLAY_SPEED,
                labels=dropdown_labels(page.text),
                value=SPEEDS["normal"],
                clearable=False,
                searchable=False,
                options=[{"label": text(f"play.speed.{name}"), "value": ms} for name, ms in SPEEDS.items()],
                className="play-speed",
            ),
        ],
    )


def register(app: Dash, page: PageContext) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="playStep"),
        Output(Ids.DATES, "value", allow_duplicate=True),
        Output(Ids.PLAY_TIMER, "disabled"),
        Output(Ids.PLAY_TIMER, "interval"),
        Output(Ids.PLAY, "children"),
        Input(Ids.PLAY, "n_clicks"),
        Input(Ids.PLAY_TIMER, "n_intervals"),
        State(Ids.DATES, "value"),
        State(Ids.PLAY_STEPS, "data"),
        State(Ids.PLAY_SPEED, "value"),
        State(Ids.PLAY_TIMER, "disabled"),
        prevent_initial_call=True,
    )
