"""The control import benchmark runs on tiny settings (no timings asserted: benchmarks are not tests)."""

from __future__ import annotations

import itertools
import math

import pytest

from benchmarks import control, control_history
from dashboard.sources.control_formats import day_from_name
from dashboard.testing import run_module
from tests.control_helpers import DAILY, RAW, need_shared


@pytest.mark.slow
def test_control_benchmark_quick():
    results = control.run(1, need_shared(DAILY), quick=True)
    assert results["control_import_files"] == 19
    assert math.isfinite(results["control_import_all_s"]) and math.isfinite(results["control_new_day_s"])


@pytest.mark.slow
def test_control_history_benchmark_runs_with_three_snapshots():
    need_shared(RAW)
    run = run_module("benchmarks.control_history", "--raw-count", "3")
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 2, run.stdout
    for workers, line in zip((1, 2), lines, strict=True):
        assert line.startswith(f"3 raw snapshots, {workers} worker(s): ") and "files/s" in line, line
        peak = float(line.rsplit("peak memory ", 1)[1].split()[0])
        assert 50 < peak < 4000  # a real measurement of a Python process with GeoPandas loaded


def test_generated_history_names_are_a_day_apart(tmp_path):
    made = control_history.generate(need_shared(RAW), 8, tmp_path / "raw")
    days = [day_from_name(p)[0] for p in made]
    assert len(set(days)) == 8 and all((b - a).days == 1 for a, b in itertools.pairwise(days))
    assert made[6].read_bytes() == made[0].read_bytes()  # the six shared files in turn
