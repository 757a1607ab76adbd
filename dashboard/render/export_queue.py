"""A bounded queue in front of the Exporter, for the page: at most one export renders and a few wait.

The one export browser renders one figure at a time (exporter.py), and every export the page asks
for holds one of the server's few worker threads while it renders or waits. Without a bound, a
burst of exports fills every worker and plain page requests wait behind them. `ExportQueue.admit`
lets in one export that renders plus at most `waiting` more that wait; any export past that is
refused at once with `ExportBusy` (how many are ahead), without taking the Exporter's lock or
waiting for it. The CLI renders alone and does not need it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from dashboard.core.errors import DashboardError

#: Exports that may wait behind the one rendering before more are refused.
DEFAULT_WAITING = 4


class ExportBusy(DashboardError):
    """Refused at once: `ahead` exports are rendering or waiting already."""

    def __init__(self, ahead: int) -> None:
        self.ahead = ahead
        super().__init__(f"busy: {ahead} exports ahead; try again in a moment")


class ExportQueue:
    """Admits one rendering export plus at most `waiting` waiting ones; refuses the rest without blocking."""

    def __init__(self, waiting: int = DEFAULT_WAITING) -> None:
        if isinstance(waiting, bool) or not isinstance(waiting, int) or waiting < 0:
            raise ValueError(f"waiting exports must be a whole number from 0, got {waiting!r}")
        self._limit = waiting + 1
        self._slots = threading.BoundedSemaphore(self._limit)
        self._count_lock = threading.Lock()
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Exports rendering or waiting now."""
        with self._count_lock:
            return self._admitted

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Hold a place while the body runs (the body takes the Exporter's lock itself);
        raises ExportBusy at once when every place is taken."""
        with self._count_lock:
            if not self._slots.acquire(blocking=False):
                raise ExportBusy(self._admitted)
            self._admitted += 1
        try:
            yield
        finally:
            with self._count_lock:
                self._admitted -= 1
                self._slots.release()
