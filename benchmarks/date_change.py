"""A date change as the reader feels it: how long until the map is recoloured and the ledger updated.

    python -m benchmarks.date_change [--changes 10]

The page is loaded once; then the end of the date range is moved by a click on the
slider's track, alternately to 2018 (no annexation declared for the four regions) and to
2023, `--changes` times. In the page, on its own clock, from the pointer going down:

- `recolour_ms`: to the first animation frame after the map's region fills changed
  (a MutationObserver on `#map`, the fills read with getComputedStyle);
- `ledger_ms`: to the first animation frame after the ledger table's text changed.

Medians. The page is served as `serve` runs it (compressed).
"""

from __future__ import annotations

import argparse
import sys

from benchmarks.harness import median
from dashboard.testing import CHROMIUM, CHROMIUM_ARGS, ServerProcess

#: Installed once the page has drawn: timestamps of each change after the pointer goes down.
_WATCH_CHANGES = """() => {
  const bench = window.__dateChange = {t0: 0, map: [], ledger: [], mapDone: true, ledgerDone: true};
  const track = document.querySelector('#date-range .dash-slider-root');
  track.addEventListener('pointerdown', () => {
    bench.t0 = performance.now(); bench.mapDone = false; bench.ledgerDone = false;
  }, true);
  const fills = () => Array.from(document.querySelectorAll('#map path.choroplethlocation'))
    .map((p) => getComputedStyle(p).fill).join();
  const ledgerText = () => (document.getElementById('ledger') || {}).textContent || '';
  // The time of the frame that paints a change (requestAnimationFrame runs just before it).
  const stamp = (key, done) => {
    const t0 = bench.t0;
    bench[done] = true;
    requestAnimationFrame(() => bench[key].push(performance.now() - t0));
  };
  let lastFills = fills(), lastLedger = ledgerText();
  new MutationObserver(() => {
    const now = fills();
    if (now !== lastFills && bench.t0 && !bench.mapDone) { stamp('map', 'mapDone'); }
    lastFills = now;
  }).observe(document.getElementById('map'), {subtree: true, attributes: true, childList: true});
  new MutationObserver(() => {
    const now = ledgerText();
    if (now !== lastLedger && bench.t0 && !bench.ledgerDone) { stamp('ledger', 'ledgerDone'); }
    lastLedger = now;
  }).observe(document.getElementById('ledger'), {subtree: true, childList: true, characterData: true});
}"""


def measure(url: str, browser, changes: int) -> dict:
    """Median ms from a click on the slider to the map recoloured and to the ledger updated."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(url + "/")
        page.wait_for_selector("#map path.choroplethlocation", state="attached", timeout=60_000)
        page.wait_for_selector("#ledger tbody tr", state="attached")
        page.wait_for_load_state("networkidle")
        page.evaluate(_WATCH_CHANGES)
        track = page.locator("#date-range .dash-slider-track").bounding_box()
        for i in range(changes):
            share = 0.55 if i % 2 == 0 else 0.97  # 2018 <-> 2023: the fills change both ways
            page.mouse.click(track["x"] + share * track["width"], track["y"] + track["height"] / 2)
            page.wait_for_function(
                "n => window.__dateChange.map.length >= n && window.__dateChange.ledger.length >= n",
                arg=i + 1,
                timeout=30_000,
            )
            page.wait_for_load_state("networkidle")  # the next change starts from a quiet page
        figures = page.evaluate("window.__dateChange")
    finally:
        page.close()
    return {"recolour_ms": median(figures["map"]), "ledger_ms": median(figures["ledger"])}


def run(changes: int, browser=None) -> dict:
    """Serve the page now and measure it (in `browser`, or a Chromium of its own)."""
    process = ServerProcess([sys.executable, "-m", "dashboard", "serve", "--port", "{port}"])
    try:
        if browser is not None:
            return measure(process.url, browser, changes)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return measure(process.url, own, changes)
            finally:
                own.close()
    finally:
        process.stop()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.date_change", description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10, help="date changes timed")
    args = parser.parse_args(argv)
    results = run(args.changes)
    print(f"map recoloured after a date change: {results['recolour_ms']:.0f} ms (target <= 100 ms)")
    print(f"ledger updated after a date change: {results['ledger_ms']:.0f} ms (target <= 300 ms)")
    return results


if __name__ == "__main__":
    main()
