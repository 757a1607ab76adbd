"""Image export when things go wrong: a killed or hung browser, an image too big to draw,
a corrupt render.

The browser tests kill the Chromium processes this test process started (found in /proc),
as a user or the OOM killer would, and then ask for another image.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions
from dashboard.render.exporter import Exporter
from dashboard.testing import needs_export_browser, new_exporter
from dashboard.text import text_for

REPO = Path(__file__).resolve().parents[1]
Image = pytest.importorskip("PIL.Image")
kaleido = pytest.importorskip("kaleido")

#: The export timeout the tests give the Exporter: long enough for a cold start and a
#: render on a busy machine, short enough that the hang tests finish.
TIMEOUT = 15.0
#: How long a test waits for an export call to come back before calling it hung.
HUNG_AFTER = 2 * TIMEOUT + 30


needs_browser = needs_export_browser


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture
def exporter() -> Iterator[Exporter]:
    needs_browser()
    instance = new_exporter(timeout=TIMEOUT)
    yield instance
    instance.close()


# --- processes --------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def chromium_pids(renderers_only: bool = False) -> list[int]:
    """Chromium processes below this test process (Chromium rewrites its argv into one string)."""
    tree, found, stack = _children(), [], [os.getpid()]
    while stack:
        for pid in tree.get(stack.pop(), []):
            stack.append(pid)
            command = _cmdline(pid)
            if "chromium" in command.split(" ", 1)[0] and (not renderers_only or "--type=renderer" in command):
                found.append(pid)
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def wait_for_event(event: threading.Event, seconds: float, what: str) -> None:
    if not event.wait(seconds):
        pytest.fail(f"gave up after {seconds} s waiting for {what}")


def wait_for_exit(pids: list[int], seconds: float) -> None:
    """Block until every process has exited (a pidfd becomes readable then): no polling."""
    deadline = time.monotonic() + seconds
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue  # already gone
        try:
            ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
            if not ready and not _gone(pid):
                pytest.fail(f"Chromium process {pid} still running {seconds} s after SIGKILL")
        finally:
            os.close(fd)


def kill_browser(renderers_only: bool) -> None:
    """SIGKILL the export browser's processes (or only its renderers) and wait until they are gone."""
    pids = chromium_pids(renderers_only)
    assert pids, "no Chromium processes to kill: the export browser is not running"
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    wait_for_exit(pids, 10)


# --- exports ----------------------------------------------------------------------------


def call_with_deadline(fn: Callable[[], bytes]) -> bytes | BaseException:
    """Run fn in a thread; a call still running after HUNG_AFTER fails the test (it hung)."""
    outcome: list[bytes | BaseException] = []

    def run() -> None:
        try:
            outcome.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HUNG_AFTER)
    if thread.is_alive():
        pytest.fail(f"the export hung: no answer after {HUNG_AFTER} s")
    return outcome[0]


def export(data, exporter: Exporter) -> Callable[[], bytes]:
    options = ImageOptions(width=600, height=400)
    state = FilterState(data.axis.first_day, data.axis.last_day)
    return lambda: exporter.render(image_figure(data, state, options, text_for()), options)


def assert_valid_png(content: bytes | BaseException) -> None:
    assert isinstance(content, bytes), f"export failed: {content!r}"
    image = Image.open(io.BytesIO(content))
    image.load()
    assert image.size == (600, 400)


def assert_one_line_error(outcome: bytes | BaseException, *fragments: str) -> None:
    assert isinstance(outcome, DashboardError), f"expected a DashboardError, got {outcome!r}"
    message = str(outcome)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


class PausedRender:
    """Once armed, the next render pauses inside kaleido until the test says go: a kill then lands mid-export."""

    def __init__(self) -> None:
        self.armed, self.started, self.go = threading.Event(), threading.Event(), threading.Event()


@pytest.fixture
def paused_render(monkeypatch) -> Iterator[PausedRender]:
    pause = PausedRender()
    original = kaleido.Kaleido.calc_fig

    async def calc_fig(self, *args, **kwargs):
        if pause.armed.is_set() and not pause.started.is_set():
            pause.started.set()
            await asyncio.get_running_loop().run_in_executor(None, pause.go.wait, HUNG_AFTER)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(kaleido.Kaleido, "calc_fig", calc_fig)
    yield pause
    pause.go.set()


@pytest.mark.slow
@pytest.mark.parametrize("renderers_only", [False, True], ids=["all", "renderers"])
def test_export_after_browser_killed_between_exports(data, exporter, renderers_only):
    assert_valid_png(call_with_deadline(export(data, exporter)))
    kill_browser(renderers_only)
    assert_valid_png(call_with_deadline(export(data, exporter)))
    assert_valid_png(call_with_deadline(export(data, exporter)))


