"""The control import benchmark runs on tiny settings (no timings asserted: benchmarks are not tests)."""

from __future__ import annotations

import math

from benchmarks import control
from tests.control_helpers import DAILY, need


def test_control_benchmark_quick():
    results = control.run(1, need(DAILY), quick=True)
    assert results["control_import_files"] == 19
    assert math.isfinite(results["control_import_all_s"]) and math.isfinite(results["control_new_day_s"])
