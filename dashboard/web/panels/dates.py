"""Exact dates beside the slider: "from" and "to" inputs in step with it and the URL,
"previous / next event" buttons, and the slider handles' dates for screen readers.

The inputs accept what the URL accepts (YYYY, YYYY-MM, YYYY-MM-DD: "from" takes the first day,
"to" the last) and the forms the page shows ("11 Nov 2022", "11 лист. 2022": `parse_typed_date`) and
show the exact day in use once applied. The event buttons move the end of the range to the
neighbouring day an event is known to exactly (`exact_event_days`, the rule the slider marks
follow), keeping the start before it.
"""

from __future__ import annotations

import datetime as dt

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.core.dates import in_order
from dashboard.core.events import exact_event_days, next_event_day, previous_event_day
from dashboard.sources.date_phrases import parse_typed_date
from dashboard.web.context import PageContext
from dashboard.web.controls import state_from_controls
from dashboard.web.ids import Ids

IDS = (Ids.DATE_FROM, Ids.DATE_TO, Ids.DATE_INPUT_ERROR, Ids.PREV_EVENT, Ids.NEXT_EVENT, Ids.HANDLE_TEXT)
HANDLES_DONE = "date-handle-done"
#: Longer input is not parsed (no date is longer than "2022-09-30").
_MAX_INPUT = 40


def layout(page: PageContext) -> html.Div:
    text = page.text
    state = page.initial_state()

    def field(ident: Ids, label_key: str, day: dt.date) -> html.Div:
        return html.Div(
            className="date-field",
            children=[
                html.Label(text(label_key), htmlFor=ident),
                dcc.Input(
                    id=ident,
                    type="text",
                    value=day.isoformat(),
                    debounce=True,
                    maxLength=_MAX_INPUT,
                    placeholder=text("filters.date_input.hint"),
                    className="date-input",
                    autoComplete="off",
                    spellCheck=False,
                ),
            ],
        )

    return html.Div(
        className="date-inputs",
        children=[
            dcc.Store(id=Ids.HANDLE_TEXT, data=handle_words(page, state)),
            dcc.Store(id=HANDLES_DONE, data=None),
            field(Ids.DATE_FROM, "filters.date_from", state.date_from),
            field(Ids.DATE_TO, "filters.date_to", state.date_to),
            html.Div(
                className="event-steps",
                children=[
                    html.Button(
                        text("filters.prev_event"),
                        id=Ids.PREV_EVENT,
                        n_clicks=0,
                        className="event-step",
                        title=text("filters.prev_event.title"),
                    ),
                    html.Button(
                        text("filters.next_event"),
                        id=Ids.NEXT_EVENT,
                        n_clicks=0,
                        className="event-step",
                        title=text("filters.next_event.title"),
                    ),
                ],
            ),
            html.P(id=Ids.DATE_INPUT_ERROR, className="date-error", role="status", **{"aria-live": "polite"}),
        ],
    )


def handle_words(page: PageContext, state) -> list[str]:
    """What screen readers hear for each slider handle (its date in words), then each handle's name
    (Dash's own is an English "Minimum" / "Maximum")."""
    text = page.text
    return [
        text("filters.handle_from", day=text.day(state.date_from)),
        text("filters.handle_to", day=text.day(state.date_to)),
        text("filters.date_from"),
        text("filters.date_to"),
    ]


def _typed_day(value: object, field: str, data) -> dt.date | str | None:
    """The day a typed value means (clamped to the axis), None when empty, or the value when bad."""
    if not isinstance(value, str) or not value.strip():
        return None
    partial = parse_typed_date(value.strip()[:_MAX_INPUT])
    if partial is None:
        return value[:_MAX_INPUT]
    day = partial.start if field == "from" else partial.end
    return min(max(day, data.axis.first_day), data.axis.last_day)


