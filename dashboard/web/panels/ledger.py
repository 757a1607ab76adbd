"""The ledger panel: each contested region on the map's date, declared beside held (issue 12, item 6).

One table (id `ledger`, public; each row carries `data-code`): Region |
Declared (by Russia) | Held by Russian forces | Snapshot. Declared comes from
the claims records (status, its date, the deciding records); held from the
control data (share, area, grey zone, coastline rule). The two columns are
never merged. The map's date is the end of the date range. When the range is
more than a day, two more columns give the change of control over it
(core/control_change.py): Taken / no longer held, and Net (share from -> to).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import Dash, Input, Output, State, html

from dashboard.core.dataset import Dataset
from dashboard.core.control_change import RegionChange
from dashboard.core.ledger import LedgerRow, ledger_rows, source_label
from dashboard.core.status import Status
from dashboard.text import Text
from dashboard.web.context import PageContext
from dashboard.web.controls import state_from_controls
from dashboard.web.ids import Ids

IDS = (Ids.LEDGER,)


def declared_cell(row: LedgerRow, data: Dataset, text: Text, day: dt.date) -> list[Any]:
    """The status in words with its date, then the records that decided it (by their dates;
    each names its record in `data-statement-id`, as in the statements panel, its summary on hover)."""
    when = text.partial(row.declared_on) if row.declared_on is not None else ""
    status = text(f"ledger.declared.{row.status}", when=when, day=text.day(day))
    if row.status == Status.ANNEXATION_DECLARED.value:
        status += text("ledger.declared.rejected")
    children: list[Any] = [html.Span(status, className="declared-status")]
    claims = [c for c in (data.claims.get(i) for i in row.decided_by) if c is not None]
    if claims:
        records: list[Any] = [text.plural("ledger.records", len(claims))]
        for index, claim in enumerate(claims):
            label = text.partial(claim.date)
            if claim.enrichment:
                label = text("ledger.records.enrichment", date=label)
            records.extend(["; "] if index else [])
            records.append(html.Span(label, title=claim.summary, className="ledger-record",
                                     **{"data-statement-id": claim.id}))
        children.append(html.Span(records, className="ledger-note ledger-records"))
    return children


def held_cell(row: LedgerRow, data: Dataset, text: Text, day: dt.date) -> list[Any]:
    """Share and area held, the grey zone where the source has one, and why a unit counts as fully held."""
    control = data.control
    if control is None:
        return [html.Span(text("ledger.held.not_loaded"), className="ledger-missing")]
    held = row.held
    if held is None:
        return [html.Span(text("ledger.held.none", source=source_label(control.source_name), day=text.day(day)),
                          className="ledger-missing")]
    children: list[Any] = [html.Span(text("ledger.held.share", share=text.share(held.occupied_share),
                                          area=text.area(held.occupied_km2)), className="held-share")]
    if held.grey_share is not None:
        children.append(html.Span(text("ledger.held.grey", share=text.share(held.grey_share)),
                                  className="ledger-note"))
    if held.coast_rule:
        children.append(html.Span(text("ledger.held.coast_rule", raw=text.share(held.occupied_share_raw)),
                                  className="ledger-note"))
    return children


def snapshot_cell(row: LedgerRow, text: Text, day: dt.date) -> list[Any]:
    """The snapshot's day; when it is not the map's date (a gap, or after the data), says so."""
    if row.held is None:
        return [html.Span(text("ledger.snapshot.none"), className="ledger-missing")]
    children: list[Any] = [html.Span(text.day(row.held.snapshot_date), className="snapshot-day")]
    if row.held.snapshot_date != day:
        children.append(html.Span(text("ledger.snapshot.earlier", day=text.day(day)), className="ledger-note"))
    return children


def _unbroken(figure: str) -> str:
    """A figure as one token: a narrow column breaks the line between figures, never inside one."""
    return figure.replace(" ", "\u00a0")


def _signed(text: Text, km2: float) -> str:
    """"+412 km²", "−38 km²", "0 km²" (the sign of the rounded figure; none on nothing)."""
    if round(km2) == 0:
        return _unbroken(text.area(0))
    return _unbroken(text("ledger.change.gain" if km2 > 0 else "ledger.change.loss", area=text.area(abs(km2))))


def change_cells(change: RegionChange | None, data: Dataset, text: Text, start: dt.date,
                 end: dt.date) -> tuple[list[Any], list[Any]]:
    """"+412 km² / −38 km²" and "+374 km² (23% → 25%)", with the snapshots named where they are
    not the range's own days; a missing snapshot is said, never filled in."""
    control = data.control
    if control is None or change is None:
        missing = [html.Span(text("ledger.held.not_loaded"), className="ledger-missing")]
        return missing, missing
    if not change.complete:
        day = start if change.from_snapshot is None else end
        missing = [html.Span(text("ledger.change.none", source=source_label(control.source_name),
                                  day=text.day(day)), className="ledger-missing")]
        return missing, list(missing)
    both = [html.Span(text("ledger.change.taken_lost", taken=_signed(text, change.gained_km2),
                           lost=_signed(text, -change.lost_km2)), className="change-taken-lost")]
    net = [html.Span(text("ledger.change.net", net=_signed(text, change.net_km2),
                          share_from=_unbroken(text.share(change.share_from)),
                          share_to=_unbroken(text.share(change.share_to))),
                     className="change-net")]
    if (change.from_snapshot, change.to_snapshot) != (start, end):
        net.append(html.Span(text("ledger.change.snapshots", start=text.day(change.from_snapshot),
                                  end=text.day(change.to_snapshot)), className="ledger-note"))
    return both, net


