"""Fetch the days missing from a control cache from the public daily archive.

The only code in the project that goes online, and only when
``contested-map control update`` runs. Each day is one GET of
``url_template`` with ``{date}`` (YYYY-MM-DD) or ``{YYYYMMDD}`` filled in.
A 404 is a gap (the archive has some); a body that is not a GeoJSON with a
polygon inside Ukraine is an error naming the day, and that day never reaches
the cache. Days fetched before an error are committed (whole days only).
"""

from __future__ import annotations

import http.client
import socket
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

from dashboard.core.control import ShareUnits
from dashboard.core.errors import DashboardError, DataError
from dashboard.sources.control_cache import ControlCache
from dashboard.sources.control_formats import first_line
from dashboard.sources.control_import import DEFAULT_CONTROL_SOURCE, DEFAULT_SOURCE, import_paths

__all__ = ["DEFAULT_URL_TEMPLATE", "UpdateResult", "update_cache", "day_url", "fetch_day"]

DEFAULT_URL_TEMPLATE = ("https://raw.githubusercontent.com/cyterat/deepstate-map-data/master/data/"
                        "deepstatemap_data_{YYYYMMDD}.geojson")
RETRIES = 3
TIMEOUT_S = 30.0
MAX_BYTES = 50_000_000


class OfflineError(DashboardError):
    """The archive cannot be reached at all."""


@dataclass
class UpdateResult:
    added: list[date] = field(default_factory=list)
    gaps: list[date] = field(default_factory=list)


def day_url(template: str, day: date) -> str:
    if "{date}" not in template and "{YYYYMMDD}" not in template:
        raise DashboardError(f"--from-url {template!r} has no {{date}} or {{YYYYMMDD}} placeholder")
    return template.replace("{date}", day.isoformat()).replace("{YYYYMMDD}", day.strftime("%Y%m%d"))


def fetch_day(url: str, day: date, *, sleep: Callable[[float], None] = time.sleep,
              retries: int = RETRIES) -> bytes | None:
    """The body for `day`, None on 404; retries with backoff (0.5 s, 1 s, 2 s) on network errors."""
    last: BaseException | None = None
    for attempt in range(retries):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "contested-map control update"})
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (http/https only)
                expected = response.headers.get("Content-Length")
                body = response.read(MAX_BYTES + 1)
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
        except DataError:
            raise
        except (urllib.error.URLError, socket.timeout, http.client.HTTPException, OSError) as exc:
            last = exc
            if isinstance(exc, http.client.IncompleteRead):
                raise DataError(f"{day}: {url} sent a truncated body") from None
        if attempt + 1 < retries:
            sleep(0.5 * 2 ** attempt)
    reason = getattr(last, "reason", last)
    why = first_line(reason) if isinstance(reason, BaseException) else str(reason)
    host = urlparse(url).netloc or url
    raise OfflineError(f"cannot reach {host} after {retries} tries ({why}); are you offline? "
                       "The cache is unchanged")


def update_cache(directory: Path, *, units: ShareUnits, url_template: str = DEFAULT_URL_TEMPLATE,
                 start: date | None = None, until: date | None = None,
                 progress: Callable[[date], None] | None = None, report: Callable[[str], None] = print,
                 sleep: Callable[[float], None] = time.sleep) -> UpdateResult:
    """Fetch and import every day after the cache's last day (or from `start`) up to `until` (today)."""
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
    with tempfile.TemporaryDirectory(prefix="contested-map-update-") as tmp:
        fetched: list[Path] = []
        failure: DashboardError | None = None
        for day in wanted:
            try:
                body = fetch_day(day_url(url_template, day), day, sleep=sleep)
            except DashboardError as exc:
                failure = exc
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
                break
            fetched.append(path)
        if fetched:
            imported = import_paths(fetched, units=units, source=DEFAULT_SOURCE, report=report)
            cache.commit(imported.shares, imported.geometry, source=DEFAULT_CONTROL_SOURCE, places=imported.places)
            result.added = list(imported.days)
        if failure is not None:
            if result.added:
                report(f"added {len(result.added)} day(s) up to {result.added[-1]} before the error")
            raise failure
    return result
