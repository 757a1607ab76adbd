"""The filters panel: date range, regions, parties and "Article records only", and the URL that holds them.

URL -> filters runs on the server on page load (and back/forward). Filters ->
URL is the clientside `filtersToUrl` (assets/dashboard.js): it writes the
address bar with the History API instead of a Dash output, so the graph has no
cycle and the map and statements start at once on a change. Each deliberate
change adds a history entry (Back undoes it); restating the URL just
loaded, or a run of quick date steps, replaces the current one. What it
needs (the axis and the URL's parameter names) comes from the server as data.
"""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from dashboard.core.claims import PARTIES
from dashboard.core.filters import (
    CHANGE_SHOWN,
    COMPARE_SHOWN,
    ENRICHMENT_HIDDEN,
    QUERY_KEYS,
    FilterState,
    parse_query,
)
from dashboard.core.region_names import ALIASES
from dashboard.core.regions import CONTESTED_CODES
from dashboard.core.search import MAX_QUERY_LENGTH
from dashboard.text import LANGUAGES
from dashboard.text.negotiate import query_lang
from dashboard.web.context import PageContext
from dashboard.web.control_source import compare_value, picker_value
from dashboard.web.controls import ARTICLE_ONLY_ON, CHANGE_ON, regions_with_groups, state_from_controls
from dashboard.web.dropdowns import dropdown_labels
from dashboard.web.ids import Ids
from dashboard.web.panels import dates

IDS = (
    Ids.URL,
    Ids.URL_WRITTEN,
    Ids.URL_STATE,
    Ids.AXIS,
    Ids.NOTICE,
    Ids.NOTICE_FOR,
    Ids.DATES,
    Ids.DATE_READOUT,
    Ids.REGIONS,
    Ids.REGIONS_SHOWN,
    Ids.PARTIES,
    Ids.ARTICLE_ONLY,
)


def url_format(page: PageContext) -> dict:
    """What the browser needs to write the URL exactly as FilterState.to_query() does."""
    axis = page.data.axis
    return {
        "first_day": axis.first_day.isoformat(),
        "days": axis.days,
        "keys": list(QUERY_KEYS),
        "separator": ",",
        "slider_id": Ids.DATES,
        "max_text": MAX_QUERY_LENGTH,
        "article_only": {"on": ARTICLE_ONLY_ON, "value": ENRICHMENT_HIDDEN},
        "change": {"on": CHANGE_ON, "value": CHANGE_SHOWN},
        "compare": {"on": COMPARE_SHOWN, "value": COMPARE_SHOWN},
    }


def _region_options(page: PageContext) -> list[dict[str, str]]:
    """Contested regions first, then the rest of Ukraine, each labelled by name."""
    data = page.data
    codes = list(CONTESTED_CODES) + sorted(
        (c for c in data.layers.ukraine.index if c not in CONTESTED_CODES), key=page.region_name
    )
    return [
        {
            "label": page.text("filters.region_option", name=page.region_name(c), code=c),
            "value": c,
            "search": _search_terms(page, c),
        }
        for c in codes
    ]


def _search_terms(page: PageContext, code: str) -> str:
    """What the region search matches: every name the URL's look-up knows ("Krym", "Lugansk",
    "Донецьк" included), so the filter finds what the address bar accepts."""
    row = page.data.layers.ukraine.loc[code]
    names = [
        page.region_name(code),
        page.data.region_name(code),
        code,
        row["name_uk"],
        row["name_ru"],
        row["name_ne"],
        *str(row["name_alt"] or "").split("|"),
        *ALIASES.get(code, ()),
    ]
    return " | ".join(dict.fromkeys(str(n) for n in names if n and str(n) != "nan"))


def event_marks(page: PageContext) -> dict[int, dict[str, str]]:
    marks = page.data.axis.event_marks(page.data.claims, page.text.day)
    return {offset: {"label": label} for offset, label in marks.items()}


def url_state(page: PageContext, search: object) -> tuple[FilterState, list]:
    """The state a URL query asks for and the notices about it, as the page shows them: on load
    (the layout, app.py) and on Back / Forward (`url_to_filters`) alike."""
    # `lang=` is checked here, where the languages are known (core knows none).
    query_context = replace(page.data.query_context, lookup_lang=query_lang, languages=LANGUAGES)
    state, notices = parse_query(search if isinstance(search, str) else None, query_context)
    # With several control sources the picker always names one, and so does the URL.
    return replace(state, source=picker_value(page, state)), notices


