"""The benchmark harness and the load test, on tiny settings, so they cannot rot.

These check that the measurements run and produce numbers; they assert no
timings (benchmarks are not tests).
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

from benchmarks import load
from dashboard.sources.claims_load import claims_from_records
from dashboard.testing import run_module, synthetic_claims

pytestmark = pytest.mark.browser  # the harness drives Chromium and kaleido
REPO = Path(__file__).resolve().parents[1]


def test_generated_claims_are_valid():
    records = synthetic_claims(200)
    claims = claims_from_records(records).frame
    assert len(claims) == 200
    assert claims["regions"].explode().nunique() > 20
    assert (claims["effect"] == "annexation_declared").sum() == 2


def test_harness_runs_on_tiny_settings(tmp_path, chromium_available):
    # A subprocess: the documented command, and its own Playwright (one per thread is allowed).
    out = tmp_path / "bench.json"
    run = run_module("benchmarks", "--quick", "--json", str(out))
    assert run.returncode == 0, run.stderr[-2000:]
    assert "failed" not in run.stdout, run.stdout
    results = json.loads(out.read_text())
    table = run.stdout.splitlines()
    assert any(line.startswith("map_callback_ms_p95") for line in table)
    for key in (
        "cold_start_s",
        "map_callback_ms_p95",
        "statements_callback_ms_p95",
        "map_callback_kb",
        "initial_page_data_kb",
        "repaint_ms_median",
        "export_warm_s",
        "peak_memory_mb",
        "statements_search_ms_p95",
        "show_more_ms_p95",
    ):
        assert math.isfinite(results["article"][key]), key
    assert results["article"]["callback_failures"] == 0
    for key in (
        "v0_1_0_cold_ms",
        "v0_1_0_warm_ms",
        "cold_ms",
        "warm_ms",
        "cold_vs_0_1_0",
        "warm_vs_0_1_0",
        "recolour_ms",
        "ledger_ms",
        "cold_kb_uncompressed",
        "cold_kb_compressed",
        "map_only_cold_vs_0_1_0",
        "map_only_warm_vs_0_1_0",
    ):
        assert math.isfinite(results["first_paint"][key]), key
    assert results["first_paint"]["full_bundle_fetched"] == 0  # only 0.1.0 fetches the full plotly.js
    assert results["10k"]["callback_failures"] == 0


def test_first_paint_loads_an_earlier_commit_in_turn_with_the_others(tmp_path, chromium_available):
    # --before serves that commit's own tree beside the page now (benchmarks/first_paint.py).
    earlier = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD~1"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    out = tmp_path / "first_paint.json"
    run = run_module(
        "benchmarks.first_paint", "--loads", "1", "--changes", "0", "--before", earlier, "--json", str(out)
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(out.read_text())
    assert set(results) == {"0.1.0", "partial", "partial+compress", "map-only", "before"}
    for variant in ("before", "map-only", "partial+compress"):
        assert math.isfinite(results[variant]["cold_vs_0_1_0"]), variant
        assert math.isfinite(results[variant]["warm_vs_0_1_0"]), variant
    assert any(line.startswith("before ") for line in run.stdout.splitlines())


def test_small_load_on_gunicorn_has_no_failures():
    pytest.importorskip("gunicorn")
    result = load.main(["--clients", "5", "--requests", "150", "--max-seconds", "60"])
    assert result["requests"] == 150
    assert result["failed"] == 0, result["failures"]
