"""The claims dataset, its validating loader, filters and JSON export."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import SHARED, need_shared

from dashboard.core.claims import DERIVED_COLUMNS, EXPORT_KEYS, KINDS, PARTIES, filter_claims
from dashboard.core.dates import PartialDate, resolve_relative
from dashboard.core.errors import DashboardError, DataError, UnknownRegionError
from dashboard.core.regions import CONTESTED_CODES, CRIMEA_CODES, FOUR_REGIONS, UA_CODES
from dashboard.sources.claims_load import BUNDLED_CLAIMS, MAX_FILE_BYTES, claims_from_records, load_claims
from dashboard.sources.claims_schema import ClaimsValidationError
from dashboard.sources.claims_write import records_to_json_rows
from dashboard.testing import SEED_SOURCE_TITLES

ARTICLE = SHARED / "seed" / "article-2023-02-28.txt"
REUTERS_TITLE = "Kremlin: Russia open to Ukraine talks, but won't give up annexed regions"

SOURCES = {"src": {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}}


def record(**fields) -> dict:
    """A valid statement; keyword arguments replace or (with None) blank fields."""
    base = {
        "id": "peskov-never-renounce",
        "kind": "statement",
        "date": "2023-02-28",
        "speaker": "Dmitry Peskov",
        "parties": ["russia"],
        "regions": ["UA-14"],
        "quote": None,
        "summary": "Peskov says Russia will keep its claims.",
        "source": "src",
    }
    base.update(fields)
    return base


def write_yaml(directory: Path, records: list[dict], name: str = "claims.yaml", sources: dict | None = None) -> Path:
    path = directory / name
    document = {"sources": SOURCES if sources is None else sources, "records": records}
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return load_claims().frame


# ---------------------------------------------------------------------------
# The bundled dataset


def test_bundled_dataset_passes_the_schema(bundled):
    assert list(bundled.columns) == list(EXPORT_KEYS + DERIVED_COLUMNS)
    assert bundled["id"].is_unique
    assert set(bundled["kind"]) == set(KINDS)
    assert bundled["start"].is_monotonic_increasing
    for row in records_to_json_rows(bundled):
        assert set(row["parties"]) <= set(PARTIES)
        assert set(row["regions"]) <= UA_CODES
        assert PartialDate.parse(row["date"]).precision == row["date_precision"]
        assert row["summary"].strip() and "\n" not in row["summary"]
        assert row["source"]["publisher"] and row["source"]["title"]


def test_load_none_means_the_bundled_file(bundled):
    pd.testing.assert_frame_equal(bundled, load_claims([BUNDLED_CLAIMS]).frame)


def test_every_quote_is_verbatim_in_the_article(bundled):
    article = need_shared(ARTICLE).read_text(encoding="utf-8")
    from_article = bundled[bundled["source"].map(lambda s: s["title"]) == REUTERS_TITLE]
    quotes = [q for q in from_article["quote"] if q is not None]
    assert quotes, "the article's records should carry quotes"
    for quote in quotes:
        assert quote in article, f"not verbatim in the article: {quote!r}"
        assert len(quote) <= 300
    # Words a summary puts in double quotes are the article's words too.
    for summary in from_article["summary"]:
        for quoted in re.findall(r'"([^"]+)"', summary):
            assert quoted in article, f"quoted in a summary but not in the article: {quoted!r}"


def test_the_article_is_not_copied_into_the_dataset():
    text = BUNDLED_CLAIMS.read_text(encoding="utf-8")
    assert "Thomson Reuters" not in text and "Sputnik" not in text


def test_relative_dates_resolve_against_the_dateline(bundled):
    """Every record that keeps the article's own words for its date resolves to that date."""
    phrased = bundled[bundled["date_phrase"].notna()]
    assert set(phrased["date_phrase"]) >= {"on Tuesday", "last September", "last year", "in 2014"}
    for row in records_to_json_rows(phrased):
        dateline = PartialDate.parse(row["source"]["published"])
        assert resolve_relative(row["date_phrase"], dateline) == PartialDate.parse(row["date"]), row["id"]


