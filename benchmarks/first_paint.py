"""First paint against release 0.1.0: how long until the map draws, and how many bytes a load moves.

    python -m benchmarks.first_paint [--loads 10] [--changes 10] [--before COMMIT] [--json FILE]

In one run and one browser, against four servers on loopback, all running at once:

- `0.1.0`: release 0.1.0 (commit 72d2bfd), written into a temporary folder and served
  from there with this venv's Python (benchmarks/release.py): the baseline of the targets;
- `partial`: the page now (partial bundle, preloads, caching) without compression;
- `partial+compress`: the page now as `serve` runs it (compressed);
- `map-only`: the same server with nothing on the page but the map panel (benchmarks/map_only.py):
  the floor under the targets, how fast the stack itself (Dash's renderer, plotly.js) draws the
  first region, whatever else the first screen holds;
- `before` (with `--before COMMIT`): that commit's page as `serve` ran it, written into a
  temporary folder like 0.1.0: the page now against an earlier one, in the same run.

For each, `--loads` cold loads (a fresh browser context: empty cache, a fresh profile) and
as many warm reloads (the same context reloaded), taken in turn: one load of each variant, then
the next round, so a machine that slows down during the run slows every variant alike.
Time is from navigation start to the first region drawn on the map
(`#map path.choroplethlocation`, seen by a MutationObserver in the page, on the page's own
clock); bytes are what crossed the wire until the network
went idle (Chromium's encodedDataLength: compressed bytes where compressed). Then, on the
page as `serve` runs it, `--changes` date changes (benchmarks/date_change.py): the map
recoloured and the ledger updated. Medians; the ratios are the page now (compressed)
over 0.1.0, cold over cold and warm over warm.

0.1.0 itself is the baseline (it loads Dash's full plotly.js), so no variant of today's page
imitates it.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path

from benchmarks import date_change, release
from benchmarks.harness import median
from dashboard.testing import CHROMIUM, CHROMIUM_ARGS, ServerProcess

#: Variant name -> extra `serve` arguments of the page now (0.1.0 runs as it was).
VARIANTS: dict[str, list[str]] = {
    "0.1.0": [],
    "partial": ["--no-compress"],
    "partial+compress": [],
    "map-only": [],
}
BASELINE = "0.1.0"
#: The variant served by benchmarks/map_only.py instead of `python -m dashboard serve`.
FLOOR = "map-only"
#: An earlier commit's page (`--before COMMIT`), served from its own tree like 0.1.0.
BEFORE = "before"
#: The variants compared with 0.1.0 (`before` too, when asked for).
COMPARED = ("partial", "partial+compress", FLOOR, BEFORE)
#: The variant the date changes are timed on: the page as `serve` runs it.
SERVED = "partial+compress"
FULL_BUNDLE = "/_dash-component-suites/plotly/package_data/plotly.min.js"

#: Runs before the page's own scripts: note when the map's first region is drawn.
_WATCH_FIRST_REGION = """
(() => {
  const seen = () => document.querySelector('#map path.choroplethlocation');
  new MutationObserver((_, observer) => {
    if (window.__firstRegion === undefined && seen()) {
      window.__firstRegion = performance.now();
      observer.disconnect();
    }
  }).observe(document, {subtree: true, childList: true});
})();
"""


def _load(context, url: str, reload: bool = False) -> dict:
    """One navigation (or reload) in `context`: ms to the first region, bytes moved, requests made."""
    page = context.pages[0] if reload else context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    moved: dict[str, int] = {}
    urls: dict[str, str] = {}
    session.on("Network.requestWillBeSent", lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]))
    session.on(
        "Network.loadingFinished", lambda event: moved.__setitem__(event["requestId"], event["encodedDataLength"])
    )
    if reload:
        page.reload()
    else:
        page.goto(url + "/")
    page.wait_for_function("window.__firstRegion !== undefined", timeout=60_000)
    page.wait_for_load_state("networkidle")
    first = page.evaluate("window.__firstRegion")
    session.detach()
    return {
        "ms": first,
        "bytes": sum(moved.values()),
        "requests": sorted({urls.get(key, "?").replace(url, "") for key, size in moved.items() if size > 0}),
    }


def _server(variant: str, trees: dict[str, Path]) -> ServerProcess:
    if variant in trees:  # 0.1.0, and an earlier commit: served from their own trees
        return release.server(trees[variant])
    command = ["-m", "benchmarks.map_only"] if variant == FLOOR else ["-m", "dashboard", "serve"]
    return ServerProcess([sys.executable, *command, "--port", "{port}", *VARIANTS[variant]])


def _cold_then_warm(browser, url: str) -> tuple[dict, dict]:
    """A cold load in a fresh context, then a warm reload of it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(_WATCH_FIRST_REGION)
    try:
        return _load(context, url), _load(context, url, reload=True)
    finally:
        context.close()


def _figures(loads: list[tuple[dict, dict]]) -> dict:
    """Medians of one variant's loads (cold, warm) and what its last warm reload asked for."""
    return {
        "cold_ms": median([cold["ms"] for cold, _ in loads]),
        "warm_ms": median([warm["ms"] for _, warm in loads]),
        "cold_kb": median([cold["bytes"] for cold, _ in loads]) / 1024,
        "warm_kb": median([warm["bytes"] for _, warm in loads]) / 1024,
        "full_bundle_fetched": sum(
            any(path.split("?")[0].endswith(FULL_BUNDLE) for path in cold["requests"]) for cold, _ in loads
        ),
        "warm_requests": loads[-1][1]["requests"],
    }


