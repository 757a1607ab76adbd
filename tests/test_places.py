"""Places, pure tier: the name index over the bundled gazetteer, held places and their runs on
synthetic geometry, gaps, the URL's `place=`, and the history in words."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box

from dashboard.core.control import ControlData, ControlGeometry, ControlShares
from dashboard.core.filters import QueryContext, parse_query
from dashboard.core.held_places import MAX_GAP_DAYS, HeldPlaces, held_ids
from dashboard.core.place_history import ControlRun, place_history, place_record
from dashboard.core.places import Gazetteer, Place, mention_text, mentions, name_key
from dashboard.sources.places import load_places
from dashboard.text import text_for
from dashboard.text.places import history_lines, history_summary

BAKHMUT = 713174
SOURCE = "DeepStateMap via cyterat/deepstate-map-data"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_places()


@pytest.mark.parametrize(
    "query",
    ["Artemivsk", "Артемівськ", "бахмут", "bakhmut", "BAKHMUT", "Bakhmut", "Artemivs'k", "Artemivs’k", "  Bakhmut "],
)
def test_every_spelling_finds_bakhmut(gazetteer, query):
    assert gazetteer.best(query).geonameid == BAKHMUT


def test_the_bundled_gazetteer_is_ukraines_cities500(gazetteer):
    assert len(gazetteer) == 2851
    bakhmut = gazetteer.get(BAKHMUT)
    assert (bakhmut.name, bakhmut.admin1, bakhmut.population) == ("Bakhmut", "UA-14", 80500)
    assert {"Artemivsk", "Бахмут", "Артемівськ"} <= set(bakhmut.alternatenames)
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in "".join(bakhmut.alternatenames))  # Hangul left out
    # admin1 from the project's own units: Kyiv city, Sevastopol and Crimea's capital.
    assert gazetteer.best("Kyiv").admin1 == "UA-30"
    assert gazetteer.best("Sevastopol").admin1 == "UA-40"
    assert gazetteer.best("Simferopol").admin1 == "UA-43"
    assert gazetteer.provenance["licence"] == "CC BY 4.0" and gazetteer.provenance["attribution"] == "GeoNames.org"


def test_ranking_exact_then_population(gazetteer):
    # "Artemivsk" is Bakhmut's former name and also a small town in Luhansk: the larger one first.
    assert [p.geonameid for p in gazetteer.search("Artemivsk")][:2] == [BAKHMUT, 713175]
    # An exact name comes before a longer one that starts with it, even a larger one.
    found = gazetteer.search("Pokrovsk")
    assert found[0].name == "Pokrovsk" and found[0].admin1 == "UA-14"
    assert all(p.name != "Pokrovsk" for p in found[1:])
    # Within a tier, by population: names starting with the query, then names containing it.
    mykol = gazetteer.search("mykol")
    starts = [any(name_key(n).startswith("mykol") for n in (p.name, *p.alternatenames)) for p in mykol]
    assert mykol[0].name == "Mykolayiv" and starts == sorted(starts, reverse=True) and not all(starts)
    first_tier = [p.population for p, s in zip(mykol, starts, strict=True) if s]
    assert first_tier == sorted(first_tier, reverse=True)
    assert len(gazetteer.search("a")) == 20 and gazetteer.search("") == []


def test_namesakes_are_listed(gazetteer):
    best = gazetteer.best("Mykolaivka")
    others = gazetteer.same_name(best, "Mykolaivka")
    assert len(others) >= 5 and best.geonameid not in {p.geonameid for p in others}


def test_resolve_and_suggest(gazetteer):
    assert gazetteer.resolve("713174").name == "Bakhmut"
    assert gazetteer.resolve("Bakhmut").geonameid == BAKHMUT
    assert gazetteer.resolve("99999999999") is None
    assert gazetteer.resolve("Zzzqq") is None
    assert "Bakhmut" in gazetteer.suggest("Bahkmut")


def test_largest_in_a_box(gazetteer):
    names = [p.name for p in gazetteer.largest_in((37.0, 47.0, 39.0, 49.0), 3)]
    assert names == ["Donetsk", "Mariupol", "Makiivka"]
    assert gazetteer.largest_in((0, 0, 1, 1), 5) == []


def test_name_key_folds_case_accents_and_apostrophes():
    assert name_key("Artemivs’k") == name_key("ARTEMIVSK") == "artemivsk"
    assert name_key("Chasiv-Yar") == "chasiv yar"


def test_mentions_are_whole_words(gazetteer):
    bakhmut = gazetteer.get(BAKHMUT)
    texts = {
        "a": mention_text(["Near Bakhmut’s edge", None]),
        "b": mention_text(["Артемівськ"]),
        "c": mention_text(["the Bakhmutka river"]),
        "d": mention_text(["Donetsk"]),
    }
    assert mentions(texts, bakhmut) == ["a", "b"]
    kyiv = gazetteer.get(703448)
    assert mentions({"r": mention_text(["The Kyiv Independent reports"], ["The Kyiv Independent"])}, kyiv) == []
    assert mentions({"r": mention_text(["Kyiv rejects it"], ["The Kyiv Independent"])}, kyiv) == ["r"]


# ---- held places and runs on synthetic geometry -------------------------------------------------


def _place(geonameid: int, lon: float, lat: float) -> Place:
    return Place(geonameid, f"P{geonameid}", f"P{geonameid}", (), lat, lon, "PPL", 1000, "UA-14")


def _control(days: list[str], areas: list, places: HeldPlaces) -> ControlData:
    rows = [
        {
            "snapshot_date": dt.date.fromisoformat(d),
            "code": "UA-14",
            "occupied_km2": 1.0,
            "occupied_share": 0.1,
            "occupied_share_raw": 0.1,
            "grey_km2": np.nan,
            "grey_share": np.nan,
            "coast_rule": False,
            "source": SOURCE,
        }
        for d in days
    ]
    geometry = ControlGeometry(
        pd.DataFrame(
            {"snapshot_date": [dt.date.fromisoformat(d) for d in days], "occupied": areas, "grey": [None] * len(days)}
        )
    )
    return ControlData(ControlShares(pd.DataFrame(rows)), geometry, SOURCE, "GPL-3.0", "", places)


def _synthetic(days: list[str], areas: list) -> ControlData:
    ids, lon, lat = np.array([1, 2]), np.array([0.5, 5.5]), np.array([0.5, 0.5])
    held = HeldPlaces.compute(
        [(dt.date.fromisoformat(d), SOURCE, a) for d, a in zip(days, areas, strict=True)], ids, lon, lat
    )
    return _control(days, areas, held)


def test_held_ids_is_point_in_polygon():
    area = MultiPolygon([box(0, 0, 1, 1)])
    assert held_ids(area, np.array([1, 2, 3]), np.array([0.5, 2.0, 0.99]), np.array([0.5, 0.5, 0.01])).tolist() == [
        1,
        3,
    ]
    assert held_ids(MultiPolygon(), np.array([1]), np.array([0.5]), np.array([0.5])).tolist() == []


def test_runs_of_consecutive_snapshots():
    inside, outside = MultiPolygon([box(0, 0, 1, 1)]), MultiPolygon([box(10, 10, 11, 11)])
    days = ["2025-11-17", "2025-11-18", "2025-11-19", "2025-11-20", "2025-11-21"]
    control = _synthetic(days, [outside, outside, outside, inside, inside])
    history = place_history(control, _place(1, 0.5, 0.5))
    assert [r.as_json() for r in history.runs] == [
        {"from": "2025-11-17", "to": "2025-11-19", "held": False, "source": SOURCE},
        {"from": "2025-11-20", "to": "2025-11-21", "held": True, "source": SOURCE},
    ]
    assert history.first_held == dt.date(2025, 11, 20)
    text = text_for("en")
    assert (
        history_summary(history, text)
        == "Held by Russian forces per DeepStateMap since 20 Nov 2025; not held on 19 Nov 2025."
    )
    never = place_history(control, _place(2, 5.5, 0.5))
    assert [(r.held, r.start.isoformat(), r.end.isoformat()) for r in never.runs] == [
        (False, "2025-11-17", "2025-11-21")
    ]
    assert history_summary(never, text) == (
        "Not held by Russian forces per DeepStateMap on any snapshot from 17 Nov 2025 to 21 Nov 2025."
    )
    # A place the table never saw (not in the gazetteer it was computed with) reads as never held.
    assert [r.held for r in place_history(control, _place(99, 0.5, 0.5)).runs] == [False]


def test_a_long_gap_ends_a_run_and_is_said():
    inside = MultiPolygon([box(0, 0, 1, 1)])
    gap_end = (dt.date(2025, 1, 2) + dt.timedelta(days=MAX_GAP_DAYS + 1)).isoformat()
    within = (dt.date(2025, 1, 2) + dt.timedelta(days=MAX_GAP_DAYS)).isoformat()
    control = _synthetic(["2025-01-01", "2025-01-02", gap_end], [inside] * 3)
    history = place_history(control, _place(1, 0.5, 0.5))
    assert [(r.start.isoformat(), r.end.isoformat(), r.held) for r in history.runs] == [
        ("2025-01-01", "2025-01-02", True),
        (gap_end, gap_end, True),
    ]
    text = text_for("en")
    lines = history_lines(history, text)
    assert (
        lines[1] == f"3 Jan 2025 – 16 Jan 2025: no snapshot for more than {MAX_GAP_DAYS} days; the record breaks here"
    )
    assert history_summary(history, text) == "Held by Russian forces per DeepStateMap since 17 Jan 2025."
    # Exactly MAX_GAP_DAYS apart: one run.
    close = _synthetic(["2025-01-01", "2025-01-02", within], [inside] * 3)
    assert len(place_history(close, _place(1, 0.5, 0.5)).runs) == 1


def test_a_new_source_starts_a_new_run():
    held = HeldPlaces.from_rows([(dt.date(2025, 1, 1), "A", np.array([1])), (dt.date(2025, 1, 2), "B", np.array([1]))])
    assert [(r[2], r[3]) for r in held.runs(1)] == [(True, "A"), (True, "B")]
    merged = held.merged(HeldPlaces.from_rows([(dt.date(2025, 1, 2), "A", np.array([], dtype=np.int64))]))
    assert [(r[2], r[3]) for r in merged.runs(1)] == [(True, "A"), (False, "A")]


def test_no_table_no_history():
    control = _synthetic(["2025-01-01"], [MultiPolygon()])
    bare = ControlData(control.shares, control.geometry, SOURCE, "GPL-3.0", "")
    history = place_history(bare, _place(1, 0.5, 0.5))
    assert not history.available and history.runs == ()
    assert history_summary(history, text_for("en")).startswith("No control history")
    assert not place_history(None, _place(1, 0.5, 0.5)).available


def test_place_record_keys(gazetteer):
    control = _synthetic(["2025-01-01"], [MultiPolygon()])
    record = place_record(place_history(control, gazetteer.get(BAKHMUT)), gazetteer)
    assert list(record) == ["name", "lat", "lon", "admin1", "history", "geonameid", "matches"]
    assert record["history"] == [ControlRun(dt.date(2025, 1, 1), dt.date(2025, 1, 1), False, SOURCE).as_json()]


# ---- the URL --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context(gazetteer) -> QueryContext:
    def lookup(value: str) -> int | None:
        found = gazetteer.resolve(value)
        return found.geonameid if found else None

    return QueryContext(dt.date(2014, 1, 1), dt.date(2026, 8, 21), lambda s: s, (), lookup_place=lookup)


@pytest.mark.parametrize(
    "value, expected", [("713174", BAKHMUT), ("Bakhmut", BAKHMUT), ("Артемівськ", BAKHMUT), ("Pokrovsk", 704422)]
)
def test_place_parameter(context, value, expected):
    state, notices = parse_query(f"?place={value}", context)
    assert (state.place, notices) == (expected, [])
    assert state.to_query().endswith(f"&place={expected}")
    assert parse_query(state.to_query(), context)[0].place == expected


@pytest.mark.parametrize("value", ["Zzzqq", "0", "99999999999"])
def test_unknown_place_is_a_notice(context, value):
    state, notices = parse_query(f"?place={value}", context)
    assert state.place is None
    assert [(n.key, dict(n.params)) for n in notices] == [("unknown_place", {"value": value})]
    assert "place=" not in state.to_query()
