"""Hostile files cannot exhaust the machine during `contested-map control import`.

Each attack is built in tmp_path and refused in one line naming the file (and the
feature, row or day), exit code 2, with the cache left as it was. The limits are
set low through their environment variables, so every test stays small and fast
even if a check regresses; one test checks that the default limits refuse the
real-size gzip bomb without allocating it. Without these checks the crossing bomb
took 89 s (500 vertices), the gzip bomb 2.3 GB, deep nesting a RecursionError
traceback, and /dev/zero never ended.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner, Result
from shapely.geometry import Polygon

from dashboard.cli import cli
from dashboard.core.errors import DataError, LimitError
from dashboard.core.geometry_budget import count_crossings, repair_over_budget
from dashboard.sources.control_formats import read_feature_file
from dashboard.sources.control_import import import_paths, load_label_mapping, share_units
from dashboard.sources.import_limits import ImportLimits, gzip_trailer_size
from tests.control_helpers import RAW, daily, need_shared

REPO = Path(__file__).resolve().parents[1]
DAY = "2024-07-09"


@pytest.fixture(scope="module")
def units():
    return share_units()


def invoke(*args: str, env: dict | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map", env=env)


def state(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def cache(tmp_path):
    """A cache holding one real day."""
    directory = tmp_path / "cache"
    result = invoke("control", "import", str(daily(DAY)), "--control", str(directory), "--quiet")
    assert result.exit_code == 0, result.stderr
    return directory


def refused(
    path: Path,
    cache: Path,
    *fragments: str,
    args: tuple[str, ...] = (),
    env: dict | None = None,
    names: str | None = None,
) -> str:
    """Import `path` into `cache`: one line naming the file (or `names`) and the fragments, exit 2, cache unchanged."""
    before = state(cache)
    result = invoke("control", "import", str(path), "--control", str(cache), "--quiet", *args, env=env)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("contested-map: error: "), result.stderr
    for fragment in (names or path.name, *fragments):
        assert fragment in lines[0], lines[0]
    assert state(cache) == before
    return lines[0]


def random_polygon(n: int, seed: int = 7) -> list[list[float]]:
    """n random points in eastern Ukraine joined in random order: edges cross about n²/9 times."""
    points = np.random.default_rng(seed).uniform([34, 46], [39, 49], size=(n, 2)).round(5).tolist()
    return [*points, points[0]]


def feature_collection(*rings: list[list[float]], props: dict | None = None) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props or {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
            for ring in rings
        ],
    }


def write_json(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc))
    return path


# --- 1. self-intersecting polygons: crossings counted before repair ---------------------------------


def test_crossings_are_counted_exactly_and_stop_past_the_budget():
    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    bow_tie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    assert count_crossings(square, 10) == 0 and count_crossings(bow_tie, 10) == 1
    assert repair_over_budget(square, 0) is None and repair_over_budget(bow_tie, 1) is None
    assert repair_over_budget(bow_tie, 0) == 1
    bomb = Polygon(random_polygon(500))
    started = time.perf_counter()
    assert repair_over_budget(bomb, 1_000) > 1_000
    assert time.perf_counter() - started < 10  # a safety net, not a benchmark: the repair took 89 s


@pytest.mark.slow
def test_real_raw_polygons_cost_nothing_to_repair():
    """The raw files' invalid polygons (a ring touching itself) and collections have no crossing at all."""
    features = read_feature_file(need_shared(RAW / "1648989208.geojson")).features
    invalid = [f.geometry for f in features if f.geometry is not None and not f.geometry.is_valid]
    assert len(invalid) == 1 and "Interior is disconnected" in shapely.is_valid_reason(invalid[0])
    assert count_crossings(invalid[0], 10**9) == 0
    assert all(repair_over_budget(f.geometry, 0) is None for f in features)
    # Between features (the union): at most 259 crossings a raw file, far under the file cap of 10,000.
    per_file = [
        count_crossings(
            shapely.GeometryCollection(
                [f.geometry for f in read_feature_file(path).features if f.geometry is not None]
            ),
            10**9,
        )
        for path in sorted(RAW.glob("*.geojson"))
    ]
    assert len(per_file) == 6 and max(per_file) == 259 and sum(per_file) == 725


