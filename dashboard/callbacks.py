"""Callbacks: URL <-> filters, filters -> map and statements, statement -> map highlight.

Every callback reads only the AppData prepared at start-up (no file I/O, no
mutable globals) and treats its inputs as untrusted: the browser can send
anything, so values are checked and a bad one becomes "no change" or the
default, never an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dash import ALL, Dash, Input, Output, Patch, State, ctx, html, no_update

from dashboard.claims import PARTIES, filter_claims
from dashboard.figures import CONTESTED_TRACE, ContestedView, contested_props
from dashboard.ids import STATEMENT_BUTTON, Ids
from dashboard.panels import statement_list
from dashboard.regions import GROUP_OF, UA_CODES
from dashboard.state import FilterState, format_day, parse_query
from dashboard.status import status_at

if TYPE_CHECKING:
    import pandas as pd

    from dashboard.app import AppData


def _codes(values: Any) -> tuple[str, ...]:
    """Region codes from a dropdown value, dropping anything that is not a Ukrainian code."""
    if not isinstance(values, list):
        return ()
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v in UA_CODES))


def _parties(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v in PARTIES))


def state_from_controls(data: "AppData", dates: Any, regions: Any, parties: Any) -> FilterState:
    """The FilterState the controls show; malformed values fall back to the full range."""
    if not (isinstance(dates, list) and len(dates) == 2):
        dates = [0, data.axis.days]
    low, high = sorted((data.axis.day(dates[0]), data.axis.day(dates[1])))
    return FilterState(low, high, _codes(regions), _parties(parties))


def _clicked_codes(click: Any) -> tuple[str, ...]:
    """The region a map click hit, widened to its group (Crimea + Sevastopol)."""
    try:
        code = click["points"][0]["location"]
    except (TypeError, KeyError, IndexError):
        return ()
    if not isinstance(code, str) or code not in UA_CODES:
        return ()
    group = GROUP_OF.get(code)
    return tuple(c for c, g in GROUP_OF.items() if g == group) if group else (code,)


def filtered_claims(data: "AppData", state: FilterState) -> "pd.DataFrame":
    return filter_claims(data.claims, state.date_from, state.date_to,
                         regions=state.regions or None, parties=state.parties or None)


def region_counts(claims: "pd.DataFrame") -> dict[str, int]:
    return claims["regions"].explode().value_counts().to_dict() if not claims.empty else {}


def contested_view(data: "AppData", state: FilterState, highlighted: tuple[str, ...] = ()) -> ContestedView:
    """Status as of the end of the range; counts of statements in range (all regions)."""
    in_range = filter_claims(data.claims, state.date_from, state.date_to,
                             parties=state.parties or None)
    return ContestedView(
        status={code: s.status.value for code, s in status_at(data.claims, state.date_to).items()},
        status_labels=data.status_labels,
        as_of=state.date_to,
        counts=region_counts(in_range),
        selected=state.regions,
        highlighted=highlighted,
    )


def register(app: Dash, data: "AppData") -> None:
    """Register every callback of the dashboard on `app`, in one visible place."""

    @app.callback(
        Output(Ids.DATES, "value"),
        Output(Ids.REGIONS, "value"),
        Output(Ids.PARTIES, "value"),
        Output(Ids.URL, "search"),
        Output(Ids.NOTICE, "children"),
        Input(Ids.URL, "search"),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        Input(Ids.MAP, "clickData"),
    )
    def sync_url_and_filters(search, dates, regions, parties, click):
        # One callback owns both directions, so URL and controls never loop.
        trigger = ctx.triggered_id
        if trigger in (None, Ids.URL):
            state, notices = parse_query(search, data.query_context)
            notice = [html.P(n) for n in notices] if notices else None
            # A URL with ignored values is rewritten to what is actually shown.
            search_out = state.to_query() if notices else no_update
            return ([data.axis.offset(state.date_from), data.axis.offset(state.date_to)],
                    list(state.regions), list(state.parties), search_out, notice)
        state = state_from_controls(data, dates, regions, parties)
        regions_out: Any = no_update
        if trigger == Ids.MAP:
            clicked = _clicked_codes(click)
            if not clicked:
                return no_update, no_update, no_update, no_update, no_update
            state = state.with_region_toggled(clicked)
            regions_out = list(state.regions)
        return no_update, regions_out, no_update, state.to_query(), None

    @app.callback(
        Output(Ids.DATE_READOUT, "children"),
        Input(Ids.DATES, "value"),
    )
    def show_dates(dates):
        state = state_from_controls(data, dates, [], [])
        return (f"{format_day(state.date_from)} – {format_day(state.date_to)}. "
                f"The map shows each region's status on {format_day(state.date_to)}.")

    @app.callback(
        Output(Ids.STATEMENTS, "children"),
        Output(Ids.STATEMENT_COUNT, "children"),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        State(Ids.SELECTED, "data"),
    )
    def show_statements(dates, regions, parties, selected):
        state = state_from_controls(data, dates, regions, parties)
        shown = filtered_claims(data, state)
        total = len(data.claims)
        count = f"{len(shown)} of {total} records · {state.describe(data.region_name)}"
        return statement_list(shown, data.region_name, selected if isinstance(selected, str) else None), count

    @app.callback(
        Output(Ids.SELECTED, "data"),
        Output({"type": STATEMENT_BUTTON, "id": ALL}, "className"),
        Input({"type": STATEMENT_BUTTON, "id": ALL}, "n_clicks"),
        State(Ids.SELECTED, "data"),
    )
    def select_statement(clicks, selected):
        buttons = ctx.outputs_list[1] if ctx.outputs_list else []
        ids = [b["id"]["id"] for b in buttons]
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(isinstance(c, int) and c > 0 for c in clicks or []):
            # A re-rendered list (n_clicks reset), not a click: keep the selection's styling.
            return no_update, ["show-on-map selected" if i == selected else "show-on-map" for i in ids]
        chosen = trigger.get("id")
        chosen = None if chosen == selected else chosen
        return chosen, ["show-on-map selected" if i == chosen else "show-on-map" for i in ids]

    @app.callback(
        Output(Ids.MAP, "figure"),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        Input(Ids.SELECTED, "data"),
    )
    def update_map(dates, regions, parties, selected):
        # Patch only the contested trace's colours, hover text and outlines: no geometry resent.
        state = state_from_controls(data, dates, regions, parties)
        highlighted: tuple[str, ...] = ()
        if isinstance(selected, str):
            match = data.claims.loc[data.claims["id"] == selected, "regions"]
            highlighted = tuple(match.iloc[0]) if len(match) else ()
        props = contested_props(data.layers, contested_view(data, state, highlighted))
        patch = Patch()
        for key, value in props.items():
            patch["data"][CONTESTED_TRACE][key] = value
        return patch
