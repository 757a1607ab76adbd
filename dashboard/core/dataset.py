"""The Dataset: everything the page, the image export and the CLI read, prepared once.

Built by `dashboard.sources.dataset.load_dataset` at start-up and never
mutated afterwards, so callbacks can share it across threads and workers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.core.axis import DateAxis
from dashboard.core.claims import PARTIES, ClaimSet
from dashboard.core.control import ControlData
from dashboard.core.filters import QueryContext
from dashboard.core.layers import RegionLayers
from dashboard.core.status import RegionStatus, StatusTimeline, status_timeline

__all__ = ["Dataset"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Region layers, claims, control on the ground (if loaded), the date axis and the status timeline.

    Declared annexation (claims -> status) and control on the ground are kept
    apart: nothing here merges them; the page shows them side by side.
    """

    layers: RegionLayers
    claims: ClaimSet
    axis: DateAxis
    timeline: StatusTimeline
    control: ControlData | None = None

    @classmethod
    def build(cls, layers: RegionLayers, claims: ClaimSet, today: dt.date | None = None,
              control: ControlData | None = None) -> Dataset:
        """`today`: the page's axis runs on to it, so days after the last data can be chosen.
        The axis runs at least to the latest day of any loaded data (claims or control)."""
        axis = DateAxis.for_claims(claims, today=today, data_until=control.last_day if control else None)
        return cls(layers, claims, axis, status_timeline(claims), control)

    @property
    def query_context(self) -> QueryContext:
        return QueryContext(self.axis.first_day, self.axis.last_day, self.layers.lookup, PARTIES,
                            default_to=self.axis.data_end, statement_ids=self.claims.by_id)

    def region_name(self, code: str) -> str:
        return self.layers.names_en.get(code, code)

    def status_at(self, when: dt.date) -> dict[str, RegionStatus]:
        return self.timeline.at(when)
