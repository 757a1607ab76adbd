"""Places on real data: the bundled control layer's table of held places, checked against a direct
point-in-polygon over the daily archive (../shared/data/deepstate-daily), and the cache's third table."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from dashboard.core.place_history import place_history
from dashboard.sources.control_cache import ControlCache, bundled_control_dir, load_control
from dashboard.sources.control_import import DEFAULT_CONTROL_SOURCE, import_paths, share_units
from dashboard.sources.places import load_places
from tests.control_helpers import DAILY, copy_daily, need_shared

#: Towns whose status changed in 2024-2026 per the archive (found by computing): geonameid -> name.
TOWNS = {704422: "Pokrovsk", 695357: "Kurakhove", 709354: "Toretsk", 689304: "Vovchansk"}


@pytest.fixture(scope="module")
def control():
    return load_control()


@pytest.fixture(scope="module")
def gazetteer():
    return load_places()


@pytest.fixture(scope="module")
def direct() -> dict[int, dict[dt.date, bool]]:
    """Per town and archived day: does the day's occupied MultiPolygon contain the town's point?"""
    gazetteer = load_places()
    points = {g: gazetteer.get(g) for g in TOWNS}
    out: dict[int, dict[dt.date, bool]] = {g: {} for g in TOWNS}
    for path in sorted(need_shared(DAILY).glob("deepstatemap_data_*.geojson")):
        day = dt.datetime.strptime(path.stem.rsplit("_", 1)[1], "%Y%m%d").date()
        area = shape(json.loads(path.read_text())["features"][0]["geometry"])
        for g, place in points.items():
            out[g][day] = bool(shapely.contains_xy(area, place.lon, place.lat))
    return out


def test_the_bundled_layer_carries_its_table(control):
    assert control.places is not None and control.places.note == ""
    assert control.places.dates == control.shares.dates
    assert "places" in ControlCache(bundled_control_dir()).manifest()["sources"][0]["files"]


@pytest.mark.slow
@pytest.mark.parametrize("geonameid", list(TOWNS))
def test_history_equals_a_direct_point_in_polygon(control, gazetteer, direct, geonameid):
    place = gazetteer.get(geonameid)
    assert place.name == TOWNS[geonameid]
    history = place_history(control, place)
    expected = direct[geonameid]
    assert set(expected) == set(control.places.dates)
    first_held = min((d for d, held in expected.items() if held), default=None)
    assert history.first_held == first_held
    # Every day, not only the first: each run's days hold exactly what the archive's polygon says.
    for run in history.runs:
        days = [d for d in expected if run.start <= d <= run.end]
        assert days and all(expected[d] == run.held for d in days), (run, place.name)
    assert len(history.runs) >= 2  # its status changed


def test_pokrovsk_in_words(control, gazetteer):
    from dashboard.text import text_for
    from dashboard.text.places import history_summary

    history = place_history(control, gazetteer.best("Pokrovsk"))
    assert [(r.start, r.held) for r in history.runs][-2:] == [
        (dt.date(2024, 7, 9), False),
        (dt.date(2025, 11, 20), True),
    ]
    assert (
        history_summary(history, text_for("en"))
        == "Held by Russian forces per DeepStateMap since 20 Nov 2025; not held on 19 Nov 2025."
    )
    assert history_summary(history, text_for("uk")).startswith(
        "Утримують російські сили за DeepStateMap з 20 лист. 2025"
    )


def test_crimea_is_held_on_every_day(control, gazetteer):
    for name in ("Sevastopol", "Simferopol", "Yalta", "Kerch"):
        runs = place_history(control, gazetteer.best(name)).runs
        assert [r.held for r in runs] == [True], name


def test_a_cache_without_the_table_computes_it_at_load(tmp_path, control, gazetteer):
    folder = tmp_path / "old"
    shutil.copytree(bundled_control_dir(), folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / manifest["files"].pop("places")).unlink()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    old = load_control(folder)
    assert old.places.note == "from_geometry" and old.places.dates == control.places.dates
    pokrovsk = gazetteer.best("Pokrovsk")
    stored, computed = place_history(control, pokrovsk).first_held, place_history(old, pokrovsk).first_held
    # From the bundled 0.01-degree (about 1 km) geometry the front line is coarser: Pokrovsk reads as
    # held from 3 Nov 2025, 17 days before the full-resolution answer. Hence the note, and the table.
    assert stored == dt.date(2025, 11, 20) and computed is not None and abs((computed - stored).days) <= 31


def test_import_writes_the_table_and_merges_by_day(tmp_path, gazetteer):
    days = ["2025-11-18", "2025-11-19", "2025-11-20"]
    folder = copy_daily(days[:2], tmp_path / "a")
    cache = ControlCache(tmp_path / "cache")
    result = import_paths([folder], units=share_units(), report=lambda m: None)
    cache.commit(result.shares, result.geometry, source=DEFAULT_CONTROL_SOURCE, places=result.places)
    entry = cache.manifest()["sources"][0]  # the source's own entry: each source keeps its own files
    assert entry["files"]["places"].startswith("places-") and entry["places_gazetteer"] == gazetteer.signature
    more = import_paths([copy_daily(days[2:], tmp_path / "b")], units=share_units(), report=lambda m: None)
    cache.commit(more.shares, more.geometry, source=DEFAULT_CONTROL_SOURCE, places=more.places)
    loaded = cache.read()
    assert loaded.places.note == "" and [d.isoformat() for d in loaded.places.dates] == days
    assert [(r.start.isoformat(), r.held) for r in place_history(loaded, gazetteer.best("Pokrovsk")).runs] == [
        ("2025-11-18", False),
        ("2025-11-20", True),
    ]
    assert len(list((tmp_path / "cache").glob("places-*.parquet"))) == 1


def test_held_ids_are_sorted_int64(control):
    held = control.places.frame["held"].iloc[-1]
    assert held.dtype == np.int64 and list(held) == sorted(held) and len(held) > 500
