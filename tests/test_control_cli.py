"""`contested-map control import|update|shares`: output keys, formats, defaults and one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.cli.control import SHARES_KEYS
from tests.control_helpers import RAW, copy_daily, need_shared

KEYS = [
    "date",
    "code",
    "name",
    "occupied_km2",
    "occupied_share",
    "grey_km2",
    "grey_share",
    "snapshot_date",
    "source",
    "licence",
]


def invoke(*args: str, env: dict | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map", env=env)


def one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("contested-map: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_shares_json_keys_exactly_and_last_snapshot_by_default():
    result = invoke("control", "shares", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert list(SHARES_KEYS) == KEYS
    assert all(list(r) == KEYS for r in rows)
    assert len(rows) == 27 and len({r["date"] for r in rows}) == 1
    kherson = next(r for r in rows if r["code"] == "UA-65")
    assert 0 < kherson["occupied_share"] < 1 and kherson["name"] == "Kherson"
    assert kherson["grey_share"] is None  # the daily archive has no grey layer


def test_shares_gap_day_names_its_snapshot_and_region_filter():
    result = invoke(
        "control",
        "shares",
        "--from",
        "2024-08-17",
        "--to",
        "2024-08-19",
        "--region",
        "Krym",
        "--region",
        "UA-65",
        "--format",
        "json",
    )
    rows = json.loads(result.stdout)
    # Krym gives the peninsula's two rows (Crimea and Sevastopol), as the page's region filter does.
    assert [(r["date"], r["code"]) for r in rows] == [
        (day, code) for day in ("2024-08-17", "2024-08-18", "2024-08-19") for code in ("UA-43", "UA-40", "UA-65")
    ]
    assert {r["snapshot_date"] for r in rows if r["date"] == "2024-08-19"} == {"2024-08-17"}
    assert next(r for r in rows if r["code"] == "UA-43")["occupied_share"] == 1.0


def test_shares_csv_and_table():
    csv_out = invoke("control", "shares", "--to", "2025-01-01", "--format", "csv", "--region", "Donetsk").stdout
    table = list(csv.DictReader(io.StringIO(csv_out)))
    assert list(table[0]) == KEYS and table[0]["date"] == "2025-01-01" and table[0]["code"] == "UA-14"
    text = invoke("control", "shares", "--region", "Zaporizhzhia").stdout
    assert text.splitlines()[0].split()[:3] == ["date", "code", "name"] and "Zaporizhzhia" in text


def test_shares_after_the_data_is_accepted_with_a_note():
    result = invoke("control", "shares", "--to", "2030-01-01", "--region", "UA-65", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["snapshot_date"] < "2030-01-01"
    assert "control data ends on" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--region", "Atlantis"], ["unknown region 'Atlantis'"]),
        (["--from", "2024-13-01"], ["'--from'", "not a day"]),
        (["--from", "2024-08"], ["'--from'", "expected YYYY-MM-DD"]),
        (["--from", "2025-01-02", "--to", "2025-01-01"], ["'--from'", "after --to"]),
    ],
)
def test_shares_bad_input_is_one_line(args, fragments):
    one_line_error(invoke("control", "shares", *args), *fragments)


def test_import_then_shares_from_the_cache(tmp_path):
    folder = copy_daily(["2024-08-16", "2024-08-17"], tmp_path / "daily")
    cache = tmp_path / "cache"
    result = invoke("control", "import", str(folder), "--control", str(cache))
    assert result.exit_code == 0, result.stderr
    assert "format: daily files" in result.stderr and "added 2 day(s)" in result.stderr
    again = invoke("control", "import", str(folder), "--control", str(cache))
    assert "2 day(s) already in the cache, skipped" in again.stderr and "unchanged" in again.stderr
    rows = json.loads(
        invoke("control", "shares", "--control", str(cache), "--no-bundled-control", "--format", "json").stdout
    )
    assert {r["snapshot_date"] for r in rows} == {"2024-08-17"}


@pytest.mark.slow
def test_import_env_default_and_raw_strict(tmp_path):
    raw = need_shared(RAW / "1754251105.geojson")
    env = {"CONTESTED_MAP_CONTROL": str(tmp_path / "envcache")}
    result = invoke(
        "control",
        "import",
        str(raw),
        "--strict",
        "--source",
        "DeepStateMap (raw snapshot)",
        "--licence",
        "test-only",
        env=env,
    )
    assert result.exit_code == 0, result.stderr
    assert "format: raw DeepStateMap snapshots" in result.stderr
    assert (tmp_path / "envcache" / "manifest.json").is_file()
    rows = json.loads(
        invoke(
            "control",
            "shares",
            "--control",
            str(tmp_path / "envcache"),
            "--no-bundled-control",
            "--format",
            "json",
            "--region",
            "UA-14",
        ).stdout
    )
    assert rows[0]["grey_share"] is not None and rows[0]["source"] == "DeepStateMap (raw snapshot)"


def test_import_errors_are_one_line(tmp_path):
    one_line_error(
        invoke("control", "import", str(tmp_path / "missing.geojson"), "--control", str(tmp_path / "c")),
        "missing.geojson: no such file",
    )
    bad = tmp_path / "2024-01-01.geojson"
    bad.write_text("not json")
    one_line_error(invoke("control", "import", str(bad), "--control", str(tmp_path / "c")), "2024-01-01.geojson")
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "manifest.json").write_text("{")
    one_line_error(invoke("control", "shares", "--control", str(corrupt)), "manifest.json is corrupt")
    one_line_error(
        invoke("control", "update", "--control", str(tmp_path / "empty"), "--until", "2024-01-01"), "is empty"
    )


@pytest.mark.slow
def test_import_raw_with_date_option_when_the_name_has_none(tmp_path):
    raw = tmp_path / "snapshot.geojson"
    raw.write_bytes(need_shared(RAW / "1675031774.geojson").read_bytes())
    cache = tmp_path / "cache"
    one_line_error(invoke("control", "import", str(raw), "--control", str(cache)), "snapshot.geojson: no date")
    result = invoke(
        "control",
        "import",
        str(raw),
        "--control",
        str(cache),
        "--date",
        "2023-01-29",
        "--source",
        "Raw test",
        "--licence",
        "test-only",
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(
        invoke(
            "control",
            "shares",
            "--control",
            str(cache),
            "--region",
            "Kherson",
            "--source",
            "Raw test",
            "--format",
            "json",
        ).stdout
    )
    assert rows[0]["snapshot_date"] == "2023-01-29" and 0.70 <= rows[0]["occupied_share"] <= 0.76
