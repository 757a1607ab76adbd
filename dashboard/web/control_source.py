"""Which control source a panel shows: one helper every panel calls, and the picker that sets it.

The picker (element id `control-source`, URL `source=`) lists each loaded source by
name and licence; with one source loaded it is hidden and a sentence names that
source instead (a choice of one is no choice). The map's held layer, the hover card,
the ledger, the timeline's held lines and the export all ask `control_for_state`.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.core.control import ControlData
from dashboard.core.control_sources import find_control
from dashboard.core.dataset import Dataset
from dashboard.core.filters import COMPARE_SHOWN, FilterState
from dashboard.text.source_words import source_words
from dashboard.web.context import PageContext
from dashboard.web.ids import Ids

__all__ = [
    "compare_box",
    "compare_on",
    "compare_value",
    "control_for_state",
    "data_for_state",
    "picked_source",
    "picker",
    "picker_value",
]


def picked_source(value: Any) -> str | None:
    """The picker's value as a source slug, or None (nothing picked, or not a string)."""
    return value if isinstance(value, str) and 0 < len(value) <= 200 else None


def compare_on(value: Any) -> bool:
    return isinstance(value, list) and COMPARE_SHOWN in value


def control_for_state(page: PageContext, state: FilterState) -> ControlData | None:
    """The source the page shows for `state`: the picked one (`state.source`) when it is loaded,
    else the one covering the map's date (`Dataset.control_at`); with one source, that source."""
    data = page.data
    if state.source:
        found = find_control(data.control_sources, state.source)
        if found is not None:
            return found
    if len(data.control_sources) > 1:
        return data.control_at(state.date_to)
    return data.control


def data_for_state(page: PageContext, state: FilterState) -> Dataset:
    """The dataset showing `control_for_state` (what the core's ledger and views read)."""
    return page.data.with_control(control_for_state(page, state))


def picker_value(page: PageContext, state: FilterState) -> str | None:
    """What the picker shows for `state`: with several sources always one (the picked or the default),
    so the URL names it; with one, only what the URL named."""
    if len(page.data.control_sources) > 1:
        control = control_for_state(page, state)
        return control.source.slug if control is not None else None
    return state.source


def compare_value(state: FilterState) -> list[str]:
    return [COMPARE_SHOWN] if state.compare else []


def picker(page: PageContext) -> html.Div:
    """The source picker (radio buttons, one per source), or the one source's name in words."""
    text, sources = page.text, page.data.control_sources
    state = page.initial_state()
    options = [
        {
            "label": text("control.picker.option", source=source_words(text, c.source_name), licence=c.licence),
            "value": c.source.slug,
        }
        for c in sources
    ]
    several = len(sources) > 1
    one = (
        ""
        if several or not sources
        else text("control.picker.one", source=source_words(text, sources[0].source_name), licence=sources[0].licence)
    )
    if not several:  # a choice of one is no choice: the source in words, its value kept for the URL
        return html.Div(
            className="control-source-picker",
            children=[
                dcc.Input(id=Ids.CONTROL_SOURCE, type="hidden", value=picker_value(page, state)),
                html.P(one, id=Ids.CONTROL_SOURCE_NOTE, className="control-source-note hint", hidden=not one),
            ],
        )
    return html.Div(
        className="control-source-picker",
        children=[
            html.Fieldset(
                className="control-source-set",
                children=[
                    html.Legend(text("control.picker.label")),
                    dcc.RadioItems(
                        id=Ids.CONTROL_SOURCE,
                        options=options,
                        value=picker_value(page, state),
                        className="control-source",
                        inline=True,
                    ),
                ],
            ),
            html.P(id=Ids.CONTROL_SOURCE_NOTE, hidden=True),
        ],
    )


def compare_box(page: PageContext) -> dcc.Checklist:
    """The ledger's "Compare sources" box (hidden with fewer than two sources)."""
    several = len(page.data.control_sources) > 1
    return dcc.Checklist(
        id=Ids.LEDGER_COMPARE,
        value=compare_value(page.initial_state()),
        className="ledger-compare" + ("" if several else " hidden"),
        options=[{"label": page.text("ledger.compare"), "value": COMPARE_SHOWN, "disabled": not several}],
        style=None if several else {"display": "none"},
    )
