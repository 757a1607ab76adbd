"""`control update` against a local HTTP server on 127.0.0.1 serving real daily files."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import ClassVar

import pytest

from dashboard.core.errors import DashboardError, DataError
from dashboard.sources import control_import
from dashboard.sources.cache_lock import remove_stale_updates
from dashboard.sources.control_cache import ControlCache, load_control
from dashboard.sources.control_import import import_paths, share_units
from dashboard.sources.control_update import TEMP_PREFIX, update_cache
from dashboard.testing import wait_until
from tests.control_helpers import REPO, copy_daily, daily


class _Archive(http.server.BaseHTTPRequestHandler):
    files: ClassVar[dict[str, bytes]] = {}
    truncated: ClassVar[set[str]] = set()
    garbage: ClassVar[set[str]] = set()
    failing: ClassVar[set[str]] = set()  # HTTP 500 every time
    slow: ClassVar[set[str]] = set()  # a byte every 50 ms until `release` is set
    release = threading.Event()
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1]
        type(self).requests.append(name)
        if name in self.failing:
            self.send_error(500)
        elif name in self.slow:
            body = self.files[name]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            sent = 0
            while sent < len(body) and not self.release.wait(0.05):
                try:
                    self.wfile.write(body[sent : sent + 1])
                except OSError:
                    return
                sent += 1
        elif name in self.garbage:
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
    _Archive.failing, _Archive.slow, _Archive.release = set(), set(), threading.Event()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Archive)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/data/deepstatemap_data_{{YYYYMMDD}}.geojson", _Archive
    _Archive.release.set()
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
    result = update_cache(
        cache_dir,
        units=units,
        url_template=url,
        until=date(2024, 8, 20),
        report=messages.append,
        progress=progressed.append,
        sleep=lambda s: None,
    )
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
        update_cache(
            cache_dir,
            units=units,
            url_template=url,
            until=date(2024, 8, 16),
            report=lambda m: None,
            sleep=lambda s: None,
        )
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
        update_cache(
            cache_dir,
            units=units,
            url_template=f"http://127.0.0.1:{port}/{{date}}.geojson",
            until=date(2024, 8, 17),
            report=lambda m: None,
            sleep=waits.append,
        )
    assert "\n" not in str(info.value)
    assert waits == [0.5, 1.0]  # backoff between the three tries
    assert _snapshot(cache_dir) == before


def test_empty_cache_needs_a_start(tmp_path, units):
    with pytest.raises(DashboardError, match="is empty: import files first"):
        update_cache(
            tmp_path / "none",
            units=units,
            url_template="http://127.0.0.1:9/{date}",
            until=date(2024, 8, 17),
            sleep=lambda s: None,
        )


def _name(day: str) -> str:
    return f"deepstatemap_data_{day.replace('-', '')}.geojson"


def _temp_folders(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob(f"{TEMP_PREFIX}*"))


def test_failure_keeps_the_days_fetched_before_it_and_names_its_day(archive, tmp_path, units):
    url, handler = archive
    cache_dir = _seed(tmp_path, units)
    _serve(handler, ["2024-08-16", "2024-08-17"])  # the 18th: not in the shared archive, failing here
    handler.failing.add(_name("2024-08-18"))
    with pytest.raises(DashboardError) as info:
        update_cache(
            cache_dir,
            units=units,
            url_template=url,
            until=date(2024, 8, 19),
            report=lambda m: None,
            sleep=lambda s: None,
        )
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("control update stopped at 2024-08-18: cannot reach 127.0.0.1:")
    assert message.endswith("kept the 2 day(s) fetched before it (2024-08-16 to 2024-08-17)")
    assert load_control(cache_dir).shares.dates == (date(2024, 8, 15), date(2024, 8, 16), date(2024, 8, 17))
    assert _name("2024-08-19") not in handler.requests  # stopped at the failing day
    assert not _temp_folders(cache_dir)


def _cli_update(cache_dir: Path, url: str, until: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "control",
            "update",
            "--control",
            str(cache_dir),
            "--from-url",
            url,
            "--until",
            until,
            *extra,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
def test_cli_failure_exits_non_zero_in_one_line_and_keeps_the_days(archive, tmp_path, units):
    url, handler = archive
    cache_dir = _seed(tmp_path, units)
    _serve(handler, ["2024-08-16", "2024-08-17"])  # the 18th: not in the shared archive, failing here
    handler.garbage.add(_name("2024-08-18"))
    run = _cli_update(cache_dir, url, "2024-08-18")
    out, err = run.communicate(timeout=300)
    assert run.returncode == 1, (out, err)
    last = err.strip().splitlines()[-1]
    assert "control update stopped at 2024-08-18: the archive's file is not usable" in last
    assert last.endswith("kept the 2 day(s) fetched before it (2024-08-16 to 2024-08-17)")
    assert load_control(cache_dir).shares.dates == (date(2024, 8, 15), date(2024, 8, 16), date(2024, 8, 17))


@pytest.mark.slow
def test_deadline_stops_a_slow_archive_and_keeps_what_came_before(archive, tmp_path, units):
    url, handler = archive
    cache_dir = _seed(tmp_path, units)
    _serve(handler, ["2024-08-16", "2024-08-17"])
    handler.slow.add(_name("2024-08-17"))  # a byte every 50 ms: hours for the whole file
    with pytest.raises(DashboardError) as info:
        update_cache(
            cache_dir,
            units=units,
            url_template=url,
            until=date(2024, 8, 17),
            report=lambda m: None,
            sleep=lambda s: None,
            deadline=3,
        )
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("control update stopped at 2024-08-17: deadline of 3 s (--deadline) passed")
    assert message.endswith("kept the 1 day(s) fetched before it (2024-08-16 to 2024-08-16)")
    assert load_control(cache_dir).shares.dates == (date(2024, 8, 15), date(2024, 8, 16))
    assert not _temp_folders(cache_dir)


def _wait_for(condition, what: str, limit_s: float = 120.0) -> None:
    wait_until(condition, limit_s, what)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="signals sent to a child are POSIX")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_signal_removes_the_temporary_folder_and_leaves_the_cache(archive, tmp_path, units, signum, code):
    url, handler = archive
    cache_dir = _seed(tmp_path, units)
    _serve(handler, ["2024-08-16", "2024-08-17"])
    handler.slow.add(_name("2024-08-17"))
    before = _snapshot(cache_dir)
    run = _cli_update(cache_dir, url, "2024-08-17")
    try:
        _wait_for(lambda: _name("2024-08-17") in handler.requests, "the slow day's request")
        assert len(_temp_folders(cache_dir)) == 1  # the fetched day waits there
        assert (_temp_folders(cache_dir)[0] / "2024-08-16.geojson").is_file()
        run.send_signal(signum)
        out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == code, (out, err)
    assert "Traceback" not in err
    assert not _temp_folders(cache_dir)
    assert _snapshot(cache_dir) == before


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_run_killed_outright_leaves_its_folder_to_the_next_run(archive, tmp_path, units):
    url, handler = archive
    cache_dir = _seed(tmp_path, units)
    _serve(handler, ["2024-08-16", "2024-08-17"])
    handler.slow.add(_name("2024-08-17"))
    before = _snapshot(cache_dir)
    run = _cli_update(cache_dir, url, "2024-08-17")
    try:
        _wait_for(lambda: _name("2024-08-17") in handler.requests, "the slow day's request")
        [left] = _temp_folders(cache_dir)
        assert left.name.startswith(f"{TEMP_PREFIX}{run.pid}-")  # named after the run's process
        assert (left / "2024-08-16.geojson").is_file()
        run.kill()  # SIGKILL: nothing in the run can clean up
        run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == -signal.SIGKILL
    assert _temp_folders(cache_dir) == [left]
    assert {p.name: p.read_bytes() for p in sorted(cache_dir.iterdir()) if p != left} == before
    handler.slow.clear()  # the archive answers at once now
    result = update_cache(
        cache_dir, units=units, url_template=url, until=date(2024, 8, 17), report=lambda m: None, sleep=lambda s: None
    )
    assert result.added == [date(2024, 8, 16), date(2024, 8, 17)]
    assert not _temp_folders(cache_dir)
    assert load_control(cache_dir).shares.dates == (date(2024, 8, 15), date(2024, 8, 16), date(2024, 8, 17))


def test_only_the_folders_of_finished_runs_are_removed(tmp_path):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()  # reaped: its pid names no process any more
    gone = tmp_path / f"{TEMP_PREFIX}{finished.pid}-abc"
    mine = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-def"  # a run still going
    other = tmp_path / f"{TEMP_PREFIX}notapid"  # not a name update writes: left alone
    for folder in (gone, mine, other):
        folder.mkdir()
        (folder / "2024-08-16.geojson").write_text("{}", encoding="utf-8")
    assert remove_stale_updates(tmp_path) == [gone.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])
