"""Rendering figures to PNG, SVG or PDF bytes through kaleido and a local Chromium.

- Offline: plotly.js is read from a local file (the page's own partial bundle,
  assets/plotly, so the image draws what the page draws; without one, the full
  bundle of the plotly package), MathJax is off, and the basemap topojson is
  read from a local folder (never a CDN).
- Serialised: one kaleido browser renders one figure at a time (several at
  once hand one caller another caller's image: upstream, plotly/Kaleido issue 444), so
  every render holds the Exporter's lock.
- Bounded: every render has a timeout; a browser that hangs or dies is killed
  and replaced (browser.py), and every image is checked before anyone writes
  or sends it (image_check.py).
"""

from __future__ import annotations

import math
import os
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashboard.core.dataset import Dataset
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.render.browser import CLEANUP_SECONDS, BrowserSession, BrowserTimeout
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions, image_title
from dashboard.render.image_check import check_image
from dashboard.render.pdf_title import set_pdf_title
from dashboard.text import Text

if TYPE_CHECKING:
    import plotly.graph_objects as go

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = (
    "image export needs Chrome or Chromium and none was found{detail}; install it "
    "(Debian/Ubuntu: apt-get install chromium) or set BROWSER_PATH. In the dashboard, "
    "the map toolbar's camera button still downloads a PNG from your browser"
)

#: Seconds one export may take, browser start included, before it is abandoned and the
#: browser reset (Exporter's default; tests pass a few seconds).
DEFAULT_TIMEOUT = 60.0
#: Seconds a warm browser's page gets to answer a ping before an export trusts it.
PROBE_SECONDS = 5.0


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


class Exporter:
    """Renders figures to bytes with one warm Chromium, one render at a time, each within `timeout`.

    A render that takes longer (a hung or killed browser) raises a one-line
    DashboardError, and the browser is killed and started afresh for the next
    export, which is also how a browser that died between exports is replaced.
    The lock is held for at most one render plus its cleanup, so a waiting
    caller is never stuck behind a dead browser.
    """

    def __init__(self, topojson_dir: Path, timeout: float = DEFAULT_TIMEOUT, plotlyjs: Path | None = None) -> None:
        """`topojson_dir`: the basemap's topojson files (assets/topojson), read from disk, never a CDN;
        `plotlyjs`: the plotly.js file to render with (None: the plotly package's full bundle)."""
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, (int, float))
            or not math.isfinite(timeout)
            or timeout <= 0
        ):
            raise ValueError(f"export timeout must be a positive number of seconds, got {timeout!r}")
        self._timeout = float(timeout)
        # One browser per Exporter, so a per-instance lock keeps its renders apart.
        self._lock = threading.Lock()
        self._session: BrowserSession | None = None
        self._topojson = Path(topojson_dir).resolve().as_uri() + "/"
        self._plotlyjs = Path(plotlyjs).resolve() if plotlyjs is not None else None

    def render(self, figure: go.Figure | dict[str, Any], options: ImageOptions) -> bytes:
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
            return session.calc(
                spec,
                {"format": options.format, "width": options.width, "height": options.height, "scale": options.scale},
                self._topojson,
                _seconds_left(deadline),
            )
        except BrowserTimeout:
            self._reset()
            raise DashboardError(
                f"image export timed out after {self._timeout:g} s; the export browser was reset, try again"
            ) from None
        except DashboardError:
            raise
        except Exception as exc:  # noqa: BLE001 - kaleido and choreographer raise many unrelated types
            if type(exc).__name__ == "ChromeNotFoundError":
                self._reset()
                raise DashboardError(NO_BROWSER.format(detail="")) from None
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            # Whatever failed (a killed browser or renderer shows up as many different
            # errors, some while its process still runs), the next export gets a fresh
            # browser: a cold start costs two seconds, a suspect one can hang.
            stopped = self._session is None or not self._session.process_running()
            self._reset()
            what = "the export browser stopped" if stopped else "the export browser failed"
            raise DashboardError(f"image export failed: {what} ({message}); it was reset, try again") from None

    def _ready_session(self, deadline: float) -> BrowserSession:
        """The running browser, replaced first if it died or its page stopped answering since the last export."""
        if self._session is not None and not self._session.healthy(min(PROBE_SECONDS, _seconds_left(deadline))):
            self._reset()
        if self._session is None:
            require_browser()
            try:
                import kaleido  # noqa: F401
            except ImportError:
                raise DashboardError(
                    "image export needs the Python package kaleido: pip install 'kaleido>=1.0'"
                ) from None
            self._session = BrowserSession.start(_seconds_left(deadline), self._plotlyjs)
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


def render_image(
    exporter: Exporter, data: Dataset, state: FilterState, options: ImageOptions, text: Text, control: bool = True
) -> bytes:
    """The image file's bytes for a filter state, as the page and the CLI export it
    (with the control layer when `control` is on and control data is loaded)."""
    content = exporter.render(image_figure(data, state, options, text, control), options)
    if options.format == "pdf":
        content = set_pdf_title(content, image_title(data, state, options, text))
    return content
