"""Streamed imports of many files (a raw DeepStateMap history folder), and the CLI around every reader."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.core.errors import DataError
from dashboard.sources.control_history import Job, import_history, plan_files
from dashboard.sources.control_import import import_paths, share_units
from tests.control_helpers import RAW, copy_daily, daily, need_shared

RAW_FILES = ["1648989208", "1654366131", "1664055163", "1675031774", "1714512461", "1754251105"]
VIINA = Path(__file__).parent / "data" / "viina" / "control_fixture.csv.gz"


@pytest.fixture(scope="module")
def units():
    return share_units()


def _raw_folder(folder: Path, extra: dict[str, str] | None = None) -> Path:
    """The six shared raw files, plus copies under other Unix times (name -> stem of the copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in RAW_FILES:
        shutil.copy(need_shared(RAW / f"{stem}.geojson"), folder)
    for source, stem in (extra or {}).items():
        shutil.copy(RAW / f"{source}.geojson", folder / f"{stem}.geojson")
    return folder


# --- planning (pure) ----------------------------------------------------------------------------


def test_plan_last_snapshot_of_a_utc_day_wins_known_days_skipped_tables_read_whole():
    names = [
        "1654366131.geojson",  # 2022-06-04 18:08 UTC
        "1654300800.geojson",  # 2022-06-04 00:00 UTC: earlier the same day, listed later
        "1654387199.geojson",  # 2022-06-04 23:59:59 UTC: the last of that day
        "1654387200.geojson",  # 2022-06-05 00:00 UTC: the next day
        "1648989208.geojson",  # 2022-04-03, already in the cache
        "deepstate-map-data.geojson.gz",
        "control_latest_20240101.csv",
        "history.geojson",
    ]
    jobs, superseded, skipped = plan_files([Path(n) for n in names], known_days=[date(2022, 4, 3)])
    assert superseded == 2 and skipped == [date(2022, 4, 3)]
    assert jobs == [
        Job(Path("deepstate-map-data.geojson.gz"), None),
        Job(Path("control_latest_20240101.csv"), None),
        Job(Path("history.geojson"), None),
        Job(Path("1654387199.geojson"), date(2022, 6, 4)),
        Job(Path("1654387200.geojson"), date(2022, 6, 5)),
    ]


def test_plan_of_named_daily_files_last_given_wins():
    jobs, superseded, _ = plan_files([Path("a/2024-08-16.geojson"), Path("b/deepstatemap_data_20240816.geojson")])
    assert superseded == 1 and jobs == [Job(Path("b/deepstatemap_data_20240816.geojson"), date(2024, 8, 16))]


# --- the raw history folder -----------------------------------------------------------------------


@pytest.mark.slow
def test_raw_folder_streamed_equals_the_one_shot_import_and_says_things_once(units, tmp_path):
    # 1648989208 again the next day (+86400) and earlier on the day of 1675031774 (superseded).
    folder = _raw_folder(tmp_path / "raw", {"1648989208": "1649075608", "1664055163": "1675000000"})
    messages: list[str] = []
    steps: list[tuple[int, int]] = []
    result = import_history(
        [folder],
        units=units,
        report=messages.append,
        workers=1,
        progress=lambda done, total: steps.append((done, total)),
    )
    assert steps == [(i, 7) for i in range(8)]
    assert [d.isoformat() for d in result.days] == [
        "2022-04-03",
        "2022-04-04",
        "2022-06-04",
        "2022-09-24",
        "2023-01-29",
        "2024-04-30",
        "2025-08-03",
    ]
    assert messages[0] == (
        "1 file(s) share a UTC day with a later snapshot: the last of each day is imported, the others are not read"
    )
    assert (
        "label 'багатокутник 11' names no status; classified occupied by its colour (1 polygon) (2 files)" in messages
    )
    alone = import_paths([RAW / f"{s}.geojson" for s in RAW_FILES], units=units, report=lambda m: None)
    ours = result.shares.frame[result.shares.frame["snapshot_date"] != date(2022, 4, 4)].reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, alone.shares.frame)
    kherson = result.shares.frame.set_index(["snapshot_date", "code"])["occupied_share"]
    assert kherson[(date(2022, 9, 24), "UA-65")] > 0.9
    assert kherson[(date(2023, 1, 29), "UA-65")] < 0.76
    assert result.geometry.dates == result.days