def test_the_crossing_bomb_is_refused_naming_the_feature(units, tmp_path, cache):
    path = write_json(tmp_path / "2024-08-01.geojson", feature_collection(random_polygon(4), random_polygon(500)))
    with pytest.raises(LimitError, match=r"2024-08-01.geojson: feature 1: a self-intersecting polygon"):
        import_paths([path], units=units, report=lambda m: None)
    line = refused(
        path,
        cache,
        "feature 1",
        "1,000 edge crossings",
        "CONTESTED_MAP_MAX_CROSSINGS",
        env={"CONTESTED_MAP_IMPORT_SECONDS": "30"},
    )
    assert "\n" not in line


@pytest.mark.slow
def test_many_polygons_crossing_each_other_are_refused_before_their_union(tmp_path, cache):
    """Each thin triangle is valid, but the file's polygons are unioned: 400 of them cross ~17,000 times."""
    rng = np.random.default_rng(3)
    rings = []
    for _ in range(400):
        a, b = rng.uniform([34, 46], [39, 49], size=(2, 2)).round(5).tolist()
        rings.append([a, b, [b[0] + 0.001, b[1]], a])
    path = write_json(tmp_path / "2024-08-08.geojson", feature_collection(*rings))
    refused(path, cache, "the edges of its polygons cross each other at least", "import limit of 10,000 for a file")


@pytest.mark.slow
def test_past_the_budgets_the_worker_is_stopped_by_time_and_by_memory(tmp_path, cache):
    """The guard bounds what the budgets let through: the repair runs in a worker with limits."""
    path = write_json(tmp_path / "2024-08-02.geojson", feature_collection(random_polygon(500)))
    refused(
        path,
        cache,
        "did not finish in time",
        "import limit of 2 s",
        "CONTESTED_MAP_IMPORT_SECONDS",
        env={"CONTESTED_MAP_MAX_CROSSINGS": "1000000000", "CONTESTED_MAP_IMPORT_SECONDS": "2"},
    )
    big = write_json(tmp_path / "2024-08-03.geojson", feature_collection(random_polygon(3000)))
    refused(
        big,
        cache,
        "needed more memory",
        "import limit of 200 MB",
        "CONTESTED_MAP_IMPORT_MEMORY_MB",
        env={
            "CONTESTED_MAP_MAX_CROSSINGS": "1000000000",
            "CONTESTED_MAP_IMPORT_MEMORY_MB": "200",
            "CONTESTED_MAP_IMPORT_SECONDS": "60",
        },
    )


def test_vertices_of_a_file_are_bounded(tmp_path, cache):
    path = write_json(
        tmp_path / "2024-08-04.geojson",
        feature_collection([[34, 46], [35, 46], [35, 47], [34, 46]], [[36, 46], [37, 46], [37, 47], [36, 46]]),
    )
    refused(path, cache, "holds 8 vertices", "import limit of 5 vertices", env={"CONTESTED_MAP_MAX_VERTICES": "5"})


# --- 2. decompression and row bombs --------------------------------------------------------------


def gzip_of_spaces(path: Path, size: int, head: bytes) -> Path:
    """A gzip file inflating to `head` and then spaces up to `size` bytes, written in chunks."""
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(head)
        chunk = b" " * (1 << 24)
        left = size - len(head)
        while left > 0:
            out.write(chunk[:left])
            left -= len(chunk)
    return path


@pytest.mark.slow
def test_gzip_bomb_refused_from_its_trailer_and_a_forged_trailer_while_inflating(tmp_path, cache):
    env = {"CONTESTED_MAP_MAX_BYTES": "1000000"}
    bomb = gzip_of_spaces(tmp_path / "deepstate-map-data.geojson.gz", 3_000_000, b'{"type": "FeatureCollection"')
    assert gzip_trailer_size(b"\x1f\x8b", bomb.read_bytes()[-4:]) == 3_000_000
    refused(
        bomb,
        cache,
        "says it inflates to 3,000,000 bytes",
        "import limit of 1,000,000 bytes",
        "--max-bytes N or CONTESTED_MAP_MAX_BYTES=N",
        env=env,
    )
    forged = tmp_path / "forged.geojson.gz"
    forged.write_bytes(bomb.read_bytes()[:-4] + (100).to_bytes(4, "little"))
    refused(forged, cache, "inflates to more than 1,000,000 bytes", env=env)
    refused(bomb, cache, "import limit of 2,000,000 bytes", args=("--max-bytes", "2000000"))


