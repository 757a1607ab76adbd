"""The timeline figure: control shares over time above, the claim records in lanes by party below,
annexation declarations as labelled rules, the page's date range highlighted.

Pure figure building (no Dash): the page builds it once and then patches the traces by uid
(`trace_index`), never by position. What is drawn comes from dashboard/core/timeline.py.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.core.claims import KINDS, PARTIES, Claim, ClaimSet
from dashboard.core.dataset import Dataset
from dashboard.core.filters import FilterState
from dashboard.core.regions import CONTESTED_CODES
from dashboard.core.timeline import MAX_MARKS, annexation_rules, marks_of, record_bins, record_marks
from dashboard.render.markup import plotly_text, shorten
from dashboard.render.theme import (
    BIN_FILL,
    FONT_FAMILY,
    INK,
    KIND_COLOURS,
    KIND_SYMBOLS,
    MUTED,
    RANGE_FILL,
    RULE_LINE,
)
from dashboard.render.timeline_control import (
    CHANGE_AXIS,
    DAY_MS,
    MARGIN_RIGHT,
    change_traces,
    control_traces,
)
from dashboard.text import Text

__all__ = [
    "BINS_UID",
    "RANGE_SHAPE",
    "SELECTED_UID",
    "build_timeline",
    "point_uid",
    "range_shape",
    "record_props",
    "rule_layout",
    "selected_props",
    "window_uid",
]

BINS_UID = "record-bins"
SELECTED_UID = "record-selected"
#: The selected range is the first shape of the layout; the rules follow.
RANGE_SHAPE = 0
#: Where in its lane each kind sits, so a statement and an event on one day stay apart.
_KIND_OFFSET = {"statement": 0.0, "event": 0.24, "assessment": -0.24}
_SUMMARY_CHARS = 80


def point_uid(kind: str) -> str:
    return f"record-points-{kind}"


def window_uid(kind: str) -> str:
    return f"record-windows-{kind}"


def _lane(party: str) -> int:
    """Russia on top, the media at the bottom: lanes in the vocabulary's order."""
    return len(PARTIES) - 1 - PARTIES.index(party)


def _iso(day: Any) -> str:
    return (day.date() if hasattr(day, "date") and not isinstance(day, dt.date) else day).isoformat()[:10]


def _record_hover(claim: Claim, text: Text) -> str:
    speaker = claim.speaker or text.kind(claim.kind)
    head = text("timeline.record_hover", speaker=plotly_text(speaker), date=text.partial(claim.date))
    return f"<b>{head}</b><br>{plotly_text(shorten(claim.summary, _SUMMARY_CHARS))}"


def record_props(
    data: Dataset, claims: ClaimSet, state: FilterState, text: Text, all_marks: pd.DataFrame | None = None
) -> dict[str, dict]:
    """The record traces' data for `claims` (the records the filters keep, any date): each record
    on its window while there are at most MAX_MARKS marks; past that, the marks in the date range
    one by one if they fit, and the rest counted per lane and bin. `all_marks`: record_marks of
    the whole loaded set, made once (the page passes it; then only a look-up remains)."""
    marks = record_marks(claims) if all_marks is None else marks_of(all_marks, claims)
    shown, counted = marks, marks.iloc[0:0]
    if len(marks) > MAX_MARKS:
        low, high = pd.Timestamp(state.date_from), pd.Timestamp(state.date_to)
        inside = (marks["start"] <= high) & (marks["end"] >= low)
        shown, counted = (marks[inside], marks[~inside]) if inside.sum() <= MAX_MARKS else (marks.iloc[0:0], marks)
    props: dict[str, dict] = {}
    for kind in KINDS:
        of_kind = shown[shown["kind"] == kind]
        points, windows = of_kind[of_kind["exact"]], of_kind[~of_kind["exact"]]
        props[point_uid(kind)] = {
            "x": [_iso(d) for d in points["start"]],
            "y": [_lane(p) + _KIND_OFFSET[kind] for p in points["party"]],
            "customdata": list(points["id"]),
            "hovertext": [_record_hover(claims.by_id[i], text) for i in points["id"]],
        }
        props[window_uid(kind)] = {
            "base": [_iso(d) for d in windows["start"]],
            "x": [int((e - s).days + 1) * DAY_MS for s, e in zip(windows["start"], windows["end"], strict=True)],
            "y": [_lane(p) + _KIND_OFFSET[kind] for p in windows["party"]],
            "customdata": list(windows["id"]),
            "hovertext": [_record_hover(claims.by_id[i], text) for i in windows["id"]],
        }
    props[BINS_UID] = _bin_props(counted, data, text)
    return props


