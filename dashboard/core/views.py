"""Views of the data for a filter state, shared by the page and the image export.

Both must show the same thing for the same state, so both call these. Pure:
no words (the text catalogue adds them) and no colours (render adds them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from dashboard.core.claims import ClaimSet
from dashboard.core.control import ControlData, ShareRow
from dashboard.core.dataset import Dataset
from dashboard.core.filters import FilterState
from dashboard.core.ledger import held_at, source_label

__all__ = ["ContestedView", "contested_view", "filtered_claims", "region_counts", "status_changes"]


@dataclass(frozen=True)
class ContestedView:
    """What the regions show for a state: status as of a date, counts, outlines.

    Everything here can change on a filter change; geometry cannot.
    """

    status: Mapping[str, str] = field(default_factory=dict)  # code -> status key
    as_of: dt.date | None = None
    #: code -> record kind -> records in range; None: no counts (a view without a range)
    counts: Mapping[str, Mapping[str, int]] | None = None
    selected: Collection[str] = ()  # picked in the region filter
    highlighted: Collection[str] = ()  # regions of the record picked with "Show regions on map"
    #: code -> share held on `as_of` (None: no snapshot on or before it); None: no control data loaded.
    #: Kept apart from `status` (declared): the hover card shows both, never merged.
    held: Mapping[str, ShareRow | None] | None = None
    held_source: str = ""  # the control source's short name ("DeepStateMap")
    #: Every loaded control source (for what they cover, said before the first snapshot).
    held_sources: tuple[ControlData, ...] = ()


def filtered_claims(data: Dataset, state: FilterState) -> ClaimSet:
    """The records the statements panel lists: in range, of the regions and parties, matching `q`
    (and without the enrichment records when the state leaves them out)."""
    return data.claims.filter(
        state.date_from,
        state.date_to,
        regions=state.regions or None,
        parties=state.parties or None,
        enrichment=state.enrichment,
        text=state.q or None,
    )


def region_counts(claims: ClaimSet) -> dict[str, dict[str, int]]:
    """Records per region and kind: {"UA-14": {"statement": 2, "event": 1}}."""
    if claims.empty:
        return {}
    pairs = claims.frame[["regions", "kind"]].explode("regions")
    counts: dict[str, dict[str, int]] = {}
    for (code, kind), count in pairs.value_counts().items():
        counts.setdefault(code, {})[kind] = int(count)
    return counts


def contested_view(data: Dataset, state: FilterState, highlighted: tuple[str, ...] = ()) -> ContestedView:
    """Status as of the end of the range; counts of records in range by kind (all regions).

    The counts follow the statements search (`q`) as the list does; the status does
    not: it is the status rule's, whatever the list shows.
    """
    in_range = data.claims.filter(
        state.date_from, state.date_to, parties=state.parties or None, enrichment=state.enrichment, text=state.q or None
    )
    return ContestedView(
        status={code: s.status.value for code, s in data.status_at(state.date_to, state.enrichment).items()},
        as_of=state.date_to,
        counts=region_counts(in_range),
        selected=state.regions,
        highlighted=highlighted,
        held=held_at(data.control, state.date_to),
        held_source=source_label(data.control.source_name) if data.control is not None else "",
        held_sources=data.control_sources or ((data.control,) if data.control is not None else ()),
    )


def status_changes(data: Dataset, enrichment: bool = True) -> list[tuple[dt.date, dict[str, str]]]:
    """Each contested region's status as a step function of the day: (first day, statuses);
    `enrichment=False`: from the article records alone.

    Statuses only change at the start or end of an annexation event's window,
    so the status on any day is the one of the last step on or before it.
    """
    boundaries = {data.axis.first_day}
    timeline = data.timeline if enrichment or data.article_timeline is None else data.article_timeline
    for occurrences in timeline.occurrences.values():
        for occurrence in occurrences:
            boundaries.update({occurrence.start, occurrence.end})
    return [
        (day, {code: s.status.value for code, s in data.status_at(day, enrichment).items()})
        for day in sorted(b for b in boundaries if data.axis.first_day <= b <= data.axis.last_day)
    ]
