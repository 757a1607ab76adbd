"""First paint: how long until the map draws, and how many bytes a page load moves.

    python -m benchmarks.first_paint [--loads 10] [--json FILE]

In one run, against three servers on loopback:

- `full`: the baseline, the page without its first-paint work: Dash's full plotly.js,
  no preloads, no layout or asset caching, no compression (the server runs with
  CONTESTED_MAP_BASELINE_PAGE=1 and --no-compress);
- `partial`: the page now (partial bundle, preloads, caching) without compression;
- `partial+compress`: the partial bundle, compressed (what `serve` does by default).

For each, `--loads` cold loads (a fresh browser context: empty cache) and as many
warm reloads (the same context reloaded). Time is from navigation start to the first
region drawn on the map (`path.choroplethlocation`, seen by a MutationObserver in the
page, on the page's own clock); bytes are what crossed the wire until the network
went idle (Chromium's encodedDataLength: compressed bytes where compressed).
Medians.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from benchmarks.harness import median
from dashboard.testing import CHROMIUM, CHROMIUM_ARGS, ServerProcess

#: Variant name -> (extra `serve` arguments, extra environment).
VARIANTS: dict[str, tuple[list[str], dict[str, str]]] = {
    "full": (["--no-compress"], {"CONTESTED_MAP_BASELINE_PAGE": "1"}),
    "partial": (["--no-compress"], {}),
    "partial+compress": ([], {}),
}
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


def measure(variant: str, loads: int, browser) -> dict:
    args, env = VARIANTS[variant]
    process = ServerProcess(
        [sys.executable, "-m", "dashboard", "serve", "--port", "{port}", *args], env={**os.environ, **env}
    )
    try:
        cold, warm, cold_bytes, warm_bytes, full_fetched = [], [], [], [], 0
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.add_init_script(_WATCH_FIRST_REGION)
            first = _load(context, process.url)
            again = _load(context, process.url, reload=True)
            context.close()
            cold.append(first["ms"]), cold_bytes.append(first["bytes"])
            warm.append(again["ms"]), warm_bytes.append(again["bytes"])
            full_fetched += any(path.split("?")[0].endswith(FULL_BUNDLE) for path in first["requests"])
        return {
            "cold_ms": median(cold),
            "warm_ms": median(warm),
            "cold_kb": median(cold_bytes) / 1024,
            "warm_kb": median(warm_bytes) / 1024,
            "full_bundle_fetched": full_fetched,
            "warm_requests": again["requests"],
        }
    finally:
        process.stop()


def run(loads: int) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for variant in VARIANTS:
                print(f"first paint: {variant} ...", flush=True)
                results[variant] = measure(variant, loads, browser)
        finally:
            browser.close()
    base = results["full"]
    for variant in ("partial", "partial+compress"):
        results[variant]["cold_vs_full"] = results[variant]["cold_ms"] / base["cold_ms"]
        results[variant]["warm_vs_full"] = results[variant]["warm_ms"] / base["cold_ms"]
    return results


def summary(results: dict[str, dict]) -> dict[str, float]:
    """The figures `python -m benchmarks` prints: the page now (compressed, as `serve` runs),
    the same page uncompressed, and the baseline."""
    full, plain, served = results["full"], results["partial"], results["partial+compress"]
    return {
        "full_cold_ms": full["cold_ms"],
        "full_warm_ms": full["warm_ms"],
        "full_cold_kb": full["cold_kb"],
        "cold_ms": served["cold_ms"],
        "warm_ms": served["warm_ms"],
        "cold_vs_full": served["cold_vs_full"],
        "warm_vs_full": served["warm_vs_full"],
        "cold_kb_uncompressed": plain["cold_kb"],
        "cold_kb_compressed": served["cold_kb"],
        "warm_kb_compressed": served["warm_kb"],
        "full_bundle_fetched": float(plain["full_bundle_fetched"] + served["full_bundle_fetched"]),
    }


#: (variant, metric, target, unit): a figure passes when it is at most the target.
TARGETS = (
    ("full", "cold_ms", None, "ms"),
    ("full", "warm_ms", None, "ms"),
    ("full", "cold_kb", None, "KB"),
    ("partial", "cold_ms", None, "ms"),
    ("partial", "warm_ms", None, "ms"),
    ("partial", "cold_kb", 2.5 * 1024, "KB"),
    ("partial", "cold_vs_full", 0.40, ""),
    ("partial", "warm_vs_full", 0.25, ""),
    ("partial+compress", "cold_ms", None, "ms"),
    ("partial+compress", "warm_ms", None, "ms"),
    ("partial+compress", "cold_kb", 800.0, "KB"),
    ("partial+compress", "warm_kb", None, "KB"),
    ("partial+compress", "cold_vs_full", 0.40, ""),
    ("partial+compress", "warm_vs_full", 0.25, ""),
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
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = run(args.loads)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
