"""The statements panel: the records in range, newest first, each able to outline its regions.

Text always goes in as component children, which React renders as text, never
as HTML. `data-statement-id` on each record is public (scripts find records by it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.core.claims import Claim, ClaimSet, Source
from dashboard.core.views import filtered_claims
from dashboard.text import Text
from dashboard.web.context import PageContext
from dashboard.web.controls import state_from_controls
from dashboard.web.ids import STATEMENT_BUTTON, Ids

IDS = (Ids.STATEMENTS, Ids.STATEMENT_COUNT, Ids.SELECTED)

#: At most this many records are rendered at once; the rest are counted, not sent.
MAX_SHOWN = 50


def _source_line(source: Source, text: Text) -> html.P:
    title = f"“{source.title}”" if source.title else ""
    said = ", ".join(part for part in (source.publisher, title, text.partial(source.published)) if part)
    link = ([" ", html.A(text("statements.source_link"), href=source.url, target="_blank",
                         rel="noopener noreferrer")] if source.url else [])
    return html.P([text("statements.source"), said, *link], className="source")


def statement_item(claim: Claim, region_name: Callable[[str], str], text: Text,
                   selected: bool = False) -> html.Article:
    """One record: speaker, parties, the quote or summary, regions and source."""
    header = [
        html.Span(text.kind(claim.kind), className=f"badge kind-{claim.kind}"),
        html.Span(claim.speaker or text("statements.reported_event"), className="speaker"),
        html.Span(" · ".join(claim.parties), className="parties"),
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
    body.append(html.Button(text("statements.show_on_map"), id={"type": STATEMENT_BUTTON, "id": claim.id},
                            className="show-on-map", n_clicks=0))
    return html.Article(
        [html.Div(header, className="statement-header"), *body],
        className="statement selected" if selected else "statement",
        **{"data-statement-id": claim.id, "data-regions": " ".join(claim.regions)},
    )


def newest(claims: ClaimSet, limit: int = MAX_SHOWN) -> list[Claim]:
    """The `limit` newest records: newest window first, ties by id.

    Loaded claims are sorted by date window, so the newest are at the end: take
    them from there instead of sorting every match (10,000 records: 10 ms).
    Two stable sorts, no timestamp arithmetic (which would overflow nanoseconds
    for years the loader accepts, such as 1654).
    """
    picked = [claims.by_id[i] for i in claims.frame["id"].iloc[::-1].head(limit)]
    picked.sort(key=lambda c: c.id)
    picked.sort(key=lambda c: (c.start, c.end), reverse=True)
    return picked


def newest_ids(claims: ClaimSet, limit: int = MAX_SHOWN) -> set[str]:
    """Ids of the records `statement_list` renders: the ones a user can see and pick."""
    return set(claims.frame["id"].iloc[::-1].head(limit))


def statement_list(claims: ClaimSet, region_name: Callable[[str], str], text: Text,
                   selected: str | None = None, limit: int = MAX_SHOWN) -> list[html.Section | html.P] | html.P:
    """Records newest first, grouped under their date at its precision ("Sep 2022").

    Only the newest `limit` are built: thousands of components would take
    seconds to build and megabytes to send, and nobody reads them in one list.
    """
    if claims.empty:
        return html.P(text("statements.empty"), className="empty")
    sections: list[html.Section | html.P] = []
    if len(claims) > limit:
        sections.append(html.P(text("statements.truncated", limit=limit, count=f"{len(claims):,}"),
                               className="truncated"))
    for date, group in itertools.groupby(newest(claims, limit), key=lambda c: c.date):
        items = [statement_item(c, region_name, text, c.id == selected) for c in group]
        sections.append(html.Section([html.H3(text.partial(date), className="date-heading"), *items],
                                     className="date-group"))
    return sections


def layout(page: PageContext) -> html.Section:
    return html.Section(className="statements-panel", children=[
        dcc.Store(id=Ids.SELECTED, data=None),
        html.H2(page.text("statements.heading")),
        html.P(id=Ids.STATEMENT_COUNT, className="count"),
        dcc.Loading(html.Div(id=Ids.STATEMENTS, className="statements"), type="dot", delay_show=300),
    ])


def register(app: Dash, page: PageContext) -> None:
    data, text = page.data, page.text

    @app.callback(
        Output(Ids.STATEMENTS, "children"),
        Output(Ids.STATEMENT_COUNT, "children"),
        Output(Ids.SELECTED, "data", allow_duplicate=True),
        Input(Ids.DATES, "value"),
        Input(Ids.REGIONS, "value"),
        Input(Ids.PARTIES, "value"),
        Input(Ids.ARTICLE_ONLY, "value"),
        State(Ids.SELECTED, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def show_statements(dates, regions, parties, article_only, selected):
        state = state_from_controls(data, dates, regions, parties, article_only)
        shown = filtered_claims(data, state)
        count = text("statements.count", shown=len(shown), total=len(data.claims),
                     state=text.describe(state, data.region_name))
        selected = selected if isinstance(selected, str) else None
        if selected is not None and selected not in newest_ids(shown):
            # The filters hid the picked record: its outline goes with it (issue 10, item 14).
            return statement_list(shown, data.region_name, text, None), count, None
        return statement_list(shown, data.region_name, text, selected), count, no_update

    app.clientside_callback(
        ClientsideFunction(namespace="contested", function_name="scrollToStatement"),
        Output(Ids.STATEMENTS, "data-selected"),
        Input(Ids.SELECTED, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(Ids.SELECTED, "data"),
        Output({"type": STATEMENT_BUTTON, "id": ALL}, "className"),
        Input({"type": STATEMENT_BUTTON, "id": ALL}, "n_clicks"),
        Input(Ids.CLEAR_SELECTION, "n_clicks"),
        Input(Ids.SELECTED, "data"),
    )
    def select_statement(clicks, _clear, selected):
        buttons = ctx.outputs_list[1] if ctx.outputs_list else []
        ids = [b["id"]["id"] for b in buttons]
        trigger = ctx.triggered_id
        if trigger == Ids.CLEAR_SELECTION:
            return None, ["show-on-map" for _ in ids]
        if trigger == Ids.SELECTED:  # picked elsewhere (the timeline): mark it in the list
            return no_update, ["show-on-map selected" if i == selected else "show-on-map" for i in ids]
        if not isinstance(trigger, dict) or not any(isinstance(c, int) and c > 0 for c in clicks or []):
            # A re-rendered list (n_clicks reset), not a click: keep the selection's styling.
            return no_update, ["show-on-map selected" if i == selected else "show-on-map" for i in ids]
        chosen = trigger.get("id")
        chosen = None if chosen == selected else chosen
        return chosen, ["show-on-map selected" if i == chosen else "show-on-map" for i in ids]
