"""Control sources: each with its own name, licence and attribution; the bundled layer and a user's
cache loaded side by side, never merged; the picked source (`source=`) used by every panel; coverage
and stale snapshots said in words. Pure rules, the cache, the CLI and the app in-process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.core.control_sources import (
    STALE_AFTER_DAYS,
    ControlSource,
    find_control,
    is_stale,
    pick_control,
    source_slug,
)
from dashboard.core.filters import QUERY_KEYS, FilterState, parse_query
from dashboard.core.ledger import held_at
from dashboard.sources.control_cache import ControlCache, load_controls
from dashboard.sources.control_import import DEFAULT_SOURCE
from dashboard.sources.dataset import load_dataset
from dashboard.text import text_for
from dashboard.text.control_words import coverage_sentence, needs_coverage, stale_note
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids
from tests.control_helpers import RAW, copy_daily, need_shared
from tests.dash_client import call, find_props

TEST_RAW = "Test raw"
#: Two raw snapshots (tests only: the raw files carry no licence): 29 Jan 2023 and 30 Apr 2024.
RAW_FILES = ("1675031774.geojson", "1714512461.geojson")
BUNDLED = DEFAULT_SOURCE


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map")


def one_line_error(result: Result, *fragments: str) -> str:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("contested-map: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory) -> Path:
    """A user cache holding two sources: two daily archive files (the implied DeepStateMap source)
    and two raw snapshots imported as "Test raw" (licence test-only)."""
    root = tmp_path_factory.mktemp("sources")
    cache = root / "cache"
    daily = copy_daily(["2024-08-16", "2024-08-17"], root / "daily")
    result = invoke("control", "import", str(daily), "--control", str(cache))
    assert result.exit_code == 0, result.stderr
    raw = [need_shared(RAW / name) for name in RAW_FILES]
    result = invoke(
        "control",
        "import",
        *map(str, raw),
        "--control",
        str(cache),
        "--source",
        TEST_RAW,
        "--licence",
        "test-only",
        "--attribution",
        "DeepStateMap raw snapshots, tests only",
    )
    assert result.exit_code == 0, result.stderr
    assert "source: Test raw (licence: test-only)" in result.stderr
    return cache


# -- pure ------------------------------------------------------------------------------------------


def test_source_model_slug_and_licence_required():
    source = ControlSource(BUNDLED, "GPL-3.0", "DeepStateMap.live, via github.com/cyterat/deepstate-map-data")
    assert source.slug == "deepstatemap-via-cyterat-deepstate-map-data"
    assert source_slug("Test raw") == "test-raw" and source_slug("VIINA (ОДбЛ) 2.0") == "viina-2-0"
    assert ControlSource("Test raw", "test-only").credit == "Test raw"
    with pytest.raises(ValueError, match="needs a licence"):
        ControlSource("Test raw", " ")


@pytest.mark.parametrize(
    ("snapshot", "day", "stale"),
    [
        (date(2025, 3, 3), date(2025, 3, 17), False),  # 14 days: not yet
        (date(2025, 3, 3), date(2025, 3, 18), True),  # 15 days
        (date(2025, 3, 3), date(2025, 3, 3), False),
        (None, date(2025, 3, 3), False),
    ],
)
def test_stale_rule(snapshot, day, stale):
    assert STALE_AFTER_DAYS == 14
    assert is_stale(snapshot, day) is stale


def test_stale_note_in_both_languages():
    assert (
        stale_note(text_for("en"), date(2025, 3, 3), date(2025, 3, 23))
        == "snapshot of 3 Mar 2025, 20 days before the map's date"
    )
    assert stale_note(text_for("en"), date(2025, 3, 3), date(2025, 3, 10)) == ""
    assert stale_note(text_for("uk"), date(2025, 3, 3), date(2025, 3, 23)).endswith("за 20 днів до дати карти")


def test_coverage_sentence_names_the_bundled_source_and_its_span():
    sources = load_controls(None)
    sentence = coverage_sentence(text_for("en"), sources)
    assert sentence.startswith(
        "Control data loaded: DeepStateMap via cyterat/deepstate-map-data, 9 Jul 2024 – 21 Aug 2026."
    )
    assert "Earlier control data" in sentence
    assert needs_coverage(sources, date(2024, 7, 8)) and not needs_coverage(sources, date(2024, 7, 9))


def test_pick_rule_covering_then_latest_then_first(two_sources):
    sources = load_controls(two_sources)
    assert [c.source_name for c in sources] == [BUNDLED, TEST_RAW]
    assert pick_control(sources, date(2026, 8, 21)).source_name == BUNDLED  # only the bundled covers it
    assert pick_control(sources, date(2023, 6, 1)).source_name == TEST_RAW  # only Test raw covers it
    assert pick_control(sources, date(2024, 6, 1)).source_name == TEST_RAW  # a gap: the latest snapshot before
    assert pick_control(sources, date(2020, 1, 1)).source_name == BUNDLED  # before both: the first loaded
    assert find_control(sources, "test-raw").source_name == TEST_RAW
    assert find_control(sources, "TEST RAW").source_name == TEST_RAW and find_control(sources, "isw") is None


# -- sources ---------------------------------------------------------------------------------------


def test_a_cache_with_two_sources_round_trips_apart(two_sources):
    manifest = json.loads((two_sources / "manifest.json").read_text())
    assert manifest["format"] == 2
    entries = {e["name"]: e for e in manifest["sources"]}
    assert set(entries) == {BUNDLED, TEST_RAW}
    assert entries[TEST_RAW]["licence"] == "test-only"
    assert entries[TEST_RAW]["attribution"] == "DeepStateMap raw snapshots, tests only"
    assert entries[BUNDLED]["licence"] == "GPL-3.0"  # implied by the daily archive's files
    assert set(entries[TEST_RAW]["files"].values()).isdisjoint(entries[BUNDLED]["files"].values())
    read = {c.source_name: c for c in ControlCache(two_sources).read_all()}
    assert read[TEST_RAW].shares.dates == (date(2023, 1, 29), date(2024, 4, 30))
    assert read[BUNDLED].shares.dates == (date(2024, 8, 16), date(2024, 8, 17))
    assert set(read[TEST_RAW].shares.frame["source"]) == {TEST_RAW}
    # The raw snapshots have a grey zone, the daily archive none: never mixed.
    assert read[TEST_RAW].shares.row(date(2024, 4, 30), "UA-14").grey_share is not None
    assert read[BUNDLED].shares.row(date(2024, 8, 17), "UA-14").grey_share is None


def test_importing_a_second_source_leaves_the_first_untouched(tmp_path):
    cache = tmp_path / "cache"
    assert (
        invoke("control", "import", str(copy_daily(["2024-08-16"], tmp_path / "d")), "--control", str(cache)).exit_code
        == 0
    )
    first = ControlCache(cache).entry(BUNDLED)
    before = {name: (cache / name).read_bytes() for name in first["files"].values()}
    result = invoke(
        "control",
        "import",
        str(need_shared(RAW / RAW_FILES[0])),
        "--control",
        str(cache),
        "--source",
        TEST_RAW,
        "--licence",
        "test-only",
    )
    assert result.exit_code == 0, result.stderr
    assert ControlCache(cache).entry(BUNDLED) == first
    assert {name: (cache / name).read_bytes() for name in first["files"].values()} == before


@pytest.mark.slow
def test_missing_licence_for_a_new_source_is_one_line_and_changes_nothing(two_sources):
    before = _files(two_sources)
    line = one_line_error(
        invoke(
            "control",
            "import",
            str(need_shared(RAW / "1754251105.geojson")),
            "--control",
            str(two_sources),
            "--source",
            "Another",
        ),
        "missing --licence",
        "'Another'",
    )
    assert "--source" not in line.split("missing --licence")[0]
    # A raw snapshot implies no source at all: --source is asked for.
    one_line_error(
        invoke("control", "import", str(need_shared(RAW / "1754251105.geojson")), "--control", str(two_sources)),
        "missing --source",
    )
    # A known source keeps its licence: another one is refused.
    one_line_error(
        invoke(
            "control",
            "import",
            str(need_shared(RAW / "1754251105.geojson")),
            "--control",
            str(two_sources),
            "--source",
            TEST_RAW,
            "--licence",
            "CC-BY-4.0",
        ),
        "'--licence'",
        "test-only",
    )
    assert _files(two_sources) == before


def test_bundled_layer_and_user_cache_both_load(two_sources):
    data = load_dataset(control_dir=two_sources)
    assert [c.source_name for c in data.control_sources] == [BUNDLED, TEST_RAW]
    # The cache's days of the bundled source's name join that source (same source); Test raw stays apart.
    assert len(data.control_for(BUNDLED).shares.dates) == len(load_controls(None)[0].shares.dates)
    assert data.control_for("test-raw").licence == "test-only"
    assert data.control.source_name == BUNDLED  # the default map date (the data's end) is the bundled layer's
    only = load_dataset(control_dir=two_sources, bundled_control=False)
    assert only.control_for(BUNDLED).shares.dates == (date(2024, 8, 16), date(2024, 8, 17))
    with pytest.raises(KeyError, match="no control source 'ISW' is loaded"):
        data.control_for("ISW")


# -- CLI -------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_shares_source_option_and_licence_key(two_sources):
    result = invoke(
        "control",
        "shares",
        "--control",
        str(two_sources),
        "--source",
        TEST_RAW,
        "--to",
        "2024-05-01",
        "--region",
        "Donetsk",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["source"], r["licence"], r["snapshot_date"]) for r in rows] == [(TEST_RAW, "test-only", "2024-04-30")]
    assert "source: Test raw (licence: test-only)" in result.stderr
    bundled = json.loads(
        invoke(
            "control",
            "shares",
            "--control",
            str(two_sources),
            "--to",
            "2025-01-01",
            "--region",
            "UA-14",
            "--format",
            "json",
        ).stdout
    )
    assert [(r["source"], r["licence"]) for r in bundled] == [(BUNDLED, "GPL-3.0")]
    one_line_error(invoke("control", "shares", "--source", "ISW"), "'--source'", "no control source 'ISW'")
    one_line_error(invoke("control", "shares", "--no-bundled-control"), "--no-bundled-control", "--control DIR")


def test_shares_before_every_snapshot_says_what_is_loaded():
    result = invoke("control", "shares", "--to", "2022-01-01", "--region", "UA-14", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "DeepStateMap via cyterat/deepstate-map-data, 9 Jul 2024 – 21 Aug 2026" in result.stderr
    assert "Earlier control data" in result.stderr


@pytest.mark.slow
def test_shares_crimea_gives_both_rows_as_the_ledger_does():
    """`--region Crimea` follows the page's rule (Crimea and Sevastopol together): both rows, the
    figures the ledger shows for the two units on that day."""
    rows = json.loads(
        invoke("control", "shares", "--to", "2025-03-01", "--region", "Crimea", "--format", "json").stdout
    )
    assert [r["code"] for r in rows] == ["UA-43", "UA-40"]
    held = held_at(load_controls(None)[0], date(2025, 3, 1), ("UA-43", "UA-40"))
    assert [r["occupied_share"] for r in rows] == [round(held[c].occupied_share, 4) for c in ("UA-43", "UA-40")]
    sevastopol = json.loads(
        invoke("control", "shares", "--to", "2025-03-01", "--region", "Sevastopol", "--format", "json").stdout
    )
    assert [r["code"] for r in sevastopol] == ["UA-43", "UA-40"]


def test_stale_rows_are_said(two_sources):
    result = invoke(
        "control",
        "shares",
        "--control",
        str(two_sources),
        "--source",
        TEST_RAW,
        "--to",
        "2024-06-01",
        "--region",
        "UA-14",
        "--format",
        "json",
    )
    assert json.loads(result.stdout)[0]["snapshot_date"] == "2024-04-30"
    assert "more than 14 days older" in result.stderr


# -- the app in-process ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_client(two_sources):
    app = create_app(Settings(control_dir=two_sources, today=date(2026, 12, 4)))
    return app.server.test_client()


@pytest.fixture(scope="module")
def app_data(two_sources):
    return load_dataset(control_dir=two_sources, today=date(2026, 12, 4))


def _url(client, search: str) -> dict:
    response = call(
        client,
        [(Ids.CONTROL_SOURCE, "value"), (Ids.URL_STATE, "data"), (Ids.NOTICE, "children")],
        [(Ids.URL, "search", search)],
    )
    assert response.status_code == 200, response.data[:300]
    return response.json["response"]


@pytest.mark.slow
def test_source_in_the_url_round_trips(app_client, app_data):
    assert QUERY_KEYS.index("source") < QUERY_KEYS.index("lang")
    out = _url(app_client, "?to=2026-08-21&source=test-raw")
    assert out[Ids.CONTROL_SOURCE]["value"] == "test-raw"
    assert "&source=test-raw" in out[Ids.URL_STATE]["data"]
    state, notices = parse_query("?to=2024-01-01&source=Test%20raw&compare=yes", app_data.query_context)
    assert (state.source, state.compare, notices) == ("test-raw", True, [])
    assert state.to_query().endswith("&source=test-raw&compare=yes")
    # With two sources and none named, the picker and the URL name the one covering the map's date.
    assert _url(app_client, "?to=2023-06-01")[Ids.CONTROL_SOURCE]["value"] == "test-raw"
    assert _url(app_client, "?to=2026-08-21")[Ids.CONTROL_SOURCE]["value"] == source_slug(BUNDLED)


def test_unknown_source_is_a_notice(app_client):
    out = _url(app_client, "?to=2026-08-21&source=isw")
    notice = " ".join(find_props(out[Ids.NOTICE]["children"], "children")[0:1])
    assert "Ignored source='isw'" in notice and "test-raw" in notice
    assert out[Ids.CONTROL_SOURCE]["value"] == source_slug(BUNDLED)


def _ledger(client, app_data, day: date, source: str | None, compare: bool = False) -> list:
    response = call(
        client,
        [(Ids.LEDGER, "children")],
        [
            (Ids.DATES, "value", [0, app_data.axis.offset(day)]),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.CONTROL_SOURCE, "value", source),
            (Ids.LEDGER_COMPARE, "value", ["yes"] if compare else []),
        ],
    )
    assert response.status_code == 200, response.data[:300]
    return response.json["response"][Ids.LEDGER]["children"]


def _texts(tree) -> str:
    return json.dumps(tree, ensure_ascii=False)


def test_the_ledger_uses_the_picked_source(app_client, app_data):
    day = date(2024, 8, 17)
    raw = _ledger(app_client, app_data, day, "test-raw")
    caption = _texts(raw[0])
    assert "Held: Test raw (test-only)" in caption and "DeepStateMap" not in caption
    expected = app_data.control_for(TEST_RAW).shares.row(day, "UA-14")
    assert expected.snapshot_date == date(2024, 4, 30)
    body = _texts(raw[2])
    assert text_for().share(expected.occupied_share) in body
    assert "snapshot of 30 Apr 2024, 109 days before the map&#x27;s date" in body.replace("'", "&#x27;")
    bundled = _ledger(app_client, app_data, day, source_slug(BUNDLED))
    assert "Held: DeepStateMap via cyterat/deepstate-map-data (GPL-3.0)" in _texts(bundled[0])


def test_compare_shows_one_held_column_per_source(app_client, app_data):
    day = date(2024, 8, 17)
    table = _ledger(app_client, app_data, day, "test-raw", compare=True)
    header = find_props(table[1], "children")
    flat = _texts(header)
    assert "Held per DeepStateMap via cyterat/deepstate-map-data" in flat and "Held per Test raw" in flat
    sources = find_props(table[2], "data-source")
    assert set(sources) == {source_slug(BUNDLED), "test-raw"}
    assert "DeepStateMap via cyterat/deepstate-map-data (GPL-3.0); Test raw (test-only)" in _texts(table[0])


def test_before_every_snapshot_the_ledger_says_what_is_loaded(app_client, app_data):
    caption = _texts(_ledger(app_client, app_data, date(2022, 6, 1), None)[0])
    assert (
        "Control data loaded: DeepStateMap via cyterat/deepstate-map-data, 9 Jul 2024 – 21 Aug 2026; "
        "Test raw, 29 Jan 2023 – 30 Apr 2024." in caption
    )


def test_filter_state_defaults_keep_old_urls():
    state = FilterState(date(2024, 1, 1), date(2024, 2, 1))
    assert state.to_query() == "?from=2024-01-01&to=2024-02-01"


def test_the_hover_cards_follow_the_picked_source(app_client, app_data):
    day = date(2024, 6, 1)
    response = call(
        app_client,
        [(Ids.MAP, "figure")],
        [(Ids.CONTROL_SOURCE, "value", "test-raw")],
        state=[
            (Ids.DATES, "value", [0, app_data.axis.offset(day)]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.SELECTED, "data", None),
            (Ids.STATEMENT_SEARCH, "value", ""),
        ],
    )
    assert response.status_code == 200, response.data[:300]
    cards = " ".join(
        op["params"]["value"]
        if isinstance(op["params"]["value"], str)
        else json.dumps(op["params"]["value"], ensure_ascii=False)
        for op in response.json["response"]["map"]["figure"]["operations"]
    )
    assert "(Test raw, snapshot of 30 Apr 2024, 32 days before the map's date" in cards
    assert "DeepStateMap" not in cards


def test_export_attribution_names_the_source_shown(app_data):
    from dashboard.render.export_figure import attribution

    state = FilterState(date(2014, 1, 1), date(2024, 6, 1))
    raw = attribution(app_data.with_control(app_data.control_for(TEST_RAW)), state, text_for(), date(2024, 4, 30))
    assert (
        "Area held: DeepStateMap raw snapshots, tests only (test-only), snapshot of 30 Apr 2024, "
        "32 days before the map's date." in raw
    )
    assert "cyterat" not in raw
    before = attribution(app_data, FilterState(date(2014, 1, 1), date(2022, 6, 1)), text_for(), None)
    assert "Control data loaded: DeepStateMap via cyterat/deepstate-map-data, 9 Jul 2024 – 21 Aug 2026" in before


def test_the_archive_name_needs_no_licence(tmp_path):
    cache = tmp_path / "cache"
    result = invoke(
        "control",
        "import",
        str(copy_daily(["2024-08-16"], tmp_path / "d")),
        "--control",
        str(cache),
        "--source",
        BUNDLED,
    )
    assert result.exit_code == 0, result.stderr
    assert ControlCache(cache).source(BUNDLED).licence == "GPL-3.0"


def test_the_footer_credits_each_source_with_its_licence(app_client):
    said = find_props(app_client.get("/_dash-layout").json, "children")
    # The cache's entry for the archive's source carries the words the import gave it (no commit).
    assert (
        "Control on the ground: DeepStateMap.live, via github.com/cyterat/deepstate-map-data (GPL-3.0); "
        "DeepStateMap raw snapshots, tests only (test-only)."
    ) in said
