"""What an exported image shows: its options, its figure, its title and its file name.

The figure is the dashboard's own map for a filter state (the same traces and
view), with the title, the legend in words and the attribution drawn inside,
so an export shows exactly what the page shows. Rendering it is `exporter.py`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from dashboard.core.dataset import Dataset
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.core.layers import RegionLayers
from dashboard.core.views import ContestedView, contested_view
from dashboard.render.image_check import RASTER_FORMATS, RENDERER_MAX_PIXELS, canvas_size
from dashboard.render.control_layer import control_layer
from dashboard.render.change_layer import LOST_KEY_NAME, MAP_BOTTOM, TAKEN_KEY_NAME, change_keys, change_layer
from dashboard.render.map_figure import (ATTRIBUTION_NAME, CONTESTED_UID, CONTROL_KEY_NAME, OTHERS_UID, build_export_map,
                                         contested_props, other_props, trace_index)
from dashboard.render.markup import plotly_text
from dashboard.text import Text
from dashboard.text.control_words import coverage_sentence, needs_coverage, snapshot_words


FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
MIN_SIZE, MAX_SIZE = 200, 8000
MIN_SCALE, MAX_SCALE = 0.5, 8.0
#: Size presets offered in the dashboard (width, height in px at scale 1).
PRESETS: dict[str, tuple[int, int]] = {
    "1200x800": (1200, 800),
    "1920x1080": (1920, 1080),
    "1600x1200": (1600, 1200),
    "800x600": (800, 600),
}
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: Longest file name an export writes (bytes, extension included): well under the usual
#: 255-byte NAME_MAX, with room for the temporary name's prefix and suffix.
MAX_FILE_NAME = 200

@dataclass(frozen=True)
class ImageOptions:
    """What the image looks like on disk; checked on creation."""

    format: str = "png"
    width: int = 1200
    height: int = 800
    scale: float = 1.0
    title: str | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise DashboardError(f"unknown image format {self.format!r}; expected one of: {', '.join(FORMATS)}")
        for name in ("width", "height"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not MIN_SIZE <= value <= MAX_SIZE:
                raise DashboardError(f"image {name} must be a whole number of pixels from "
                                     f"{MIN_SIZE} to {MAX_SIZE}, got {value!r}")
        if isinstance(self.scale, bool) or not isinstance(self.scale, (int, float)) \
                or not MIN_SCALE <= self.scale <= MAX_SCALE:
            raise DashboardError(f"image scale must be from {MIN_SCALE} to {MAX_SCALE}, got {self.scale!r}")
        self._check_canvas()
        if self.title is not None and len(self.title) > 300:
            raise DashboardError("image title is longer than 300 characters")

    def _check_canvas(self) -> None:
        """Refuse a raster image larger than Chromium can draw: it would come back as a few bytes of nothing."""
        if self.format not in RASTER_FORMATS:
            return
        width, height = canvas_size(self.width, self.height, self.scale)
        if width * height > RENDERER_MAX_PIXELS:
            raise DashboardError(f"width × height × scale² = {width * height:,} pixels is more than the "
                                 f"renderer's limit of {RENDERER_MAX_PIXELS:,} (2^28); "
                                 "lower the width, height or scale")


def file_stem(state: FilterState, label: str | None = None, limit: int = MAX_FILE_NAME) -> str:
    """What the image shows, as a safe file name of at most `limit` characters:
    contested-regions[_UA-43-UA-14]_2023-02-28[_event-id].

    A name that would be longer is cut and ends in a hash of the whole, so
    different long names stay different.
    """
    parts = ["contested-regions"]
    if state.regions:
        parts.append("-".join(state.regions))
    parts.append(state.date_to.isoformat())
    label = re.sub(r"[^A-Za-z0-9-]", "", label or "").strip("-")
    if label:
        parts.append(label)
    stem = re.sub(r"[^A-Za-z0-9_.-]", "", "_".join(parts))
    if len(stem) > limit:
        digest = hashlib.sha256(stem.encode()).hexdigest()[:8]
        stem = f"{stem[:limit - len(digest) - 1]}-{digest}"
    return stem


def file_name(state: FilterState, options: ImageOptions, label: str | None = None) -> str:
    """`label` (an event id in `--each-event` batches) says which event the image is for."""
    return f"{file_stem(state, label, MAX_FILE_NAME - len(options.format) - 1)}.{options.format}"


def default_title(data: Dataset, state: FilterState, text: Text) -> str:
    where = ", ".join(data.region_name(c, text.lang) for c in state.regions) or text("export.default_where")
    return text("export.default_title", where=where, day=text.day(state.date_to))


def image_title(data: Dataset, state: FilterState, options: ImageOptions, text: Text) -> str:
    """The title drawn in the image (and a PDF's document title), as plain text."""
    return options.title or default_title(data, state, text)


@functools.lru_cache(maxsize=8)
def _export_template(layers: RegionLayers, text: Text) -> dict[str, Any]:
    """The export figure as a plain dict, built once per language: geometry and layout never change.

    Building and validating a go.Figure with the geometry costs about 100 ms;
    copying this dict and setting what a state changes costs well under 1 ms.
    Treat the result as read-only.
    """
    return build_export_map(layers, ContestedView(), text, title="", attribution="").to_dict()


def attribution(data: Dataset, state: FilterState, text: Text, control_day: dt.date | None = None) -> str:
    """Boundaries, the publishers whose records decide the statuses shown, the control layer's
    source and snapshot when it is drawn, and what a status means."""
    deciding = {i for s in data.status_at(state.date_to, state.enrichment).values() for i in s.decided_by}
    claims = (data.claims.get(i) for i in deciding)
    # Plotly reads a subset of HTML in text: data and user text are escaped so they print as written.
    publishers = sorted({plotly_text(c.source.publisher) for c in claims if c is not None})
    claims_note = (text("export.claims_from", publishers=", ".join(publishers)) if publishers
                   else text("export.no_declaration"))
    # A date past the data shows the last known state; say so on the (short) first line.
    end = data.axis.records_end
    data_end = text("export.records_end", end=text.day(end)) if state.date_to > end else ""
    lines = [f"{plotly_text(text('footer.boundaries'))}{data_end}", claims_note.strip()]
    control = data.control
    if control_day is not None and control is not None:
        lines.append(plotly_text(text("control.export_note", source=control.source.credit, licence=control.licence,
                                      snapshot=snapshot_words(text, control_day, state.date_to)).strip()))
    sources = data.control_sources or ((control,) if control is not None else ())
    if control_day is None and sources and needs_coverage(sources, state.date_to):
        lines.append(plotly_text(coverage_sentence(text, sources)))
    lines.append(text("export.attribution", claims="").strip())
    # One fact a line: a long single line runs off narrow images.
    return "<br>".join(lines)


def image_figure(data: Dataset, state: FilterState, options: ImageOptions, text: Text,
                 control: bool = True) -> dict[str, Any]:
    """The figure (as a dict) an export renders for a filter state: the dashboard's view of it,
    with the control layer when `control` is on and a snapshot exists on or before the day."""
    view = contested_view(data, state)
    template = _export_template(data.layers, text)
    traces = list(template["data"])
    contested, others = trace_index(template, CONTESTED_UID), trace_index(template, OTHERS_UID)
    traces[contested] = {**traces[contested], **contested_props(data.layers, view, text)}
    traces[others] = {**traces[others], **other_props(data.layers, view)}
    geometry = data.control.geometry if data.control is not None else None
    layer = control_layer(geometry, state.date_to, control, for_export=True)
    for uid, props in layer.props.items():
        index = trace_index(template, uid)
        traces[index] = {**traces[index], **props}
    control_day = layer.snapshot if control else None
    key = plotly_text(text("control.legend", source=data.control.source_name,
                           snapshot=snapshot_words(text, control_day, state.date_to))) \
        if control_day is not None and data.control is not None else ""
    layout = dict(template["layout"])
    layout["title"] = {**layout["title"], "text": plotly_text(image_title(data, state, options, text))}
    layout["annotations"] = [
        {**note, "text": attribution(data, state, text, control_day)} if note.get("name") == ATTRIBUTION_NAME
        else {**note, "text": key, "visible": bool(key)} if note.get("name") == CONTROL_KEY_NAME
        else note
        for note in layout["annotations"]]
    layout["shapes"] = [{**shape, "visible": bool(key)} if shape.get("name") == CONTROL_KEY_NAME else shape
                        for shape in layout["shapes"]]
    # The change over the range (`state.change`: URL change=yes, `--change-layer`), with its two keys.
    changed = change_layer(geometry, state.date_from, state.date_to, state.change, for_export=True)
    for uid, props in changed.props.items():
        index = trace_index(template, uid)
        traces[index] = {**traces[index], **props}
    words = change_keys(data.control, changed, text, state.date_from, state.date_to) if state.change else {}
    layout["annotations"] = [{**note, "text": words.get(note["name"], ""), "visible": note["name"] in words}
                             if note.get("name") in (TAKEN_KEY_NAME, LOST_KEY_NAME) else note
                             for note in layout["annotations"]]
    # The swatches only beside a drawn change (else the words say why nothing is drawn).
    layout["shapes"] = [{**shape, "visible": changed.drawn and shape["name"] in words}
                        if shape.get("name") in (TAKEN_KEY_NAME, LOST_KEY_NAME) else shape
                        for shape in layout["shapes"]]
    if words:  # the keys take a strip under the map
        geo = layout["geo"]
        layout["geo"] = {**geo, "domain": {**geo["domain"], "y": [MAP_BOTTOM, geo["domain"]["y"][1]]}}
    return {"data": traces, "layout": layout}
