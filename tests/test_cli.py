"""The contested-map command line: regions, serve's checks, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from dashboard.core.regions import CONTESTED_CODES, UA_CODES
from dashboard.sources.paths import geodata_dir

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("contested-map: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_regions_json():
    result = run_cli("regions", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["code"] for r in rows} == UA_CODES
    assert set(rows[0]) == {"code", "name_en", "name_uk", "name_ru", "area_km2", "contested", "group"}
    contested = {r["code"] for r in rows if r["contested"]}
    assert contested == set(CONTESTED_CODES)
    groups = {r["code"]: r["group"] for r in rows}
    assert groups["UA-43"] == groups["UA-40"] == "crimea"
    assert groups["UA-05"] is None


@pytest.mark.slow
def test_regions_csv_and_table():
    csv_rows = list(csv.DictReader(io.StringIO(run_cli("regions", "--format", "csv").stdout)))
    assert len(csv_rows) == 27
    assert {r["contested"] for r in csv_rows} == {"true", "false"}
    table = run_cli("regions").stdout.splitlines()
    assert table[0].split()[:2] == ["code", "name_en"]
    assert len(table) == 2 + 27


def console_script() -> Path:
    """The `contested-map` installed beside the interpreter under test (not whatever PATH finds):
    `.venv/bin/python -m pytest` tests the venv's script whether or not the venv is activated."""
    script = Path(sysconfig.get_path("scripts")) / ("contested-map.exe" if os.name == "nt" else "contested-map")
    assert script.is_file(), f"{script} is missing: install the package (pip install -e '.[test]')"
    return script


@pytest.mark.slow
def test_python_m_dashboard_equals_console_script():
    via_script = subprocess.run(
        [str(console_script()), "regions", "--format", "json"], check=False, capture_output=True, text=True, timeout=60
    )
    assert via_script.returncode == 0, via_script.stderr
    assert via_script.stdout == run_cli("regions", "--format", "json").stdout


@pytest.mark.slow
def test_the_cli_tests_need_no_activated_venv():
    """The README's command runs these tests with no skip when PATH does not hold the venv."""
    env = {**os.environ, "PATH": os.defpath}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            f"{__file__}::test_python_m_dashboard_equals_console_script",
        ],
        cwd=REPO,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "1 passed" in done.stdout and "skipped" not in done.stdout, done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, fragment",
    [
        (["regions", "--format", "xml"], "'xml' is not one of"),
        (["regions", "--colour"], "No such option '--colour'"),
        (["bogus"], "bogus"),
        (["serve", "--port", "99999"], "99999"),
    ],
)
def test_bad_options_give_one_line_error(args, fragment):
    assert_one_line_error(run_cli(*args), fragment)


@pytest.mark.slow
def test_busy_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert_one_line_error(result, f"port {port}", "already in use")


def test_missing_geodata_file(tmp_path):
    shutil.copy(geodata_dir() / "neighbours.geojson", tmp_path)
    result = run_cli("regions", "--geodata", str(tmp_path))
    assert_one_line_error(result, "geodata file not found", "ukraine_admin1.geojson")


@pytest.mark.slow
def test_corrupted_geodata_file(tmp_path):
    shutil.copy(geodata_dir() / "neighbours.geojson", tmp_path)
    (tmp_path / "ukraine_admin1.geojson").write_text('{"type": "FeatureCollection", "features": [')
    result = run_cli("regions", "--geodata", str(tmp_path))
    assert_one_line_error(result, "cannot be read as GeoJSON", "ukraine_admin1.geojson")


@pytest.mark.slow
def test_geodata_missing_a_unit(tmp_path):
    shutil.copy(geodata_dir() / "neighbours.geojson", tmp_path)
    data = json.loads((geodata_dir() / "ukraine_admin1.geojson").read_text())
    data["features"] = [f for f in data["features"] if f["properties"]["code"] != "UA-40"]
    (tmp_path / "ukraine_admin1.geojson").write_text(json.dumps(data))
    assert_one_line_error(run_cli("regions", "--geodata", str(tmp_path)), "missing ['UA-40']")


@pytest.mark.slow
def test_serve_with_corrupted_geodata_fails_before_listening(tmp_path):
    shutil.copy(geodata_dir() / "neighbours.geojson", tmp_path)
    (tmp_path / "ukraine_admin1.geojson").write_text("not json at all")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("serve", "--port", str(port), "--geodata", str(tmp_path))
    assert_one_line_error(result, "ukraine_admin1.geojson")


@pytest.mark.slow
def test_serve_with_invalid_claims_file_fails_in_one_line(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("records:\n  - id: x\n    kind: rumour\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("serve", "--port", str(port), "--claims", str(bad))
    # One error line; the file's other problems (up to 20 in all) follow indented.
    first, *rest = result.stderr.strip().splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert first.startswith("contested-map: error: ") and "mine.yaml" in first
    assert rest and all(line.startswith(f"  {bad}: ") for line in rest)