def _one(bundled: pd.DataFrame, **where) -> dict:
    rows = [r for r in records_to_json_rows(bundled) if all(r[k] == v for k, v in where.items())]
    assert len(rows) == 1, (where, [r["id"] for r in rows])
    return rows[0]


def test_article_coverage(bundled):
    """Everything the seed article says about the regions is in the dataset."""
    bundled = bundled.loc[bundled["source"].map(lambda s: s["title"] in SEED_SOURCE_TITLES).to_numpy()]
    four, crimea = list(FOUR_REGIONS), list(CRIMEA_CODES)
    # Events, at the precision the article gives.
    crimea_2014 = _one(bundled, kind="event", date="2014", enrichment=False)
    assert crimea_2014["regions"] == crimea and crimea_2014["effect"] == "annexation_declared"
    proclaimed = _one(bundled, kind="event", date="2022-09", effect="annexation_declared", enrichment=False)
    assert proclaimed["regions"] == four and proclaimed["date_phrase"] == "last September"
    referendums = _one(bundled, kind="event", date="2022", enrichment=False)
    assert referendums["date_precision"] == "year" and referendums["effect"] is None
    decree = _one(bundled, kind="event", date="2022-09", effect=None)
    assert decree["date_end"] == "2023-02-28"
    # Reuters' own assessment.
    assessment = _one(bundled, kind="assessment")
    assert assessment["speaker"] == "Reuters" and assessment["date"] == "2023-02-28"
    assert assessment["regions"] == four
    # Statements: Peskov's, Moscow's, Kyiv's and the West's.
    statements = bundled[bundled["kind"] == "statement"]
    by_party = {p: statements[statements["parties"].map(lambda ps, p=p: p in ps)] for p in PARTIES}
    assert len(by_party["russia"]) >= 8
    assert len(by_party["west"]) == 2 and len(by_party["ukraine"]) == 3
    quotes = set(bundled["quote"].dropna())
    assert {"territorial realities", "liberate"} <= quotes
    assert any(q.startswith("There are certain realities") for q in quotes)
    assert any(q.startswith("With a favourable state of affairs") for q in quotes)
    demand = _one(bundled, kind="statement", regions=list(CONTESTED_CODES))
    assert demand["parties"] == ["ukraine"] and set(demand["about"]) == {"2014", "2022"}


def test_enrichment_is_separate_and_sourced(bundled):
    rows = records_to_json_rows(bundled)
    seed = [r for r in rows if r["source"]["title"] == REUTERS_TITLE]
    article = [r for r in rows if not r["enrichment"]]
    added = [r for r in rows if r["enrichment"]]
    # The seed's 17 records are unchanged: same ids, no address invented.
    assert len(seed) == 17 and all(r["source"]["url"] is None for r in seed)
    assert all(not r["enrichment"] for r in seed)
    # Records from other articles are article records with the article's own address.
    others = [r for r in article if r["source"]["title"] != REUTERS_TITLE]
    assert {r["source"]["publisher"] for r in others} == {
        "NPR (member-station copy, WHQR)",
        "The Kyiv Independent",
        "Espreso (English edition)",
    }
    assert all(r["source"]["url"].startswith("https://") for r in others)
    # Public-record additions: each has its own source (never an article's) and says so in its note.
    assert {r["date"] for r in added} >= {
        "2014-03-18",
        "2022-09-30",
        "2014-03-16",
        "2014-03-27",
        "2014-05-12",
        "2022-09-23",
        "2022-10-12",
    }
    article_titles = {r["source"]["title"] for r in article}
    for r in added:
        assert r["source"]["title"] not in article_titles and r["source"]["url"].startswith("https://")
        assert r["note"].startswith("Not in the"), r["id"]
        assert r["quote"] is None  # no stored text to check a quote against
        if r["refines"]:
            assert r["refines"] in {a["id"] for a in article}
    # Only Russia's declarations of annexation drive the status.
    assert {r["id"] for r in rows if r["effect"]} == {
        "russia-annexes-crimea-2014",
        "crimea-accession-treaty-2014-03-18",
        "russia-proclaims-annexation-four-regions",
        "four-regions-accession-treaties-2022-09-30",
        "npr-putin-signs-accession-treaties-2022-09-30",
    }


