"""Fetch the days missing from a control cache from the public daily archive.

The only code in the project that goes online, and only when
``contested-map control update`` runs. Each day is one GET of
``url_template`` with ``{date}`` (YYYY-MM-DD) or ``{YYYYMMDD}`` filled in.
A 404 is a gap (the archive has some); a body that is not a GeoJSON with a
polygon inside Ukraine is an error naming the day, and that day never reaches
the cache. Days fetched before an error are committed (whole days only) and
the error names the day it stopped at.

The whole run has a deadline (``--deadline``, seconds): no request waits past
it, and a day not fetched by then stops the run like an error. The fetched
files wait in a temporary folder ``.update-<pid>-*`` inside the cache directory,
removed when the run ends, fails or is interrupted (the command turns SIGTERM
into an exception so this happens then too). A run killed outright (SIGKILL)
cannot remove it: the next update or import does (``cache_lock.remove_stale_updates``).
"""

from __future__ import annotations

import http.client
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dashboard.core.control_measure import ShareUnits
from dashboard.core.errors import DashboardError, DataError
from dashboard.sources.cache_lock import UPDATE_PREFIX, cache_lock, remove_stale_updates, update_prefix
from dashboard.sources.control_cache import ControlCache
from dashboard.sources.control_formats import first_line
from dashboard.sources.control_import import DEFAULT_CONTROL_SOURCE, DEFAULT_SOURCE, import_paths

__all__ = [
    "DEFAULT_DEADLINE_S",
    "DEFAULT_URL_TEMPLATE",
    "TEMP_PREFIX",
    "UpdateResult",
    "day_url",
    "fetch_day",
    "update_cache",
]

DEFAULT_URL_TEMPLATE = (
    "https://raw.githubusercontent.com/cyterat/deepstate-map-data/master/data/deepstatemap_data_{YYYYMMDD}.geojson"
)
RETRIES = 3
TIMEOUT_S = 30.0
MAX_BYTES = 50_000_000
#: Default limit on a whole `control update` run (seconds).
DEFAULT_DEADLINE_S = 600.0
#: Prefix of the temporary folder (inside the cache directory) holding the fetched files.
TEMP_PREFIX = UPDATE_PREFIX
_CHUNK = 1 << 16


class OfflineError(DashboardError):
    """The archive cannot be reached at all."""


class DeadlineError(DashboardError):
    """The run's deadline passed."""


class _Deadline:
    """The moment a run must end by, on the monotonic clock."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self.at = None if seconds is None else clock() + seconds

    def left(self) -> float:
        return float("inf") if self.at is None else self.at - self.clock()

    def check(self, day: date) -> None:
        if self.left() <= 0:
            raise DeadlineError(f"deadline of {self.seconds:g} s (--deadline) passed while fetching {day}")


@dataclass
class UpdateResult:
    added: list[date] = field(default_factory=list)
    gaps: list[date] = field(default_factory=list)


def day_url(template: str, day: date) -> str:
    if "{date}" not in template and "{YYYYMMDD}" not in template:
        raise DashboardError(f"--from-url {template!r} has no {{date}} or {{YYYYMMDD}} placeholder")
    return template.replace("{date}", day.isoformat()).replace("{YYYYMMDD}", day.strftime("%Y%m%d"))


def _read_body(response: Any, day: date, deadline: _Deadline) -> bytes:
    """At most MAX_BYTES + 1 bytes, in chunks, the deadline checked between them (a server
    sending a byte now and then cannot hold the run past it)."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BYTES:
        deadline.check(day)
        chunk = response.read1(min(_CHUNK, MAX_BYTES + 1 - size))  # what has arrived, one socket read
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def fetch_day(
    url: str,
    day: date,
    *,
    sleep: Callable[[float], None] = time.sleep,
    retries: int = RETRIES,
    deadline: _Deadline | None = None,
) -> bytes | None:
    """The body for `day`, None on 404; retries with backoff (0.5 s, 1 s, 2 s) on network errors.
    No wait (connection, read, backoff) goes past `deadline`."""
    deadline = deadline or _Deadline(None)
    last: BaseException | None = None
    for attempt in range(retries):
        deadline.check(day)
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "contested-map control update"})
            timeout = max(min(TIMEOUT_S, deadline.left()), 0.01)
            with urllib.request.urlopen(request, timeout=timeout) as response:
                expected = response.headers.get("Content-Length")
                body = _read_body(response, day, deadline)
            if len(body) > MAX_BYTES:
                raise DataError(f"{day}: {url} answered more than {MAX_BYTES} bytes")
            if expected is not None and expected.isdigit() and len(body) != int(expected):
                raise DataError(f"{day}: {url} sent a truncated body ({len(body)} of {expected} bytes)")
            return body
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            if exc.code < 500:
                raise DataError(f"{day}: {url} answered HTTP {exc.code} {exc.reason}") from None
            last = exc
        except (DataError, DeadlineError):
            raise
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            last = exc
            if isinstance(exc, http.client.IncompleteRead):
                raise DataError(f"{day}: {url} sent a truncated body") from None
        if attempt + 1 < retries:
            deadline.check(day)
            sleep(min(0.5 * 2**attempt, max(deadline.left(), 0.0)))
    reason = getattr(last, "reason", last)
    why = first_line(reason) if isinstance(reason, BaseException) else str(reason)
    host = urlparse(url).netloc or url
    raise OfflineError(f"cannot reach {host} after {retries} tries ({why}); are you offline?")


