"""Change of control between two dates: how long the page's ledger takes with its change columns.

    python -m benchmarks.control_change [--calls 40]

Target: the ledger (declared, held, and the change over the range) updates in <= 300 ms, p95, for
random ranges over the bundled layer, each range's ends new to the process (cold snapshots), on
one core. Also measured: the map's change layer for random ranges (cold), and the monthly breakdown
of the whole bundled range, cold and warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def run(calls: int = 40, seed: int = 7) -> dict[str, float]:
    """Milliseconds; a fresh Dataset, so the change meter's snapshot cache starts empty."""
    from dashboard.render.change_layer import change_layer
    from dashboard.sources.dataset import load_dataset
    from dashboard.text import text_for
    from dashboard.web.panels.ledger import ledger_table

    data = load_dataset()
    text = text_for()
    days = list(data.control.shares.dates)
    rng = random.Random(seed)
    timings = []
    for _ in range(calls):
        start, end = sorted(rng.sample(days, 2))
        began = time.perf_counter()
        ledger_table(data, text, end, start=start)
        timings.append((time.perf_counter() - began) * 1000)
    layers = []
    for _ in range(calls):
        start, end = sorted(rng.sample(days, 2))
        began = time.perf_counter()
        change_layer(data.control.geometry, start, end, True)
        layers.append((time.perf_counter() - began) * 1000)
    first, last = days[0], days[-1]
    fresh = load_dataset().change_meter()
    began = time.perf_counter()
    fresh.monthly(first, last)
    cold = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    fresh.monthly(first, last)
    warm = (time.perf_counter() - began) * 1000
    return {
        "change_ledger_ms_median": statistics.median(timings),
        "change_ledger_ms_p95": _p95(timings),
        "change_map_layer_ms_median": statistics.median(layers),
        "change_map_layer_ms_p95": _p95(layers),
        "change_monthly_cold_ms": cold,
        "change_monthly_warm_ms": warm,
        "change_range_days": float((last - first) / dt.timedelta(days=1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.control_change", description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    for key, value in run(args.calls).items():
        print(f"{key}: {value:.1f}")


if __name__ == "__main__":
    main()