def test_header_documents_the_parties_vocabulary():
    header = "".join(
        line for line in BUNDLED_CLAIMS.read_text(encoding="utf-8").splitlines(True) if line.startswith("#")
    )
    assert {"russia", "ukraine", "west"} <= set(PARTIES)
    for party in PARTIES:
        assert re.search(rf"#\s+{party}\s", header), party
    for field in EXPORT_KEYS:
        assert field in header, field


# ---------------------------------------------------------------------------
# Validation errors


def test_message_names_file_record_line_field_and_expectation(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(
        "sources:\n"
        "  src: {publisher: P, title: T, published: '2023-02-28'}\n"
        "records:\n"
        "  - id: peskov-never-renounce\n"
        "    kind: statement\n"
        "    date: '28/02/2023'\n"
        "    speaker: Dmitry Peskov\n"
        "    parties: [russia]\n"
        "    regions: [UA-14]\n"
        "    summary: Peskov says so.\n"
        "    source: src\n",
        encoding="utf-8",
    )
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert str(excinfo.value) == (
        f"{path}: record 'peskov-never-renounce' (line 6): field 'date': "
        "expected YYYY, YYYY-MM or YYYY-MM-DD, got '28/02/2023'"
    )


@pytest.mark.parametrize(
    ("fields", "field", "expected"),
    [
        ({"date": "28/02/2023"}, "date", "expected YYYY, YYYY-MM or YYYY-MM-DD, got '28/02/2023'"),
        ({"date": "2023-02-30"}, "date", "expected a real calendar date, got '2023-02-30'"),
        ({"regions": ["UA-14", "Donbas"]}, "regions", "unknown region 'Donbas'"),
        ({"regions": []}, "regions", "expected at least 1 item"),
        ({"parties": ["russia", "nato"]}, "parties", "unknown party 'nato'; expected one of: russia, ukraine, west"),
        ({"source": None}, "source", "expected a source key or a mapping"),
        ({"source": "nowhere"}, "source", "unknown source 'nowhere'; known sources: src"),
        ({"kind": "rumour"}, "kind", "unknown kind 'rumour'; expected one of: statement, event, assessment"),
        ({"id": "Not A Slug"}, "id", "expected a slug"),
        ({"speaker": None}, "speaker", "required for a statement"),
        ({"kind": "event", "speaker": None, "quote": "words"}, "quote", "a quote needs a speaker"),
        ({"effect": "annexation_declared"}, "effect", "only events can have an effect"),
        ({"effect": "liberated", "kind": "event"}, "effect", "unknown effect 'liberated'"),
        ({"date_precision": "month"}, "date_precision", "expected 'day' for date '2023-02-28', got 'month'"),
        ({"date": "2022", "date_end": "2022-06"}, "date_end", "expected a date after '2022'"),
        ({"date": "2024"}, "date", "'2024' is after the source's publication date '2023-02-28'"),
        (
            {"date": "2022-10", "date_phrase": "last September"},
            "date",
            "date_phrase 'last September' resolves to '2022-09' (dateline 2023-02-28), got '2022-10'",
        ),
        ({"date_phrase": "a while ago"}, "date_phrase", "cannot resolve relative date phrase 'a while ago'"),
        ({"regoins": ["UA-14"]}, "regoins", "unknown field"),
        ({"summary": "Line one.\nLine two."}, "summary", "expected one line of text"),
        ({"quote": "x" * 301}, "quote", "expected at most 300 characters, got 301"),
        ({"enrichment": "yes"}, "enrichment", "expected true or false, got 'yes'"),
        ({"about": ["2022", "last year"]}, "about", "got 'last year'"),
        (
            {"source": {"publisher": "P", "title": "T", "published": "2023-02-28", "url": "javascript:alert(1)"}},
            "url",
            "expected an http:// or https:// address or null",
        ),
        ({"source": {"publisher": "P", "title": "T"}}, "published", "missing (required)"),
    ],
)
def test_each_bad_field_is_named(tmp_path, fields, field, expected):
    path = write_yaml(tmp_path, [record(**fields)])
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    message = excinfo.value.errors[0]
    assert message.startswith(f"{path}: record ")
    assert f"field '{field}': " in message
    assert expected in message
    assert "\n" not in str(excinfo.value)  # one line for the CLI


def test_missing_required_field(tmp_path):
    bad = record()
    del bad["source"]
    path = write_yaml(tmp_path, [bad])
    with pytest.raises(
        ClaimsValidationError,
        match=r"record 'peskov-never-renounce' \(line \d+\): "
        r"field 'source': missing \(required\)",
    ):
        load_claims([path])


def test_duplicate_id_in_one_file_names_both_lines(tmp_path):
    path = write_yaml(tmp_path, [record(), record(summary="Again.")])
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert re.fullmatch(
        rf"{re.escape(str(path))}: record 'peskov-never-renounce' \(line \d+\): "
        r"field 'id': duplicate id 'peskov-never-renounce', first used at line \d+",
        str(excinfo.value),
    )


def test_duplicate_id_across_files_names_both_files(tmp_path):
    first = write_yaml(tmp_path, [record()], name="mine.yaml")
    second = tmp_path / "theirs.json"
    second.write_text(json.dumps([record(source=SOURCES["src"])]), encoding="utf-8")
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([first, second])
    message = str(excinfo.value)
    assert message.startswith(f"{second}: record 'peskov-never-renounce' (line 1): field 'id': duplicate id")
    assert f"already defined in {first} (line" in message


def test_all_errors_are_collected_and_nothing_is_loaded(tmp_path):
    path = write_yaml(tmp_path, [record(id="a", date="bad"), record(id="b", regions=["UA-99"]), record(id="c")])
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert len(excinfo.value.errors) == 2
    assert str(excinfo.value).splitlines()[0].endswith("(and 1 more error)")
    assert str(excinfo.value).splitlines()[1] == "  " + excinfo.value.errors[1]
    # A good file next to a bad one does not load either.
    good = write_yaml(tmp_path, [record(id="d")], name="good.yaml")
    with pytest.raises(ClaimsValidationError):
        load_claims([good, path])


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("claims.txt", "records: []", "expected a .yaml, .yml or .json claims file"),
        ("claims.yaml", "records: [\n  - id: x\n", "invalid YAML at line"),
        ("claims.json", "[{", "invalid JSON at line 1"),
        ("claims.yaml", "just text", "expected a list of records, or a mapping with a 'records' list"),
        ("claims.yaml", "records: {}", "field 'records': expected a list of records"),
        ("claims.yaml", "records: []\nextra: 1", "unknown top-level key(s) extra"),
        ("claims.yaml", "", "expected a list of records"),
        ("claims.json", "[" * 100000 + "]" * 100000, "nested too deeply"),
    ],
)
def test_unreadable_files(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        load_claims([path])
    assert str(excinfo.value).startswith(f"{path}: ")
    assert expected in str(excinfo.value)


def test_missing_and_huge_files(tmp_path):
    with pytest.raises(DataError, match="claims file not found"):
        load_claims([tmp_path / "absent.yaml"])
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:  # sparse: no 20 MB written to disk
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(DataError, match="the limit is 21 MB"):
        load_claims([huge])
    with pytest.raises(DataError, match="not UTF-8"):
        (tmp_path / "latin.yaml").write_bytes("records: ['\xe9']".encode("latin-1"))
        load_claims([tmp_path / "latin.yaml"])


def test_yaml_tags_are_not_executed(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("records: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(DataError, match="invalid YAML"):
        load_claims([path])


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"refines": "nothing-here"}, "no record with id 'nothing-here'"),
        (
            {"refines": "base", "kind": "event", "speaker": None, "effect": "annexation_declared"},
            "has a different kind or effect",
        ),
        ({"refines": "base", "date": "2023-01-15"}, "the date must lie inside the date of 'base' (2022-09)"),
        ({"refines": "base", "date": "2022-09-30", "regions": ["UA-43"]}, "regions must be a subset"),
        ({"refines": "base", "date": "2022-09-30", "parties": ["ukraine"]}, "parties must be a subset"),
    ],
)
def test_bad_refines(tmp_path, fields, expected):
    base = record(id="base", date="2022-09")
    path = write_yaml(tmp_path, [base, record(id="exact", **fields)])
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert "record 'exact'" in str(excinfo.value) and "field 'refines': " in str(excinfo.value)
    assert expected in str(excinfo.value)


