"""The map's keys in words: the status legend, the control layer's key (whose data, which snapshot,
what the loaded data covers) and the change layer's (taken and no longer held, with both snapshots)."""

from __future__ import annotations

import datetime as dt

from dash import html

from dashboard.core.control import ControlData
from dashboard.core.control_sources import is_stale
from dashboard.core.ledger import source_label
from dashboard.render.change_layer import ChangeLayer
from dashboard.render.control_layer import ControlLayer
from dashboard.render.theme import CHANGE_LOST_LINE, CHANGE_TAKEN_LINE, HIGHLIGHT_LINE, SELECTED_LINE, STATUS_FILLS
from dashboard.text import Text
from dashboard.text.control_words import coverage_sentence, needs_coverage, snapshot_words
from dashboard.text.source_words import source_words
from dashboard.web.context import PageContext

__all__ = ["change_legend", "control_legend", "legend"]


def legend(text: Text) -> html.Ul:
    """Each status colour explained in words, then the two kinds of outline."""
    fills = [
        html.Li([html.Span(className="swatch", style={"background": colour}), text.status(key)])
        for key, colour in STATUS_FILLS.items()
    ]
    outlines = [
        html.Li(
            [
                html.Span(className="swatch outline", style={"borderColor": SELECTED_LINE, "borderWidth": "3px"}),
                text("map.legend.selected"),
            ],
            className="outline-key",
        ),
        html.Li(
            [
                html.Span(className="swatch outline", style={"borderColor": HIGHLIGHT_LINE, "borderWidth": "3px"}),
                text("map.legend.highlighted"),
            ],
            className="outline-key",
        ),
    ]
    return html.Ul(fills + outlines, className="legend")


def control_legend(
    page: PageContext, layer: ControlLayer, day: dt.date, visible: bool, control: ControlData | None = None
) -> list:
    """The control layer in words: whose data (the source shown), which snapshot (never a day it does
    not have; flagged when stale); before every snapshot, what the loaded data covers."""
    text = page.text
    control = control if control is not None else page.data.control
    if control is None:
        return [html.Span(text("map.control.not_loaded"), className="control-key muted")]
    source = source_words(text, control.source_name)
    if layer.snapshot is None:
        keys = [
            html.Span(
                text("control.legend.none", source=source_label(source), day=text.day(day)), className="control-key"
            )
        ]
        if needs_coverage(page.data.control_sources or (control,), day):
            keys.append(
                html.Span(
                    coverage_sentence(text, page.data.control_sources or (control,)),
                    className="control-key control-coverage",
                )
            )
        return keys
    shown = "control-key" if visible else "control-key off"
    snapshot = snapshot_words(text, layer.snapshot, day)
    stale = " control-stale" if is_stale(layer.snapshot, day) else ""
    keys = [
        html.Span(
            [html.Span(className="swatch hatch"), text("control.legend", source=source, snapshot=snapshot)],
            className=shown + stale,
            **{"data-source": control.source.slug},
        )
    ]
    if layer.has_grey:
        keys.append(
            html.Span(
                [
                    html.Span(className="swatch grey-zone"),
                    text("control.legend_grey", source=source, snapshot=snapshot),
                ],
                className=shown + stale,
            )
        )
    return keys


#: The legend's swatches of the change layer: the map's own colours and patterns (render/change_layer.py).
_TAKEN_SWATCH = {
    "borderColor": CHANGE_TAKEN_LINE,
    "background": (
        f"repeating-linear-gradient(45deg, {CHANGE_TAKEN_LINE} 0 1px, transparent 1px 3px), "
        f"repeating-linear-gradient(-45deg, {CHANGE_TAKEN_LINE} 0 1px, transparent 1px 3px)"
    ),
}
_LOST_SWATCH = {"background": "transparent", "border": f"2px dashed {CHANGE_LOST_LINE}"}


def change_legend(
    page: PageContext, layer: ChangeLayer, start: dt.date, end: dt.date, visible: bool, control: ControlData | None
) -> list:
    """The change layer in words, with its source and the two snapshots it compares (only when on)."""
    text = page.text
    if not visible or control is None:
        return []
    source = source_label(control.source_name)
    if layer.from_snapshot is None or layer.to_snapshot is None:
        missing = start if layer.from_snapshot is None else end
        return [html.Span(text("map.change.none", source=source, day=text.day(missing)), className="control-key")]
    if layer.from_snapshot == layer.to_snapshot:
        return [
            html.Span(text("map.change.same", source=source, day=text.day(layer.to_snapshot)), className="control-key")
        ]
    days = {"start": text.day(layer.from_snapshot), "end": text.day(layer.to_snapshot), "source": source}
    return [
        html.Span(
            [html.Span(className="swatch change-taken", style=_TAKEN_SWATCH), text("map.change.taken", **days)],
            className="control-key change-key-taken",
        ),
        html.Span(
            [html.Span(className="swatch change-lost", style=_LOST_SWATCH), text("map.change.lost", **days)],
            className="control-key change-key-lost",
        ),
    ]