def run(loads: int, changes: int = 10, before: str | None = None) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    variants = [*VARIANTS, *([BEFORE] if before else [])]
    with sync_playwright() as playwright, ExitStack() as stack:  # the stack (browser, servers) closes first
        trees = {BASELINE: stack.enter_context(release.checkout())}
        if before:
            trees[BEFORE] = stack.enter_context(release.checkout(before))
        servers = {}
        for variant in variants:
            servers[variant] = _server(variant, trees)
            stack.callback(servers[variant].stop)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        taken: dict[str, list[tuple[dict, dict]]] = {variant: [] for variant in variants}
        for round_ in range(loads):
            print(f"first paint: round {round_ + 1} of {loads} ({', '.join(variants)}) ...", flush=True)
            for variant in variants:
                taken[variant].append(_cold_then_warm(browser, servers[variant].url))
        results = {variant: _figures(taken[variant]) for variant in variants}
        if changes:
            # Timed with the page's own server alone, as the loads are not.
            for variant in variants:
                if variant != SERVED:
                    servers[variant].stop()
            print(f"first paint: {changes} date changes on {SERVED} ...", flush=True)
            results[SERVED].update(date_change.measure(servers[SERVED].url, browser, changes))
    base = results[BASELINE]
    for variant in COMPARED:
        if variant in results:
            results[variant]["cold_vs_0_1_0"] = results[variant]["cold_ms"] / base["cold_ms"]
            results[variant]["warm_vs_0_1_0"] = results[variant]["warm_ms"] / base["warm_ms"]
    return results


def summary(results: dict[str, dict]) -> dict[str, float]:
    """The figures `python -m benchmarks` prints: the page now (compressed, as `serve` runs it),
    the same page uncompressed, release 0.1.0, and the floor (the map alone)."""
    base, plain, served, floor = results[BASELINE], results["partial"], results["partial+compress"], results[FLOOR]
    return {
        "v0_1_0_cold_ms": base["cold_ms"],
        "v0_1_0_warm_ms": base["warm_ms"],
        "v0_1_0_cold_kb": base["cold_kb"],
        "cold_ms": served["cold_ms"],
        "warm_ms": served["warm_ms"],
        "cold_vs_0_1_0": served["cold_vs_0_1_0"],
        "warm_vs_0_1_0": served["warm_vs_0_1_0"],
        "recolour_ms": served.get("recolour_ms", float("nan")),
        "ledger_ms": served.get("ledger_ms", float("nan")),
        "cold_kb_uncompressed": plain["cold_kb"],
        "cold_kb_compressed": served["cold_kb"],
        "warm_kb_compressed": served["warm_kb"],
        "map_only_cold_vs_0_1_0": floor["cold_vs_0_1_0"],
        "map_only_warm_vs_0_1_0": floor["warm_vs_0_1_0"],
        "full_bundle_fetched": float(
            plain["full_bundle_fetched"] + served["full_bundle_fetched"] + floor["full_bundle_fetched"]
        ),
    }


#: (variant, metric, target, unit): a figure passes when it is at most the target.
TARGETS = (
    ("0.1.0", "cold_ms", None, "ms"),
    ("0.1.0", "warm_ms", None, "ms"),
    ("0.1.0", "cold_kb", None, "KB"),
    ("partial", "cold_ms", None, "ms"),
    ("partial", "warm_ms", None, "ms"),
    ("partial", "cold_kb", 2.5 * 1024, "KB"),
    ("partial", "cold_vs_0_1_0", None, ""),
    ("partial", "warm_vs_0_1_0", None, ""),
    ("partial+compress", "cold_ms", None, "ms"),
    ("partial+compress", "warm_ms", None, "ms"),
    ("partial+compress", "cold_kb", 800.0, "KB"),
    ("partial+compress", "warm_kb", None, "KB"),
    ("partial+compress", "cold_vs_0_1_0", 0.40, ""),
    ("partial+compress", "warm_vs_0_1_0", 0.50, ""),
    ("partial+compress", "recolour_ms", 100.0, "ms"),
    ("partial+compress", "ledger_ms", 300.0, "ms"),
    # The floor: no target of its own; a ratio here above a target above means no page can meet it.
    ("map-only", "cold_ms", None, "ms"),
    ("map-only", "warm_ms", None, "ms"),
    ("map-only", "cold_vs_0_1_0", None, ""),
    ("map-only", "warm_vs_0_1_0", None, ""),
    # An earlier commit's page (--before), beside the page now.
    (BEFORE, "cold_ms", None, "ms"),
    (BEFORE, "warm_ms", None, "ms"),
    (BEFORE, "cold_vs_0_1_0", None, ""),
    (BEFORE, "warm_vs_0_1_0", None, ""),
)


def table(results: dict[str, dict]) -> str:
    rows = [("variant", "metric", "median", "target", "")]
    for variant, metric, target, unit in TARGETS:
        value = results.get(variant, {}).get(metric)
        if value is None:
            continue
        verdict = "" if target is None else ("ok" if value <= target else "MISSED")
        rows.append(
            (
                variant,
                metric,
                f"{value:.3f} {unit}".strip(),
                "" if target is None else f"<= {target:g} {unit}".strip(),
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    for variant, figures in results.items():
        lines.append(
            f"{variant}: full plotly.js fetched on {figures['full_bundle_fetched']} cold loads; "
            f"a warm reload asked the server for: {', '.join(figures['warm_requests']) or 'nothing'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.first_paint", description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10, help="cold loads (and warm reloads) per variant")
    parser.add_argument("--changes", type=int, default=10, help="date changes timed on the page now")
    parser.add_argument(
        "--before", metavar="COMMIT", help="also load this earlier commit's page, in turn with the others"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = run(args.loads, args.changes, args.before)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
