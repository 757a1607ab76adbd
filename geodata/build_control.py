"""Build the bundled control layer in dashboard/data/control/ from the daily archive.

    python geodata/build_control.py [--daily ../shared/data/deepstate-daily] [--out dashboard/data/control]

Source: the daily files of cyterat/deepstate-map-data (GPL-3.0), derived from
DeepStateMap.live. Output (same layout as a control cache, see
dashboard/sources/control_cache.py):

* the share table for EVERY day in the archive (27 units a day);
* the occupied area, clipped to Ukraine and simplified to 0.01 degrees,
  for every GEOMETRY_EVERY_DAYS-th day counted from the first day, plus the
  last day (a day in between shows the geometry of the last one before it,
  and says which). GEOMETRY_EVERY_DAYS is 1: at 0.01 degrees the 766 days
  take about 0.11 MB (zstd), so every day fits far below the 5 MB budget;
* for every day, the ids of the gazetteer's places (geodata/places_ua.parquet) whose point lies
  inside the occupied area, tested against the archive's full-resolution geometry;
* NOTICE.md naming the source and the licence, and the GPL-3.0 text.

Nothing derived from ../shared/data/deepstate-raw is ever shipped.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

# The project is installed (`pip install -e .`), so the package imports as it is.
from dashboard.core.control import ControlGeometry
from dashboard.core.control_measure import COAST_BAND_KM
from dashboard.sources.control_cache import LOCK_FILE
from dashboard.sources.control_cache_write import write_cache
from dashboard.sources.control_import import DEFAULT_CONTROL_SOURCE, DEFAULT_SOURCE, import_paths, share_units
from dashboard.sources.control_manifest import NOTICE_FILE

REPO = Path(__file__).resolve().parents[1]

GEOMETRY_TOLERANCE_DEG = 0.01
GEOMETRY_EVERY_DAYS = 1
SIZE_LIMIT_BYTES = 5_000_000
ARCHIVE = "https://github.com/cyterat/deepstate-map-data"
ARCHIVE_COMMIT = "e904719a"

NOTICE = """# Control on the ground: bundled data

The files in this folder (`shares-*.parquet`, `geometry-*.parquet`,
`places-*.parquet`, `manifest.json`) are derived from the daily files of
**cyterat/deepstate-map-data** ({archive}, commit {commit}), which derives them
from **DeepStateMap.live**'s daily map. That archive is licensed under the
**GNU General Public License v3.0**; this derived data is distributed under the
same licence (`LICENSE-GPL-3.0.txt` in this folder), separately from the
project's own code (MIT).

What was derived, by `geodata/build_control.py`:
- for each of the {days} days from {first} to {last} (the archive's gaps stay gaps):
  the occupied area and share of each of Ukraine's 27 units, in a Lambert
  azimuthal equal-area projection, with the project's coastline rule
  (a unit whose unheld part lies within {band:g} km of its sea edge counts as fully
  held; the measured figure is kept as `occupied_share_raw`);
- the occupied area clipped to Ukraine and simplified to {tol:g} degrees, on
  {geo_days} days ({cadence});
- for each day, which places of the project's gazetteer (GeoNames.org cities500,
  CC BY 4.0: place ids only) lie inside the occupied area, tested against the
  archive's full-resolution geometry.

The archive holds no grey zone: `grey_km2` and `grey_share` are empty.
"""


def build(daily: Path, out: Path) -> None:
    started = time.perf_counter()
    units = share_units()
    result = import_paths(
        [daily], units=units, source=DEFAULT_SOURCE, report=print, tolerance_deg=GEOMETRY_TOLERANCE_DEG
    )
    days = result.shares.dates
    keep = set(days[::GEOMETRY_EVERY_DAYS]) | {days[-1]}
    frame = result.geometry.frame
    geometry = ControlGeometry(frame[frame["snapshot_date"].isin(keep)].copy(), tolerance_deg=GEOMETRY_TOLERANCE_DEG)
    if out.exists():
        for old in out.iterdir():
            if old.name.startswith(("shares-", "geometry-", "places-")) or old.name == "manifest.json":
                old.unlink()
    write_cache(
        out,
        result.shares,
        geometry,
        source=DEFAULT_CONTROL_SOURCE,
        notice_file=NOTICE_FILE,
        places=result.places,
        extra={
            "archive": ARCHIVE,
            "archive_commit": ARCHIVE_COMMIT,
            "geometry_every_days": GEOMETRY_EVERY_DAYS,
            "coast_band_km": COAST_BAND_KM,
        },
    )
    (out / LOCK_FILE).unlink(missing_ok=True)  # the writer's lock file is not part of the shipped layer
    shutil.copyfile(daily / "LICENSE-GPL-3.0.txt", out / "LICENSE-GPL-3.0.txt")
    (out / NOTICE_FILE).write_text(
        NOTICE.format(
            archive=ARCHIVE,
            commit=ARCHIVE_COMMIT,
            days=len(days),
            first=days[0],
            last=days[-1],
            band=COAST_BAND_KM,
            tol=GEOMETRY_TOLERANCE_DEG,
            geo_days=len(geometry.dates),
            cadence="every archived day"
            if GEOMETRY_EVERY_DAYS == 1
            else f"every {GEOMETRY_EVERY_DAYS}th day from the first, and the last day",
        ),
        encoding="utf-8",
    )
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    coast = result.shares.frame.groupby("code")["coast_rule"].mean()
    print(
        f"{len(days)} days, {len(geometry.dates)} geometry snapshots, {total / 1e6:.2f} MB in {out} "
        f"({time.perf_counter() - started:.1f} s); coast rule applied on share of days: "
        + ", ".join(f"{c} {v:.3f}" for c, v in coast[coast > 0].items())
    )
    if total >= SIZE_LIMIT_BYTES:
        raise SystemExit(f"bundled control data is {total} bytes, over the {SIZE_LIMIT_BYTES} limit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--daily", type=Path, default=REPO.parent / "shared" / "data" / "deepstate-daily")
    parser.add_argument("--out", type=Path, default=REPO / "dashboard" / "data" / "control")
    args = parser.parse_args()
    build(args.daily, args.out)


if __name__ == "__main__":
    main()