def test_plain_geojson_past_the_byte_limit_is_refused_from_its_size(tmp_path, cache):
    path = write_json(tmp_path / "2024-08-05.geojson", feature_collection(random_polygon(4)))
    size = path.stat().st_size
    refused(
        path, cache, f"the file is {size:,} bytes", "import limit of 100 bytes", env={"CONTESTED_MAP_MAX_BYTES": "100"}
    )


def test_geoparquet_rows_are_counted_from_its_metadata(tmp_path, cache):
    import geopandas as gpd

    square = shapely.box(34, 46, 35, 47)
    frame = gpd.GeoDataFrame(
        {"date": [f"2024-08-{d:02d}" for d in range(1, 21)]}, geometry=[square] * 20, crs="EPSG:4326"
    )
    path = tmp_path / "history.parquet"
    frame.to_parquet(path)
    refused(
        path,
        cache,
        "holds 20 rows",
        "import limit of 10 features",
        "--max-features N",
        env={"CONTESTED_MAP_MAX_FEATURES": "10"},
    )
    refused(path, cache, "import limit of 5 features", args=("--max-features", "5"))


def test_vector_formats_are_counted_through_gdal_before_reading(tmp_path, cache):
    import geopandas as gpd

    frame = gpd.GeoDataFrame({"name": ["Окуповано"] * 12}, geometry=[shapely.box(34, 46, 35, 47)] * 12, crs="EPSG:4326")
    path = tmp_path / "2024-08-06.gpkg"
    frame.to_file(path, driver="GPKG")
    refused(path, cache, "holds 12 features", env={"CONTESTED_MAP_MAX_FEATURES": "10"})


