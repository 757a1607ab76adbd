"""Rebuild tests/data/viina/control_fixture.csv.gz, a VIINA-style control table made for the tests.

    python tests/data/viina/build_fixture.py /path/to/cities500.txt ../shared/data/deepstate-daily

Places: every Ukrainian row (country code UA) of GeoNames' cities500 (CC BY 4.0), with the
documented VIINA columns (alternatenames left empty to keep the file small). Statuses are not
VIINA's: RU for the places inside the occupied area of DeepStateMap's daily file of
2025-08-20 (cyterat/deepstate-map-data, GPL-3.0), UA elsewhere, so the tessellated share can be
checked against that file's share. Columns:

* ``ctr_20250701120000``: as 2025-08-20, and CONTESTED for UA places within 10 km of the
  occupied area (a grey zone to measure);
* ``ctr_20250820180000``: the statuses above (the last time stamp of its day: it wins);
* ``ctr_20250820060000``: everything UA, an earlier time stamp of the same day, placed last in
  the file so that "the last of the day wins" goes by time, not by column order.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

import numpy as np
import shapely

GEONAMES = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
]
OUT = Path(__file__).with_name("control_fixture.csv.gz")


def main(cities500: Path, daily: Path) -> None:
    rows = []
    with cities500.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            record = dict(zip(GEONAMES, fields, strict=True))
            if record["country_code"] == "UA":
                rows.append(record)
    occupied = shapely.from_geojson((daily / "deepstatemap_data_20250820.geojson").read_text())
    occupied = shapely.union_all(shapely.get_parts(occupied))
    lon = np.array([float(r["longitude"]) for r in rows])
    lat = np.array([float(r["latitude"]) for r in rows])
    inside = shapely.contains_xy(occupied, lon, lat)
    near = shapely.contains_xy(shapely.buffer(occupied, 10 / 75), lon, lat) & ~inside  # ~10 km at 48° N
    with gzip.open(OUT, "wt", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "geonameid",
                "name",
                "asciiname",
                "alternatenames",
                "longitude",
                "latitude",
                "feature_code",
                "ctr_20250701120000",
                "ctr_20250820180000",
                "ctr_20250820060000",
            ]
        )
        for r, ru, grey in zip(rows, inside, near, strict=True):
            status = "RU" if ru else "UA"
            writer.writerow(
                [
                    r["geonameid"],
                    r["name"],
                    r["asciiname"],
                    "",
                    r["longitude"],
                    r["latitude"],
                    r["feature_code"],
                    "CONTESTED" if grey else status,
                    status,
                    "UA",
                ]
            )
    print(f"{OUT}: {len(rows)} places, {int(inside.sum())} RU, {int(near.sum())} CONTESTED on 2025-07-01")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