def register(app: Dash, page: PageContext) -> None:
    data = page.data
    # The event steps follow "Article records only": without enrichment, the articles' own days.
    stops = {
        enrichment: [event.end for event in exact_event_days(data.claims.filter(enrichment=enrichment))]
        for enrichment in (True, False)
    }

    # Two callbacks, not one circular one: the slider writes the fields' values (in the browser,
    # assets/dashboard.js datesToFields, so a field never lags the slider); the fields write the slider
    # only when a date is entered (Enter or leaving the field: n_submit / n_blur), so nothing that
    # listens to the slider (the map's instant recolouring) waits for a round trip.
    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="datesToFields"),
        Output(Ids.DATE_FROM, "value"),
        Output(Ids.DATE_TO, "value"),
        Output(Ids.DATE_INPUT_ERROR, "children"),
        Input(Ids.DATES, "value"),
        State(Ids.DATE_FROM, "value"),
        State(Ids.DATE_TO, "value"),
        prevent_initial_call=True,  # the layout shows the URL's days
    )

    @app.callback(
        Output(Ids.DATES, "value", allow_duplicate=True),
        Output(Ids.DATE_INPUT_ERROR, "children", allow_duplicate=True),
        Input(Ids.DATE_FROM, "n_submit"),
        Input(Ids.DATE_FROM, "n_blur"),
        Input(Ids.DATE_TO, "n_submit"),
        Input(Ids.DATE_TO, "n_blur"),
        State(Ids.DATE_FROM, "value"),
        State(Ids.DATE_TO, "value"),
        State(Ids.DATES, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def inputs_to_dates(_sf, _bf, _st, _bt, typed_from, typed_to, dates, lang=None):
        """The fields -> slider: what was typed, once entered; a bad date is named and changes nothing.
        The fields always show the slider's days (datesToFields runs in the browser in the same frame),
        so a field nobody typed in enters the day the slider already has."""
        text = page.for_lang(lang).text
        state = state_from_controls(data, dates, [], [])
        low = _typed_day(typed_from, "from", data)
        high = _typed_day(typed_to, "to", data)
        for value, key in ((low, "filters.date_from"), (high, "filters.date_to")):
            if isinstance(value, str):
                return no_update, text("filters.date_input.bad", field=text(key), value=value)
        low, high = in_order(low or state.date_from, high or state.date_to)
        offsets = [data.axis.offset(low), data.axis.offset(high)]
        return (offsets if offsets != dates else no_update), None

    @app.callback(
        Output(Ids.DATES, "value", allow_duplicate=True),
        Output(Ids.DATE_INPUT_ERROR, "children", allow_duplicate=True),
        Input(Ids.PREV_EVENT, "n_clicks"),
        Input(Ids.NEXT_EVENT, "n_clicks"),
        State(Ids.DATES, "value"),
        State(Ids.ARTICLE_ONLY, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def step_event(_prev, _next, dates, article_only, lang=None):
        text = page.for_lang(lang).text
        state = state_from_controls(data, dates, [], [], article_only)
        days = stops[state.enrichment]
        forward = ctx.triggered_id == Ids.NEXT_EVENT
        day = next_event_day(days, state.date_to) if forward else previous_event_day(days, state.date_to)
        if day is None:
            direction = text("filters.no_event.next" if forward else "filters.no_event.prev")
            return no_update, text("filters.no_event", direction=direction)
        return [data.axis.offset(min(state.date_from, day)), data.axis.offset(day)], None

    @app.callback(
        Output(Ids.HANDLE_TEXT, "data"),
        Input(Ids.DATES, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,  # the layout holds the URL's words
    )
    def handle_text(dates, lang=None):
        """What screen readers hear for each slider handle: its date in words."""
        return handle_words(page.for_lang(lang), state_from_controls(data, dates, [], []))

    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="handleText"),
        Output(HANDLES_DONE, "data"),
        Input(Ids.HANDLE_TEXT, "data"),
        State(Ids.DATES, "id"),
    )
