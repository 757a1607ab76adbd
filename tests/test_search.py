"""Search, pure parts: the search rule, `q` and `statement` in the URL, the citation line."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.core.claims import Claim, ClaimSet, Source
from dashboard.core.dates import PartialDate
from dashboard.core.filters import FilterState, QueryContext, parse_query
from dashboard.core.search import MAX_QUERY_LENGTH, clean_query, normalise, query_terms, search_mask, search_text
from dashboard.sources.geodata import load_layers
from dashboard.text import text_for

D = dt.date
FIRST, LAST = D(2013, 1, 1), D(2023, 2, 28)
TEXT = text_for()

ROWS = pd.Series(
    [
        search_text(["Volodymyr Zelenskyy, President of Ukraine", "Kyïv will never give up Crimea", None]),
        search_text(["Dmitry Peskov, Kremlin spokesman", None, "Peskov says the four regions are Russia's"]),
        search_text([None, None, "Russia declares Donetsk and Luhansk annexed"]),
        search_text(["Дмитро Кулеба", "Донецьк — це Україна", "Kuleba on Donetsk"]),
    ],
    dtype=object,
)


def matches(query: str) -> list[int]:
    return [i for i, hit in enumerate(search_mask(ROWS, query)) if hit]


@pytest.mark.parametrize(
    "query, rows",
    [
        ("", [0, 1, 2, 3]),  # no search: everything
        ("   ", [0, 1, 2, 3]),
        ("peskov", [1]),  # speaker or summary
        ("PESKOV", [1]),  # case
        ("kyiv", [0]),  # accents: ï
        ("zelenskyy crimea", [0]),  # words from two fields, both must match
        ("zelenskyy donetsk", []),  # AND, not OR
        ("donetsk", [2, 3]),
        ("ДОНЕЦЬК", [3]),  # Cyrillic case
        ("донецьк україна", [3]),
        ("russia", [1, 2]),  # substring of "Russia's"
        ("r.ssia", []),  # text, never a pattern
        ("(", []),
    ],
)
def test_search_matches_every_word_ignoring_case_and_accents(query, rows):
    assert matches(query) == rows


def test_normalise_folds_case_and_drops_combining_marks():
    assert normalise("Kyïv") == "kyiv"
    assert normalise("Zelenskyy") == "zelenskyy"
    assert normalise("Straße") == "strasse"
    assert normalise("Café") == normalise("Cafe\u0301") == "cafe"


def test_fields_are_kept_apart():
    """A word cannot be made of the end of one field and the start of the next."""
    column = pd.Series([search_text(["Abc", "def"])], dtype=object)
    assert list(search_mask(column, "abcdef")) == [False]
    assert list(search_mask(column, "abc def")) == [True]


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("  peskov  ", "peskov"),
        ("a\x00b\x1bc\td", "a b c d"),
        ("kremlin\u202e spokesman", "kremlin spokesman"),
        ("x" * 500, "x" * MAX_QUERY_LENGTH),
        (None, ""),
        (["peskov"], ""),
        (42, ""),
    ],
)
def test_clean_query_bounds_and_strips_controls(raw, clean):
    assert clean_query(raw) == clean


def test_query_terms_are_distinct_and_bounded():
    assert query_terms("Peskov peskov PESKOV kremlin") == ("peskov", "kremlin")
    assert len(query_terms(" ".join(f"w{i}" for i in range(100)))) == 12


# -- q and statement in the URL ------------------------------------------------------------------


@pytest.fixture(scope="module")
def context():
    return QueryContext(
        FIRST,
        LAST,
        load_layers().lookup,
        ("russia", "ukraine", "west"),
        statement_ids={"peskov-never-compromise", "a&b=c"},
    )


@pytest.mark.parametrize(
    "state, query",
    [
        (FilterState(FIRST, LAST, q="peskov"), "?from=2013-01-01&to=2023-02-28&q=peskov"),
        (
            FilterState(FIRST, LAST, q="Kyïv & “Crimea” 100%+"),
            "?from=2013-01-01&to=2023-02-28&q=Ky%C3%AFv%20%26%20%E2%80%9CCrimea%E2%80%9D%20100%25%2B",
        ),
        (
            FilterState(FIRST, LAST, ("UA-14",), ("russia",), q="four regions", statement="peskov-never-compromise"),
            (
                "?from=2013-01-01&to=2023-02-28&regions=UA-14&parties=russia&q=four%20regions"
                "&statement=peskov-never-compromise"
            ),
        ),
        (FilterState(FIRST, LAST, statement="a&b=c"), "?from=2013-01-01&to=2023-02-28&statement=a%26b%3Dc"),
        (
            FilterState(FIRST, LAST, q="it's (not) *all*!"),
            "?from=2013-01-01&to=2023-02-28&q=it%27s%20%28not%29%20%2Aall%2A%21",
        ),
    ],
)
def test_q_and_statement_round_trip(context, state, query):
    assert state.to_query() == query
    assert parse_query(query, context) == (state, [])


def test_empty_q_and_no_statement_are_not_written():
    assert FilterState(FIRST, LAST).to_query() == "?from=2013-01-01&to=2023-02-28"


@pytest.mark.parametrize(
    "query, q",
    [
        ("?q=+peskov++kremlin+", "peskov kremlin"),
        ("?q=a%00b%1Bc", "a b c"),
        ("?q=" + "x" * 400, "x" * MAX_QUERY_LENGTH),
        ("?q=", ""),
    ],
)
def test_q_from_the_url_is_cleaned(context, query, q):
    state, notices = parse_query(query, context)
    assert state.q == q and notices == []


def test_an_unknown_statement_gives_a_notice(context):
    state, notices = parse_query("?statement=no-such-record&q=x", context)
    assert state == FilterState(FIRST, LAST, q="x")
    assert [TEXT.notice(n) for n in notices] == ["Ignored statement='no-such-record': no loaded record has that id."]


# -- the citation line ---------------------------------------------------------------------------


def claim(**fields) -> Claim:
    base = {
        "id": "r1",
        "kind": "statement",
        "date": PartialDate.parse("2023-02-28"),
        "parties": ("russia",),
        "regions": ("UA-14",),
        "summary": "Peskov says the regions are Russia's.",
        "source": Source("Reuters", "Kremlin: talks", PartialDate.parse("2023-02-28"), "https://example.org/a"),
        "start": D(2023, 2, 28),
        "end": D(2023, 2, 28),
        "speaker": "Dmitry Peskov, Kremlin spokesman",
        "quote": "Never.",
    }
    base.update(fields)
    return Claim(**base)


@pytest.mark.parametrize(
    "fields, line",
    [
        (
            {},
            (
                "Dmitry Peskov, Kremlin spokesman, quoted in Reuters, “Kremlin: talks”, 28 Feb 2023, "
                "https://example.org/a: “Never.”"
            ),
        ),
        (
            {"source": Source("Reuters", "Kremlin: talks", PartialDate.parse("2022-09"), None)},
            "Dmitry Peskov, Kremlin spokesman, quoted in Reuters, “Kremlin: talks”, Sep 2022: “Never.”",
        ),
        ({"speaker": None}, "Reuters, “Kremlin: talks”, 28 Feb 2023, https://example.org/a: “Never.”"),
        ({"speaker": "reuters"}, "Reuters, “Kremlin: talks”, 28 Feb 2023, https://example.org/a: “Never.”"),
        (
            {"quote": None, "kind": "event", "speaker": None},
            "Reuters, “Kremlin: talks”, 28 Feb 2023, https://example.org/a: Peskov says the regions are Russia's.",
        ),
    ],
)
def test_citation_names_who_said_it_where_and_when(fields, line):
    assert TEXT.citation(claim(**fields)) == line


def test_claim_set_search_column_is_built_once_with_the_records():
    claims = ClaimSet.of([claim(), claim(id="r2", speaker="Someone else", quote=None, summary="Other.", regions=())])
    first, second = claims.frame["search"]
    assert first.startswith(
        "dmitry peskov, kremlin spokesman\nnever.\npeskov says the regions are russia's.\nreuters\ndonetsk\n"
    )
    assert "\nдонецьк\n" in first  # UA-14's names in every spelling the region look-up knows
    assert second == "someone else\nother.\nreuters"
    assert list(claims.filter(text="PESKOV").frame["id"]) == ["r1"]


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "npr",
            {
                "npr-putin-signs-accession-treaties-2022-09-30",
                "npr-putin-people-made-their-choice",
                "npr-putin-residents-becoming-citizens",
                "npr-putin-status-not-for-discussion",
            },
        ),  # a publisher
        ("херсон", None),  # a region's Ukrainian name
        ("Herson", None),  # a transliteration
    ],
)
def test_search_finds_publishers_and_region_names_in_the_bundled_records(query, expected):
    from dashboard.sources.claims_load import load_claims

    claims = load_claims()
    found = set(claims.filter(text=query).frame["id"])
    if expected is None:  # every record about Kherson, whatever language its text is in
        expected = {c.id for c in claims.by_id.values() if "UA-65" in c.regions}
        assert expected
    assert expected <= found, sorted(expected - found)
    if query == "npr":  # nothing else: no other record has "npr" anywhere
        assert found == expected