def _cell(label: str, children: Any, className: str) -> html.Td:
    # data-label: the column's name, shown beside the value when the table stacks on a phone.
    return html.Td(children, className=className, **{"data-label": label})


def ledger_table(data: Dataset, text: Text, day: dt.date, enrichment: bool = True,
                 start: dt.date | None = None) -> list[Any]:
    """The table's children for `day`: caption, header and one row per contested region
    (`enrichment=False`: the declared status from the article records alone). With `start`
    before `day`, two more columns: the change of control from `start` to `day`."""
    control = data.control
    caption = (text("ledger.caption", day=text.day(day), source=control.source_name, licence=control.licence)
               if control is not None else text("ledger.caption.no_control", day=text.day(day)))
    ranged = start is not None and start < day
    keys = ("region", "declared", "held", "snapshot", *(("change", "net") if ranged else ()))
    columns = [text(f"ledger.col.{key}") for key in keys]
    if ranged and control is not None:
        caption += text("ledger.caption.change", start=text.day(start), end=text.day(day))

    def change_tds(row: LedgerRow) -> list[html.Td]:
        if not ranged:
            return []
        both, net = change_cells(row.change, data, text, start, day)
        if row.change is None or not row.change.complete:  # one message across both columns
            return [html.Td(both, className="ledger-change ledger-net", colSpan=2,
                            **{"data-label": f"{columns[4]} · {columns[5]}"})]
        return [_cell(columns[4], both, "ledger-change"), _cell(columns[5], net, "ledger-net")]

    body = [
        html.Tr([
            html.Th(data.region_name(row.code, text.lang), scope="row", className="ledger-region"),
            _cell(columns[1], declared_cell(row, data, text, day), "ledger-declared"),
            _cell(columns[2], held_cell(row, data, text, day), "ledger-held"),
            _cell(columns[3], snapshot_cell(row, text, day), "ledger-snapshot"),
            *change_tds(row),
        ], **{"data-code": row.code, "data-status": row.status})
        for row in ledger_rows(data, day, enrichment, start if ranged else None)
    ]
    return [
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(label, scope="col") for label in columns])),
        html.Tbody(body),
    ]


def layout(page: PageContext) -> html.Section:
    state = page.data.query_context.default_state()
    return html.Section(className="ledger-panel", children=[
        html.H2(page.text("ledger.heading")),
        html.P(page.text("ledger.intro"), className="hint"),
        html.Div(html.Table(ledger_table(page.data, page.text, state.date_to, start=state.date_from), id=Ids.LEDGER,
                            className="ledger",
                            tabIndex="-1"),  # "The map as a table" moves the focus here
                 className="ledger-scroll"),
    ])


def register(app: Dash, page: PageContext) -> None:
    data = page.data

    @app.callback(Output(Ids.LEDGER, "children"), Input(Ids.DATES, "value"), Input(Ids.ARTICLE_ONLY, "value"),
                  State(Ids.LANG, "data"))
    def show_ledger(dates, article_only, lang=None):
        state = state_from_controls(data, dates, [], [], article_only)
        return ledger_table(data, page.for_lang(lang).text, state.date_to, state.enrichment, start=state.date_from)
