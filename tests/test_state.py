"""FilterState: URL query in, state and notices out, and back again."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.filters import FilterState, QueryContext, parse_query
from dashboard.sources.geodata import load_layers
from dashboard.text import text_for

D = dt.date
FIRST, LAST = D(2013, 1, 1), D(2023, 2, 28)


@pytest.fixture(scope="module")
def context():
    return QueryContext(FIRST, LAST, load_layers().lookup, ("russia", "ukraine", "west"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", FilterState(FIRST, LAST)),
        ("?", FilterState(FIRST, LAST)),
        ("?from=2022-01-01&to=2022-12-31", FilterState(D(2022, 1, 1), D(2022, 12, 31))),
        ("?from=2022&to=2022-09", FilterState(D(2022, 1, 1), D(2022, 9, 30))),
        # Crimea means the peninsula: either unit selects both, as a map click does.
        ("?regions=UA-43,UA-14", FilterState(FIRST, LAST, ("UA-43", "UA-40", "UA-14"))),
        ("?regions=Krym,zaporozhye,Lugansk", FilterState(FIRST, LAST, ("UA-43", "UA-40", "UA-23", "UA-09"))),
        ("?regions=Sevastopol", FilterState(FIRST, LAST, ("UA-43", "UA-40"))),
        ("?regions=Донецьк,Krym", FilterState(FIRST, LAST, ("UA-14", "UA-43", "UA-40"))),
        ("?regions=UA-14,Donetsk", FilterState(FIRST, LAST, ("UA-14",))),
        ("?parties=Russia,west", FilterState(FIRST, LAST, (), ("russia", "west"))),
        ("?regions=UA-43%2CUA-40", FilterState(FIRST, LAST, ("UA-43", "UA-40"))),
    ],
)
def test_valid_queries(context, query, expected):
    state, notices = parse_query(query, context)
    assert state == expected
    assert notices == []


@pytest.mark.parametrize(
    "query, expected, notice",
    [
        ("?from=2023-13-01", FilterState(FIRST, LAST), "Ignored from='2023-13-01'"),
        ("?to=yesterday", FilterState(FIRST, LAST), "Ignored to='yesterday'"),
        ("?from=0000-00-00", FilterState(FIRST, LAST), "Ignored from='0000-00-00'"),
        ("?from=1990-01-01", FilterState(FIRST, LAST), "outside the timeline"),
        ("?to=2030-01-01", FilterState(FIRST, LAST), "using 28 Feb 2023"),
        ("?regions=Atlantis,UA-14", FilterState(FIRST, LAST, ("UA-14",)), "unknown regions: 'Atlantis'"),
        ("?parties=martians", FilterState(FIRST, LAST), "unknown parties: 'martians'"),
        ("?colour=red", FilterState(FIRST, LAST), "unknown URL parameter 'colour'"),
        ("?from=2022-01-01&from=2021-01-01", FilterState(D(2022, 1, 1), LAST), "repeated URL parameter 'from'"),
        ("?from=2022-06-01&to=2022-01-01", FilterState(D(2022, 1, 1), D(2022, 6, 1)), "swapped"),
        ("?regions=" + "x" * 600, FilterState(FIRST, LAST), "longer than 500"),
        ("?regions=<script>alert(1)</script>", FilterState(FIRST, LAST), "unknown regions"),
    ],
)
def test_bad_values_are_ignored_with_a_specific_notice(context, query, expected, notice):
    state, notices = parse_query(query, context)
    assert state == expected
    said = [text_for().notice(n) for n in notices]
    assert any(notice in n for n in said), said


@pytest.mark.parametrize("search", [None, 42, ["?from=2020"], "?" + "a=b&" * 5000])
def test_hostile_search_values_never_raise(context, search):
    state, _ = parse_query(search, context)
    assert state == FilterState(FIRST, LAST)


def test_round_trip(context):
    state = FilterState(D(2014, 3, 1), D(2022, 10, 1), ("UA-43", "UA-40"), ("ukraine",))
    assert state.to_query() == "?from=2014-03-01&to=2022-10-01&regions=UA-43,UA-40&parties=ukraine"
    assert parse_query(state.to_query(), context) == (state, [])


@pytest.mark.parametrize(
    "selected, clicked, result",
    [
        ((), ("UA-14",), ("UA-14",)),
        (("UA-14",), ("UA-14",), ()),
        (("UA-14",), ("UA-43", "UA-40"), ("UA-14", "UA-43", "UA-40")),
        (("UA-43", "UA-40", "UA-14"), ("UA-43", "UA-40"), ("UA-14",)),
        (("UA-43",), ("UA-43", "UA-40"), ("UA-43", "UA-40")),
    ],
)
def test_region_toggle(selected, clicked, result):
    state = FilterState(FIRST, LAST, selected)
    assert state.with_region_toggled(clicked).regions == result


def test_describe():
    names = {"UA-14": "Donetsk", "UA-09": "Luhansk"}
    state = FilterState(D(2014, 1, 1), D(2023, 2, 28), ("UA-14", "UA-09"))
    assert text_for().describe(state, names.__getitem__) == "Donetsk, Luhansk · 1 Jan 2014 – 28 Feb 2023"
    assert text_for().describe(FilterState(FIRST, LAST), names.__getitem__).startswith("All contested regions")
