"""Control import speed: all daily files into an empty cache, and one new day into a full one.

    python -m benchmarks.control [--runs 3] [--daily ../shared/data/deepstate-daily]

Targets: importing the 766 daily files <= 30 s, one new day <= 1 s, on 2 cores.
Both go through the real path: read, classify, shares, simplify, atomic cache commit.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAILY = REPO.parent / "shared" / "data" / "deepstate-daily"


def _import(paths: list[Path], cache_dir: Path) -> int:
    from dashboard.core.control_sources import ControlSource
    from dashboard.sources.control_cache import ControlCache
    from dashboard.sources.control_import import import_paths, share_units

    cache = ControlCache(cache_dir)
    result = import_paths(paths, units=share_units(), known_days=cache.days(), report=lambda m: None)
    if result.days:
        cache.commit(
            result.shares, result.geometry, source=ControlSource("benchmark", "test-only"), places=result.places
        )
    return len(result.days)


def run(runs: int = 3, daily: Path = DAILY, quick: bool = False) -> dict[str, float]:
    """Medians in seconds; {} when the daily archive is not there."""
    if not daily.is_dir():
        print(f"  control: {daily} not found, skipped", flush=True)
        return {}
    from dashboard.sources.control_import import share_units

    share_units()  # the units' projection and coastal bands are built once per process, not per import
    files = sorted(daily.glob("deepstatemap_data_*.geojson"))
    if quick:
        files = files[:20]
    full, new_day = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            folder = Path(tmp) / f"daily{i}"
            folder.mkdir()
            for path in files[:-1]:
                (folder / path.name).symlink_to(path)
            cache_dir = Path(tmp) / f"cache{i}"
            started = time.perf_counter()
            _import([folder], cache_dir)
            full.append(time.perf_counter() - started)
            (folder / files[-1].name).symlink_to(files[-1])
            started = time.perf_counter()
            added = _import([folder], cache_dir)
            new_day.append(time.perf_counter() - started)
            assert added == 1
            shutil.rmtree(cache_dir)
    return {
        "control_import_all_s": statistics.median(full),
        "control_import_files": float(len(files) - 1),
        "control_new_day_s": statistics.median(new_day),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.control", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--daily", type=Path, default=DAILY)
    args = parser.parse_args()
    for key, value in run(args.runs, args.daily).items():
        print(f"{key}: {value:.3f}")


if __name__ == "__main__":
    main()
