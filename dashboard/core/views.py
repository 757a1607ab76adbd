"""Views of the data for a filter state, shared by the page's callbacks and the image export.

Both must show the same thing for the same state, so both call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.core.claims import filter_claims
from dashboard.render.map_figure import CONTESTED_TRACE, STATUS_FILLS, ContestedView
from dashboard.core.filters import FilterState

if TYPE_CHECKING:
    import pandas as pd

    from dashboard.web.app import AppData


def filtered_claims(data: "AppData", state: FilterState) -> "pd.DataFrame":
    return filter_claims(data.claims, state.date_from, state.date_to,
                         regions=state.regions or None, parties=state.parties or None)


def region_counts(claims: "pd.DataFrame") -> dict[str, dict[str, int]]:
    """Records per region and kind: {"UA-14": {"statement": 2, "event": 1}}."""
    if claims.empty:
        return {}
    pairs = claims[["regions", "kind"]].explode("regions")
    counts: dict[str, dict[str, int]] = {}
    for (code, kind), count in pairs.value_counts().items():
        counts.setdefault(code, {})[kind] = int(count)
    return counts


def contested_view(data: "AppData", state: FilterState, highlighted: tuple[str, ...] = ()) -> ContestedView:
    """Status as of the end of the range; counts of records in range by kind (all regions)."""
    in_range = filter_claims(data.claims, state.date_from, state.date_to,
                             parties=state.parties or None)
    return ContestedView(
        status={code: s.status.value for code, s in data.status_at(state.date_to).items()},
        status_labels=data.status_labels,
        as_of=state.date_to,
        counts=region_counts(in_range),
        selected=state.regions,
        highlighted=highlighted,
    )


def status_steps(data: "AppData") -> dict:
    """The status of every contested region as a step function of the slider's day offset.

    Statuses only change at the start or end of an annexation event's window,
    so the status on any day is the one at the last boundary on or before it.
    The page colours the map from this table in the browser (assets/dashboard.js)
    the moment the dates change, without waiting for the server.
    """
    codes = list(data.layers.contested["code"])
    boundaries = {data.axis.first_day}
    for occurrences in data.timeline.occurrences.values():
        for occurrence in occurrences:
            boundaries.update({occurrence.start, occurrence.end})
    steps = []
    for day in sorted(b for b in boundaries if data.axis.first_day <= b <= data.axis.last_day):
        statuses = data.status_at(day)
        steps.append([data.axis.offset(day), [statuses[code].status.value for code in codes]])
    return {"codes": codes, "steps": steps, "fills": dict(STATUS_FILLS), "trace": CONTESTED_TRACE}


def status_from_steps(steps: dict, offset: int) -> dict[str, str]:
    """What the browser computes from `status_steps` for a day offset (for tests)."""
    current = steps["steps"][0][1]
    for start, statuses in steps["steps"]:
        if start > offset:
            break
        current = statuses
    return dict(zip(steps["codes"], current))
