"""The ledger panel: each contested region on the map's date, declared beside held.

One table (id `ledger`, public; each row carries `data-code`): Region |
Declared (by Russia) | Held by Russian forces | Snapshot. Declared comes from
the claims records (status, its date, the deciding records); held from the
control data (share, area, grey zone, coastline rule). The two columns are
never merged. The map's date is the end of the date range. With the change layer on
(URL change=yes) and a range of more than a day, two more columns give the change of control over it
(core/control_change.py): Taken / no longer held, and Net (share from -> to).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from dash import Dash, Input, Output, State, html

from dashboard.core.control import ControlData
from dashboard.core.control_change import RegionChange
from dashboard.core.control_sources import is_stale
from dashboard.core.dataset import Dataset
from dashboard.core.filters import FilterState
from dashboard.core.ledger import LedgerRow, held_at, ledger_rows, source_label
from dashboard.core.status import Status
from dashboard.text import Text
from dashboard.text.control_words import coverage_sentence, stale_note
from dashboard.text.source_words import source_words
from dashboard.web import control_source
from dashboard.web.context import PageContext
from dashboard.web.controls import state_from_controls
from dashboard.web.ids import Ids

IDS = (Ids.LEDGER, Ids.LEDGER_COMPARE)


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
            records.append(
                html.Span(label, title=claim.summary, className="ledger-record", **{"data-statement-id": claim.id})
            )
        children.append(html.Span(records, className="ledger-note ledger-records"))
    return children


def held_cell(
    row: LedgerRow, data: Dataset, text: Text, day: dt.date, control: ControlData | bool | None = False
) -> list[Any]:
    """Share and area held, the grey zone where the source has one, and why a unit counts as fully held
    (`control`: the source of `row.held`; default: the dataset's shown source)."""
    control = data.control if control is False else control
    if control is None:
        return [html.Span(text("ledger.held.not_loaded"), className="ledger-missing")]
    held = row.held
    if held is None:
        return [
            html.Span(
                text("ledger.held.none", source=source_label(control.source_name), day=text.day(day)),
                className="ledger-missing",
            )
        ]
    children: list[Any] = [
        html.Span(
            text("ledger.held.share", share=text.share(held.occupied_share), area=text.area(held.occupied_km2)),
            className="held-share",
        )
    ]
    if held.grey_share is not None:
        children.append(html.Span(text("ledger.held.grey", share=text.share(held.grey_share)), className="ledger-note"))
    if held.coast_rule:
        children.append(
            html.Span(text("ledger.held.coast_rule", raw=text.share(held.occupied_share_raw)), className="ledger-note")
        )
    return children


def snapshot_cell(row: LedgerRow, text: Text, day: dt.date) -> list[Any]:
    """The snapshot's day; when it is not the map's date (a gap, or after the data), says so."""
    if row.held is None:
        return [html.Span(text("ledger.snapshot.none"), className="ledger-missing")]
    children: list[Any] = [html.Span(text.day(row.held.snapshot_date), className="snapshot-day")]
    if is_stale(row.held.snapshot_date, day):  # "snapshot of 3 Mar 2025, 20 days before the map's date"
        children.append(html.Span(stale_note(text, row.held.snapshot_date, day), className="ledger-note ledger-stale"))
    elif row.held.snapshot_date != day:
        children.append(html.Span(text("ledger.snapshot.earlier", day=text.day(day)), className="ledger-note"))
    return children


def _unbroken(figure: str) -> str:
    """A figure as one token: a narrow column breaks the line between figures, never inside one."""
    return figure.replace(" ", "\u00a0")


def _signed(text: Text, km2: float) -> str:
    """ "+412 km²", "−38 km²", "0 km²" (the sign of the rounded figure; none on nothing)."""
    if round(km2) == 0:
        return _unbroken(text.area(0))
    return _unbroken(text("ledger.change.gain" if km2 > 0 else "ledger.change.loss", area=text.area(abs(km2))))


def change_cells(
    change: RegionChange | None, data: Dataset, text: Text, start: dt.date, end: dt.date
) -> tuple[list[Any], list[Any]]:
    """ "+412 km² / −38 km²" and "+374 km² (23% → 25%)", with the snapshots named where they are
    not the range's own days; a missing snapshot is said, never filled in."""
    control = data.control
    if control is None or change is None:
        missing = [html.Span(text("ledger.held.not_loaded"), className="ledger-missing")]
        return missing, missing
    if not change.complete:
        day = start if change.from_snapshot is None else end
        missing = [
            html.Span(
                text("ledger.change.none", source=source_label(control.source_name), day=text.day(day)),
                className="ledger-missing",
            )
        ]
        return missing, list(missing)
    both = [
        html.Span(
            text(
                "ledger.change.taken_lost", taken=_signed(text, change.gained_km2), lost=_signed(text, -change.lost_km2)
            ),
            className="change-taken-lost",
        )
    ]
    net = [
        html.Span(
            text(
                "ledger.change.net",
                net=_signed(text, change.net_km2),
                share_from=_unbroken(text.share(change.share_from)),
                share_to=_unbroken(text.share(change.share_to)),
            ),
            className="change-net",
        )
    ]
    if (change.from_snapshot, change.to_snapshot) != (start, end):
        net.append(
            html.Span(
                text("ledger.change.snapshots", start=text.day(change.from_snapshot), end=text.day(change.to_snapshot)),
                className="ledger-note",
            )
        )
    return both, net


def _cell(label: str, children: Any, className: str, **extra: str) -> html.Td:
    # data-label: the column's name, shown beside the value when the table stacks on a phone.
    return html.Td(children, className=className, **{"data-label": label}, **extra)


def _caption(data: Dataset, text: Text, day: dt.date, shown: tuple[ControlData, ...]) -> list[Any]:
    """Whose held figures (each source with its licence), and before every snapshot what is loaded."""
    if not shown:
        return [text("ledger.caption.no_control", day=text.day(day))]
    if len(shown) == 1:
        said = text(
            "ledger.caption",
            day=text.day(day),
            source=source_words(text, shown[0].source_name),
            licence=shown[0].licence,
        )
    else:
        said = text(
            "ledger.caption.sources",
            day=text.day(day),
            sources="; ".join(
                text("ledger.caption.source_item", source=source_words(text, c.source_name), licence=c.licence)
                for c in shown
            ),
        )
    loaded = data.control_sources or shown
    if all(c.shares.snapshot_for(day) is None for c in shown):
        return [said, " ", html.Span(coverage_sentence(text, loaded), className="ledger-coverage")]
    return [said]


def ledger_table(
    data: Dataset,
    text: Text,
    day: dt.date,
    enrichment: bool = True,
    compare: bool = False,
    start: dt.date | None = None,
) -> list[Any]:
    """The table's children for `day`: caption, header and one row per contested region
    (`enrichment=False`: the declared status from the article records alone; `compare`: one held
    and one snapshot column per loaded control source, each named, instead of the shown source's).
    With `start` before `day`, two more columns: the change of control from `start` to `day` in
    the source shown."""
    shown = (
        data.control_sources
        if compare and len(data.control_sources) > 1
        else ((data.control,) if data.control is not None else ())
    )
    columns = [text(f"ledger.col.{key}") for key in ("region", "declared", "held", "snapshot")]
    held_columns: list[tuple[str, str, ControlData | None]] = [(columns[2], columns[3], data.control)]
    if len(shown) > 1:
        held_columns = [
            (
                text("ledger.col.held_source", source=source_words(text, c.source_name)),
                text("ledger.col.snapshot_source", source=source_label(c.source_name)),
                c,
            )
            for c in shown
        ]
    ranged = start is not None and start < day
    change_columns = [text("ledger.col.change"), text("ledger.col.net")] if ranged else []

    def change_tds(row: LedgerRow) -> list[html.Td]:
        if not ranged:
            return []
        both, net = change_cells(row.change, data, text, start, day)
        if row.change is None or not row.change.complete:  # one message across both columns
            return [
                html.Td(
                    both,
                    className="ledger-change ledger-net",
                    colSpan=2,
                    **{"data-label": f"{change_columns[0]} · {change_columns[1]}"},
                )
            ]
        return [_cell(change_columns[0], both, "ledger-change"), _cell(change_columns[1], net, "ledger-net")]

    rows = ledger_rows(data, day, enrichment, start if ranged else None)
    per_source = [held_at(c, day) or {} for _, _, c in held_columns]
    body = []
    for row in rows:
        cells = [
            html.Th(data.region_name(row.code, text.lang), scope="row", className="ledger-region"),
            _cell(columns[1], declared_cell(row, data, text, day), "ledger-declared"),
        ]
        for (held_label, snap_label, control), held in zip(held_columns, per_source, strict=True):
            source_row = dataclasses.replace(row, held=held.get(row.code)) if len(held_columns) > 1 else row
            extra = {"data-source": control.source.slug} if control is not None else {}
            cells.append(_cell(held_label, held_cell(source_row, data, text, day, control), "ledger-held", **extra))
            cells.append(_cell(snap_label, snapshot_cell(source_row, text, day), "ledger-snapshot", **extra))
        cells.extend(change_tds(row))
        body.append(html.Tr(cells, **{"data-code": row.code, "data-status": row.status}))
    header = [columns[0], columns[1]] + [label for pair in held_columns for label in pair[:2]] + change_columns
    return [
        html.Caption(
            _caption(data, text, day, shown)
            + (
                [text("ledger.caption.change", start=text.day(start), end=text.day(day))]
                if ranged and data.control is not None
                else []
            )
        ),
        html.Thead(html.Tr([html.Th(label, scope="col") for label in header])),
        html.Tbody(body),
    ]


def layout(page: PageContext) -> html.Section:
    state = page.initial_state()
    data = control_source.data_for_state(page, state)
    return html.Section(
        className="ledger-panel",
        children=[
            html.H2(page.text("ledger.heading")),
            html.P(page.text("ledger.intro"), className="hint"),
            control_source.compare_box(page),
            html.Div(
                html.Table(
                    ledger_table(data, page.text, state.date_to, state.enrichment, state.compare, start=_start(state)),
                    id=Ids.LEDGER,
                    className="ledger",
                    tabIndex="-1",
                ),  # "The map as a table" moves the focus here
                className="ledger-scroll",
            ),
        ],
    )


def _start(state: FilterState) -> dt.date | None:
    """The range's first day when the change columns are asked for (the change layer is on)."""
    return state.date_from if state.change else None


def register(app: Dash, page: PageContext) -> None:
    data = page.data

    @app.callback(
        Output(Ids.LEDGER, "children"),
        Input(Ids.DATES, "value"),
        Input(Ids.ARTICLE_ONLY, "value"),
        Input(Ids.CONTROL_SOURCE, "value"),
        Input(Ids.LEDGER_COMPARE, "value"),
        Input(Ids.CHANGE_LAYER, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,  # the layout holds the URL's table
    )
    def show_ledger(dates, article_only, source, compare, change=None, lang=None):
        state = state_from_controls(data, dates, [], [], article_only, change=change, source=source, compare=compare)
        return ledger_table(
            control_source.data_for_state(page, state),
            page.for_lang(lang).text,
            state.date_to,
            state.enrichment,
            state.compare,
            start=_start(state),
        )
