"""The control cache: incremental, atomic, corrupt files; the bundled layer; the coastline rule on real days."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dashboard.core.control_sources import ControlSource
from dashboard.core.errors import DataError
from dashboard.sources import control_formats, control_import
from dashboard.sources.control_cache import ControlCache, default_control_dir, load_control
from dashboard.sources.control_import import import_paths, share_units
from dashboard.sources.paths import bundled_control_dir
from tests.control_helpers import DAILY, REPO, copy_daily, need_shared


@pytest.fixture(scope="module")
def units():
    return share_units()


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _import_into(cache_dir: Path, paths: list[Path], units) -> control_import.ImportResult:
    cache = ControlCache(cache_dir)
    result = import_paths(paths, units=units, known_days=cache.days(), report=lambda m: None)
    if result.days:
        cache.commit(result.shares, result.geometry, source=ControlSource("test", "test-only"))
    return result


def test_incremental_import_reads_only_new_files_and_keeps_old_rows(units, tmp_path, monkeypatch):
    folder = copy_daily(["2024-08-16", "2024-08-17"], tmp_path / "daily")
    cache_dir = tmp_path / "cache"
    _import_into(cache_dir, [folder], units)
    before = load_control(cache_dir).shares.frame
    copy_daily(["2024-08-20"], folder)
    read: list[str] = []
    real = control_formats.read_feature_file

    def spy(path, *args, **kwargs):
        read.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(control_import, "read_feature_file", spy)
    result = _import_into(cache_dir, [folder], units)
    assert read == ["deepstatemap_data_20240820.geojson"]
    assert result.skipped == [date(2024, 8, 16), date(2024, 8, 17)]
    after = load_control(cache_dir).shares
    assert after.dates == (date(2024, 8, 16), date(2024, 8, 17), date(2024, 8, 20))
    old_rows = after.frame[after.frame["snapshot_date"] < date(2024, 8, 20)].reset_index(drop=True)
    assert old_rows.equals(before.reset_index(drop=True))
    assert len(list(cache_dir.glob("*.parquet"))) == 2  # old data files removed after the switch


def test_interrupted_import_leaves_cache_exactly_as_before(units, tmp_path, monkeypatch):
    folder = copy_daily(["2024-08-16"], tmp_path / "daily")
    cache_dir = tmp_path / "cache"
    _import_into(cache_dir, [folder], units)
    before = _snapshot(cache_dir)
    copy_daily(["2024-08-17", "2024-08-20"], folder)
    cache = ControlCache(cache_dir)
    result = import_paths([folder], units=units, known_days=cache.days(), report=lambda m: None)

    def crash():
        raise KeyboardInterrupt  # data files written, manifest not yet switched

    with pytest.raises(KeyboardInterrupt):
        cache.commit(result.shares, result.geometry, source=ControlSource("test", "test-only"), _before_manifest=crash)
    assert _snapshot(cache_dir) == before
    # Interrupted while reading files (the third file blows up): nothing is written at all.
    real = control_formats.read_feature_file
    calls = []

    def boom(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("disk pulled")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(control_import, "read_feature_file", boom)
    with pytest.raises(RuntimeError):
        _import_into(cache_dir, [folder], units)
    assert _snapshot(cache_dir) == before
    assert load_control(cache_dir).shares.dates == (date(2024, 8, 16),)


@pytest.mark.parametrize("target", ["manifest", "shares", "geometry"])
def test_corrupt_cache_file_is_one_line_naming_it(units, tmp_path, target):
    cache_dir = tmp_path / "cache"
    _import_into(cache_dir, [copy_daily(["2024-08-16"], tmp_path / "daily")], units)
    manifest = json.loads((cache_dir / "manifest.json").read_text())
    name = "manifest.json" if target == "manifest" else manifest["sources"][0]["files"][target]
    (cache_dir / name).write_bytes(b"PAR1 not really" if target != "manifest" else b'{"format": 1, "files"')
    with pytest.raises(DataError, match=rf"control cache file .*{name} is corrupt") as info:
        load_control(cache_dir)
    assert "\n" not in str(info.value)


def test_default_control_dir_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("CONTESTED_MAP_CONTROL", str(tmp_path / "mine"))
    assert default_control_dir() == tmp_path / "mine"
    monkeypatch.delenv("CONTESTED_MAP_CONTROL")
    assert default_control_dir().name == "control" and "contested-map" in str(default_control_dir())


def test_bundled_data_is_small_complete_and_licensed():
    directory = bundled_control_dir()
    files = [p for p in directory.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 5_000_000
    names = {p.name for p in files}
    assert {"manifest.json", "NOTICE.md", "LICENSE-GPL-3.0.txt"} <= names
    notice = (directory / "NOTICE.md").read_text()
    assert "cyterat/deepstate-map-data" in notice and "GNU General Public License v3.0" in notice
    data = load_control(None)
    archive_days = sorted(
        date(int(p.name[18:22]), int(p.name[22:24]), int(p.name[24:26]))
        for p in need_shared(DAILY).glob("deepstatemap_data_*.geojson")
    )
    assert list(data.shares.dates) == archive_days
    assert data.licence.startswith("GPL-3.0") and "GNU General Public License" in data.notice
    assert data.geometry.at(archive_days[-1])[0] == archive_days[-1]
    assert not any("deepstate-raw" in p.read_text(errors="ignore") for p in files if p.suffix in (".json", ".md"))


def test_coast_rule_holds_on_every_bundled_day():
    frame = load_control(None).shares.frame.set_index("code")
    crimea = frame.loc[["UA-43", "UA-40"]]
    assert (crimea["occupied_share"] >= 0.995).all()
    assert (crimea["occupied_share_raw"] < 0.995).any()  # without the rule they would not be whole
    kherson = frame.loc["UA-65"]
    assert not kherson["coast_rule"].any() and (kherson["occupied_share"] < 0.8).all()


def test_coast_rule_on_sampled_real_daily_files(units):
    days = sorted(need_shared(DAILY).glob("deepstatemap_data_*.geojson"))[::60]
    result = import_paths(days, units=units, report=lambda m: None)
    frame = result.shares.frame.set_index("code")
    assert (frame.loc[["UA-43", "UA-40"], "occupied_share"] >= 0.995).all()
    assert (frame.loc["UA-65", "occupied_share"] == frame.loc["UA-65", "occupied_share_raw"]).all()


@pytest.mark.slow
def test_load_control_bundled_from_a_fresh_process_elsewhere(tmp_path):
    # No ../shared involved: a process started in an empty folder reads the packaged files.
    code = (
        "from dashboard.sources.control_cache import load_control; d = load_control(None); "
        "print(len(d.shares.dates), d.shares.last_day)"
    )
    env = {k: v for k, v in os.environ.items() if k != "CONTESTED_MAP_CONTROL"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, check=False, capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    count, last = run.stdout.split()
    assert int(count) > 700 and last >= "2026-08-21"
    assert str(REPO.parent / "shared") not in run.stderr
