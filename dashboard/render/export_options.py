"""What an image export is asked for (format, size, scale, title, fit), checked on creation, and what its
file is called."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from dashboard.core.dataset import Dataset
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.core.plain_text import clean_text
from dashboard.render.image_check import RASTER_FORMATS, RENDERER_MAX_PIXELS, canvas_size
from dashboard.text import Text

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
MIN_SIZE, MAX_SIZE = 200, 8000
MIN_SCALE, MAX_SCALE = 0.5, 8.0
#: An image's size when none is given (width, height in px at scale 1).
DEFAULT_SIZE = (1200, 800)
#: Named sizes for publishing (`--preset`, and the page's size list): width, height in px at scale 1.
#: A4 landscape is 297 × 210 mm at 300 dpi.
SIZE_PRESETS: dict[str, tuple[int, int]] = {
    "social-square": (1080, 1080),
    "social-landscape": (1200, 675),
    "story": (1080, 1920),
    "a4-landscape": (3508, 2480),
}
#: Sizes offered in the dashboard (width, height in px at scale 1): plain sizes, then the named ones.
PRESETS: dict[str, tuple[int, int]] = {
    "1200x800": (1200, 800),
    "1920x1080": (1920, 1080),
    "1600x1200": (1600, 1200),
    "800x600": (800, 600),
    **SIZE_PRESETS,
}
#: What the map's view fits: the regions picked (with a margin) or the whole of Ukraine.
FITS: tuple[str, ...] = ("regions", "ukraine")
#: The region layers' units that are cities (Kyiv, Sevastopol): the places labelled until a
#: gazetteer is plugged in (`image_figure(places=...)`).
CITY_UNITS: tuple[str, ...] = ("UA-30", "UA-40")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: Longest file name an export writes (bytes, extension included): well under the usual
#: 255-byte NAME_MAX, with room for the temporary name's prefix and suffix.
MAX_FILE_NAME = 200


@dataclass(frozen=True)
class ImageOptions:
    """What the image looks like on disk; checked on creation."""

    format: str = "png"
    width: int = DEFAULT_SIZE[0]
    height: int = DEFAULT_SIZE[1]
    scale: float = 1.0
    title: str | None = None
    #: "regions", "ukraine", or None: the regions when some are picked, else Ukraine.
    fit: str | None = None

    def __post_init__(self) -> None:
        if self.fit is not None and self.fit not in FITS:
            raise DashboardError(f"unknown map fit {self.fit!r}; expected one of: {', '.join(FITS)}")
        if self.format not in FORMATS:
            raise DashboardError(f"unknown image format {self.format!r}; expected one of: {', '.join(FORMATS)}")
        for name in ("width", "height"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not MIN_SIZE <= value <= MAX_SIZE:
                raise DashboardError(
                    f"image {name} must be a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}, got {value!r}"
                )
        if (
            isinstance(self.scale, bool)
            or not isinstance(self.scale, (int, float))
            or not MIN_SCALE <= self.scale <= MAX_SCALE
        ):
            raise DashboardError(f"image scale must be from {MIN_SCALE} to {MAX_SCALE}, got {self.scale!r}")
        self._check_canvas()
        if self.title is not None and not isinstance(self.title, str):
            raise DashboardError(f"image title must be text, got {self.title!r}")
        if self.title is not None:
            # Characters XML forbids (controls, lone surrogates) would break the SVG the browser
            # draws; they are dropped, and a title of nothing but them is the default title.
            object.__setattr__(self, "title", clean_text(self.title).strip() or None)
        if self.title is not None and len(self.title) > 300:
            raise DashboardError("image title is longer than 300 characters")

    def _check_canvas(self) -> None:
        """Refuse a raster image larger than Chromium can draw: it would come back as a few bytes of nothing."""
        if self.format not in RASTER_FORMATS:
            return
        width, height = canvas_size(self.width, self.height, self.scale)
        if width * height > RENDERER_MAX_PIXELS:
            raise DashboardError(
                f"width × height × scale² = {width * height:,} pixels is more than the "
                f"renderer's limit of {RENDERER_MAX_PIXELS:,} (2^28); "
                "lower the width, height or scale"
            )


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
        stem = f"{stem[: limit - len(digest) - 1]}-{digest}"
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