@pytest.mark.slow
@pytest.mark.parametrize("renderers_only", [False, True], ids=["all", "renderers"])
def test_export_after_browser_killed_mid_export(data, exporter, paused_render, renderers_only):
    assert_valid_png(call_with_deadline(export(data, exporter)))  # a warm browser
    paused_render.armed.set()
    outcome: list[bytes | BaseException] = []
    worker = threading.Thread(target=lambda: outcome.append(call_with_deadline(export(data, exporter))))
    worker.start()
    wait_for_event(paused_render.started, HUNG_AFTER, "the export to start")
    kill_browser(renderers_only)
    paused_render.go.set()
    worker.join(HUNG_AFTER + 5)
    assert outcome, "the export under way when the browser died did not come back"
    assert_one_line_error(outcome[0], "image export", "try again")
    assert_valid_png(call_with_deadline(export(data, exporter)))


@pytest.mark.slow
def test_timeout_releases_the_lock_for_the_next_export(data, exporter, paused_render):
    """A hung render times out, and a second caller waiting behind it gets its image."""
    paused_render.armed.set()
    outcomes: dict[str, bytes | BaseException] = {}

    def run(name: str) -> None:
        outcomes[name] = call_with_deadline(export(data, exporter))

    first = threading.Thread(target=run, args=("first",))
    first.start()
    wait_for_event(paused_render.started, HUNG_AFTER, "the first export to start")
    kill_browser(renderers_only=True)  # the render now hangs: a renderer that never answers
    paused_render.go.set()
    second = threading.Thread(target=run, args=("second",))
    second.start()
    first.join(HUNG_AFTER + 5)
    second.join(HUNG_AFTER + 5)
    assert_one_line_error(outcomes.get("first"), f"timed out after {TIMEOUT:g} s", "try again")
    assert_valid_png(outcomes.get("second"))


def test_exporter_timeout_is_checked():
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            new_exporter(timeout=bad)


# --- sizes past the renderer's limit and corrupt images (item 5) ------------------------


@pytest.mark.export
@pytest.mark.slow
def test_cli_refuses_an_image_too_big_to_draw(tmp_path):
    needs_browser()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "export",
            "--width",
            "8000",
            "--height",
            "8000",
            "--scale",
            "8",
            "-o",
            str(tmp_path / "h.png"),
        ],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "268,435,456" in lines[0] and "4,096,000,000" in lines[0], lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"width": 8000, "height": 8000, "scale": 8},
        {"width": 8000, "height": 8000, "scale": 2.05},
        {"width": 8000, "height": 4000, "scale": 3},
    ],
)
def test_image_options_refuse_past_the_renderer_limit(kwargs):
    with pytest.raises(DashboardError, match=r"more than the renderer's limit of 268,435,456 \(2\^28\)") as info:
        ImageOptions(**kwargs)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"width": 8000, "height": 8000, "scale": 2.048},  # 16,384 × 16,384: exactly the limit
        {"format": "svg", "width": 8000, "height": 8000, "scale": 8},  # vector formats have no canvas
        {"format": "pdf", "width": 8000, "height": 8000, "scale": 8},
    ],
)
def test_image_options_accept_up_to_the_limit(kwargs):
    ImageOptions(**kwargs)


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_check_image_accepts_good_images():
    from dashboard.render.image_check import check_image

    check_image(png_bytes(1200, 800), ImageOptions())
    check_image(png_bytes(499, 301), ImageOptions(width=333, height=201, scale=1.5))  # the canvas rounds down
    check_image(
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"/>',
        ImageOptions(format="svg"),
    )
    check_image(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", ImageOptions(format="pdf"))


_GOOD_PNG = png_bytes(1200, 800)


@pytest.mark.parametrize(
    "fmt, content, fragment",
    [
        ("png", b"u\xabZ", "not a PNG"),  # what Chromium hands back past its canvas limit
        ("png", b"", "empty"),
        ("png", _GOOD_PNG[:-12], "truncated"),
        ("png", _GOOD_PNG[: len(_GOOD_PNG) // 2], "truncated"),
        ("png", png_bytes(1200, 799), "1200 × 799"),
        ("png", _GOOD_PNG[:20] + b"\xff" + _GOOD_PNG[21:], "damaged"),
        ("svg", b"<svg><g></svg>", "not valid SVG"),
        ("svg", b"<html><body/></html>", "not valid SVG"),
        ("svg", b"u\xabZ", "not valid SVG"),
        ("pdf", b"u\xabZ", "not a PDF"),
        ("pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "not a PDF"),
    ],
)
def test_check_image_rejects_corrupt_render(fmt, content, fragment):
    from dashboard.render.image_check import check_image

    with pytest.raises(DashboardError, match="image export failed") as info:
        check_image(content, ImageOptions(format=fmt))
    message = str(info.value)
    assert "\n" not in message and fragment in message, message


@pytest.mark.slow
def test_corrupt_render_is_refused_not_returned(data, exporter, monkeypatch):
    """What Chromium returns past its canvas limit never reaches a file or the page."""

    async def corrupt(self, *args, **kwargs):
        return b"u\xabZ"

    monkeypatch.setattr(kaleido.Kaleido, "calc_fig", corrupt)
    outcome = call_with_deadline(export(data, exporter))
    assert_one_line_error(outcome, "image export failed", "not a PNG")
