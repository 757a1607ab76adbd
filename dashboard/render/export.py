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
  so a failed export leaves no partial file. Only a regular file or a new path
  is ever replaced (never a FIFO, device or symlink), and files get the user's
  umask like any other new file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import math
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashboard.core.errors import DashboardError
from dashboard.render.browser import CLEANUP_SECONDS, BrowserSession, BrowserTimeout
from dashboard.render.map_figure import (ATTRIBUTION, CONTESTED_TRACE, OTHERS_TRACE, ContestedView, build_export_map,
                               contested_props, other_props)
from dashboard.render.image_check import RASTER_FORMATS, RENDERER_MAX_PIXELS, canvas_size, check_image
from dashboard.sources.geodata import RegionLayers
from dashboard.sources.paths import assets_dir
from dashboard.core.filters import FilterState, format_day
from dashboard.core.views import contested_view

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from dashboard.web.app import AppData

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


def event_days(claims: "pd.DataFrame") -> list[tuple[dt.date, str]]:
    """One (day, event id) per dated event, for `export --each-event`, in date order.

    An event and the records that `refines` it are one occurrence (as in
    dashboard/status.py), named by the event it refines. Its day is the end
    of the narrowest window among them, chosen as the status rule chooses:
    the exact day where any of them gives one (2014-03-18 for "in 2014"),
    otherwise the end of the event's window (the first day by which it had
    certainly happened).
    """
    events = claims[claims["kind"] == "event"]
    present = set(events["id"])
    groups: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for row in events.itertuples(index=False):
        root = row.refines if isinstance(row.refines, str) and row.refines in present else row.id
        groups.setdefault(root, []).append((_as_date(row.start), _as_date(row.end)))
    days = []
    for root, windows in groups.items():
        _, end = min(windows, key=lambda w: (w[1] - w[0], -w[0].toordinal()))
        days.append((end, root))
    return sorted(days)


def _as_date(value: object) -> dt.date:
    import pandas as pd

    return pd.Timestamp(value).date()


def default_title(data: "AppData", state: FilterState) -> str:
    where = ", ".join(data.region_name(c) for c in state.regions) or "Contested regions of Ukraine"
    return f"{where}: status on {format_day(state.date_to)}"


def image_title(data: "AppData", state: FilterState, options: ImageOptions) -> str:
    """The title drawn in the image (and a PDF's document title), as plain text."""
    return options.title or default_title(data, state)


def _plotly_text(text: str) -> str:
    """Text Plotly prints as written: it reads <tags> and &entities; as markup, but
    does not turn &quot; back into a quote, so quotes are left alone."""
    return html.escape(text, quote=False)


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
    publishers = sorted({_plotly_text(s["publisher"]) for s in sources if s and s.get("publisher")})
    claims_note = (f"Status from records published by {', '.join(publishers)}. " if publishers else
                   "No loaded record declares an annexation by this date. ")
    # A date past the data shows the last known state; say so on the (short) first line.
    data_end = (f" Records end {format_day(data.axis.records_end)}."
                if state.date_to > data.axis.records_end else "")
    attribution = (f"{ATTRIBUTION}{data_end}<br>{claims_note}Status shows what Russia has declared, "
                   "not who controls the ground. Made with the Contested Regions Dashboard.")
    template = _export_template(data.layers, tuple(data.status_labels.items()))
    traces = list(template["data"])
    traces[CONTESTED_TRACE] = {**traces[CONTESTED_TRACE], **contested_props(data.layers, view)}
    traces[OTHERS_TRACE] = {**traces[OTHERS_TRACE], **other_props(data.layers, view)}
    layout = dict(template["layout"])
    layout["title"] = {**layout["title"], "text": _plotly_text(image_title(data, state, options))}
    annotations = list(layout["annotations"])
    annotations[-1] = {**annotations[-1], "text": attribution}  # the attribution is added last
    layout["annotations"] = annotations
    return {"data": traces, "layout": layout}


