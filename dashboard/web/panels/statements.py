"""The statements panel: the records in range, newest first, each able to outline its regions.

Text always goes in as component children, which React renders as text, never
as HTML. `data-statement-id` on each record is public (scripts find records by it).

A search over speaker, quote and summary (`statement-search`,
`q=` in the URL; the rule is `dashboard.core.search`), "show more" past the
first 50 (`show-more`, the limit in the `statements-limit` store, back to 50
on any filter change), a permalink per record (`?statement=ID`) and "Copy
citation" (the text is rendered into the button's `data-citation`; the copy
itself is a click handler in assets/dashboard.js, no server round trip).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from plotly.utils import PlotlyJSONEncoder

from dashboard.core.claims import Claim, ClaimSet, Source
from dashboard.core.filters import FilterState
from dashboard.core.search import MAX_QUERY_LENGTH
from dashboard.core.views import filtered_claims
from dashboard.text import Text
from dashboard.text.source_words import publisher_words
from dashboard.web.context import PageContext
from dashboard.web.controls import state_from_controls
from dashboard.web.ids import STATEMENT_BUTTON, Ids

IDS = (
    Ids.STATEMENTS,
    Ids.STATEMENT_COUNT,
    Ids.SELECTED,
    Ids.STATEMENT_SEARCH,
    Ids.SHOW_MORE,
    Ids.STATEMENTS_LIMIT,
    Ids.SCROLL_TO,
    Ids.STATEMENTS_FIRST,
)

#: At most this many records are rendered at first; "show more" adds as many again.
MAX_SHOWN = 50
#: "Show more" stops here: past it, narrowing the filters is the way ("show more"
#: rebuilds the whole list: 500 records are about 1 MB and a few hundred ms to build).
MAX_LIMIT = 500


def _source_line(source: Source, text: Text) -> html.P:
    title = f"“{source.title}”" if source.title else ""
    said = ", ".join(
        part for part in (publisher_words(text, source.publisher), title, text.partial(source.published)) if part
    )
    link = (
        [" ", html.A(text("statements.source_link"), href=source.url, target="_blank", rel="noopener noreferrer")]
        if source.url
        else []
    )
    return html.P([text("statements.source"), said, *link], className="source")


def statement_item(
    claim: Claim,
    region_name: Callable[[str], str],
    text: Text,
    selected: bool = False,
    state: FilterState | None = None,
) -> html.Article:
    """One record: speaker, parties, the quote or summary, regions and source, then its actions:
    outline its regions on the map, its permalink, and "Copy citation"."""
    header = [
        html.Span(text.kind(claim.kind), className=f"badge kind-{claim.kind}"),
        html.Span(claim.speaker or text("statements.reported_event"), className="speaker"),
        html.Span(" · ".join(text.party(slug) for slug in claim.parties), className="parties"),
    ]
    if claim.enrichment:
        header.append(html.Span(text("statements.enrichment"), className="badge enrichment"))
    body: list[Any] = []
    if claim.quote:
        body.append(html.Blockquote(f"“{claim.quote}”", className="quote"))
    body.append(html.P(claim.summary, className="summary"))
    regions = ", ".join(region_name(code) for code in claim.regions)
    body.append(html.P(text("statements.regions", regions=regions), className="regions"))
    body.append(_source_line(claim.source, text))
    body.extend(_actions(claim, text, selected, state))
    return html.Article(
        [html.Div(header, className="statement-header"), *body],
        className="statement selected" if selected else "statement",
        **{"data-statement-id": claim.id, "data-regions": " ".join(claim.regions)},
    )


def _actions(claim: Claim, text: Text, selected: bool, state: FilterState | None = None) -> list[Any]:
    """As few components and attributes as will do: 50 to 500 of these are built per
    filter change (the words "Copied" and its failure are on the panel, once)."""
    record = text(
        "statements.record", who=claim.speaker or text("statements.reported_event"), date=text.partial(claim.date)
    )
    return [
        html.Button(
            text("statements.show_on_map"),
            id={"type": STATEMENT_BUTTON, "id": claim.id},
            className="show-on-map selected" if selected else "show-on-map",
            n_clicks=0,
            **{
                "aria-pressed": "true" if selected else "false",
                "aria-label": text("statements.show_on_map.label", record=record),
            },
        ),
        # The permalink opens the map on the record's date with the search kept, but not the
        # region and party filters (FilterState.record_link); the address bar holds the whole view.
        html.A(
            text("statements.permalink"),
            href=_permalink(claim, state),
            className="permalink",
            **{"aria-label": text("statements.permalink.label", record=record)},
        ),
        html.Button(
            text("statements.copy_citation"),
            className="copy-citation",
            **{
                "aria-label": text("statements.copy_citation.label", record=record),
                "data-citation": text.citation(claim),
            },
        ),
    ]


def _permalink(claim: Claim, state: FilterState | None) -> str:
    if state is None:
        return "?statement=" + quote(claim.id, safe="")
    return state.record_link(claim.id, claim.start, claim.end)


def newest(claims: ClaimSet, limit: int = MAX_SHOWN, also: str | None = None) -> list[Claim]:
    """The `limit` newest records: newest window first, ties by id.

    Loaded claims are sorted by date window, so the newest are at the end: take
    them from there instead of sorting every match (10,000 records: 10 ms).
    Two stable sorts, no timestamp arithmetic (which would overflow nanoseconds
    for years the loader accepts, such as 1654).
    `also`: a record of the set to include even when it is older (the picked one).
    """
    ids = list(claims.frame["id"].iloc[::-1].head(limit))
    if also is not None and also not in ids and bool((claims.frame["id"] == also).any()):
        ids.append(also)
    picked = [claims.by_id[i] for i in ids]
    picked.sort(key=lambda c: c.id)
    picked.sort(key=lambda c: (c.start, c.end), reverse=True)
    return picked


def clamp_limit(value: object) -> int:
    """The list's length from the browser's store: MAX_SHOWN unless a sane larger number."""
    if isinstance(value, bool) or not isinstance(value, int):
        return MAX_SHOWN
    return min(max(value, MAX_SHOWN), MAX_LIMIT)


def statement_list(
    claims: ClaimSet,
    region_name: Callable[[str], str],
    text: Text,
    selected: str | None = None,
    limit: int = MAX_SHOWN,
    state: FilterState | None = None,
) -> list[html.Section | html.P] | html.P:
    """Records newest first, grouped under their date at its precision ("Sep 2022").

    Only the newest `limit` are built: thousands of components would take
    seconds to build and megabytes to send, and nobody reads them in one list.
    The `selected` record is built too when it is older (a permalink to it).
    """
    if claims.empty:
        return html.P(text("statements.empty"), className="empty")
    sections: list[html.Section | html.P] = []
    if len(claims) > limit:
        sections.append(
            html.P(text("statements.truncated", limit=limit, count=f"{len(claims):,}"), className="truncated")
        )
    for date, group in itertools.groupby(newest(claims, limit, selected), key=lambda c: c.date):
        items = [statement_item(c, region_name, text, c.id == selected, state) for c in group]
        sections.append(
            html.Section([html.H3(text.partial(date), className="date-heading"), *items], className="date-group")
        )
    return sections


def panel_contents(page: PageContext, state: FilterState, selected: object, limit: int) -> tuple:
    """The list, its count, the record still picked (None when the filters hid it), "show more"'s
    words and hidden flag, and the limit: what the layout starts with and each filter change sends."""
    text, region_name, data = page.text, page.region_name, page.data
    shown = filtered_claims(data, state)
    count = text("statements.count", shown=len(shown), total=len(data.claims), state=text.describe(state, region_name))
    selected = selected if isinstance(selected, str) else None
    keep = selected is not None and bool((shown.frame["id"] == selected).any())
    more, more_hidden = show_more_label(text, min(limit, len(shown)), len(shown))
    listed = statement_list(shown, region_name, text, selected if keep else None, limit, state)
    return listed, count, (selected if keep else None), more, more_hidden, limit


def layout(page: PageContext) -> html.Section:
    text = page.text
    state = page.initial_state()
    # What the filters the list reads say (as its callback sees them: permalinks carry these alone).
    filters = FilterState(state.date_from, state.date_to, state.regions, state.parties, state.enrichment, q=state.q)
    listed, count, selected, more, more_hidden, _ = panel_contents(page, filters, state.statement, MAX_SHOWN)
    return html.Section(
        className="statements-panel",
        **{"data-copied": text("statements.copied"), "data-copy-failed": text("statements.copy_failed")},
        children=[
            # No record picked: False, not None. A memory Store holding None reports it as changed (to
            # undefined) when it mounts, which would run the map, the timeline and the list's styling
            # again for nothing; every reader takes anything but a string as "none picked".
            dcc.Store(id=Ids.SELECTED, data=selected if selected is not None else False),
            dcc.Store(id=Ids.STATEMENTS_LIMIT, data=MAX_SHOWN),
            # The record a permalink asked for, until the list shows it and it is scrolled into view.
            dcc.Store(id=Ids.SCROLL_TO, data=state.statement),
            html.H2(text("statements.heading")),
            html.Div(
                className="statement-search",
                children=[
                    html.Label(text("statements.search"), htmlFor=Ids.STATEMENT_SEARCH),
                    dcc.Input(
                        id=Ids.STATEMENT_SEARCH,
                        type="search",
                        value=state.q,
                        debounce=0.3,
                        maxLength=MAX_QUERY_LENGTH,
                        placeholder=text("statements.search.placeholder"),
                        autoComplete="off",
                    ),
                    html.P(text("statements.search.hint"), className="hint"),
                ],
            ),
            # Announced after each filter change (a live region), so a screen reader hears the new count.
            html.P(count, id=Ids.STATEMENT_COUNT, className="count", role="status", **{"aria-live": "polite"}),
            # The URL's list comes with the layout but is drawn once the map has drawn (`showAfterMap`,
            # clientside, no round trip): its ~500 components would otherwise delay the map's first paint.
            dcc.Store(id=Ids.STATEMENTS_FIRST, data=as_data(listed)),
            dcc.Loading(html.Div(id=Ids.STATEMENTS, className="statements"), type="dot", delay_show=300),
            html.Button(more, id=Ids.SHOW_MORE, className="show-more", n_clicks=0, hidden=more_hidden, type="button"),
        ],
    )


def as_data(children: Any) -> Any:
    """Components as the plain JSON Dash sends them, for a Store's `data` (Dash refuses a component
    there, such as the one paragraph that says no statement matches); the page renders it the same."""
    return json.loads(json.dumps(children, cls=PlotlyJSONEncoder))


def show_more_label(text: Text, shown: int, total: int) -> tuple[str, bool]:
    """The button's words and whether it is hidden: nothing left to show, or the cap reached."""
    hidden = total - shown
    if hidden <= 0 or shown >= MAX_LIMIT:
        return "", True
    return text("statements.show_more", step=min(MAX_SHOWN, hidden), hidden=f"{hidden:,}"), False