def viina_table(path: Path, rows: int, stamp: str = "ctr_20240101000000") -> Path:
    lines = [f"geonameid,name,asciiname,alternatenames,longitude,latitude,feature_code,{stamp}"]
    lines += [f"{i},P{i},P{i},,{34 + i * 0.01:.2f},{47 + i * 0.01:.2f},PPL,RU" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
def test_viina_rows_and_bytes_are_bounded(tmp_path, cache):
    table = viina_table(tmp_path / "control_latest_20240101.csv", 30)
    refused(table, cache, "holds 11 rows (or more)", env={"CONTESTED_MAP_MAX_FEATURES": "10"})
    packed = tmp_path / "control_latest_20240102.csv.gz"
    packed.write_bytes(gzip.compress(table.read_bytes()))
    refused(packed, cache, "says it inflates to 991 bytes", env={"CONTESTED_MAP_MAX_BYTES": "500"})
    big = gzip_of_spaces(tmp_path / "big.csv.gz", 3_000_000, table.read_bytes())
    forged = tmp_path / "control_latest_20240103.csv.gz"
    forged.write_bytes(big.read_bytes()[:-4] + (10).to_bytes(4, "little"))
    refused(forged, cache, "inflates to more than 500 bytes", env={"CONTESTED_MAP_MAX_BYTES": "500"})


_CHILD = textwrap.dedent("""
    import resource, subprocess, sys, time
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "dashboard", "control", "import", sys.argv[1], "--control",
                           sys.argv[2], "--quiet"], capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(done.returncode, peak, time.monotonic() - started, done.stderr.strip().replace(chr(10), " | "))
""")


def parquet_row_bomb(path: Path, rows: int) -> Path:
    """A GeoParquet whose geometry column repeats one polygon `rows` times as a dictionary (a few hundred KB)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    wkb = shapely.to_wkb(shapely.box(34, 46, 35, 47))
    column = pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), pa.array([wkb]))
    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Polygon"]}},
    }
    table = pa.table({"geometry": column}).replace_schema_metadata({b"geo": json.dumps(geo).encode()})
    pq.write_table(table, path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("bomb", ["gzip", "parquet"])
def test_default_limits_refuse_the_real_size_bombs_without_allocating_them(tmp_path, bomb):
    """1 GiB of spaces in a 1 MB gzip, 20 million rows in a small GeoParquet: refused by default,
    the whole import (CLI and its worker) staying under 500 MB."""
    if bomb == "gzip":
        path = gzip_of_spaces(tmp_path / "deepstate-map-data.geojson.gz", 1 << 30, b'{"type": "FeatureCollection"')
        expected = ["says it inflates to 1,073,741,824 bytes", "536,870,912 bytes"]
    else:
        path = parquet_row_bomb(tmp_path / "history.parquet", 20_000_000)
        expected = ["holds 20,000,000 rows", "1,000,000 features"]
    assert path.stat().st_size < 2_000_000
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTESTED_MAP_")}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(tmp_path / "cache")],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    code, peak, _seconds, message = done.stdout.split(" ", 3)
    assert code == "2", done.stdout + done.stderr
    assert all(fragment in message for fragment in expected), message
    assert int(peak) < 500 * 1024 * 1024, f"peak RSS {int(peak) / 2**20:.0f} MB"
    assert not (tmp_path / "cache").exists()


# --- 3. nesting, special files, days --------------------------------------------------------------


def test_deep_json_nesting_in_an_import_file_is_one_line(tmp_path, cache):
    path = tmp_path / "2024-08-07.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}")
    refused(path, cache, "nested too deeply")


@pytest.mark.parametrize(
    "text", ["[" * 100_000, '{"a": ' * 100_000, "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 200))]
)
def test_deep_nesting_in_a_labels_file_is_one_line(tmp_path, cache, text):
    labels = tmp_path / "labels.yaml"
    labels.write_text(text)
    with pytest.raises(LimitError, match=r"labels.yaml: nested more than 50 levels deep"):
        load_label_mapping(labels)
    raw = tmp_path / "1675031774.geojson"
    raw.write_bytes(need_shared(RAW / "1675031774.geojson").read_bytes())
    refused(raw, cache, "nested more than 50 levels", args=("--labels", str(labels)), names="labels.yaml")


def test_a_huge_labels_file_is_refused_from_its_size(tmp_path):
    labels = tmp_path / "labels.yaml"
    labels.write_text("x: occupied\n" * 100_000)
    with pytest.raises(LimitError, match=r"labels.yaml: the file is 1,200,000 bytes"):
        load_label_mapping(labels)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_and_devices_are_refused_before_reading(tmp_path, cache, units):
    fifo = tmp_path / "2024-08-08.geojson"
    os.mkfifo(fifo)
    refused(fifo, cache, "is a FIFO (named pipe); control import reads regular files only")
    refused(Path("/dev/zero"), cache, "/dev/zero: is a character device")
    with pytest.raises(LimitError, match="is a character device"):
        load_label_mapping(Path("/dev/zero"))
    with pytest.raises(LimitError, match="is a FIFO"):
        read_feature_file(fifo)


def _today() -> date:
    return datetime.now(UTC).date()


@pytest.mark.slow
def test_days_outside_2014_to_today_are_refused_naming_file_and_day(tmp_path, cache):
    old = tmp_path / "deepstatemap_data_20131231.geojson"
    old.write_bytes(daily(DAY).read_bytes())
    refused(old, cache, "the name's day 2013-12-31 is outside 2014-01-01 to")
    tomorrow = (_today() + timedelta(days=1)).strftime("%Y%m%d")
    future = tmp_path / f"deepstatemap_data_{tomorrow}.geojson"
    future.write_bytes(daily(DAY).read_bytes())
    refused(future, cache, f"is outside 2014-01-01 to {_today().isoformat()}")
    plain = tmp_path / "snapshot.geojson"
    plain.write_bytes(daily(DAY).read_bytes())
    refused(plain, cache, "--date day 1999-05-01", args=("--date", "1999-05-01"))
    dated = write_json(
        tmp_path / "history.geojson",
        feature_collection([[34, 46], [35, 46], [35, 47], [34, 46]], props={"date": "2999-01-01"}),
    )
    refused(dated, cache, "row 0: day 2999-01-01")
    viina = viina_table(tmp_path / "control_latest_20240101.csv", 3, "ctr_20100101000000")
    refused(viina, cache, "column 'ctr_20100101000000': day 2010-01-01")


def test_limits_from_the_environment_and_options():
    assert ImportLimits.from_env({}) == ImportLimits()
    limits = ImportLimits.from_env(
        {"CONTESTED_MAP_MAX_BYTES": "1_000", "CONTESTED_MAP_MAX_FEATURES": "5"}, max_features=7
    )
    assert (limits.max_bytes, limits.max_features) == (1000, 7)
    with pytest.raises(DataError, match=r"CONTESTED_MAP_MAX_FEATURES='many' is not a whole number"):
        ImportLimits.from_env({"CONTESTED_MAP_MAX_FEATURES": "many"})
    result = invoke("control", "import", "x.geojson", env={"CONTESTED_MAP_MAX_BYTES": "-1"})
    assert result.exit_code == 1 and "CONTESTED_MAP_MAX_BYTES='-1'" in result.stderr
