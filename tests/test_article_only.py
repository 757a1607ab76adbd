""" "Article records only": the URL's `enrichment=no`, the filter state, the views,
the page's callbacks in-process, and `--no-enrichment` on statements and export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from dash_client import NO_SEARCH, STATEMENTS_INPUTS, STATEMENTS_STATE, apply_patch, call, find_props

from dashboard.cli import cli
from dashboard.core.filters import QUERY_KEYS, FilterState, parse_query
from dashboard.core.ledger import ledger_rows
from dashboard.core.views import contested_view, filtered_claims, status_changes
from dashboard.render.map_figure import CONTESTED_UID
from dashboard.sources.dataset import load_dataset
from dashboard.testing import map_trace_index
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids

D = dt.date
CONTESTED_TRACE = map_trace_index(CONTESTED_UID)
URL_OUTPUTS = [
    (Ids.DATES, "value"),
    (Ids.REGIONS, "value"),
    (Ids.PARTIES, "value"),
    (Ids.ARTICLE_ONLY, "value"),
    (Ids.NOTICE, "children"),
]


@pytest.fixture(scope="module")
def data():
    return load_dataset(today=D(2026, 8, 21))


@pytest.fixture(scope="module")
def client():
    return create_app(Settings(today=D(2026, 8, 21))).server.test_client()


@pytest.fixture(scope="module")
def enrichment_ids(data) -> set[str]:
    ids = {c.id for c in data.claims if c.enrichment}
    assert len(ids) >= 8 and len(ids) < len(data.claims)
    return ids


# ---------------------------------------------------------------------------
# The URL and the filter state


@pytest.mark.parametrize(
    ("query", "enrichment", "notices"),
    [
        ("", True, []),
        ("?enrichment=no", False, []),
        ("?enrichment=NO", False, []),
        ("?enrichment=yes", True, []),
        ("?enrichment=maybe", True, ["unknown_values"]),
        ("?enrichment=no&enrichment=yes", False, ["repeated_key"]),
    ],
)
def test_enrichment_in_the_url(data, query, enrichment, notices):
    state, found = parse_query(query, data.query_context)
    assert state.enrichment is enrichment
    assert [n.key for n in found] == notices


def test_to_query_writes_enrichment_no_only_when_hidden(data):
    state = data.query_context.default_state()
    assert "enrichment" not in state.to_query()
    hidden = FilterState(state.date_from, state.date_to, ("UA-65",), enrichment=False)
    assert hidden.to_query().endswith("&regions=UA-65&enrichment=no")
    assert parse_query(hidden.to_query(), data.query_context)[0] == hidden
    assert QUERY_KEYS.index("enrichment") == QUERY_KEYS.index("parties") + 1


# ---------------------------------------------------------------------------
# Views: the list, the counts and the status follow it


def test_views_leave_out_enrichment_records(data, enrichment_ids):
    shown = FilterState(data.axis.first_day, data.axis.last_day)
    hidden = FilterState(data.axis.first_day, data.axis.last_day, enrichment=False)
    assert enrichment_ids <= set(filtered_claims(data, shown).frame["id"])
    assert not enrichment_ids & set(filtered_claims(data, hidden).frame["id"])
    assert len(filtered_claims(data, hidden)) == len(data.claims) - len(enrichment_ids)
    # Counts: UN resolution 68/262 is an enrichment event about Crimea.
    spring_2014 = FilterState(D(2014, 3, 1), D(2014, 3, 31))
    # "2014" (the seed), the referendum, the treaty and the resolution; article records only: "2014".
    assert contested_view(data, spring_2014).counts["UA-43"] == {"event": 4}
    assert contested_view(data, FilterState(D(2014, 3, 1), D(2014, 3, 31), enrichment=False)).counts["UA-43"] == {
        "event": 1
    }


def test_status_follows_the_cli_rule(data):
    """The page's status without enrichment is `status --no-enrichment`'s: one implementation."""
    june_2014 = FilterState(D(2014, 1, 1), D(2014, 6, 1), enrichment=False)
    assert contested_view(data, june_2014).status["UA-43"] == "uncertain"
    assert contested_view(data, FilterState(D(2014, 1, 1), D(2014, 6, 1))).status["UA-43"] == "annexation_declared"
    result = CliRunner().invoke(cli, ["status", "--date", "2014-06-01", "--no-enrichment", "--format", "json"])
    cli_status = {row["code"]: row["status"] for row in json.loads(result.stdout)}
    assert cli_status == dict(contested_view(data, june_2014).status)
    assert {r.code: r.status for r in ledger_rows(data, D(2014, 6, 1), enrichment=False)} == cli_status
    # The browser's colour steps for "Article records only" hold the same statuses.
    steps = dict(status_changes(data, enrichment=False))
    last = max(day for day in steps if day <= D(2014, 6, 1))
    assert steps[last] == cli_status


# ---------------------------------------------------------------------------
# The page, in-process


def test_url_sets_and_clears_the_checkbox(client):
    out = call(client, URL_OUTPUTS, [(Ids.URL, "search", "?enrichment=no")]).json["response"]
    assert out[str(Ids.ARTICLE_ONLY)]["value"] == ["on"]
    assert out[str(Ids.NOTICE)]["children"] is None
    out = call(client, URL_OUTPUTS, [(Ids.URL, "search", "?enrichment=sometimes")]).json["response"]
    assert out[str(Ids.ARTICLE_ONLY)]["value"] == []
    assert "Ignored unknown enrichment" in json.dumps(out[str(Ids.NOTICE)]["children"])


def _statement_ids(client, data, article_only) -> list[str]:
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", [0, data.axis.days]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", article_only),
            *STATEMENTS_INPUTS,
        ],
        state=[(Ids.SELECTED, "data", None), *STATEMENTS_STATE],
    )
    assert response.status_code == 200, response.data[:300]
    out = response.json["response"]
    return find_props(out[str(Ids.STATEMENTS)]["children"], "data-statement-id"), out[str(Ids.STATEMENT_COUNT)][
        "children"
    ]


def test_statements_callback_hides_enrichment_records(client, data, enrichment_ids):
    shown, _ = _statement_ids(client, data, [])
    hidden, count = _statement_ids(client, data, ["on"])
    assert enrichment_ids <= set(shown)
    assert not enrichment_ids & set(hidden) and set(hidden) == set(shown) - enrichment_ids
    assert "article records only" in count
    # Junk from the browser shows everything, as unticked.
    assert _statement_ids(client, data, "junk")[0] == shown


def test_map_and_ledger_callbacks_use_the_article_records_alone(client, data):
    def crimea(article_only):
        response = call(
            client,
            [(Ids.MAP, "figure")],
            [
                (Ids.DATES, "value", [0, data.axis.offset(D(2014, 6, 1))]),
                (Ids.REGIONS, "value", []),
                (Ids.PARTIES, "value", []),
                (Ids.ARTICLE_ONLY, "value", article_only),
                (Ids.SELECTED, "data", None),
                NO_SEARCH,
            ],
        )
        patch = apply_patch(response.json["response"]["map"]["figure"])
        hover = dict(zip(data.layers.contested["code"], patch[("data", CONTESTED_TRACE, "text")], strict=True))["UA-43"]
        ledger = call(
            client,
            [(Ids.LEDGER, "children")],
            [(Ids.DATES, "value", [0, data.axis.offset(D(2014, 6, 1))]), (Ids.ARTICLE_ONLY, "value", article_only)],
        ).json["response"][str(Ids.LEDGER)]["children"]
        statuses = dict(zip(find_props(ledger, "data-code"), find_props(ledger, "data-status"), strict=True))
        return hover, statuses["UA-43"]

    hover, status = crimea([])
    assert status == "annexation_declared" and "4 records in range" in hover
    hover, status = crimea(["on"])
    assert status == "uncertain" and "1 record in range" in hover


def test_the_page_sends_both_colour_step_tables(client):
    html = client.get("/_dash-layout").get_data(as_text=True)
    layout = json.loads(html)
    steps = find_props([layout], "data")
    table = next(s for s in steps if isinstance(s, dict) and "article_steps" in s)
    assert table["steps"] != table["article_steps"] and table["article_steps"]


# ---------------------------------------------------------------------------
# The command line: statements and export take --no-enrichment too


def test_statements_no_enrichment(enrichment_ids):
    def ids(*args):
        result = CliRunner().invoke(cli, ["statements", *args, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        return {row["id"] for row in json.loads(result.stdout)}

    assert enrichment_ids <= ids() and ids("--enrichment") == ids()
    assert not enrichment_ids & ids("--no-enrichment")
    assert ids("--no-enrichment") == ids() - enrichment_ids


def test_export_no_enrichment_uses_the_article_status(data):
    from dashboard.render.export_figure import attribution
    from dashboard.text import text_for

    text = text_for()
    with_enrichment = attribution(data, FilterState(D(2014, 1, 1), D(2014, 6, 1)), text)
    article_only = attribution(data, FilterState(D(2014, 1, 1), D(2014, 6, 1), enrichment=False), text)
    assert "USA Today" in with_enrichment and "USA Today" not in article_only
    assert "Reuters" in article_only
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert "--no-enrichment" in result.stdout


def test_each_event_without_enrichment_uses_the_article_events_and_days(data):
    from dashboard.cli import export_dates

    every = {label: day for day, label in export_dates.batch_dates(None, data, text_for())}
    articles = {label: day for day, label in export_dates.batch_dates(None, data, text_for(), enrichment=False)}
    assert "unga-resolution-68-262-2014-03-27" in every and "unga-resolution-68-262-2014-03-27" not in articles
    # Crimea's "2014": 18 Mar 2014 from the treaty enrichment record, else the end of the year.
    assert every["russia-annexes-crimea-2014"] == D(2014, 3, 18)
    assert articles["russia-annexes-crimea-2014"] == D(2014, 12, 31)
    # NPR's article gives the four regions' day itself.
    assert articles["russia-proclaims-annexation-four-regions"] == D(2022, 9, 30)