def register(app: Dash, page: PageContext) -> None:
    data = page.data

    @app.callback(
        Output(Ids.STATEMENTS, "children"),
        Output(Ids.STATEMENT_COUNT, "children"),
        Output(Ids.SELECTED, "data", allow_duplicate=True),
        Output(Ids.SHOW_MORE, "children"),
        Output(Ids.SHOW_MORE, "hidden"),
        Output(Ids.STATEMENTS_LIMIT, "data"),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        Input(Ids.ARTICLE_ONLY, "value"),
        Input(Ids.STATEMENT_SEARCH, "value"),
        Input(Ids.SHOW_MORE, "n_clicks"),
        State(Ids.SELECTED, "data"),
        State(Ids.STATEMENTS_LIMIT, "data"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,  # the layout holds the URL's list
    )
    def show_statements(dates, regions, parties, article_only, search, _more, selected, limit, lang=None):
        state = state_from_controls(data, dates, regions, parties, article_only, search)
        # "Show more" adds a page; any filter change starts again from the first 50.
        limit = clamp_limit(limit) + MAX_SHOWN if ctx.triggered_id == Ids.SHOW_MORE else MAX_SHOWN
        limit = min(limit, MAX_LIMIT)
        listed, count, kept, more, more_hidden, limit = panel_contents(page.for_lang(lang), state, selected, limit)
        # The filters hid the picked record: its outline goes with it.
        unpicked = isinstance(selected, str) and kept is None
        return (listed, count, None if unpicked else no_update, more, more_hidden, limit)

    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="showAfterMap"),
        Output(Ids.STATEMENTS, "children", allow_duplicate=True),
        Input(Ids.STATEMENTS_FIRST, "data"),
        prevent_initial_call="initial_duplicate",
    )

    app.clientside_callback(  # picked on the timeline or here: the list scrolls to it
        ClientsideFunction(namespace="contested", function_name="revealSelected"),
        Output(Ids.STATEMENTS, "data-selected"),
        Input(Ids.SELECTED, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(Ids.SELECTED, "data"),
        Output({"type": STATEMENT_BUTTON, "id": ALL}, "className"),
        Output({"type": STATEMENT_BUTTON, "id": ALL}, "aria-pressed"),
        Input({"type": STATEMENT_BUTTON, "id": ALL}, "n_clicks"),
        Input(Ids.CLEAR_SELECTION, "n_clicks"),
        Input(Ids.SELECTED, "data"),
        # The list is drawn with the selection marked (the layout, and each list the filters send):
        # this runs on a click or a change of selection only.
        prevent_initial_call=True,
    )
    def select_statement(clicks, _clear, selected):
        buttons = ctx.outputs_list[1] if ctx.outputs_list else []
        ids = [b["id"]["id"] for b in buttons]
        trigger = ctx.triggered_id
        if trigger == Ids.CLEAR_SELECTION:
            chosen, changed = None, True
        elif not isinstance(trigger, dict) or not any(isinstance(c, int) and c > 0 for c in clicks or []):
            # A re-rendered list (n_clicks reset), not a click: keep the selection's styling.
            chosen, changed = selected, False
        else:
            chosen = trigger.get("id")
            chosen, changed = (None if chosen == selected else chosen), True
        return (
            chosen if changed else no_update,
            ["show-on-map selected" if i == chosen else "show-on-map" for i in ids],
            ["true" if i == chosen else "false" for i in ids],
        )

    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="scrollToStatement"),
        Output(Ids.SCROLL_TO, "data", allow_duplicate=True),
        Input(Ids.STATEMENTS, "children"),
        State(Ids.SCROLL_TO, "data"),
        # On load too (clientside, no round trip): a permalink's record is in the list the layout brings.
        prevent_initial_call="initial_duplicate",
    )