# ---------------------------------------------------------------------------
# Formats and the export round trip


def test_yaml_native_dates_and_years_are_accepted(tmp_path):
    path = tmp_path / "claims.yml"
    path.write_text(
        "records:\n"
        "  - {id: a, kind: event, date: 2014, parties: [russia], regions: [UA-43], summary: S.,\n"
        "     source: {publisher: P, title: T, published: 2023-02-28, url: null}}\n"
        "  - {id: b, kind: event, date: 2022-09-30, parties: [russia], regions: [UA-14], summary: S.,\n"
        "     source: {publisher: P, title: T, published: 2023-02-28}}\n",
        encoding="utf-8",
    )
    frame = load_claims([path]).frame
    assert frame["date"].tolist() == ["2014", "2022-09-30"]
    assert frame["date_precision"].tolist() == ["year", "day"]


@pytest.mark.parametrize("wrap", [lambda rows: rows, lambda rows: {"records": rows}])
def test_export_round_trip(tmp_path, bundled, wrap):
    rows = records_to_json_rows(bundled)
    assert all(list(row) == list(EXPORT_KEYS) for row in rows)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(wrap(rows), ensure_ascii=False, indent=2), encoding="utf-8")
    reloaded = load_claims([path]).frame
    assert records_to_json_rows(reloaded) == rows
    pd.testing.assert_frame_equal(reloaded.drop(columns="origin"), bundled.drop(columns="origin"))


