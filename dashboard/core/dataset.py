"""The Dataset: everything the page, the image export and the CLI read, prepared once.

Built by `dashboard.sources.dataset.load_dataset` at start-up and never
mutated afterwards, so callbacks can share it across threads and workers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from dashboard.core.axis import DateAxis
from dashboard.core.claims import PARTIES, ClaimSet
from dashboard.core.control import ControlData
from dashboard.core.control_change import ChangeMeter
from dashboard.core.control_sources import find_control, pick_control
from dashboard.core.filters import QueryContext
from dashboard.core.layers import RegionLayers
from dashboard.core.places import Gazetteer
from dashboard.core.status import RegionStatus, StatusTimeline, status_timeline

__all__ = ["Dataset"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Region layers, claims, control on the ground (if loaded), the date axis and the status timeline.

    Declared annexation (claims -> status) and control on the ground are kept
    apart: nothing here merges them; the page shows them side by side.

    `control_sources` holds every loaded control source (bundled first, then the
    user's cache), each apart; `control` is the one shown: by default the source
    covering the default map date (`pick_control`), or the one `with_control` picked.
    """

    layers: RegionLayers
    claims: ClaimSet
    axis: DateAxis
    timeline: StatusTimeline
    control: ControlData | None = None
    #: The status from the article records alone (enrichment left out: "Article records only").
    article_timeline: StatusTimeline | None = None
    #: The gazetteer of populated places ("Find a place", `place=`); None: not loaded.
    places: Gazetteer | None = None
    #: Every loaded control source, bundled first; never merged.
    control_sources: tuple[ControlData, ...] = ()
    #: One ChangeMeter per ControlData asked about (its projected snapshots cached inside it). An
    #: init field, so `with_control` (dataclasses.replace) shares it rather than starting afresh.
    _meters: dict[int, ChangeMeter] = field(default_factory=dict, repr=False)
    _meters_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def build(
        cls,
        layers: RegionLayers,
        claims: ClaimSet,
        today: dt.date | None = None,
        control: ControlData | None = None,
        places: Gazetteer | None = None,
        control_sources: tuple[ControlData, ...] | None = None,
    ) -> Dataset:
        """`today`: the page's axis runs on to it, so days after the last data can be chosen.
        The axis runs at least to the latest day of any loaded data (claims or control).
        `control_sources` (or one `control`): the loaded sources, bundled first."""
        sources = tuple(control_sources) if control_sources is not None else ((control,) if control else ())
        last = max((c.last_day for c in sources if c.last_day is not None), default=None)
        axis = DateAxis.for_claims(claims, today=today, data_until=last)
        data = cls(
            layers,
            claims,
            axis,
            status_timeline(claims),
            None,
            status_timeline(claims, enrichment=False),
            places,
            sources,
        )
        return data.with_control(pick_control(sources, data.query_context.default_state().date_to))

    def with_control(self, control: ControlData | None) -> Dataset:
        """This dataset showing `control` (one of `control_sources`, or None: no control data)."""
        return self if control is self.control else dataclasses.replace(self, control=control)

    def control_for(self, name: str) -> ControlData:
        """The loaded source called `name` (its name or its slug); KeyError naming those loaded."""
        found = find_control(self.control_sources, name)
        if found is None:
            loaded = ", ".join(repr(c.source_name) for c in self.control_sources) or "none"
            raise KeyError(f"no control source {name!r} is loaded (loaded: {loaded})")
        return found

    def control_at(self, day: dt.date) -> ControlData | None:
        """The source shown for `day` when none is picked: the one covering it (`pick_control`)."""
        return pick_control(self.control_sources, day)

    @property
    def query_context(self) -> QueryContext:
        def lookup_source(name: str) -> str | None:
            found = find_control(self.control_sources, name)
            return found.source.slug if found is not None else None

        return QueryContext(
            self.axis.first_day,
            self.axis.last_day,
            self.layers.lookup,
            PARTIES,
            default_to=self.axis.data_end,
            statement_ids=self.claims.by_id,
            lookup_place=self._place_id if self.places is not None else None,
            lookup_source=lookup_source,
            sources=tuple(c.source.slug for c in self.control_sources),
        )

    def _place_id(self, value: str) -> int | None:
        """The geonameid a `place=` value names (an id, or a name's best match), or None."""
        found = self.places.resolve(value) if self.places is not None else None
        return found.geonameid if found is not None else None

    def region_name(self, code: str, lang: str = "en") -> str:
        """A unit's name in `lang` (the layers' `name_uk` for Ukrainian), or the code if it is none."""
        return self.layers.names(lang).get(code, code)

    def region_names(self, lang: str) -> Callable[[str], str]:
        """`region_name` in one language, for callers that take a code -> name function."""
        return functools.partial(self.region_name, lang=lang)

    def change_meter(self, control: ControlData | None = None) -> ChangeMeter | None:
        """The change meter of `control` (default: the loaded control data), made once and kept;
        None without control data."""
        control = control if control is not None else self.control
        if control is None:
            return None
        with self._meters_lock:
            meter = self._meters.get(id(control))
            if meter is None or meter.control is not control:
                outlines = dict(zip(self.layers.ukraine["code"], self.layers.ukraine.geometry, strict=True))
                meter = self._meters[id(control)] = ChangeMeter.build(control, outlines)
            return meter

    def status_at(self, when: dt.date, enrichment: bool = True) -> dict[str, RegionStatus]:
        """Each contested region's status at the end of `when`; `enrichment=False`: from the
        article records alone, by the same rule (`status_timeline(..., enrichment=False)`)."""
        if enrichment or self.article_timeline is None:
            return self.timeline.at(when)
        return self.article_timeline.at(when)
