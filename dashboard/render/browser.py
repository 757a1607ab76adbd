"""One kaleido browser on an event loop this process owns, so every call can time out.

Why not kaleido's sync server (start_sync_server / calc_fig_sync / stop_sync_server):
calc_fig_sync waits without a timeout; between tasks its thread blocks its own
event loop on a queue, so a dead browser goes unnoticed; stop_sync_server joins
that thread, so it hangs along with the render it should stop; and it keeps the
Chromium process to itself, so nothing can kill it. When Chromium or only its
renderer was killed (by a user or the OOM killer), every later export hung.

Here the loop runs in a daemon thread of ours, each call waits on it with a
deadline, and a browser that timed out or died is killed as a whole process
group (kaleido starts Chromium in a session of its own) and replaced.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import kaleido

T = TypeVar("T")

#: How long shutting a browser down may take (close, kill, stop the loop) before it is abandoned.
CLEANUP_SECONDS = 5.0
#: How often a waiting render checks that Chromium is still running.
WATCH_SECONDS = 0.25

_log = logging.getLogger(__name__)


class BrowserTimeout(Exception):
    """A call to the browser did not finish within its time."""


class BrowserDied(Exception):
    """Chromium exited (was killed) while a call was waiting for it."""


class BrowserSession:
    """A started kaleido browser, its event loop thread, and the means to kill both."""

    def __init__(self, plotlyjs: Path | None = None) -> None:
        self._plotlyjs = plotlyjs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="export-browser", daemon=True)
        self._browser: kaleido.Kaleido | None = None

    @classmethod
    def start(cls, seconds: float, plotlyjs: Path | None = None) -> BrowserSession:
        """Start Chromium and load kaleido's page (with `plotlyjs`, else the plotly package's bundle);
        kill whatever started if it takes longer than `seconds`."""
        session = cls(plotlyjs)
        session._thread.start()
        try:
            session._call(session._open(), seconds)
        except BaseException:
            session.kill()
            raise
        return session

    async def _open(self) -> None:
        import kaleido

        # mathjax=False: kaleido would otherwise load MathJax from a CDN.
        # timeout=None: the caller's deadline bounds every call, kaleido's own 90 s would only hide it.
        # plotlyjs as (file URL, charset): how kaleido loads the plotly package's own bundle.
        plotlyjs = (self._plotlyjs.as_uri(), "utf-8") if self._plotlyjs is not None else None
        self._browser = kaleido.Kaleido(n=1, timeout=None, mathjax=False, plotlyjs=plotlyjs)
        await self._browser.open()

    def _call(self, coroutine: Coroutine[Any, Any, T], seconds: float, *, watch: bool = False) -> T:
        """Run `coroutine` on the browser's loop and wait at most `seconds` for it.

        With `watch`, also give up as soon as Chromium's process exits: a killed
        browser is reported at once, not after the whole timeout.
        """
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        deadline = time.monotonic() + seconds
        while True:
            try:
                return future.result(timeout=min(WATCH_SECONDS, max(deadline - time.monotonic(), 0)))
            except concurrent.futures.TimeoutError:
                if future.done():  # the coroutine itself raised TimeoutError
                    raise
            if time.monotonic() >= deadline:
                future.cancel()
                raise BrowserTimeout(f"no answer from the export browser within {seconds:g} s")
            if watch and not self.process_running():
                future.cancel()
                raise BrowserDied("the export browser's process exited")

    def calc(self, spec: dict[str, Any], opts: dict[str, Any], topojson: str, seconds: float) -> bytes:
        """The image bytes for one figure, or BrowserTimeout after `seconds`."""
        assert self._browser is not None, "calc() on a session that did not start"
        return self._call(self._browser.calc_fig(spec, opts=opts, topojson=topojson), seconds, watch=True)

    def process_running(self) -> bool:
        process = self._process()
        return self._thread.is_alive() and process is not None and process.poll() is None

    def healthy(self, seconds: float) -> bool:
        """Chromium is running and its page still runs JavaScript.

        A killed renderer leaves the browser process up but the page dead: a render
        sent to it never answers, so ask the page something small first.
        """
        if not self.process_running():
            return False
        try:
            return self._call(self._probe(), seconds)
        except Exception:  # noqa: BLE001 - a dead channel raises many types; any of them means not healthy
            return False

    async def _probe(self) -> bool:
        assert self._browser is not None
        tab = next(iter(self._browser.tabs.values()), None)
        if tab is None:
            return False
        reply = await tab.send_command("Runtime.evaluate", params={"expression": "6 * 7", "returnByValue": True})
        return reply.get("result", {}).get("result", {}).get("value") == 42

    def close(self) -> None:
        """Close Chromium politely, then make sure: kill what is left and stop the loop."""
        if self._browser is not None and self.process_running():
            with contextlib.suppress(Exception):
                self._call(self._browser.close(), CLEANUP_SECONDS)
        self.kill()

    def kill(self) -> None:
        """Kill Chromium's whole process group, let kaleido remove its temporary files, stop the loop.

        Every step is bounded: this runs when the browser may be hung.
        """
        process = self._process()
        if process is not None:
            _kill_process_group(process)
        if self._browser is not None and self._thread.is_alive():
            with contextlib.suppress(Exception):  # cleanup of a dead browser; failures change nothing
                self._call(self._browser.close(), CLEANUP_SECONDS)
        self._stop_loop()

    def _process(self) -> subprocess.Popen[Any] | None:
        return getattr(self._browser, "subprocess", None) if self._browser is not None else None

    def _stop_loop(self) -> None:
        if self._thread.is_alive():
            with contextlib.suppress(Exception):
                self._call(_cancel_other_tasks(), CLEANUP_SECONDS)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(CLEANUP_SECONDS)
        if self._thread.is_alive():
            _log.warning("the export browser's event loop did not stop; leaving its thread behind")
        elif not self._loop.is_closed():
            self._loop.close()


async def _cancel_other_tasks() -> None:
    """Cancel what kaleido and choreographer left running (read loops, watchdog) and let it finish."""
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=CLEANUP_SECONDS / 2)


def _kill_process_group(process: subprocess.Popen[Any]) -> None:
    """SIGKILL Chromium and every process it started (one process group), then reap it."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(CLEANUP_SECONDS)