def test_a_filtered_export_is_loadable(tmp_path, bundled):
    """A refining record is never exported without the record it refines."""
    for criteria in (
        {"regions": ["UA-40"]},
        {"date_from": "2022-09-30", "date_to": "2022-09-30"},
        {"kinds": ["event"]},
        {"parties": ["russia"]},
    ):
        path = tmp_path / "part.json"
        path.write_text(json.dumps(records_to_json_rows(filter_claims(bundled, **criteria))))
        load_claims([path])


def test_claims_from_records_validates_like_a_file():
    frame = claims_from_records([record()], sources=SOURCES).frame
    assert frame.loc[0, "start"] == pd.Timestamp("2023-02-28")
    with pytest.raises(ClaimsValidationError, match=r"<records>: record 'peskov-never-renounce' \(#1\)"):
        claims_from_records([record(date="yesterday")], sources=SOURCES)


def test_empty_file_gives_an_empty_frame_with_all_columns(tmp_path):
    frame = load_claims([write_yaml(tmp_path, [])]).frame
    assert frame.empty and list(frame.columns) == list(EXPORT_KEYS + DERIVED_COLUMNS)
    assert records_to_json_rows(filter_claims(frame, "2020", "2023", ["UA-14"], ["russia"], ["event"])) == []


# ---------------------------------------------------------------------------
# Filtering


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    rows = [
        record(id="y2014", kind="event", speaker=None, date="2014", regions=["UA-43", "UA-40"]),
        record(id="m2022-09", kind="event", speaker=None, date="2022-09", regions=list(FOUR_REGIONS)),
        record(id="window", kind="event", speaker=None, date="2022-09", date_end="2023-02-28", regions=["UA-14"]),
        record(id="d2023", date="2023-02-28", parties=["ukraine", "west"], regions=list(CONTESTED_CODES)),
        record(id="assess", kind="assessment", speaker="Reuters", parties=["media"], date="2023-02-28"),
    ]
    return claims_from_records(rows, sources=SOURCES).frame


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, ["y2014", "m2022-09", "window", "d2023", "assess"]),
        # Partial dates overlapping the range are included.
        ({"date_from": "2014-03-18", "date_to": "2014-03-18"}, ["y2014"]),
        ({"date_from": "2014-12-31"}, ["y2014", "m2022-09", "window", "d2023", "assess"]),
        ({"date_from": "2015"}, ["m2022-09", "window", "d2023", "assess"]),
        ({"date_to": "2013"}, []),
        ({"date_from": "2022-09-30", "date_to": "2022-10"}, ["m2022-09", "window"]),
        ({"date_from": "2022-10-01"}, ["window", "d2023", "assess"]),
        ({"date_to": "2022-08-31"}, ["y2014"]),
        ({"date_from": "2023-01", "date_to": "2023-02-27"}, ["window"]),
        ({"date_from": dt.date(2023, 2, 28)}, ["window", "d2023", "assess"]),
        ({"date_from": PartialDate(2022)}, ["m2022-09", "window", "d2023", "assess"]),
        # Lists match when they share a value.
        ({"regions": ["UA-40"]}, ["y2014", "d2023"]),
        ({"regions": ["UA-23", "UA-40"]}, ["y2014", "m2022-09", "d2023"]),
        ({"regions": ["UA-05"]}, []),
        ({"parties": ["west"]}, ["d2023"]),
        ({"parties": ["media", "ukraine"]}, ["d2023", "assess"]),
        ({"kinds": ["assessment", "statement"]}, ["d2023", "assess"]),
        ({"kinds": ["event"], "regions": ["UA-14"], "date_from": "2022-10"}, ["window"]),
    ],
)
def test_filter_claims(small, criteria, expected):
    assert filter_claims(small, **criteria)["id"].tolist() == expected