@pytest.mark.slow
def test_two_workers_give_the_same_result_as_one(units, tmp_path):
    folder = _raw_folder(tmp_path / "raw")
    one = import_history([folder], units=units, report=lambda m: None, workers=1)
    two = import_history([folder], units=units, report=lambda m: None, workers=2)
    pd.testing.assert_frame_equal(one.shares.frame, two.shares.frame)
    assert [g.wkb for g in one.geometry.frame["occupied"]] == [g.wkb for g in two.geometry.frame["occupied"]]


@pytest.mark.slow
def test_unknown_labels_summed_over_files_then_strict(units, tmp_path):
    folder = _raw_folder(tmp_path / "raw")
    path = folder / "1675031774.geojson"
    doc = json.loads(path.read_text())
    for feature in doc["features"]:
        if feature["properties"].get("name", "").startswith("Окуповано"):
            feature["properties"] = {"name": "Mystery zone"}
            break
    path.write_text(json.dumps(doc, ensure_ascii=False))
    messages: list[str] = []
    result = import_history([folder], units=units, report=messages.append, workers=1)
    warnings = [m for m in messages if m.startswith("warning:")]
    assert len(warnings) == 1 and "1675031774.geojson: 'mystery zone' x1" in warnings[0]
    assert len(result.days) == 6
    with pytest.raises(DataError, match=r"unclassified label.*mystery zone.*--labels FILE"):
        import_history([folder], units=units, report=lambda m: None, workers=1, strict=True)


@pytest.mark.slow
def test_a_bad_file_in_the_folder_stops_the_import_naming_it(units, tmp_path):
    folder = _raw_folder(tmp_path / "raw")
    (folder / "1700000000.geojson").write_text('{"type": "FeatureCollection", "feat')
    with pytest.raises(DataError, match=r"1700000000.geojson: not a GeoJSON file"):
        import_history([folder], units=units, report=lambda m: None, workers=1)


# --- the CLI ---------------------------------------------------------------------------------------


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map")


