"""Callbacks: URL <-> filters, filters -> map and statements, statement -> map highlight.

Every callback reads only the AppData prepared at start-up (no file I/O, no
mutable globals) and treats its inputs as untrusted: the browser can send
anything, so values are checked and a bad one becomes "no change" or the
default, never an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard.core.claims import PARTIES
from dashboard.core.errors import DashboardError
from dashboard.render.export import MAX_SCALE, MEDIA_TYPES, MIN_SCALE, PRESETS, Exporter, ImageOptions, file_name, render_image
from dashboard.render.map_figure import CONTESTED_TRACE, OTHERS_TRACE, contested_props, other_props
from dashboard.web.ids import STATEMENT_BUTTON, Ids
from dashboard.web.panels.statements import newest_ids, statement_list
from dashboard.core.regions import UA_CODES, widen_to_groups
from dashboard.core.filters import FilterState, format_day, parse_query
from dashboard.core.views import contested_view, filtered_claims

if TYPE_CHECKING:
    from dashboard.web.app import AppData


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
    return widen_to_groups([code])


def regions_with_groups(new: Any, previous: Any) -> tuple[str, ...]:
    """The region filter's value with Crimea and Sevastopol kept together.

    Picking either unit in the dropdown adds both; removing either removes both,
    as a map click toggles both (issue 10, item 14).
    """
    new_codes, old_codes = _codes(new), _codes(previous)
    removed = set(old_codes) - set(new_codes)
    removed_groups = set(widen_to_groups(removed))
    return widen_to_groups(c for c in new_codes if c not in removed_groups)


def _scale(value: Any) -> Any:
    """The scale field's text as a number; an empty field is scale 1. ImageOptions checks the range."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1.0
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise DashboardError(f"image scale must be from {MIN_SCALE} to {MAX_SCALE}, got {value!r}") from None
    return value


def _image_options(fmt: Any, size: Any, scale: Any, title: Any) -> ImageOptions:
    """Export options from the controls; raises DashboardError naming the bad value."""
    if not isinstance(size, str) or size not in PRESETS:
        raise DashboardError(f"unknown image size {size!r}; expected one of: {', '.join(PRESETS)}")
    width, height = PRESETS[size]
    scale = _scale(scale)
    title = title.strip() if isinstance(title, str) and title.strip() else None
    return ImageOptions(format=fmt if isinstance(fmt, str) else repr(fmt), width=width, height=height,
                        scale=scale, title=title)


