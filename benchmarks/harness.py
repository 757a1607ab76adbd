"""Measurements: each function returns plain numbers; __main__ prints and compares them.

Everything runs against the real thing: `python -m dashboard serve` in a
subprocess, callbacks over HTTP through /_dash-update-component, the page in
Debian's Chromium, export through kaleido. Medians over repeated runs.
"""

from __future__ import annotations

import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from dashboard.testing import CHROMIUM, CHROMIUM_ARGS, ServerProcess


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@contextmanager
def server(claims: Path | None = None, command: Sequence[str] | None = None):
    """A dashboard server on a free loopback port; yields (base_url, pid)."""
    args = list(command or [sys.executable, "-m", "dashboard", "serve", "--port", "{port}"])
    if claims:
        args += ["--no-bundled", "--claims", str(claims)]  # the synthetic records alone
    process = ServerProcess(args)
    try:
        yield process.url, process.pid
    finally:
        process.stop()


def cold_start(runs: int) -> dict:
    """Seconds from `contested-map serve` to the first page answered."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with server() as (url, _pid), urllib.request.urlopen(url + "/", timeout=60) as response:
            response.read()
            times.append(time.perf_counter() - started)
    return {"cold_start_s": median(times)}


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _post(url: str, payload: dict) -> tuple[float, int, int]:
    body = json.dumps(payload).encode()
    request = urllib.request.Request(
        url + "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            data = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        data, status = error.read(), error.code
    return (time.perf_counter() - started) * 1000, len(data), status


def _filter_inputs(rng: random.Random, days: int) -> list[dict]:
    low = rng.randrange(0, days)
    high = rng.randrange(low, days + 1)
    codes = ["UA-43", "UA-40", "UA-14", "UA-09", "UA-65", "UA-23", "UA-32", "UA-51"]
    regions = rng.sample(codes, rng.choice((0, 0, 1, 2)))
    parties = rng.sample(["russia", "ukraine", "west"], rng.choice((0, 0, 1)))
    return [
        {"id": "date-range", "property": "value", "value": [low, high]},
        {"id": "region-filter", "property": "value", "value": regions},
        {"id": "party-filter", "property": "value", "value": parties},
        {"id": "article-only", "property": "value", "value": []},
    ]


def _registered(url: str, writes: str) -> tuple[str, list[dict]]:
    """The output key and outputs of the registered callback that writes `writes` (id.property)."""
    with urllib.request.urlopen(url + "/_dash-dependencies", timeout=10) as response:
        callbacks = json.loads(response.read())
    for callback in callbacks:
        parts = callback["output"][2:-2].split("...") if callback["output"].startswith("..") else [callback["output"]]
        if any(part.split("@")[0] == writes for part in parts):
            return callback["output"], [
                dict(zip(("id", "property"), part.rsplit(".", 1), strict=False)) for part in parts
            ]
    raise RuntimeError(f"no callback writes {writes!r}")


def control_layer(url: str, calls: int, seed: int = 11) -> dict:
    """Round-trip ms and KB of the control layer's callback on random date changes."""
    rng = random.Random(seed)
    days = _axis_days(url)
    key, outputs = _registered(url, "control-legend.children")
    times, sizes, failures = [], [], 0
    for _ in range(calls):
        high = rng.randrange(0, days + 1)
        ms, size, status = _post(
            url,
            {
                "output": key,
                "outputs": outputs,
                "inputs": [
                    {"id": "date-range", "property": "value", "value": [0, high]},
                    {"id": "control-layer", "property": "value", "value": ["on"]},
                    {"id": "control-source", "property": "value", "value": None},
                ],
                "state": [LANG_STATE],
                "changedPropIds": ["date-range.value"],
            },
        )
        times.append(ms), sizes.append(size / 1024)
        failures += status >= 400
    return {
        "control_callback_ms_median": median(times),
        "control_callback_ms_p95": p95(times),
        "control_patch_kb_max": max(sizes) if sizes else float("nan"),
        "control_failures": failures,
    }


#: The page's language, which every callback that produces words reads.
LANG_STATE = {"id": "lang", "property": "data", "value": "en"}
#: The control source picker (no source picked: the one covering the map's date).
SOURCE_STATE = {"id": "control-source", "property": "value", "value": None}


def statements_outputs(url: str) -> tuple[str, list[dict]]:
    """The statements callback's output key and output list, as the server registered them.

    It writes more than the two outputs a benchmark reads (the selection, with
    Dash's "@hash" suffix), so the request is built from /_dash-dependencies.
    """
    return _registered(url, "statements.children")