@pytest.mark.parametrize(
    ("criteria", "error", "expected"),
    [
        ({"regions": ["UA-99"]}, UnknownRegionError, "unknown region 'UA-99'"),
        ({"parties": ["nato"]}, DashboardError, "unknown party 'nato'"),
        ({"kinds": ["rumour"]}, DashboardError, "unknown kind 'rumour'"),
        ({"date_from": "2023", "date_to": "2022"}, DashboardError, "date range is empty"),
        ({"date_from": "28/02/2023"}, DashboardError, "date_from: expected YYYY"),
    ],
)
def test_filter_claims_rejects_unknown_values(small, criteria, error, expected):
    with pytest.raises(error, match=re.escape(expected)):
        filter_claims(small, **criteria)


@pytest.mark.slow
def test_filter_is_pure_and_fast_on_10000_records():
    rows = [
        record(
            id=f"r{i}",
            date=f"{2000 + i % 23}" if i % 3 else f"{2000 + i % 23}-0{1 + i % 9}",
            regions=[sorted(CONTESTED_CODES)[i % 6]],
            parties=[list(PARTIES)[i % 5]],
        )
        for i in range(10_000)
    ]
    frame = claims_from_records(rows, sources=SOURCES).frame
    before = frame.copy()
    started = time.perf_counter()
    result = filter_claims(frame, "2010-05", "2015", ["UA-14", "UA-43"], ["russia", "west"], ["statement"])
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"filter took {elapsed:.2f} s"
    pd.testing.assert_frame_equal(frame, before)
    expected = [
        r["id"]
        for r in rows
        if PartialDate.parse(r["date"]).overlaps(dt.date(2010, 5, 1), dt.date(2015, 12, 31))
        and r["regions"][0] in {"UA-14", "UA-43"}
        and r["parties"][0] in {"russia", "west"}
    ]
    assert sorted(result["id"]) == sorted(expected) and expected
