"""Two writers into one control cache at once: the lock keeps both days; orphans are removed."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dashboard.core.control_sources import ControlSource
from dashboard.core.errors import DataError
from dashboard.sources.control_cache import LOCK_FILE, ControlCache, cache_lock
from dashboard.sources.control_import import import_paths, share_units
from tests.control_helpers import REPO, copy_daily, daily

TRIALS = 5


def _import_then_commit(cache_dir: str, folder: str, barrier) -> None:
    """Read one day's file, wait for the other writer to be ready too, then commit at the same moment."""
    result = import_paths([Path(folder)], units=share_units(), report=lambda m: None)
    barrier.wait(timeout=300)
    ControlCache(Path(cache_dir)).commit(result.shares, result.geometry, source=ControlSource("test", "test-only"))


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_commits_at_once_both_keep_their_day(tmp_path, trial):
    folders = [copy_daily([day], tmp_path / day) for day in ("2024-08-16", "2024-08-17")]
    cache_dir = tmp_path / "cache"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_import_then_commit, args=(str(cache_dir), str(folder), barrier)) for folder in folders
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0]
    assert ControlCache(cache_dir).days() == [date(2024, 8, 16), date(2024, 8, 17)]
    named = {n for e in ControlCache(cache_dir).entries() for n in e["files"].values()}
    assert {p.name for p in cache_dir.glob("*.parquet")} == named  # no file of the first writer left behind


def _import(cache_dir: Path, day: str, folder: Path) -> subprocess.Popen:
    path = copy_daily([day], folder / day)
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", "control", "import", str(path), "--control", str(cache_dir), "--quiet"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
def test_two_control_imports_at_once_both_keep_their_day(tmp_path):
    daily("2024-08-16"), daily("2024-08-17")
    cache_dir = tmp_path / "cache"
    first = _import(cache_dir, "2024-08-16", tmp_path)
    second = _import(cache_dir, "2024-08-17", tmp_path)
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert all("added 1 day(s)" in out for out in outputs), outputs
    assert ControlCache(cache_dir).days() == [date(2024, 8, 16), date(2024, 8, 17)]


def test_orphaned_data_files_removed_under_the_lock(tmp_path):
    units = share_units()
    cache_dir = tmp_path / "cache"
    cache = ControlCache(cache_dir)
    source = ControlSource("test", "test-only")
    first = import_paths([copy_daily(["2024-08-16"], tmp_path / "a")], units=units, report=lambda m: None)
    cache.commit(first.shares, first.geometry, source=source)
    # What an import killed between writing its data files and switching the manifest leaves,
    # and files that only look alike (kept).
    orphans = [
        "shares-0badf00d.parquet",
        "geometry-0badf00d.parquet",
        "places-0badf00d.parquet",
        ".manifest.json.0badf00d.tmp",
    ]
    kept = ["shares-notes.txt", "my-shares-1234.parquet", "NOTICE.md"]
    for name in orphans + kept:
        (cache_dir / name).write_bytes(b"left behind")
    second = import_paths([copy_daily(["2024-08-17"], tmp_path / "b")], units=units, report=lambda m: None)
    cache.commit(second.shares, second.geometry, source=source)
    names = {p.name for p in cache_dir.iterdir()}
    assert not names & set(orphans)
    assert set(kept) <= names
    named = {n for e in cache.entries() for n in e["files"].values()}
    assert {n for n in names if n.endswith(".parquet") and n not in kept} == named
    assert cache.days() == [date(2024, 8, 16), date(2024, 8, 17)]


def test_lock_held_too_long_is_one_line_naming_cache_and_lock_file(tmp_path):
    units = share_units()
    cache_dir = tmp_path / "cache"
    result = import_paths([copy_daily(["2024-08-16"], tmp_path / "a")], units=units, report=lambda m: None)
    cache_dir.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, filelock; lock = filelock.FileLock(sys.argv[1]); lock.acquire(); "
                "print('held', flush=True); sys.stdin.read()"
            ),
            str(cache_dir / LOCK_FILE),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DataError) as info:
            ControlCache(cache_dir).commit(
                result.shares, result.geometry, source=ControlSource("test", "test-only"), lock_timeout=0.2
            )
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    message = str(info.value)
    assert "\n" not in message
    assert str(cache_dir) in message and str(cache_dir / LOCK_FILE) in message and "locked" in message
    assert not ControlCache(cache_dir).exists()  # nothing written
    with cache_lock(cache_dir, timeout=5):  # released by the holder: free again
        pass