def update_cache(
    directory: Path,
    *,
    units: ShareUnits,
    url_template: str = DEFAULT_URL_TEMPLATE,
    start: date | None = None,
    until: date | None = None,
    progress: Callable[[date], None] | None = None,
    report: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = DEFAULT_DEADLINE_S,
    clock: Callable[[], float] = time.monotonic,
) -> UpdateResult:
    """Fetch and import every day after the cache's last day (or from `start`) up to `until` (today),
    within `deadline` seconds (None: no limit).

    On an error (or the deadline) at some day, the days fetched before it are committed and a
    one-line DashboardError names that day and what was kept."""
    limit = _Deadline(deadline, clock)
    directory = Path(directory)
    cache = ControlCache(directory)
    days = cache.days(DEFAULT_SOURCE)
    if start is None:
        if not days:
            raise DashboardError(f"control cache {directory} is empty: import files first, or give --since")
        start = days[-1] + timedelta(days=1)
    until = until or date.today()
    wanted = [start + timedelta(days=i) for i in range((until - start).days + 1)]
    wanted = [d for d in wanted if d not in set(days)]
    result = UpdateResult()
    if not wanted:
        return result
    urllib_scheme = urlparse(url_template).scheme
    if urllib_scheme not in ("http", "https"):
        raise DashboardError(f"--from-url {url_template!r}: only http and https addresses are fetched")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"control cache {directory}: cannot create: {exc.strerror or first_line(exc)}") from None
    with cache_lock(directory):  # what an earlier run killed outright left behind
        remove_stale_updates(directory)
    # Inside the cache directory (same disk, easy to find), named after this process; removed
    # however the run ends.
    with tempfile.TemporaryDirectory(prefix=update_prefix(), dir=directory) as tmp:
        fetched: list[Path] = []
        failure: DashboardError | None = None
        failed_day: date | None = None
        for day in wanted:
            try:
                limit.check(day)
                body = fetch_day(day_url(url_template, day), day, sleep=sleep, deadline=limit)
            except DashboardError as exc:
                failure, failed_day = exc, day
                break
            finally:
                if progress:
                    progress(day)
            if body is None:
                result.gaps.append(day)
                report(f"{day}: not in the archive (HTTP 404); kept as a gap")
                continue
            path = Path(tmp) / f"{day.isoformat()}.geojson"
            path.write_bytes(body)
            try:  # check the day on its own, so a bad body names its day and never reaches the cache
                import_paths([path], units=units, report=lambda m: None)
            except DataError as exc:
                failure = DataError(f"{day}: the archive's file is not usable ({exc}); day not added")
                failed_day = day
                break
            fetched.append(path)
        if fetched:
            imported = import_paths(fetched, units=units, source=DEFAULT_SOURCE, report=report)
            cache.commit(imported.shares, imported.geometry, source=DEFAULT_CONTROL_SOURCE, places=imported.places)
            result.added = list(imported.days)
    if failure is not None and failed_day is not None:
        raise _stopped(failure, failed_day, result.added)
    return result


def _stopped(failure: DashboardError, day: date, added: list[date]) -> DashboardError:
    """One line: the day the run stopped at, why, and what the cache kept."""
    why = str(failure)
    why = why.removeprefix(f"{day}: ")
    kept = f"kept the {len(added)} day(s) fetched before it ({added[0]} to {added[-1]})" if added else "cache unchanged"
    message = f"control update stopped at {day}: {why}; {kept}"
    try:
        return type(failure)(message)  # the same kind of error (and so the same exit code)
    except TypeError:
        return DashboardError(message)
