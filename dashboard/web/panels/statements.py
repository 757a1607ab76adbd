"""Dash components built from data: the statements list and the legend.

Pure: data in, components out. Text always goes in as component children,
which React renders as text, never as HTML.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from dash import html

from dashboard.core.dates import PartialDate
from dashboard.render.map_figure import HIGHLIGHT_LINE, SELECTED_LINE, STATUS_FILLS
from dashboard.web.ids import STATEMENT_BUTTON

KIND_LABELS = {"statement": "Statement", "event": "Event", "assessment": "Assessment"}

#: At most this many records are rendered at once; the rest are counted, not sent.
MAX_SHOWN = 50

EMPTY_MESSAGE = (
    "No statements match these filters. Widen the date range, clear the region "
    "filter or tick more parties."
)


def _source_line(source: Mapping[str, Any]) -> html.P:
    published = source.get("published")
    when = PartialDate.parse(published).label() if published else "date unknown"
    title = f"“{source.get('title')}”" if source.get("title") else ""
    text = ", ".join(part for part in (source.get("publisher"), title, when) if part)
    url = source.get("url")
    link = [" ", html.A("link", href=url, target="_blank", rel="noopener noreferrer")] if url else []
    return html.P(["Source: ", text, *link], className="source")


def statement_item(record: Mapping[str, Any], region_name: Callable[[str], str],
                   selected: bool = False) -> html.Article:
    """One record: speaker, parties, the quote or summary, regions and source."""
    speaker = record.get("speaker") or "Reported event"
    header = [
        html.Span(KIND_LABELS.get(record["kind"], record["kind"]), className=f"badge kind-{record['kind']}"),
        html.Span(speaker, className="speaker"),
        html.Span(" · ".join(record["parties"]), className="parties"),
    ]
    if record.get("enrichment"):
        header.append(html.Span("Added from the public record, not from the article",
                                className="badge enrichment"))
    body: list[Any] = []
    if record.get("quote"):
        body.append(html.Blockquote(f"“{record['quote']}”", className="quote"))
    body.append(html.P(record["summary"], className="summary"))
    regions = ", ".join(region_name(code) for code in record["regions"])
    body.append(html.P(f"Regions: {regions}", className="regions"))
    body.append(_source_line(record.get("source") or {}))
    body.append(html.Button(
        "Show regions on map", id={"type": STATEMENT_BUTTON, "id": record["id"]},
        className="show-on-map", n_clicks=0,
    ))
    return html.Article(
        [html.Div(header, className="statement-header"), *body],
        className="statement selected" if selected else "statement",
        **{"data-statement-id": record["id"], "data-regions": " ".join(record["regions"])},
    )


def _newest(claims: pd.DataFrame, limit: int) -> pd.DataFrame:
    # Loaded claims are sorted by date window, so the newest are at the end: take
    # them from there instead of sorting every match (10,000 records: 10 ms).
    return claims.iloc[::-1].head(limit)


def newest_ids(claims: pd.DataFrame, limit: int = MAX_SHOWN) -> set[str]:
    """Ids of the records `statement_list` renders: the ones a user can see and pick."""
    return set(_newest(claims, limit)["id"])


def statement_list(claims: pd.DataFrame, region_name: Callable[[str], str],
                   selected: str | None = None, limit: int = MAX_SHOWN) -> list[html.Section | html.P] | html.P:
    """Records newest first, grouped under their date at its precision ("Sep 2022").

    Only the newest `limit` are built: thousands of components would take
    seconds to build and megabytes to send, and nobody reads them in one list.
    """
    if claims.empty:
        return html.P(EMPTY_MESSAGE, className="empty")
    newest = _newest(claims, limit).to_dict("records")
    # Newest window first, ties by id (two stable sorts: no timestamp arithmetic,
    # which would overflow nanoseconds for years the loader accepts, such as 1654).
    newest.sort(key=lambda r: r["id"])
    newest.sort(key=lambda r: (r["start"], r["end"]), reverse=True)
    sections: list[html.Section | html.P] = []
    if len(claims) > limit:
        sections.append(html.P(
            f"Showing the {limit} newest of {len(claims):,} matching records. Narrow the dates, "
            "regions or parties to see the others.", className="truncated"))
    for date_text, group in itertools.groupby(newest, key=lambda r: r["date"]):
        items = [statement_item(r, region_name, r["id"] == selected) for r in group]
        sections.append(html.Section(
            [html.H3(PartialDate.parse(date_text).label(), className="date-heading"), *items],
            className="date-group",
        ))
    return sections


def legend(labels: Mapping[str, str]) -> html.Ul:
    """Each status colour explained in words, then the two kinds of outline."""
    fills = [html.Li([html.Span(className="swatch", style={"background": STATUS_FILLS[key]}), text])
             for key, text in labels.items() if key in STATUS_FILLS]
    outlines = [
        html.Li([html.Span(className="swatch outline",
                           style={"borderColor": SELECTED_LINE, "borderWidth": "3px"}),
                 "Picked in the region filter"], className="outline-key"),
        html.Li([html.Span(className="swatch outline",
                           style={"borderColor": HIGHLIGHT_LINE, "borderWidth": "3px"}),
                 "Regions of the record shown with “Show regions on map”"], className="outline-key"),
    ]
    return html.Ul(fills + outlines, className="legend")