def render_image(exporter: "Exporter", data: "AppData", state: FilterState, options: ImageOptions) -> bytes:
    """The image file's bytes for a filter state, as the page and the CLI export it."""
    content = exporter.render(image_figure(data, state, options), options)
    if options.format == "pdf":
        content = set_pdf_title(content, image_title(data, state, options))
    return content


_PDF_TAIL = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_PDF_XREF = re.compile(rb"xref\r?\n0 (\d+)[ ]?\r?\n")
_PDF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \n| \r|\r\n)")
_PDF_TITLE = re.compile(rb"/Title\s*(?:\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)


def _pdf_string(text: str) -> bytes:
    if all(" " <= c <= "~" for c in text):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def set_pdf_title(pdf: bytes, title: str) -> bytes:
    """The PDF with its document title set to `title` (Chromium writes "Kaleido-fier",
    the name of kaleido's render page).

    Rewrites the /Title of the Info dictionary and shifts the cross-reference
    offsets after it. Only the simple layout Chromium (Skia) writes is
    touched: one classic xref table, no incremental updates, not linearised.
    Anything else is returned unchanged: a bogus title beats a broken file.
    """
    tail = _PDF_TAIL.search(pdf)
    if (tail is None or pdf.count(b"startxref") != 1 or pdf.count(b"%%EOF") != 1
            or b"/Linearized" in pdf[:1024]):
        return pdf
    xref_at = int(tail.group(1))
    header = _PDF_XREF.match(pdf, xref_at)
    if header is None:
        return pdf
    count, entries_at = int(header.group(1)), header.end()
    entries = [_PDF_ENTRY.match(pdf, entries_at + 20 * i) for i in range(count)]
    trailer_at = entries_at + 20 * count
    info = re.search(rb"/Info\s+(\d+)\s+0\s+R", pdf[trailer_at:tail.start()])
    if (not all(entries) or not pdf[trailer_at:tail.start()].lstrip().startswith(b"trailer")
            or info is None or not int(info.group(1)) < count):
        return pdf
    number = int(info.group(1))
    entry = entries[number]
    assert entry is not None
    start = int(entry.group(1))
    if entry.group(3) != b"n" or not pdf.startswith(b"%d 0 obj" % number, start):
        return pdf
    end = pdf.find(b"endobj", start)
    body = pdf[start:end]
    titles = list(_PDF_TITLE.finditer(body))
    if end < 0 or end > xref_at or b"stream" in body or len(titles) > 1 or b"<<" not in body:
        return pdf
    new_title = b"/Title " + _pdf_string(title)
    if titles:
        new_body = body[:titles[0].start()] + new_title + body[titles[0].end():]
    else:
        opening = body.index(b"<<") + 2
        new_body = body[:opening] + new_title + b"\n" + body[opening:]
    delta = len(new_body) - len(body)
    shifted = b"".join(
        b"%010d %s %s%s" % (int(m.group(1)) + delta if m.group(3) == b"n" and int(m.group(1)) > start
                            else int(m.group(1)), m.group(2), m.group(3), m.group(0)[18:])
        for m in entries if m is not None)
    return (pdf[:start] + new_body + pdf[end:entries_at] + shifted + pdf[trailer_at:tail.start(1)]
            + str(xref_at + delta).encode("ascii") + pdf[tail.end(1):])


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
            # Whatever failed (a killed browser or renderer shows up as many different
            # errors, some while its process still runs), the next export gets a fresh
            # browser: a cold start costs two seconds, a suspect one can hang.
            stopped = self._session is None or not self._session.process_running()
            self._reset()
            what = "the export browser stopped" if stopped else "the export browser failed"
            raise DashboardError(f"image export failed: {what} ({message}); "
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


def _lstat(path: Path, doing: str) -> os.stat_result | None:
    """The path's own status (a symlink is not followed), or None when nothing is there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise DashboardError(f"{doing} {path}: a parent of it is not a directory") from None
    except OSError as exc:
        raise DashboardError(f"{doing} {path}: {exc.strerror}") from None


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISREG, "a regular file")):
        if test(mode):
            return name
    return "a special file"


def check_writable_dir(directory: Path) -> None:
    try:
        is_dir = stat.S_ISDIR(os.stat(directory).st_mode)
    except FileNotFoundError:
        raise DashboardError(f"output directory {directory} does not exist") from None
    except NotADirectoryError:
        raise DashboardError(f"output directory {directory}: a parent of it is not a directory") from None
    except OSError as exc:
        raise DashboardError(f"output directory {directory}: {exc.strerror}") from None
    if not is_dir:
        raise DashboardError(f"output directory {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise DashboardError(f"output directory {directory} is not writable")


def check_target(path: Path) -> None:
    """`path` may be written: a new name or a regular file, checked without following symlinks.

    Renaming over a FIFO, device or symlink would replace the node itself (as
    root, `-o /dev/null` would replace the system's /dev/null).
    """
    info = _lstat(path, "cannot write")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise DashboardError(f"refusing to replace {path}: it is {_kind(info.st_mode)}, "
                             "not a regular file")


def check_output_file(path: Path) -> None:
    """Everything that can be checked before a render: the directory, then the file."""
    check_writable_dir(path.parent)
    check_target(path)


def make_output_dir(directory: Path) -> None:
    """A batch's -o: an existing directory (or a symlink to one), else made here (not its parents)."""
    info = _lstat(directory, "cannot use output directory")
    if info is None:
        try:
            os.mkdir(directory)
        except FileNotFoundError:
            raise DashboardError(f"cannot create output directory {directory}: "
                                 f"{directory.parent} does not exist") from None
        except OSError as exc:
            raise DashboardError(f"cannot create output directory {directory}: {exc.strerror}") from None
    elif stat.S_ISLNK(info.st_mode) and not directory.is_dir():
        raise DashboardError(f"output directory {directory} is a symbolic link to "
                             f"{'nothing' if not directory.exists() else 'something that is not a directory'}")
    elif not stat.S_ISLNK(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise DashboardError(f"output {directory} is not a directory (it is {_kind(info.st_mode)}); "
                             "with --dates or --each-event, -o names a directory")
    check_writable_dir(directory)


def _umask() -> int:
    """The process umask, read without changing it where Linux allows (os.umask is
    process-wide, and the server writes nothing else, but other threads may)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a partial file."""
    check_output_file(path)
    try:
        # The name is cut so a long (valid) target name cannot make the temporary one too long.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise DashboardError(f"cannot write {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; an export is an ordinary new file
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        check_target(path)  # again, just before the rename
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DashboardError(f"cannot write {path}: {exc.strerror}") from None
        raise


def export_batch(data: "AppData", exporter: Exporter, states: Sequence[FilterState],
                 options: ImageOptions, directory: Path,
                 progress: Callable[[Path], None] | None = None,
                 labels: Sequence[str | None] | None = None) -> list[Path]:
    """One image per state into `directory`, named by what it shows (and by `labels`,
    such as event ids, when given); one warm browser for all."""
    check_writable_dir(directory)
    root = directory.resolve()
    targets: list[Path] = []
    for state, label in zip(states, labels or [None] * len(states), strict=True):
        name = file_name(state, options, label) if label else file_name(state, options)
        if Path(name).name != name or name.startswith("."):  # names come from data: never trust a join
            raise DashboardError(f"refusing to write outside {root}: {name!r}")
        targets.append(root / name)
    for target in targets:  # every name, before the first render (not resolved: a link is refused)
        check_target(target)
    written: list[Path] = []
    for state, target in zip(states, targets):
        write_atomic(target, render_image(exporter, data, state, options))
        written.append(target)
        if progress:
            progress(target)
    return written