def _bin_props(counted: Any, data: Dataset, text: Text) -> dict:
    if counted.empty:
        return {"x": [], "y": [], "customdata": [], "hovertext": [], "marker.size": []}
    bins = record_bins(counted, data.axis.first_day, data.axis.last_day)
    hover, middles = [], []
    for row in bins.itertuples(index=False):
        kinds = ", ".join(
            text.plural(f"count.{k}", int(getattr(row, k))) for k in KINDS if k in bins.columns and int(getattr(row, k))
        )
        hover.append(text("timeline.bin_hover", count=kinds, start=text.day(row.start), end=text.day(row.end)))
        middles.append(row.start + (row.end - row.start) / 2)
    return {
        "x": [d.isoformat() for d in middles],
        "y": [_lane(p) for p in bins["party"]],
        "customdata": [[s.isoformat(), e.isoformat()] for s, e in zip(bins["start"], bins["end"], strict=True)],
        "hovertext": hover,
        "marker.size": [min(6 + 3 * math.sqrt(int(c)), 28) for c in bins["count"]],
    }


def selected_props(claim: Claim | None) -> dict:
    """A ring on each lane mark of the selected record (the middle of its window)."""
    if claim is None:
        return {"x": [], "y": [], "customdata": []}
    middle = claim.start + (claim.end - claim.start) / 2
    return {
        "x": [middle.isoformat()] * len(claim.parties),
        "y": [_lane(p) + _KIND_OFFSET[claim.kind] for p in claim.parties],
        "customdata": [claim.id] * len(claim.parties),
    }


def range_shape(state: FilterState) -> dict:
    """The page's date range as a band across both rows (to the end of its last day)."""
    return {
        "type": "rect",
        "xref": "x2",
        "yref": "paper",
        "x0": state.date_from.isoformat(),
        "x1": (state.date_to + dt.timedelta(days=1)).isoformat(),
        "y0": 0,
        "y1": 1,
        "fillcolor": RANGE_FILL,
        "line": {"width": 0},
        "layer": "below",
        "name": "selected-range",
    }


def rule_layout(data: Dataset, text: Text, enrichment: bool = True) -> tuple[list[dict], list[dict]]:
    """The rules at Russia's declarations of annexation (shapes after the range band) and their
    labels, from the status timeline the page shows (article records only: without enrichment)."""
    timeline = data.timeline if enrichment or data.article_timeline is None else data.article_timeline
    shapes, notes = [], []
    for i, rule in enumerate(annexation_rules(timeline, CONTESTED_CODES)):
        regions = ", ".join(data.region_name(c, text.lang) for c in rule.regions)
        if rule.exact:
            label = text("timeline.rule", regions=regions)
            shapes.append(
                {
                    "type": "line",
                    "xref": "x2",
                    "yref": "paper",
                    "x0": rule.start.isoformat(),
                    "x1": rule.start.isoformat(),
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": RULE_LINE, "width": 2},
                    "name": f"rule-{rule.ids[0]}",
                }
            )
        else:
            label = text("timeline.rule_window", regions=regions, start=text.day(rule.start), end=text.day(rule.end))
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x2",
                    "yref": "paper",
                    "x0": rule.start.isoformat(),
                    "x1": (rule.end + dt.timedelta(days=1)).isoformat(),
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": RULE_LINE,
                    "opacity": 0.15,
                    "line": {"width": 0},
                    "layer": "below",
                    "name": f"rule-{rule.ids[0]}",
                }
            )
        late = (rule.start - data.axis.first_day).days > 0.6 * max(data.axis.days, 1)
        notes.append(
            {
                "xref": "x2",
                "yref": "paper",
                "x": rule.start.isoformat(),
                "y": 1.0 - 0.07 * (i % 2),
                "yanchor": "bottom",
                "xanchor": "right" if late else "left",
                "showarrow": False,
                "text": plotly_text(label),
                "font": {"size": 11, "color": RULE_LINE},
                "bgcolor": "rgba(255,255,255,0.8)",
                "name": f"rule-{rule.ids[0]}",
            }
        )
    return shapes, notes


