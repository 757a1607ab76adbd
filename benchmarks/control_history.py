"""Raw-history import speed and memory: N raw DeepStateMap snapshots into an empty cache.

    python -m benchmarks.control_history [--raw-count 1000] [--workers 1 2] [--raw ../shared/data/deepstate-raw]

The N files are the six shared raw snapshots copied (hard-linked when the file system allows)
under new Unix-time names one day apart, into a temporary folder. Each worker setting runs in a
fresh child process (so its peak memory is its own) through the real path: plan, read, classify,
shares, simplified geometry, atomic cache commit. Peak memory is the child's maximum resident
set plus that of its worker processes (``resource.getrusage``; forked workers share pages with
the parent, so the sum overstates).

Targets: 1,000 raw snapshots <= 10 minutes on 2 cores, peak memory <= 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "deepstate-raw"
#: 2022-02-24 12:00 UTC: the first generated snapshot; the others follow a day apart.
FIRST_UNIX = 1_645_704_000


def generate(raw: Path, count: int, folder: Path) -> list[Path]:
    """`count` raw snapshots in `folder`, the shared ones in turn under new Unix-time names."""
    sources = sorted(raw.glob("*.geojson"))
    if not sources:
        raise SystemExit(f"no raw snapshots in {raw}")
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        target = folder / f"{FIRST_UNIX + i * 86_400}.geojson"
        try:
            os.link(sources[i % len(sources)], target)
        except OSError:
            shutil.copyfile(sources[i % len(sources)], target)
        made.append(target)
    return made


def _peak_mb() -> float:
    """Peak RSS of this process plus that of its (waited-for) children, in MB (ru_maxrss is in KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def _cpu_s() -> float:
    """User + system CPU seconds of this process and its waited-for children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(folder: Path, workers: int) -> dict[str, float]:
    """One import of `folder` into a new cache, in this process (run it in a fresh one)."""
    from dashboard.core.control_sources import ControlSource
    from dashboard.sources.control_cache import ControlCache
    from dashboard.sources.control_history import import_history
    from dashboard.sources.control_import import share_units

    units = share_units()
    files = len(list(folder.glob("*.geojson")))
    with tempfile.TemporaryDirectory() as tmp:
        cache = ControlCache(Path(tmp) / "cache")
        started, cpu = time.perf_counter(), _cpu_s()
        result = import_history([folder], units=units, report=lambda m: None, workers=workers)
        cache.commit(
            result.shares, result.geometry, source=ControlSource("benchmark", "test-only"), places=result.places
        )
        seconds, cpu = time.perf_counter() - started, _cpu_s() - cpu
    return {
        "files": float(files),
        "days": float(len(result.days)),
        "seconds": seconds,
        "cpu_s": cpu,
        "files_per_s": files / seconds,
        "peak_memory_mb": _peak_mb(),
    }


def run(raw_count: int = 1000, workers: tuple[int, ...] = (1, 2), raw: Path = RAW) -> dict[str, float]:
    """Figures per worker setting ({} when the raw snapshots are not there)."""
    if not raw.is_dir():
        print(f"  control history: {raw} not found, skipped", flush=True)
        return {}
    out: dict[str, float] = {"history_files": float(raw_count)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "raw"
        generate(raw, raw_count, folder)
        for n in workers:
            child = subprocess.run(
                [sys.executable, "-m", "benchmarks.control_history", "--measure", str(folder), "--workers", str(n)],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                raise RuntimeError(f"control history benchmark failed: {child.stderr.strip()[-500:]}")
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            out[f"history_{n}w_s"] = figures["seconds"]
            out[f"history_{n}w_files_per_s"] = figures["files_per_s"]
            out[f"history_{n}w_s_per_1000"] = figures["seconds"] / max(figures["files"], 1) * 1000
            out[f"history_{n}w_peak_mb"] = figures["peak_memory_mb"]
            out[f"history_{n}w_cpu_s"] = figures["cpu_s"]
            out[f"history_{n}w_days"] = figures["days"]
    return out


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.control_history", description=__doc__.splitlines()[0])
    parser.add_argument("--raw-count", type=int, default=1000, help="raw snapshots to generate (default 1000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker settings to measure")
    parser.add_argument("--raw", type=Path, default=RAW, help="folder of raw snapshots to copy")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's side
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.workers[0])))
        return {}
    results = run(args.raw_count, tuple(args.workers), args.raw)
    for n in args.workers:
        if f"history_{n}w_s" in results:
            print(
                f"{args.raw_count} raw snapshots, {n} worker(s): {results[f'history_{n}w_s']:.1f} s wall, "
                f"{results[f'history_{n}w_files_per_s']:.2f} files/s, "
                f"{results[f'history_{n}w_s_per_1000']:.0f} s per 1000 files, "
                f"peak memory {results[f'history_{n}w_peak_mb']:.0f} MB, "
                f"CPU {results[f'history_{n}w_cpu_s']:.1f} s",
                flush=True,
            )
    return results


if __name__ == "__main__":
    main()
