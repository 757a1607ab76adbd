"""In-process: the statements search, "show more", permalinks and citations
through the app's own callback endpoint."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from dash_client import NO_SEARCH, STATEMENTS_STATE, apply_patch, call, find_props

from dashboard.core.filters import parse_query
from dashboard.render.map_figure import CONTESTED_UID
from dashboard.sources.dataset import load_dataset
from dashboard.testing import map_trace_index, synthetic_claims
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids
from dashboard.web.panels.statements import MAX_LIMIT, clamp_limit, show_more_label

CONTESTED_TRACE = map_trace_index(CONTESTED_UID)
STATEMENT_OUTPUTS = [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")]


@pytest.fixture(scope="module")
def app(bundled_app):
    return bundled_app


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """An app over 300 synthetic records: more than one page of the list."""
    path = tmp_path_factory.mktemp("claims") / "synthetic.json"
    path.write_text(json.dumps(synthetic_claims(300)))
    app = create_app(Settings(claims_paths=[path]))
    return app, load_dataset(claims_paths=[path])


def statements(client, data, search="", more=0, limit=50, selected=None, trigger="date-range.value"):
    response = call(
        client,
        STATEMENT_OUTPUTS,
        [
            (Ids.DATES, "value", [0, data.axis.days]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.STATEMENT_SEARCH, "value", search),
            (Ids.SHOW_MORE, "n_clicks", more),
        ],
        state=[(Ids.SELECTED, "data", selected), (Ids.STATEMENTS_LIMIT, "data", limit)],
        changed=[trigger],
    )
    assert response.status_code == 200, response.data[:300]
    return response.json["response"]


def ids(out) -> list[str]:
    return find_props(out[str(Ids.STATEMENTS)]["children"], "data-statement-id")


def test_search_narrows_the_list_and_the_count(app, data):
    client = app.server.test_client()
    everything = statements(client, data)
    out = statements(client, data, search="  PESKOV ")
    wanted = set(data.claims.filter(text="peskov").frame["id"])
    assert set(ids(out)) == wanted and 0 < len(wanted) < len(ids(everything))
    assert out[str(Ids.STATEMENT_COUNT)]["children"].startswith(f"{len(wanted)} of {len(data.claims)} records")
    assert out[str(Ids.SHOW_MORE)]["hidden"] is True


def test_a_search_that_matches_nothing_says_so(app, data):
    out = statements(app.server.test_client(), data, search="zzzz-no-such-words")
    assert "No statements match" in json.dumps(out[str(Ids.STATEMENTS)]["children"])


@pytest.mark.parametrize("search", [None, 42, ["x"], {"a": 1}, "\x00" * 10_000])
def test_hostile_search_values_never_500(app, data, search):
    out = statements(app.server.test_client(), data, search=search)
    assert len(ids(out)) == len(data.claims)


@pytest.mark.slow
def test_show_more_adds_fifty_and_a_filter_change_starts_again(big):
    app, data = big
    client = app.server.test_client()
    first = statements(client, data)
    assert len(ids(first)) == 50 and first[str(Ids.STATEMENTS_LIMIT)]["data"] == 50
    assert first[str(Ids.SHOW_MORE)] == {"children": "Show 50 more (250 hidden)", "hidden": False}
    more = statements(client, data, more=1, limit=50, trigger="show-more.n_clicks")
    assert len(ids(more)) == 100 and more[str(Ids.STATEMENTS_LIMIT)]["data"] == 100
    assert ids(more)[:50] == ids(first)
    assert more[str(Ids.SHOW_MORE)]["children"] == "Show 50 more (200 hidden)"
    again = statements(client, data, search="synthetic", more=1, limit=100)
    assert len(ids(again)) == 50 and again[str(Ids.STATEMENTS_LIMIT)]["data"] == 50
    # The store is the browser's: a forged limit is clamped, never trusted.
    forged = statements(client, data, more=2, limit=10**9, trigger="show-more.n_clicks")
    assert len(ids(forged)) == 300 and forged[str(Ids.SHOW_MORE)]["hidden"] is True


def test_statement_in_the_url_selects_the_record(app):
    client = app.server.test_client()
    response = call(
        client, [(Ids.DATES, "value")], [(Ids.URL, "search", "?q=crimea&statement=russia-annexes-crimea-2014")]
    )
    out = response.json["response"]
    assert out[str(Ids.SELECTED)]["data"] == "russia-annexes-crimea-2014"
    assert out[str(Ids.SCROLL_TO)]["data"] == "russia-annexes-crimea-2014"
    assert out[str(Ids.STATEMENT_SEARCH)]["value"] == "crimea"
    assert out[str(Ids.NOTICE)]["children"] is None
    response = call(client, [(Ids.DATES, "value")], [(Ids.URL, "search", "?statement=nope")])
    out = response.json["response"]
    assert out[str(Ids.SELECTED)]["data"] is None
    assert "Ignored statement='nope'" in json.dumps(out[str(Ids.NOTICE)]["children"])


def test_a_picked_record_beyond_the_first_50_is_listed_and_pressed(big):
    app, data = big
    oldest = data.claims.frame["id"].iloc[0]
    out = statements(app.server.test_client(), data, selected=oldest)
    listed = ids(out)
    assert len(listed) == 51 and listed[-1] == oldest
    assert str(Ids.SELECTED) not in out  # still shown: the selection stands
    buttons = list(find_props(out[str(Ids.STATEMENTS)]["children"], "aria-pressed"))
    assert buttons.count("true") == 1 and buttons.count("false") == 50


def test_each_record_has_a_permalink_and_a_citation_button(app, data):
    out = statements(app.server.test_client(), data)
    tree = out[str(Ids.STATEMENTS)]["children"]
    links = find_props(tree, "href")
    # The map opens on the record's date; the filters of the moment are left out.
    assert f"?from={data.axis.first_day}&to=2023-02-28&statement=peskov-constitution-cannot-be-ignored" in links
    labels = find_props(tree, "aria-label")
    assert "Link to this record: Dmitry Peskov, Kremlin spokesman, 28 Feb 2023" in labels
    assert "Copy citation: Dmitry Peskov, Kremlin spokesman, 28 Feb 2023" in labels
    # "Show regions on map" says which record it outlines.
    assert "Show regions on map: Dmitry Peskov, Kremlin spokesman, 28 Feb 2023" in labels
    citations = find_props(tree, "data-citation")
    assert len(citations) == len(data.claims)
    assert any(
        c.endswith("“The constitution of the Russian Federation exists, and cannot be ignored.”") for c in citations
    )


def test_hover_counts_follow_the_search_and_colours_do_not(app, data):
    client = app.server.test_client()

    def patch(search):
        response = call(
            client,
            [(Ids.MAP, "figure")],
            [
                (Ids.DATES, "value", [0, data.axis.days]),
                (Ids.REGIONS, "value", []),
                (Ids.PARTIES, "value", []),
                (Ids.ARTICLE_ONLY, "value", []),
                (Ids.SELECTED, "data", None),
                (Ids.STATEMENT_SEARCH, "value", search),
            ],
        )
        assert response.status_code == 200
        return apply_patch(response.json["response"]["map"]["figure"])

    everything, peskov = patch(""), patch("peskov")
    assert everything[("data", CONTESTED_TRACE, "z")] == peskov[("data", CONTESTED_TRACE, "z")]
    cards_all, cards_peskov = (
        dict(zip(data.layers.contested["code"], p[("data", CONTESTED_TRACE, "text")], strict=True))
        for p in (everything, peskov)
    )

    # Peskov spoke of the four regions, not of Crimea: its card counts no record under the search.
    def none_in_range(card: str) -> bool:  # "0 records", not the end of "10 records"
        return re.search(r"(?<!\d)0 records in range", card) is not None

    assert not none_in_range(cards_all["UA-43"])
    assert none_in_range(cards_peskov["UA-43"])
    assert not none_in_range(cards_peskov["UA-14"])


def test_the_shared_test_inputs_name_the_real_components():
    assert NO_SEARCH[0] == Ids.STATEMENT_SEARCH and STATEMENTS_STATE[0][0] == Ids.STATEMENTS_LIMIT


@pytest.mark.parametrize(
    "value, limit", [(None, 50), ("100", 50), (True, 50), (-5, 50), (100, 100), (10**9, MAX_LIMIT)]
)
def test_the_list_length_from_the_browser_is_clamped(value, limit):
    assert clamp_limit(value) == limit


def test_show_more_stops_at_the_cap():
    text = text_for()
    assert show_more_label(text, 50, 60) == ("Show 10 more (10 hidden)", False)
    assert show_more_label(text, MAX_LIMIT, 10_000) == ("", True)
    assert show_more_label(text, 60, 60) == ("", True)


def test_a_permalink_keeps_the_search_and_opens_on_the_records_date(app, data):
    out = statements(app.server.test_client(), data, search="constitution")
    links = find_props(out[str(Ids.STATEMENTS)]["children"], "href")
    link = next(h for h in links if "statement=peskov-constitution-cannot-be-ignored" in h)
    assert link == (
        f"?from={data.axis.first_day}&to=2023-02-28&q=constitution&statement=peskov-constitution-cannot-be-ignored"
    )
    # Opening it gives that day on the map, the search, and the record picked.
    state, notices = parse_query(link, data.query_context)
    assert (state.date_to, state.q, state.statement, notices) == (
        dt.date(2023, 2, 28),
        "constitution",
        "peskov-constitution-cannot-be-ignored",
        [],
    )


def test_a_month_record_links_to_the_end_of_its_month():
    from dashboard.core.filters import FilterState

    state = FilterState(
        dt.date(2020, 1, 1), dt.date(2026, 1, 1), regions=("UA-14",), parties=("russia",), q="x", lang="uk"
    )
    assert (
        state.record_link("r", dt.date(2022, 9, 1), dt.date(2022, 9, 30))
        == "?from=2020-01-01&to=2022-09-30&q=x&statement=r"
    )
    # A record before the range: the range reaches back to it.
    assert state.record_link("r", dt.date(2014, 3, 18), dt.date(2014, 3, 18)).startswith(
        "?from=2014-03-18&to=2014-03-18"
    )