def notice_children(page: PageContext, notices) -> list | None:
    return [html.P(page.text.notice(n)) for n in notices] if notices else None


def slider_value(page: PageContext, state: FilterState) -> list[int]:
    return [page.data.axis.offset(state.date_from), page.data.axis.offset(state.date_to)]


def layout(page: PageContext) -> html.Div:
    text, axis = page.text, page.data.axis
    state = page.initial_state()
    notices = page.notices
    return html.Div(
        [
            # `search` set (to anything but None): dcc.Location then does not report the address bar as a
            # change when it mounts, which would run the URL's callbacks again for the state the layout
            # already shows; Back / Forward still report it (each differs from this).
            dcc.Location(id=Ids.URL, refresh=False, search=""),
            dcc.Store(id=Ids.AXIS, data=url_format(page)),
            dcc.Store(id=Ids.URL_WRITTEN, data=None),
            # The state the page last took from the URL, as the query the browser would write for it:
            # a write that only restates it replaces the history entry, any other change adds one.
            dcc.Store(id=Ids.URL_STATE, data=state.to_query()),
            # The query a URL notice was about (cleared with the notice once the filters change).
            dcc.Store(id=Ids.NOTICE_FOR, data=state.to_query() if notices else None),
            # The region filter's last value, so removing Crimea or Sevastopol removes both.
            dcc.Store(id=Ids.REGIONS_SHOWN, data=list(state.regions)),
            html.Div(
                notice_children(page, notices),
                id=Ids.NOTICE,
                className="notice",
                role="status",
                **{"aria-live": "polite"},
            ),
            html.Div(
                className="filters",
                children=[
                    # The axis, for the keyboard's month steps on the slider (assets/dashboard.js).
                    html.Div(
                        className="filter dates",
                        **{
                            "data-first-day": axis.first_day.isoformat(),
                            "data-days": str(axis.days),
                            "data-slider-id": Ids.DATES,
                        },
                        children=[
                            html.Label(text("filters.dates"), htmlFor=Ids.DATES),
                            dcc.RangeSlider(
                                id=Ids.DATES,
                                min=0,
                                max=axis.days,
                                step=1,
                                value=slider_value(page, state),
                                marks=event_marks(page),
                                allowCross=False,
                                updatemode="mouseup",
                                allow_direct_input=False,
                            ),
                            dates.layout(page),
                            html.P(text("filters.keys"), className="hint keys-hint", id="date-keys"),
                            html.P(readout(page, slider_value(page, state)), id=Ids.DATE_READOUT, className="readout"),
                        ],
                    ),
                    html.Div(
                        className="filter regions",
                        children=[
                            html.Label(text("filters.regions"), htmlFor=Ids.REGIONS),
                            dcc.Dropdown(
                                id=Ids.REGIONS,
                                labels=dropdown_labels(page.text),
                                options=_region_options(page),
                                value=list(state.regions),
                                multi=True,
                                placeholder=text("filters.regions.placeholder"),
                            ),
                        ],
                    ),
                    html.Div(
                        className="filter parties",
                        children=[
                            html.Label(text("filters.parties")),
                            dcc.Checklist(
                                id=Ids.PARTIES,
                                value=list(state.parties),
                                inline=True,
                                options=[
                                    {"label": text.party(slug), "value": slug, "title": text.party_description(slug)}
                                    for slug in PARTIES
                                ],
                            ),
                            html.P(text("filters.parties.hint"), className="hint"),
                        ],
                    ),
                    html.Div(
                        className="filter enrichment",
                        children=[
                            dcc.Checklist(
                                id=Ids.ARTICLE_ONLY,
                                value=[] if state.enrichment else [ARTICLE_ONLY_ON],
                                inline=True,
                                options=[
                                    {
                                        "label": text("filters.article_only"),
                                        "value": ARTICLE_ONLY_ON,
                                        "title": text("filters.article_only.hint"),
                                    }
                                ],
                            ),
                            html.P(text("filters.article_only.hint"), className="hint"),
                        ],
                    ),
                ],
            ),
        ]
    )


