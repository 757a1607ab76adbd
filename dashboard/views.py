"""Views of the data for a filter state, shared by the page's callbacks and the image export.

Both must show the same thing for the same state, so both call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.claims import filter_claims
from dashboard.figures import ContestedView
from dashboard.state import FilterState

if TYPE_CHECKING:
    import pandas as pd

    from dashboard.app import AppData


def filtered_claims(data: "AppData", state: FilterState) -> "pd.DataFrame":
    return filter_claims(data.claims, state.date_from, state.date_to,
                         regions=state.regions or None, parties=state.parties or None)


def region_counts(claims: "pd.DataFrame") -> dict[str, int]:
    return claims["regions"].explode().value_counts().to_dict() if not claims.empty else {}


def contested_view(data: "AppData", state: FilterState, highlighted: tuple[str, ...] = ()) -> ContestedView:
    """Status as of the end of the range; counts of statements in range (all regions)."""
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