def build_timeline(
    data: Dataset, claims: ClaimSet, state: FilterState, text: Text, selected: Claim | None = None
) -> go.Figure:
    """The whole figure for a state: `claims` are the records the non-date filters keep."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.06, row_heights=[0.38, 0.62])
    for trace in control_traces(data, text, state.regions):
        figure.add_trace(trace, row=1, col=1)
    for trace in change_traces(data, text):  # on the control row's right-hand axis (CHANGE_AXIS)
        figure.add_trace(trace)
    props = record_props(data, claims, state, text)
    for kind in KINDS:
        colour = KIND_COLOURS[kind]
        figure.add_trace(
            go.Bar(
                orientation="h",
                uid=window_uid(kind),
                name=text.kind(kind),
                legendgroup=kind,
                showlegend=False,
                width=0.16,
                marker={"color": colour, "opacity": 0.6},
                hovertemplate="%{hovertext}<extra></extra>",
                **props[window_uid(kind)],
            ),
            row=2,
            col=1,
        )
        figure.add_trace(
            go.Scatter(
                mode="markers",
                uid=point_uid(kind),
                name=text.kind(kind),
                legendgroup=kind,
                marker={
                    "color": colour,
                    "symbol": KIND_SYMBOLS[kind],
                    "size": 10,
                    "line": {"color": "#ffffff", "width": 1},
                },
                hovertemplate="%{hovertext}<extra></extra>",
                **props[point_uid(kind)],
            ),
            row=2,
            col=1,
        )
    bins = props[BINS_UID]
    figure.add_trace(
        go.Scatter(
            mode="markers",
            uid=BINS_UID,
            name=text("timeline.bins"),
            x=bins["x"],
            y=bins["y"],
            customdata=bins["customdata"],
            hovertext=bins["hovertext"],
            marker={"color": BIN_FILL, "size": bins["marker.size"], "opacity": 0.7},
            hovertemplate="%{hovertext}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            mode="markers",
            uid=SELECTED_UID,
            name=text("timeline.selected"),
            marker={"color": "rgba(0,0,0,0)", "size": 22, "symbol": "circle-open", "line": {"color": INK, "width": 3}},
            hoverinfo="skip",
            showlegend=False,
            **selected_props(selected),
        ),
        row=2,
        col=1,
    )
    shapes, notes = rule_layout(data, text, state.enrichment)
    if data.control is None:
        notes.append(
            {
                "xref": "x domain",
                "yref": "y domain",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "text": plotly_text(text("timeline.held_none")),
                "font": {"color": MUTED},
            }
        )
    first, last = data.axis.first_day, data.axis.last_day + dt.timedelta(days=1)
    figure.update_layout(
        height=380,
        margin={"l": 96, "r": MARGIN_RIGHT, "t": 40, "b": 24},
        barmode="overlay",
        font={"family": FONT_FAMILY, "color": INK, "size": 12},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        dragmode="select",
        selectdirection="h",
        hovermode="closest",
        clickmode="event",
        legend={"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top", "font": {"size": 11}},
        shapes=[range_shape(state), *shapes],
        annotations=notes,
        uirevision="timeline",
    )
    figure.update_xaxes(type="date", range=[first.isoformat(), last.isoformat()], showgrid=True, gridcolor="#ececec")
    figure.update_yaxes(
        range=[0, 108],
        tickvals=[0, 50, 100],
        # Written out in the page's language ("100%", "100 %"): plotly.js drops ticksuffix from array ticks.
        ticktext=[text.share(value / 100) for value in (0, 50, 100)],
        title_text=text("timeline.held_axis"),
        title_font={"size": 11},
        fixedrange=True,
        gridcolor="#ececec",
        row=1,
        col=1,
    )
    figure.update_layout(
        {
            CHANGE_AXIS: {
                "overlaying": "y",
                "side": "right",
                "anchor": "x",
                "visible": False,
                "title": {"text": text("timeline.change_axis"), "font": {"size": 11}},
                "fixedrange": True,
                "showgrid": False,
                "zeroline": True,
                "zerolinecolor": MUTED,
                "tickmode": "auto",
                "nticks": 4,
                "rangemode": "tozero",
            }
        }
    )
    figure.update_yaxes(
        range=[-0.6, len(PARTIES) - 0.4],
        tickvals=[_lane(p) for p in PARTIES],
        ticktext=[text.party(p) for p in PARTIES],
        fixedrange=True,
        showgrid=False,
        zeroline=False,
        row=2,
        col=1,
    )
    return figure
