"""The Dataset: everything the page, the image export and the CLI read, prepared once.

Built by `dashboard.sources.dataset.load_dataset` at start-up and never
mutated afterwards, so callbacks can share it across threads and workers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.core.axis import DateAxis
from dashboard.core.claims import PARTIES, ClaimSet
from dashboard.core.filters import QueryContext
from dashboard.core.layers import RegionLayers
from dashboard.core.status import RegionStatus, StatusTimeline, status_timeline

__all__ = ["Dataset"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Region layers, claims, the date axis and the status timeline."""

    layers: RegionLayers
    claims: ClaimSet
    axis: DateAxis
    timeline: StatusTimeline

    @classmethod
    def build(cls, layers: RegionLayers, claims: ClaimSet, today: dt.date | None = None) -> Dataset:
        """`today`: the page's axis runs on to it, so days after the last record can be chosen."""
        return cls(layers, claims, DateAxis.for_claims(claims, today=today), status_timeline(claims))

    @property
    def query_context(self) -> QueryContext:
        return QueryContext(self.axis.first_day, self.axis.last_day, self.layers.lookup, PARTIES,
                            default_to=self.axis.records_end)

    def region_name(self, code: str) -> str:
        return self.layers.names_en.get(code, code)

    def status_at(self, when: dt.date) -> dict[str, RegionStatus]:
        return self.timeline.at(when)
