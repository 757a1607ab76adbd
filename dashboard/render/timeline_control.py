"""The timeline's control row: each contested region's held share per snapshot as a line, and, with the
change layer, its net change per calendar month as bars on the row's right-hand axis."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import plotly.graph_objects as go

from dashboard.core.dataset import Dataset
from dashboard.core.dates import PartialDate
from dashboard.core.filters import FilterState
from dashboard.core.ledger import source_label
from dashboard.core.regions import CONTESTED_CODES
from dashboard.core.timeline import control_series
from dashboard.render.markup import plotly_text
from dashboard.render.theme import INK, REGION_LINES
from dashboard.text import Text

__all__ = [
    "CHANGE_AXIS",
    "CHANGE_MARGIN_RIGHT",
    "MARGIN_RIGHT",
    "change_bar_props",
    "change_traces",
    "change_uid",
    "control_line_props",
    "control_traces",
    "control_uid",
    "control_visibility",
]

#: One day in Plotly's date-axis unit (milliseconds).
DAY_MS = 86_400_000


def control_uid(code: str) -> str:
    return f"held-{code}"


def change_uid(code: str) -> str:
    return f"change-month-{code}"


#: The monthly net change's own axis, on the right of the control row (the shares' is in %).
CHANGE_AXIS = "yaxis3"
#: The figure's right margin, wider while the monthly axis is shown.
MARGIN_RIGHT, CHANGE_MARGIN_RIGHT = 16, 72
#: Each region's monthly bar is this wide, side by side within the month.
_BAR_DAYS = 4


def change_bar_props(data: Dataset, state: FilterState, text: Text) -> dict[str, dict]:
    """Each contested region's net change per calendar month of the range as bars (uid ->
    x, y, hovertext, visible), drawn only with `state.change`; months without a snapshot
    at one end have no bar and say so on hover (core/control_change.py)."""
    meter = data.change_meter() if state.change and state.date_from < state.date_to else None
    rows = meter.monthly(state.date_from, state.date_to) if meter is not None else []
    source = plotly_text(source_label(data.control.source_name)) if data.control is not None else ""
    props: dict[str, dict] = {}
    for code in CONTESTED_CODES:
        own = [r for r in rows if r.code == code]
        region = plotly_text(data.region_name(code, text.lang))
        hover = []
        for r in own:
            month = text.partial(PartialDate.parse(r.month))
            if r.complete:
                hover.append(
                    text(
                        "timeline.change_hover",
                        region=region,
                        month=month,
                        net=text.area(r.net_km2),
                        taken=text.area(r.gained_km2),
                        lost=text.area(r.lost_km2),
                        source=source,
                        start=text.day(r.from_snapshot),
                        end=text.day(r.to_snapshot),
                    )
                )
            else:
                hover.append(text("timeline.change_missing", region=region, month=month, source=source))
        shown = bool(own) and (not state.regions or code in state.regions)
        props[change_uid(code)] = {
            "x": [f"{r.month}-15" for r in own],
            "y": [None if r.net_km2 is None else round(r.net_km2, 1) for r in own],
            "hovertext": hover,
            "visible": shown,
        }
    return props


def change_traces(data: Dataset, text: Text) -> Iterable[go.Bar]:
    """Empty, hidden bars per contested region on the control row's right-hand axis."""
    if data.control is None:
        return
    width = _BAR_DAYS * DAY_MS
    for i, code in enumerate(CONTESTED_CODES):
        colour, _ = REGION_LINES[code]
        name = text("timeline.change_name", region=data.region_name(code, text.lang))
        yield go.Bar(
            x=[],
            y=[],
            uid=change_uid(code),
            name=name,
            legendgroup=code,
            showlegend=False,
            yaxis="y3",
            xaxis="x",
            width=width,
            offset=(i - len(CONTESTED_CODES) / 2) * width,
            marker={"color": colour, "line": {"color": INK, "width": 0.5}},
            visible=False,
            hovertext=[],
            hovertemplate="%{hovertext}<extra></extra>",
        )


def control_visibility(regions: Sequence[str]) -> dict[str, dict]:
    """With a region filter, only those regions' lines are drawn (the rest stay in the legend)."""
    return {
        control_uid(code): {"visible": True if not regions or code in regions else "legendonly"}
        for code in CONTESTED_CODES
    }


def control_line_props(data: Dataset, text: Text) -> dict[str, dict]:
    """Each contested region's held line (x, y, hover text) from the dataset's shown control source."""
    if data.control is None:
        return {}
    source = source_label(data.control.source_name)
    series = control_series(data.control.shares, CONTESTED_CODES)
    props = {}
    for code in CONTESTED_CODES:
        days, values = series[code]
        name = data.region_name(code, text.lang)
        hover = [
            None
            if v is None
            else text(
                "timeline.held_hover",
                region=plotly_text(name),
                share=text.share(v / 100),
                source=plotly_text(source),
                day=text.day(d),
            )
            for d, v in zip(days, values, strict=True)
        ]
        props[control_uid(code)] = {"x": [d.isoformat() if d else None for d in days], "y": values, "hovertext": hover}
    return props


def control_traces(data: Dataset, text: Text, regions: Sequence[str]) -> Iterable[go.Scatter]:
    """Each contested region's held line (none without control data)."""
    visible = control_visibility(regions)
    lines = control_line_props(data, text)
    for code in CONTESTED_CODES:
        uid = control_uid(code)
        if uid not in lines:
            continue
        props = lines[uid]
        colour, dash = REGION_LINES[code]
        yield go.Scatter(
            mode="lines",
            name=data.region_name(code, text.lang),
            uid=uid,
            line={"color": colour, "dash": dash, "width": 2},
            connectgaps=False,
            hovertemplate="%{hovertext}<extra></extra>",
            visible=visible[uid]["visible"],
            **props,
        )
