"""Places: how long a place's history takes to look up (the CLI's and the page's path), the search as
you type, and the held-places test per snapshot at control import.

    python -m benchmarks.places [--lookups 500]

Target: a history look-up (name -> place -> runs -> words) at p95 <= 50 ms. Data is loaded once
before timing, as the server and the CLI do; each look-up then slices the precomputed arrays.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from benchmarks.harness import median, p95

REPO = Path(__file__).resolve().parents[1]
DAILY = REPO.parent / "shared" / "data" / "deepstate-daily"


def _timed(fn, items) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def run(lookups: int = 500, days: int = 20, seed: int = 5) -> dict[str, float]:
    from dashboard.core.place_history import place_history, place_record
    from dashboard.core.places import mention_text
    from dashboard.sources.dataset import load_dataset
    from dashboard.text.places import history_lines, history_summary
    from dashboard.web.context import page_contexts
    from dashboard.web.panels.places import history_panel, picked_place

    data = load_dataset()
    gazetteer, control = data.places, data.control
    rng = random.Random(seed)
    frame = gazetteer.frame
    rows = [rng.randrange(len(frame)) for _ in range(lookups)]
    names = [str(frame["name"].iat[r]) for r in rows]
    ids = [str(frame["geonameid"].iat[r]) for r in rows]
    page = page_contexts(data, None, "/topojson/")["en"]  # the export service is not used here
    texts = {c.id: mention_text([c.quote, c.summary], [c.source.publisher]) for c in data.claims}

    def cli_lookup(name: str) -> None:
        place = gazetteer.resolve(name)
        history = place_history(control, place)
        place_record(history, gazetteer, name)
        history_summary(history, page.text)
        history_lines(history, page.text)

    def page_lookup(value: str) -> None:
        history_panel(page, picked_place(page, value), texts)

    result = {
        "place_lookup_ms_median": 0.0,
        "place_lookup_ms_p95": 0.0,
        "place_panel_ms_median": 0.0,
        "place_panel_ms_p95": 0.0,
    }
    cli = _timed(cli_lookup, names)
    panel = _timed(page_lookup, ids)
    typed = [n[: rng.randint(2, max(2, len(n)))] for n in names]
    search = _timed(gazetteer.search, typed)
    history_only = _timed(lambda i: place_history(control, gazetteer.get(int(i))), ids)
    result.update(
        {
            "place_lookup_ms_median": median(cli),
            "place_lookup_ms_p95": p95(cli),
            "place_panel_ms_median": median(panel),
            "place_panel_ms_p95": p95(panel),
            "place_search_ms_p95": p95(search),
            "place_history_only_ms_p95": p95(history_only),
        }
    )
    files = sorted(DAILY.glob("deepstatemap_data_*.geojson"))[-days:] if DAILY.is_dir() else []
    if files:
        import shapely
        from shapely.geometry import shape

        from dashboard.core.held_places import held_ids

        per_day = []
        for path in files:
            area = shapely.MultiPolygon(shape(json.loads(path.read_text())["features"][0]["geometry"]))
            started = time.perf_counter()
            held_ids(area, gazetteer.ids, gazetteer.lons, gazetteer.lats)
            per_day.append((time.perf_counter() - started) * 1000)
        result["held_places_ms_per_day"] = median(per_day)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.places", description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=500)
    args = parser.parse_args()
    for key, value in run(args.lookups).items():
        print(f"{key}: {value:.3f}")


if __name__ == "__main__":
    main()