def register(app: Dash, data: "AppData", exporter: Exporter) -> None:
    """Register every callback of the dashboard on `app`, in one visible place."""

    # URL -> filters on page load (and back/forward). The other direction, filters ->
    # URL, is the clientside `filtersToUrl` (assets/dashboard.js): it rewrites the
    # address bar with history.replaceState instead of a Dash output, so the graph
    # has no cycle and the map and statements callbacks start at once on a change
    # instead of waiting for a server round trip.
    @app.callback(
        Output(Ids.DATES, "value"),
        Output(Ids.REGIONS, "value"),
        Output(Ids.PARTIES, "value"),
        Output(Ids.NOTICE, "children"),
        Output(Ids.NOTICE_FOR, "data"),
        Input(Ids.URL, "search"),
    )
    def url_to_filters(search):
        state, notices = parse_query(search, data.query_context)
        notice = [html.P(n) for n in notices] if notices else None
        # The notice is about this state: once the filters show another, it is cleared.
        return ([data.axis.offset(state.date_from), data.axis.offset(state.date_to)],
                list(state.regions), list(state.parties), notice,
                state.to_query() if notices else None)

    @app.callback(
        Output(Ids.NOTICE, "children", allow_duplicate=True),
        Output(Ids.NOTICE_FOR, "data", allow_duplicate=True),
        Input(Ids.URL_WRITTEN, "data"),
        State(Ids.NOTICE_FOR, "data"),
        prevent_initial_call=True,
    )
    def clear_stale_notice(written, notice_for):
        """The URL notice goes once the user changes the filters it was about (issue 10, item 14)."""
        if not isinstance(notice_for, str) or not isinstance(written, str) or written == notice_for:
            return no_update, no_update
        return None, None

    @app.callback(
        Output(Ids.REGIONS, "value", allow_duplicate=True),
        Output(Ids.REGIONS_SHOWN, "data"),
        Input(Ids.REGIONS, "value"),
        State(Ids.REGIONS_SHOWN, "data"),
        prevent_initial_call=True,
    )
    def keep_groups_together(regions, shown):
        wanted = list(regions_with_groups(regions, shown))
        return (no_update if wanted == regions else wanted), wanted

    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="filtersToUrl"),
        Output(Ids.URL_WRITTEN, "data"),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        State(Ids.AXIS, "data"),
    )

    @app.callback(
        Output(Ids.REGIONS, "value", allow_duplicate=True),
        Input(Ids.MAP, "clickData"),
        State(Ids.REGIONS, "value"),
        prevent_initial_call=True,
    )
    def toggle_clicked_region(click, regions):
        clicked = _clicked_codes(click)
        if not clicked:
            return no_update
        state = FilterState(data.axis.first_day, data.axis.last_day, _codes(regions))
        return list(state.with_region_toggled(clicked).regions)

    @app.callback(
        Output(Ids.DATE_READOUT, "children"),
        Input(Ids.DATES, "value"),
    )
    def show_dates(dates):
        state = state_from_controls(data, dates, [], [])
        readout = (f"{format_day(state.date_from)} – {format_day(state.date_to)}. "
                   f"The map shows each region's status on {format_day(state.date_to)}.")
        end = data.axis.records_end
        if state.date_to <= end:
            return readout
        return [readout, " ", html.Span(f"The loaded records end on {format_day(end)}: later days "
                                        "show the last known state.", className="data-ends")]

    @app.callback(
        Output(Ids.STATEMENTS, "children"),
        Output(Ids.STATEMENT_COUNT, "children"),
        Output(Ids.SELECTED, "data", allow_duplicate=True),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        State(Ids.SELECTED, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def show_statements(dates, regions, parties, selected):
        state = state_from_controls(data, dates, regions, parties)
        shown = filtered_claims(data, state)
        total = len(data.claims)
        count = f"{len(shown)} of {total} records · {state.describe(data.region_name)}"
        selected = selected if isinstance(selected, str) else None
        if selected is not None and selected not in newest_ids(shown):
            # The filters hid the picked record: its outline goes with it (issue 10, item 14).
            return statement_list(shown, data.region_name, None), count, None
        return statement_list(shown, data.region_name, selected), count, no_update

    @app.callback(
        Output(Ids.SELECTED, "data"),
        Output({"type": STATEMENT_BUTTON, "id": ALL}, "className"),
        Input({"type": STATEMENT_BUTTON, "id": ALL}, "n_clicks"),
        Input(Ids.CLEAR_SELECTION, "n_clicks"),
        State(Ids.SELECTED, "data"),
    )
    def select_statement(clicks, _clear, selected):
        buttons = ctx.outputs_list[1] if ctx.outputs_list else []
        ids = [b["id"]["id"] for b in buttons]
        trigger = ctx.triggered_id
        if trigger == Ids.CLEAR_SELECTION:
            return None, ["show-on-map" for _ in ids]
        if not isinstance(trigger, dict) or not any(isinstance(c, int) and c > 0 for c in clicks or []):
            # A re-rendered list (n_clicks reset), not a click: keep the selection's styling.
            return no_update, ["show-on-map selected" if i == selected else "show-on-map" for i in ids]
        chosen = trigger.get("id")
        chosen = None if chosen == selected else chosen
        return chosen, ["show-on-map selected" if i == chosen else "show-on-map" for i in ids]

    @app.callback(
        Output(Ids.CLEAR_SELECTION, "hidden"),
        Input(Ids.SELECTED, "data"),
    )
    def show_clear_button(selected):
        return not isinstance(selected, str)

    # The map's colours change in the browser the moment the dates do (from the
    # status table in views.status_steps); the server's patch below follows with the
    # same colours plus hover cards, counts and outlines.
    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="statusColours"),
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Input(Ids.DATES, "value"),
        State(Ids.STATUS_STEPS, "data"),
        prevent_initial_call=True,
    )

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
        view = contested_view(data, state, highlighted)
        patch = Patch()
        for key, value in contested_props(data.layers, view).items():
            patch["data"][CONTESTED_TRACE][key] = value
        for key, value in other_props(data.layers, view).items():
            patch["data"][OTHERS_TRACE][key] = value
        return patch

    @app.callback(
        Output(Ids.DOWNLOAD, "data"),
        Output(Ids.EXPORT_NOTICE, "children"),
        Input(Ids.EXPORT_BUTTON, "n_clicks"),
        State(Ids.DATES, "value"),
        State(Ids.REGIONS, "value"),
        State(Ids.EXPORT_FORMAT, "value"),
        State(Ids.EXPORT_SIZE, "value"),
        State(Ids.EXPORT_SCALE, "value"),
        State(Ids.EXPORT_TITLE, "value"),
        prevent_initial_call=True,
    )
    def export_image(clicks, dates, regions, fmt, size, scale, title):
        if not clicks:
            return no_update, no_update
        state = state_from_controls(data, dates, regions, [])
        try:
            options = _image_options(fmt, size, scale, title)
            content = render_image(exporter, data, state, options)
        except DashboardError as exc:
            return no_update, f"Export failed: {exc}."
        name = file_name(state, options)
        return (dcc.send_bytes(content, name, type=MEDIA_TYPES[options.format]),
                f"Downloaded {name} ({options.width * options.scale:.0f} × "
                f"{options.height * options.scale:.0f} px).")
