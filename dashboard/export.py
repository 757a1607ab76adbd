"""Image export of the map: PNG, SVG or PDF through kaleido and a local Chromium.

- Offline: plotly.js comes from the plotly package, MathJax is off, and the
  basemap topojson is read from assets/topojson (never a CDN).
- Serialised: one kaleido browser renders one figure at a time (several at
  once hand one caller another caller's image, plotly/Kaleido issue 444), so
  every render holds the Exporter's lock.
- Bounded: every render has a timeout; a browser that hangs or dies is killed
  and replaced (see export_browser.py), and every image is checked before it
  is written or sent (image_check.py).
- Atomic: files are written to a temporary name beside the target and renamed,
  so a failed export leaves no partial file.
"""

from __future__ import annotations

import functools
import html
import math
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashboard.errors import DashboardError
from dashboard.export_browser import CLEANUP_SECONDS, BrowserSession, BrowserTimeout
from dashboard.figures import ATTRIBUTION, CONTESTED_TRACE, ContestedView, build_export_map, contested_props
from dashboard.image_check import RASTER_FORMATS, RENDERER_MAX_PIXELS, canvas_size, check_image
from dashboard.layers import RegionLayers
from dashboard.paths import assets_dir
from dashboard.state import FilterState, format_day
from dashboard.views import contested_view

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from dashboard.app import AppData

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

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = ("image export needs Chrome or Chromium and none was found{detail}; install it "
              "(Debian/Ubuntu: apt-get install chromium) or set BROWSER_PATH. In the dashboard, "
              "the map toolbar's camera button still downloads a PNG from your browser")

#: Seconds one export may take, browser start included, before it is abandoned and the
#: browser reset (Exporter's default; tests pass a few seconds).
DEFAULT_TIMEOUT = 60.0
#: Seconds a warm browser's page gets to answer a ping before an export trusts it.
PROBE_SECONDS = 5.0


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


def find_browser() -> str | None:
    """The Chrome/Chromium kaleido will use: BROWSER_PATH if set, else the first on PATH."""
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if os.path.isfile(override) and os.access(override, os.X_OK) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> str:
    browser = find_browser()
    if browser is None:
        override = os.environ.get("BROWSER_PATH")
        detail = f" (BROWSER_PATH={override} is not an executable file)" if override else " on PATH"
        raise DashboardError(NO_BROWSER.format(detail=detail))
    return browser


def file_stem(state: FilterState) -> str:
    """What the image shows, as a safe file name: contested-regions[_UA-43-UA-14]_2023-02-28."""
    parts = ["contested-regions"]
    if state.regions:
        parts.append("-".join(state.regions))
    parts.append(state.date_to.isoformat())
    return re.sub(r"[^A-Za-z0-9_.-]", "", "_".join(parts))


def file_name(state: FilterState, options: ImageOptions) -> str:
    return f"{file_stem(state)}.{options.format}"


def default_title(data: "AppData", state: FilterState) -> str:
    where = ", ".join(data.region_name(c) for c in state.regions) or "Contested regions of Ukraine"
    return f"{where}: status on {format_day(state.date_to)}"


