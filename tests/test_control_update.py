"""`control update` against a local HTTP server on 127.0.0.1 serving real daily files."""

from __future__ import annotations

import http.server
import socket
import threading
from datetime import date
from pathlib import Path

import pytest

from dashboard.core.errors import DashboardError, DataError
from dashboard.sources.control_cache import ControlCache, load_control
from dashboard.sources import control_import
from dashboard.sources.control_import import import_paths, share_units
from dashboard.sources.control_update import update_cache
from tests.control_helpers import copy_daily, daily


class _Archive(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    truncated: set[str] = set()
    garbage: set[str] = set()
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        name = self.path.rsplit("/", 1)[-1]
        type(self).requests.append(name)
        if name in self.garbage:
            body = b"<html>rate limited</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif name in self.files:
            body = self.files[name]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if name in self.truncated else body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def archive():
    _Archive.files, _Archive.truncated, _Archive.garbage, _Archive.requests = {}, set(), set(), []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Archive)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/data/deepstatemap_data_{{YYYYMMDD}}.geojson", _Archive
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def units():
    return share_units()


def _seed(tmp_path: Path, units) -> Path:
    cache_dir = tmp_path / "cache"
    result = import_paths([copy_daily(["2024-08-15"], tmp_path / "seed")], units=units, report=lambda m: None)
    ControlCache(cache_dir).commit(result.shares, result.geometry, source=control_import.DEFAULT_CONTROL_SOURCE)
    return cache_dir


def _serve(handler, days: list[str]) -> None:
    for d in days:
        handler.files[f"deepstatemap_data_{d.replace('-', '')}.geojson"] = daily(d).read_bytes()


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_new_days_added_and_404_kept_as_gap(archive, tmp_path, units):
    url, handler = archive
    cache_dir = _seed(tmp_path, units)
    _serve(handler, ["2024-08-16", "2024-08-17", "2024-08-20"])  # 18 and 19: not in the archive
    messages: list[str] = []
    progressed: list[date] = []
    result = update_cache(cache_dir, units=units, url_template=url, until=date(2024, 8, 20),
                          report=messages.append, progress=progressed.append, sleep=lambda s: None)
    assert result.added == [date(2024, 8, 16), date(2024, 8, 17), date(2024, 8, 20)]
    assert result.gaps == [date(2024, 8, 18), date(2024, 8, 19)]
    assert any("2024-08-18: not in the archive (HTTP 404); kept as a gap" in m for m in messages)
    assert len(progressed) == 5
    shares = load_control(cache_dir).shares
    assert shares.dates == (date(2024, 8, 15), date(2024, 8, 16), date(2024, 8, 17), date(2024, 8, 20))
    assert shares.at(date(2024, 8, 19))["snapshot_date"].iloc[0] == date(2024, 8, 17)
    assert handler.requests[0] == "deepstatemap_data_20240816.geojson"  # starts after the cache's last day


@pytest.mark.parametrize("kind", ["truncated", "garbage"])
def test_bad_body_refused_naming_the_day_cache_unchanged(archive, tmp_path, units, kind):
    url, handler = archive
    cache_dir = _seed(tmp_path, units)
    _serve(handler, ["2024-08-16"])
    getattr(handler, kind).add("deepstatemap_data_20240816.geojson")
    before = _snapshot(cache_dir)
    with pytest.raises(DataError, match=r"2024-08-16") as info:
        update_cache(cache_dir, units=units, url_template=url, until=date(2024, 8, 16),
                     report=lambda m: None, sleep=lambda s: None)
    assert "\n" not in str(info.value)
    assert _snapshot(cache_dir) == before


def test_offline_is_one_line_and_cache_unchanged(tmp_path, units):
    cache_dir = _seed(tmp_path, units)
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = _snapshot(cache_dir)
    waits: list[float] = []
    with pytest.raises(DashboardError, match=r"cannot reach 127.0.0.1:\d+ after 3 tries.*offline") as info:
        update_cache(cache_dir, units=units, url_template=f"http://127.0.0.1:{port}/{{date}}.geojson",
                     until=date(2024, 8, 17), report=lambda m: None, sleep=waits.append)
    assert "\n" not in str(info.value)
    assert waits == [0.5, 1.0]  # backoff between the three tries
    assert _snapshot(cache_dir) == before


def test_empty_cache_needs_a_start(tmp_path, units):
    with pytest.raises(DashboardError, match="is empty: import files first"):
        update_cache(tmp_path / "none", units=units, url_template="http://127.0.0.1:9/{date}",
                     until=date(2024, 8, 17), sleep=lambda s: None)