def readout(page: PageContext, dates: object) -> list | str:
    """ "1 Jan 2013 – 28 Feb 2023. The map shows …", plus where the records end if the range passes it."""
    text, data = page.text, page.data
    state = state_from_controls(data, dates, [], [])
    said = text("filters.readout", start=text.day(state.date_from), end=text.day(state.date_to))
    end = data.axis.records_end
    if state.date_to <= end:
        return said
    return [said, " ", html.Span(text("filters.data_ends", end=text.day(end)), className="data-ends")]


def register(app: Dash, page: PageContext) -> None:
    @app.callback(
        Output(Ids.DATES, "value"),
        Output(Ids.REGIONS, "value"),
        Output(Ids.PARTIES, "value"),
        Output(Ids.ARTICLE_ONLY, "value"),
        Output(Ids.CHANGE_LAYER, "value"),
        Output(Ids.NOTICE, "children"),
        Output(Ids.NOTICE_FOR, "data"),
        Output(Ids.URL_STATE, "data"),
        Output(Ids.STATEMENT_SEARCH, "value"),
        Output(Ids.SELECTED, "data", allow_duplicate=True),
        Output(Ids.SCROLL_TO, "data"),
        Output(Ids.CONTROL_SOURCE, "value"),
        Output(Ids.LEDGER_COMPARE, "value"),
        Input(Ids.URL, "search"),
        State(Ids.LANG, "data"),
        State(Ids.URL_WRITTEN, "data"),
        State(Ids.URL_STATE, "data"),
        # On load the layout already shows the URL's state (app.py lays the page out for it); the
        # address bar still reaches here once as the page mounts (dcc.Location), then on Back / Forward.
        prevent_initial_call=True,
    )
    def url_to_filters(search, lang=None, written=None, laid_out=None):
        context = page.for_lang(lang)
        state, notices = url_state(context, search)
        # The page already shows this state (the query it last wrote, or before any write the one it
        # was laid out for): nothing changes, so nothing downstream runs again.
        shown = written if isinstance(written, str) else laid_out
        if isinstance(shown, str) and state.to_query() == shown:
            return (no_update,) * 13
        notice = notice_children(context, notices)
        # The notice is about this state: once the filters show another, it is cleared.
        # `statement=ID` selects that record and, once the list shows it, scrolls it into view.
        return (
            slider_value(context, state),
            list(state.regions),
            list(state.parties),
            [] if state.enrichment else [ARTICLE_ONLY_ON],
            [CHANGE_ON] if state.change else [],
            notice,
            state.to_query() if notices else None,
            state.to_query(),
            state.q,
            state.statement,
            state.statement,
            state.source,
            compare_value(state),
        )

    @app.callback(
        Output(Ids.NOTICE, "children", allow_duplicate=True),
        Output(Ids.NOTICE_FOR, "data", allow_duplicate=True),
        Input(Ids.URL_WRITTEN, "data"),
        State(Ids.NOTICE_FOR, "data"),
        prevent_initial_call=True,
    )
    def clear_stale_notice(written, notice_for):
        """The URL notice goes once the user changes the filters it was about."""
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
        Input(Ids.ARTICLE_ONLY, "value"),
        Input(Ids.CHANGE_LAYER, "value"),
        Input(Ids.STATEMENT_SEARCH, "value"),
        Input(Ids.SELECTED, "data"),
        # "Find a place" and "Compare sources" are drawn after the map: their first-screen stores.
        Input(Ids.PLACE_CHOSEN, "data"),
        Input(Ids.CONTROL_SOURCE, "value"),
        Input(Ids.COMPARE_CHOSEN, "data"),
        State(Ids.AXIS, "data"),
        State(Ids.URL_STATE, "data"),
        State(Ids.LANG, "data"),
        State(Ids.PLAY_TIMER, "disabled"),  # Play writes the URL once, when it stops (panels/play.py)
    )

    @app.callback(
        Output(Ids.DATE_READOUT, "children"),
        Output(Ids.PRINT_RANGE, "children"),
        Input(Ids.DATES, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,  # the layout holds the URL's range in words
    )
    def show_dates(dates, lang=None):
        said = readout(page.for_lang(lang), dates)
        return said, said