@functools.lru_cache(maxsize=4)
def _export_template(layers: RegionLayers, status_labels: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The export figure as a plain dict, built once: geometry and layout never change.

    Building and validating a go.Figure with the geometry costs about 100 ms;
    copying this dict and setting what a state changes costs well under 1 ms.
    Treat the result as read-only.
    """
    view = ContestedView(status_labels=dict(status_labels))
    return build_export_map(layers, view, title="", attribution="").to_dict()


def image_figure(data: "AppData", state: FilterState, options: ImageOptions) -> dict[str, Any]:
    """The figure (as a dict) an export renders for a filter state: the dashboard's view of it."""
    statuses = data.status_at(state.date_to)
    view = contested_view(data, state)
    deciding = {i for s in statuses.values() for i in s.decided_by}
    sources = data.claims[data.claims["id"].isin(deciding)]["source"]
    # Plotly reads a subset of HTML in text: data and user text are escaped so they print as written.
    publishers = sorted({html.escape(s["publisher"]) for s in sources if s and s.get("publisher")})
    claims_note = (f"Status from records published by {', '.join(publishers)}. " if publishers else
                   "No loaded record declares an annexation by this date. ")
    attribution = (f"{ATTRIBUTION}<br>{claims_note}Status shows what Russia has declared, "
                   "not who controls the ground. Made with the Contested Regions Dashboard.")
    template = _export_template(data.layers, tuple(data.status_labels.items()))
    traces = list(template["data"])
    traces[CONTESTED_TRACE] = {**traces[CONTESTED_TRACE], **contested_props(data.layers, view)}
    layout = dict(template["layout"])
    layout["title"] = {**layout["title"], "text": html.escape(options.title or default_title(data, state))}
    annotations = list(layout["annotations"])
    annotations[-1] = {**annotations[-1], "text": attribution}  # the attribution is added last
    layout["annotations"] = annotations
    return {"data": traces, "layout": layout}


class Exporter:
    """Renders figures to bytes with one warm Chromium, one render at a time, each within `timeout`.

    A render that takes longer (a hung or killed browser) raises a one-line
    DashboardError, and the browser is killed and started afresh for the next
    export, which is also how a browser that died between exports is replaced.
    The lock is held for at most one render plus its cleanup, so a waiting
    caller is never stuck behind a dead browser.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
                or not math.isfinite(timeout) or timeout <= 0:
            raise ValueError(f"export timeout must be a positive number of seconds, got {timeout!r}")
        self._timeout = float(timeout)
        # One browser per Exporter, so a per-instance lock keeps its renders apart.
        self._lock = threading.Lock()
        self._session: BrowserSession | None = None
        self._topojson = assets_dir().joinpath("topojson").resolve().as_uri() + "/"

    def render(self, figure: "go.Figure | dict[str, Any]", options: ImageOptions) -> bytes:
        """The image, checked to be whole and of the requested size before anyone writes or sends it."""
        spec = figure if isinstance(figure, dict) else figure.to_dict()
        # Whoever holds the lock lets go within one timeout plus cleanup; waiting longer
        # means several exports are queued, and this caller should hear so, not hang.
        if not self._lock.acquire(timeout=self._timeout + 3 * CLEANUP_SECONDS):
            raise DashboardError("image export is busy with other exports; try again in a minute")
        try:
            content = self._render_locked(spec, options)
        finally:
            self._lock.release()
        check_image(content, options)
        return content

    def _render_locked(self, spec: dict[str, Any], options: ImageOptions) -> bytes:
        deadline = time.monotonic() + self._timeout
        try:
            session = self._ready_session(deadline)
            return session.calc(spec, {"format": options.format, "width": options.width,
                                       "height": options.height, "scale": options.scale},
                                self._topojson, _seconds_left(deadline))
        except BrowserTimeout:
            self._reset()
            raise DashboardError(f"image export timed out after {self._timeout:g} s; "
                                 "the export browser was reset, try again") from None
        except DashboardError:
            raise
        except Exception as exc:  # kaleido/choreographer raise many types
            if type(exc).__name__ == "ChromeNotFoundError":
                self._reset()
                raise DashboardError(NO_BROWSER.format(detail="")) from None
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if self._session is not None and self._session.process_running():
                raise DashboardError(f"image export failed: {message}") from None
            self._reset()
            raise DashboardError(f"image export failed: the export browser stopped ({message}); "
                                 "it was reset, try again") from None

    def _ready_session(self, deadline: float) -> BrowserSession:
        """The running browser, replaced first if it died or its page stopped answering since the last export."""
        if self._session is not None and not self._session.healthy(min(PROBE_SECONDS, _seconds_left(deadline))):
            self._reset()
        if self._session is None:
            require_browser()
            try:
                import kaleido  # noqa: F401
            except ImportError:
                raise DashboardError("image export needs the Python package kaleido: "
                                     "pip install 'kaleido>=1.0'") from None
            self._session = BrowserSession.start(_seconds_left(deadline))
        return self._session

    def _reset(self) -> None:
        """Kill the browser (hung, dead or suspect); the next export starts a new one."""
        session, self._session = self._session, None
        if session is not None:
            session.kill()

    def close(self) -> None:
        locked = self._lock.acquire(timeout=self._timeout + 3 * CLEANUP_SECONDS)
        try:
            session, self._session = self._session, None
            if session is not None:
                session.close()
        finally:
            if locked:
                self._lock.release()


def _seconds_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise BrowserTimeout("the export's time ran out")
    return left


def check_writable_dir(directory: Path) -> None:
    if not directory.is_dir():
        raise DashboardError(f"output directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise DashboardError(f"output directory {directory} is not writable")


def write_atomic(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a partial file."""
    check_writable_dir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise DashboardError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DashboardError(f"cannot write {path}: {exc.strerror}") from None
        raise


def export_batch(data: "AppData", exporter: Exporter, states: Sequence[FilterState],
                 options: ImageOptions, directory: Path,
                 progress: Callable[[Path], None] | None = None) -> list[Path]:
    """One image per state into `directory`, named by what it shows; one warm browser for all."""
    check_writable_dir(directory)
    root = directory.resolve()
    written: list[Path] = []
    for state in states:
        target = (root / file_name(state, options)).resolve()
        if target.parent != root:  # names come from dates, but never trust a path join
            raise DashboardError(f"refusing to write outside {root}: {target}")
        write_atomic(target, exporter.render(image_figure(data, state, options), options))
        written.append(target)
        if progress:
            progress(target)
    return written
