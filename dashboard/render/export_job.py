"""One export, whatever its format: what to draw, how big, in which words, and with what.

Every format's renderer and checker (render/formats.py) takes an ExportJob, so
the CLI and the page build one and hand it to the registry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.core.dataset import Dataset
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.core.steps import STEPS, step_days
from dashboard.render.export_options import ImageOptions
from dashboard.text import Text

if TYPE_CHECKING:
    from dashboard.render.exporter import Exporter

#: Frames per second of an animation unless told otherwise, and the range allowed.
DEFAULT_FPS = 2.0
MIN_FPS, MAX_FPS = 0.2, 30.0
#: The most frames (steps) one animation or embedded map may have.
MAX_FRAMES = 400


@dataclass(frozen=True)
class EmbedAssets:
    """What an offline HTML map carries inline: the plotly.js bundle and the basemap topojson.

    Read from disk by the caller (sources), so rendering does no file I/O.
    """

    plotlyjs: str
    #: topojson name as plotly.js asks for it (such as "europe_50m") -> the parsed topojson.
    topojson: dict[str, object]


@dataclass(frozen=True)
class ExportJob:
    """An export of the map for `state` (its range; the map shows `state.date_to`).

    A stepped format (animation, embedded map) draws one frame per `step` from
    the range's start to its end (`days`). `progress` is called once per frame rendered.
    """

    data: Dataset
    state: FilterState
    options: ImageOptions
    text: Text
    exporter: Exporter | None = None
    control: bool = True
    step: str = "week"
    fps: float = DEFAULT_FPS
    assets: EmbedAssets | None = None
    progress: Callable[[], None] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.step not in STEPS:
            raise DashboardError(f"unknown step {self.step!r}; expected one of: {', '.join(STEPS)}")
        if isinstance(self.fps, bool) or not isinstance(self.fps, (int, float)) or not MIN_FPS <= self.fps <= MAX_FPS:
            raise DashboardError(f"frames per second must be from {MIN_FPS:g} to {MAX_FPS:g}, got {self.fps!r}")

    @property
    def days(self) -> list[dt.date]:
        """The frames' days: the range's start, each step after it, and its end."""
        return step_days(self.state.date_from, self.state.date_to, self.step)

    def frame_states(self) -> list[FilterState]:
        """One filter state per frame: the same range start, regions and records, ending on the frame's day."""
        return [dataclasses.replace(self.state, date_to=day) for day in self.days]

    def check_frame_count(self) -> int:
        """The number of frames, or a one-line refusal naming the limit."""
        count = len(self.days)
        if count > MAX_FRAMES:
            raise DashboardError(
                f"{count} frames ({self.state.date_from.isoformat()} to "
                f"{self.state.date_to.isoformat()} by {self.step}) is more than the limit of "
                f"{MAX_FRAMES}; choose a longer step or a shorter range"
            )
        return count

    def require_exporter(self) -> Exporter:
        if self.exporter is None:
            raise DashboardError("this export needs the image renderer (kaleido and Chromium)")
        return self.exporter