def one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("contested-map: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def _cache_state(cache: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(cache.iterdir())}


@pytest.fixture()
def cache(tmp_path) -> Path:
    """A cache holding one daily file, to check failed imports leave it as it was."""
    path = tmp_path / "cache"
    folder = copy_daily(["2024-08-16"], tmp_path / "one")
    assert invoke("control", "import", str(folder), "--control", str(path)).exit_code == 0
    return path


@pytest.mark.slow
def test_cli_raw_folder_not_a_tty_ends_with_one_read_line_and_quiet_has_none(tmp_path):
    folder = _raw_folder(tmp_path / "raw", {"1648989208": "1648990000"})
    named = ("--source", "DeepStateMap (raw snapshot)", "--licence", "test-only")  # raw files imply no source
    result = invoke("control", "import", str(folder), "--control", str(tmp_path / "c1"), "--workers", "1", *named)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "1 file(s) share a UTC day with a later snapshot" in lines[0]
    assert sum(line.startswith("read 6 file(s) in ") and line.endswith(" files/s)") for line in lines) == 1
    assert (
        "format: raw DeepStateMap snapshots" in result.stderr
        and "added 6 day(s), 2022-04-03 to 2025-08-03" in result.stderr
    )
    quiet = invoke("control", "import", str(folder), "--control", str(tmp_path / "c2"), "--quiet", *named)
    assert quiet.exit_code == 0 and "read " not in quiet.stderr and "added 6 day(s)" in quiet.stderr
    rows = json.loads(
        invoke(
            "control",
            "shares",
            "--control",
            str(tmp_path / "c1"),
            "--region",
            "Kherson",
            "--from",
            "2022-09-24",
            "--to",
            "2023-01-29",
            "--format",
            "json",
            "--source",
            "DeepStateMap (raw snapshot)",
        ).stdout
    )
    assert rows[0]["occupied_share"] > 0.9 and rows[-1]["occupied_share"] < 0.76  # Kherson's right bank, Nov 2022


@pytest.mark.slow
def test_cli_viina_says_its_method_and_a_bad_value_is_one_line(tmp_path, cache):
    ok = invoke(
        "control",
        "import",
        str(VIINA),
        "--control",
        str(tmp_path / "viina"),
        "--source",
        "VIINA test table",
        "--licence",
        "test-only",
    )
    assert ok.exit_code == 0, ok.stderr
    assert (
        "control_fixture.csv.gz: VIINA shares are estimated from a tessellation of 2,851 settlements, "
        "not drawn front lines"
    ) in ok.stderr
    assert "format: a VIINA settlement control table" in ok.stderr and "added 2 day(s)" in ok.stderr
    rows = json.loads(
        invoke(
            "control",
            "shares",
            "--control",
            str(tmp_path / "viina"),
            "--format",
            "json",
            "--region",
            "UA-14",
            "--source",
            "VIINA test table",
        ).stdout
    )
    assert rows[0]["source"] == "VIINA test table"
    text = gzip.decompress(VIINA.read_bytes()).decode().splitlines()
    text[5] = text[5].rsplit(",", 2)[0] + ",occupied,UA"
    bad = tmp_path / "control_latest_bad.csv"
    bad.write_text("\n".join(text) + "\n")
    before = _cache_state(cache)
    one_line_error(
        invoke("control", "import", str(bad), "--control", str(cache)),
        "control_latest_bad.csv: row 6: column 'ctr_20250820180000': 'occupied' is not a control "
        "status (expected UA, RU or CONTESTED)",
    )
    assert _cache_state(cache) == before


def test_cli_format_this_machine_cannot_read_is_one_line(tmp_path, cache, monkeypatch):
    import geopandas as gpd

    path = tmp_path / "2025-08-20.kmz"
    gpd.read_file(daily("2025-08-20")).to_file(path, driver="LIBKML", layer="occupied")
    monkeypatch.setattr(pyogrio, "list_drivers", lambda **kw: {"GeoJSON": "rw"})
    before = _cache_state(cache)
    one_line_error(
        invoke("control", "import", str(path), "--control", str(cache)),
        "2025-08-20.kmz: this machine's GDAL cannot read KMZ files (no LIBKML driver)",
    )
    assert _cache_state(cache) == before


@pytest.mark.slow
def test_cli_empty_folder_unknown_file_and_layer_are_one_line(tmp_path, cache):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("nothing here")
    before = _cache_state(cache)
    one_line_error(
        invoke("control", "import", str(empty), "--control", str(cache)),
        "empty: folder holds no control file (.geojson",
    )
    odd = tmp_path / "2024-01-01.dxf"
    odd.write_text("0\nSECTION\n")
    one_line_error(
        invoke("control", "import", str(odd), "--control", str(cache)),
        "2024-01-01.dxf: not a geographic file (expected GeoJSON, GeoParquet, a VIINA .csv",
    )
    gpkg = tmp_path / "2025-08-20.gpkg"
    import geopandas as gpd

    gpd.read_file(daily("2025-08-20")).to_file(gpkg, layer="occupied", driver="GPKG")
    one_line_error(
        invoke("control", "import", str(gpkg), "--control", str(cache), "--layer", "grey"),
        "2025-08-20.gpkg: no layer 'grey'; it holds 'occupied'",
    )
    one_line_error(invoke("control", "import", str(gpkg), "--control", str(cache), "--workers", "0"), "--workers")
    assert _cache_state(cache) == before
    added = invoke("control", "import", str(gpkg), "--control", str(cache), "--layer", "occupied")
    assert added.exit_code == 0 and "added 1 day(s), 2025-08-20" in added.stderr


class _Terminal:
    """A stderr that says it is a terminal, keeping what is written."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str | bytes) -> int:
        self.parts.append(text.decode() if isinstance(text, bytes) else text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_then_the_read_line(monkeypatch):
    from dashboard.cli.progress import file_progress

    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with file_progress("importing files") as progress:
        for done in range(4):
            progress(done, 3)
    text = "".join(terminal.parts)
    assert "importing files" in text and "100%" in text
    assert text.rstrip().splitlines()[-1].startswith("read 3 file(s) in ")
    terminal.parts.clear()
    with file_progress("importing files", quiet=True) as progress:
        for done in range(4):
            progress(done, 3)
    assert terminal.parts == []


@pytest.mark.slow
def test_a_history_import_keeps_the_places_held_on_each_day(tmp_path):
    """The places table of a raw-history import covers exactly its days (one file per day)."""
    from dashboard.sources.control_history import import_history
    from dashboard.sources.control_import import share_units

    raw = need_shared(RAW)
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("1664055163.geojson", "1675031774.geojson"):
        (folder / name).write_bytes((raw / name).read_bytes())
    result = import_history([folder], units=share_units(), report=lambda _: None, workers=1)
    assert result.places is not None
    assert result.places.dates == result.days
    kherson_city = 706448  # GeoNames: Kherson, held on 24 Sep 2022, not on 29 Jan 2023
    assert result.places.runs(kherson_city)[0][2] is True and result.places.runs(kherson_city)[-1][2] is False
