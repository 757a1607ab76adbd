"""`python -m benchmarks`: measure, print a table of medians against the targets, optionally save JSON.

python -m benchmarks                    # full run (a few minutes)
python -m benchmarks --quick            # tiny settings, a smoke test of the harness
python -m benchmarks --json bench.json  # also write the figures
python -m benchmarks --raw-count 200    # raw-history import of 200 generated snapshots (default 1000)
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path

from benchmarks import animation, control, control_change, control_history, draft, first_paint, harness, places
from dashboard.testing import synthetic_claims

#: (metric, scale, target, unit): a figure passes when it is at most the target.
TARGETS: tuple[tuple[str, str, float, str], ...] = (
    ("cold_start_s", "article", 3.0, "s"),
    ("map_callback_ms_median", "article", 15.0, "ms"),
    ("map_callback_ms_p95", "article", 40.0, "ms"),
    ("statements_callback_ms_median", "article", 15.0, "ms"),
    ("statements_callback_ms_p95", "article", 40.0, "ms"),
    ("map_callback_kb", "article", 5.0, "KB"),
    ("initial_page_data_kb", "article", 400.0, "KB"),
    ("repaint_ms_median", "article", 100.0, "ms"),
    ("export_warm_s", "article", 0.3, "s"),
    ("export_cold_s", "article", 2.5, "s"),
    ("export_batch_s_per_image", "article", None, "s"),
    ("peak_memory_mb", "article", None, "MB"),
    ("callback_failures", "article", 0.0, ""),
    ("map_callback_ms_p95", "10k", 60.0, "ms"),
    ("statements_callback_ms_p95", "10k", 60.0, "ms"),
    ("statements_search_ms_p95", "article", 40.0, "ms"),
    ("statements_search_ms_p95", "10k", 60.0, "ms"),
    ("statements_search_ms_median", "10k", None, "ms"),
    ("show_more_ms_p95", "10k", None, "ms"),
    ("show_more_ms_median", "10k", None, "ms"),
    ("map_callback_ms_median", "10k", None, "ms"),
    ("statements_callback_ms_median", "10k", None, "ms"),
    ("map_callback_kb", "10k", 5.0, "KB"),
    ("timeline_callback_ms_median", "article", None, "ms"),
    ("timeline_callback_ms_p95", "article", 40.0, "ms"),
    ("timeline_patch_kb_max", "article", 50.0, "KB"),
    ("timeline_callback_ms_median", "10k", None, "ms"),
    ("timeline_callback_ms_p95", "10k", 60.0, "ms"),
    ("timeline_patch_kb_max", "10k", 50.0, "KB"),
    ("statements_callback_kb", "10k", None, "KB"),
    ("initial_page_data_kb", "10k", 400.0, "KB"),
    ("repaint_ms_median", "10k", None, "ms"),
    ("peak_memory_mb", "10k", 400.0, "MB"),
    ("callback_failures", "10k", 0.0, ""),
    ("control_import_all_s", "control", 30.0, "s"),
    ("control_callback_ms_median", "article", None, "ms"),
    ("control_callback_ms_p95", "article", 40.0, "ms"),
    ("control_patch_kb_max", "article", 40.0, "KB"),
    ("control_new_day_s", "control", 1.0, "s"),
    # Change of control over a range: the ledger with its change columns (benchmarks/control_change.py).
    ("change_ledger_ms_median", "control", None, "ms"),
    ("change_ledger_ms_p95", "control", 300.0, "ms"),
    ("change_map_layer_ms_p95", "control", None, "ms"),
    ("change_monthly_cold_ms", "control", None, "ms"),
    ("change_monthly_warm_ms", "control", None, "ms"),
    # First paint and a date change, all in one run against release 0.1.0: benchmarks/first_paint.py.
    ("v0_1_0_cold_ms", "first_paint", None, "ms"),
    ("v0_1_0_warm_ms", "first_paint", None, "ms"),
    ("v0_1_0_cold_kb", "first_paint", None, "KB"),
    ("cold_ms", "first_paint", None, "ms"),
    ("warm_ms", "first_paint", None, "ms"),
    ("cold_vs_0_1_0", "first_paint", 0.40, ""),
    ("warm_vs_0_1_0", "first_paint", 0.50, ""),
    ("recolour_ms", "first_paint", 100.0, "ms"),
    ("ledger_ms", "first_paint", 300.0, "ms"),
    ("cold_kb_uncompressed", "first_paint", 2.5 * 1024, "KB"),
    ("cold_kb_compressed", "first_paint", 800.0, "KB"),
    ("warm_kb_compressed", "first_paint", None, "KB"),
    # The same two ratios for the page with nothing on it but the map (benchmarks/map_only.py): the floor.
    ("map_only_cold_vs_0_1_0", "first_paint", None, ""),
    ("map_only_warm_vs_0_1_0", "first_paint", None, ""),
    ("full_bundle_fetched", "first_paint", 0.0, ""),
    ("draft_5000_words_s", "draft", 1.0, "s"),
    ("draft_5000_words_first_s", "draft", 1.0, "s"),
    ("draft_command_s", "draft", None, "s"),
    # Raw-history import (benchmarks/control_history.py): --raw-count generated raw snapshots.
    ("history_1w_s", "control_history", None, "s"),
    ("history_1w_files_per_s", "control_history", None, ""),
    ("history_1w_s_per_1000", "control_history", 600.0, "s"),
    ("history_1w_peak_mb", "control_history", 2048.0, "MB"),
    ("history_2w_s", "control_history", None, "s"),
    ("history_2w_files_per_s", "control_history", None, ""),
    ("history_2w_s_per_1000", "control_history", 600.0, "s"),
    ("history_2w_peak_mb", "control_history", 2048.0, "MB"),
    # Places: a place's history looked up (CLI: name -> runs -> words; page: the panel), the search.
    ("place_lookup_ms_median", "places", None, "ms"),
    ("place_lookup_ms_p95", "places", 50.0, "ms"),
    ("place_panel_ms_median", "places", None, "ms"),
    ("place_panel_ms_p95", "places", 50.0, "ms"),
    ("place_search_ms_p95", "places", None, "ms"),
    ("held_places_ms_per_day", "places", None, "ms"),
    # Animation: 100 weekly frames at 1200×800 into a checked GIF with one warm browser (benchmarks/animation.py).
    ("animation_gif_total_s", "animation", 60.0, "s"),
    ("animation_render_s_per_frame", "animation", None, "s"),
    ("animation_kaleido_batch_s_per_frame", "animation", None, "s"),
    ("animation_mp4_encode_check_s", "animation", None, "s"),
    ("animation_gif_mb", "animation", None, "MB"),
)


def run(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {
        "article": {},
        "10k": {},
        "control": {},
        "first_paint": {},
        "draft": {},
        "control_history": {},
        "places": {},
        "animation": {},
    }
    if not args.skip_places:
        print("places ...", flush=True)
        results["places"].update(places.run(20 if args.quick else 500, days=2 if args.quick else 20))
    if not args.skip_draft:
        print("draft ...", flush=True)
        results["draft"].update(draft.run(1 if args.quick else 5))
    if not args.skip_control:
        print("control import ...", flush=True)
        results["control"].update(control.run(1 if args.quick else 3, quick=args.quick))
        print("control change ...", flush=True)
        results["control"].update(control_change.run(5 if args.quick else 40))
    if not args.skip_control_history:
        print(f"control history import ({args.raw_count} raw snapshots) ...", flush=True)
        results["control_history"].update(control_history.run(args.raw_count))
    article = results["article"]
    print("cold start ...", flush=True)
    article.update(harness.cold_start(args.runs))
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "claims-synthetic.json"
        big.write_text(json.dumps(synthetic_claims(args.records)))
        for scale, claims in (("article", None), ("10k", big)):
            print(f"callbacks over HTTP ({scale}) ...", flush=True)
            with harness.server(claims) as (url, pid):
                results[scale].update(harness.callbacks(url, args.calls))
                if scale == "article":
                    results[scale].update(harness.control_layer(url, args.calls))
                if not args.skip_browser:
                    print(f"browser ({scale}) ...", flush=True)
                    try:
                        results[scale].update(harness.browser(url, args.repaints))
                    except Exception as exc:  # noqa: BLE001 - one failed measurement is reported, the rest run
                        print(f"  browser measurement failed: {str(exc).splitlines()[0]}", flush=True)
                results[scale]["peak_memory_mb"] = harness.peak_memory_mb(pid)
    if not args.skip_browser:
        try:
            results["first_paint"].update(first_paint.summary(first_paint.run(args.loads, args.repaints)))
        except Exception as exc:  # noqa: BLE001 - one failed measurement is reported, the rest run
            print(f"  first-paint measurement failed: {str(exc).splitlines()[0]}", flush=True)
    if not args.skip_export:
        print("export ...", flush=True)
        article.update(harness.export(None, args.warm, args.batch, cold_runs=1 if args.quick else 3))
    if not args.skip_export and not args.skip_animation:
        print("animation ...", flush=True)
        results["animation"].update(animation.run(args.frames, quick=args.quick))
    return results


def table(results: dict[str, dict[str, float]]) -> str:
    rows = [("metric", "data", "median", "target", "")]
    for metric, scale, target, unit in TARGETS:
        value = results.get(scale, {}).get(metric)
        if value is None:
            continue
        shown = f"{value:.3f} {unit}".strip() if isinstance(value, float) else f"{value} {unit}".strip()
        verdict = (
            ""
            if target is None or (isinstance(value, float) and math.isnan(value))
            else ("ok" if value <= target else "MISSED")
        )
        rows.append((metric, scale, shown, "" if target is None else f"<= {target:g} {unit}".strip(), verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold-start runs (median)")
    parser.add_argument("--calls", type=int, default=200, help="HTTP calls per callback")
    parser.add_argument("--repaints", type=int, default=10, help="filter changes timed in the browser")
    parser.add_argument(
        "--loads", type=int, default=10, help="cold page loads (and warm reloads) per first-paint variant"
    )
    parser.add_argument("--warm", type=int, default=10, help="warm export runs")
    parser.add_argument("--batch", type=int, default=20, help="images in the export batch")
    parser.add_argument("--records", type=int, default=10_000, help="synthetic records for the scale run")
    parser.add_argument("--skip-browser", action="store_true", help="skip the Playwright measurements")
    parser.add_argument("--skip-export", action="store_true", help="skip the kaleido measurements")
    parser.add_argument("--skip-animation", action="store_true", help="skip the animation export timing")
    parser.add_argument("--frames", type=int, default=100, help="frames in the animation benchmark")
    parser.add_argument("--skip-control", action="store_true", help="skip the control import timings")
    parser.add_argument("--skip-control-history", action="store_true", help="skip the raw-history import")
    parser.add_argument(
        "--raw-count", type=int, default=1000, help="raw snapshots generated for the raw-history import (default 1000)"
    )
    parser.add_argument("--skip-draft", action="store_true", help="skip the article drafting timings")
    parser.add_argument("--skip-places", action="store_true", help="skip the place look-up timings")
    parser.add_argument("--quick", action="store_true", help="tiny settings: checks the harness works")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.calls, args.repaints, args.warm, args.batch, args.records = 1, 3, 1, 1, 2, 50
        args.loads = 1
        args.raw_count = 3
    results = run(args)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