def _axis_days(url: str) -> int:
    with urllib.request.urlopen(url + "/_dash-layout", timeout=10) as response:
        layout = json.loads(response.read())

    def find(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == "date-range":
                return props["max"]
            for value in props.values():
                found = find(value)
                if found is not None:
                    return found
        elif isinstance(node, list):
            for item in node:
                found = find(item)
                if found is not None:
                    return found
        return None

    return int(find(layout))


#: Searches typed in the statements panel: words the synthetic records hold (and one that
#: matches nothing), one and two words, so the all-words rule is timed too.
SEARCHES = ("speaker 7", "benchmark", "record 12", "synthetic claim", "no-such-word", "SPEAKER")


def _statements_payload(
    key: str, specs: list[dict], inputs: list[dict], search: str = "", more: int = 0, limit: int = 50
) -> dict:
    changed = "show-more.n_clicks" if more else "date-range.value"
    return {
        "output": key,
        "outputs": specs,
        "inputs": [
            *inputs,
            {"id": "statement-search", "property": "value", "value": search},
            {"id": "show-more", "property": "n_clicks", "value": more},
        ],
        "state": [
            {"id": "selected-statement", "property": "data", "value": None},
            {"id": "statements-limit", "property": "data", "value": limit},
            LANG_STATE,
        ],
        "changedPropIds": [changed],
    }


def callbacks(url: str, calls: int, seed: int = 7) -> dict:
    """Round-trip ms and response KB of the map, statements and timeline callbacks over HTTP: a
    filter change without a search, one with a search (`q`), "show more", and the timeline."""
    rng = random.Random(seed)
    days = _axis_days(url)
    statements_key, statements_specs = statements_outputs(url)
    map_ms, map_kb, st_ms, st_kb, q_ms, more_ms, failures = [], [], [], [], [], [], 0
    tl_ms, tl_kb = [], []
    timeline_changes = ["date-range.value", "region-filter.value", "party-filter.value"]
    for i in range(calls):
        inputs = _filter_inputs(rng, days)
        search = rng.choice(SEARCHES)
        # The timeline: a date change moves the band; a region or party change redraws the marks.
        ms, size, status = _post(
            url,
            {
                "output": "timeline.figure",
                "outputs": {"id": "timeline", "property": "figure"},
                "inputs": [
                    *inputs,
                    {"id": "statement-search", "property": "value", "value": ""},
                    {"id": "selected-statement", "property": "data", "value": None},
                ],
                "state": [LANG_STATE],
                "changedPropIds": [timeline_changes[i % 3]],
            },
        )
        tl_ms.append(ms), tl_kb.append(size / 1024)
        failures += status >= 400
        ms, size, status = _post(
            url,
            {
                "output": "map.figure",
                "outputs": {"id": "map", "property": "figure"},
                "inputs": [
                    *inputs,
                    {"id": "selected-statement", "property": "data", "value": None},
                    {"id": "statement-search", "property": "value", "value": ""},
                ],
                "state": [LANG_STATE, SOURCE_STATE],
                "changedPropIds": ["date-range.value"],
            },
        )
        map_ms.append(ms), map_kb.append(size / 1024)
        failures += status >= 400
        ms, size, status = _post(url, _statements_payload(statements_key, statements_specs, inputs))
        st_ms.append(ms), st_kb.append(size / 1024)
        failures += status >= 400
        ms, _size, status = _post(url, _statements_payload(statements_key, statements_specs, inputs, search))
        q_ms.append(ms)
        failures += status >= 400
        # "Show more" on the full range: 100 to 300 records built (the list's worst case short of the cap).
        full = [
            {"id": "date-range", "property": "value", "value": [0, days]},
            *inputs[1:2],
            {"id": "party-filter", "property": "value", "value": []},
            {"id": "article-only", "property": "value", "value": []},
        ]
        ms, _size, status = _post(
            url, _statements_payload(statements_key, statements_specs, full, more=1, limit=rng.choice((50, 150, 250)))
        )
        more_ms.append(ms)
        failures += status >= 400
    return {
        "map_callback_ms_median": median(map_ms),
        "map_callback_ms_p95": p95(map_ms),
        "map_callback_kb": median(map_kb),
        "statements_callback_ms_median": median(st_ms),
        "statements_callback_ms_p95": p95(st_ms),
        "statements_callback_kb": median(st_kb),
        "timeline_callback_ms_median": median(tl_ms),
        "timeline_callback_ms_p95": p95(tl_ms),
        "timeline_patch_kb_max": max(tl_kb) if tl_kb else float("nan"),
        "statements_search_ms_median": median(q_ms),
        "statements_search_ms_p95": p95(q_ms),
        "show_more_ms_median": median(more_ms),
        "show_more_ms_p95": p95(more_ms),
        "callback_failures": failures,
    }


def browser(url: str, repaints: int) -> dict:
    """Initial page data (KB, without JS/CSS bundles) and repaint time after a filter change."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        sizes: dict[str, int] = {}

        def record(response):
            path = response.url.split("?")[0]
            if "/_dash-component-suites/" in path or "/assets/" in path or "/_basemap/" in path:
                return
            # A redirect or an aborted response has no body to count.
            with contextlib.suppress(PlaywrightError):
                sizes[path] = sizes.get(path, 0) + len(response.body())

        page.on("response", record)
        page.goto(url + "/")
        page.wait_for_selector("#statements [data-statement-id], #statements .empty", state="attached")
        page.wait_for_load_state("networkidle")
        initial_kb = sum(sizes.values()) / 1024
        page.remove_listener("response", record)

        # Time from the pointer going down on the slider to the map's colours changing.
        page.evaluate("""() => {
            window.__bench = {t0: 0, dt: []};
            const track = document.querySelector('#date-range .dash-slider-root');
            track.addEventListener('pointerdown', () => { window.__bench.t0 = performance.now(); }, true);
            const fillOf = () => Array.from(document.querySelectorAll('#map path.choroplethlocation'))
                .map(p => getComputedStyle(p).fill).join();
            let last = fillOf();
            new MutationObserver(() => {
                const now = fillOf();
                if (now !== last && window.__bench.t0) {
                    window.__bench.dt.push(performance.now() - window.__bench.t0);
                    window.__bench.t0 = 0;
                }
                last = now;
            }).observe(document.querySelector('#map'), {subtree: true, attributes: true, childList: true});
        }""")
        track = page.locator("#date-range .dash-slider-track").bounding_box()
        for i in range(repaints):
            share = 0.55 if i % 2 == 0 else 0.97  # 2018 (no annexation declared for the four regions) <-> 2023
            page.mouse.click(track["x"] + share * track["width"], track["y"] + track["height"] / 2)
            page.wait_for_function("n => window.__bench.dt.length >= n", arg=i + 1, timeout=15_000)
        repaint = page.evaluate("window.__bench.dt")
        chromium.close()
    return {"initial_page_data_kb": initial_kb, "repaint_ms_median": median(repaint)}


def export(claims: Path | None, warm_runs: int, batch: int, cold_runs: int = 3) -> dict:
    """Seconds per PNG: cold (browser start included), warm, and per image over a batch."""
    import datetime as dt

    from dashboard.cli.export import export_batch
    from dashboard.core.filters import FilterState
    from dashboard.render.export_figure import image_figure
    from dashboard.render.export_options import ImageOptions
    from dashboard.render.exporter import Exporter
    from dashboard.sources.dataset import load_dataset
    from dashboard.sources.paths import assets_dir, plotlyjs_bundle
    from dashboard.text import text_for

    data = load_dataset(claims_paths=[claims] if claims else None)
    text = text_for()
    options = ImageOptions()
    state = FilterState(data.axis.first_day, data.axis.last_day)
    exporter = Exporter(assets_dir() / "topojson", plotlyjs=plotlyjs_bundle())
    cold = []
    for _ in range(cold_runs):
        started = time.perf_counter()
        exporter.render(image_figure(data, state, options, text), options)
        cold.append(time.perf_counter() - started)
        exporter.close()
    exporter.render(image_figure(data, state, options, text), options)
    warm = []
    for _ in range(warm_runs):
        started = time.perf_counter()
        exporter.render(image_figure(data, state, options, text), options)
        warm.append(time.perf_counter() - started)
    span = (data.axis.last_day - data.axis.first_day).days
    states = [
        FilterState(data.axis.first_day, data.axis.first_day + dt.timedelta(days=span * (i + 1) // batch))
        for i in range(batch)
    ]
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        export_batch(data, exporter, states, options, Path(directory))
        per_image = (time.perf_counter() - started) / batch
    exporter.close()
    return {"export_cold_s": median(cold), "export_warm_s": median(warm), "export_batch_s_per_image": per_image}
