"""The ledger: declared beside held, pure, as the panel builds it, and in-process.

Bundled data: the claims records (with the two enrichment records) and the
bundled control layer, DeepStateMap via cyterat/deepstate-map-data, daily from
2024-07-09 to 2026-08-21 with gaps (none on 18 and 19 Aug 2024).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from dash_client import NO_SEARCH, apply_patch, call
from plotly.utils import PlotlyJSONEncoder

from dashboard.core.dates import PartialDate
from dashboard.core.ledger import LedgerRow, held_at, ledger_rows, source_label
from dashboard.core.regions import CONTESTED_CODES
from dashboard.core.status import status_timeline
from dashboard.render.map_figure import CONTESTED_UID
from dashboard.sources.dataset import load_dataset
from dashboard.testing import map_trace_index
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids
from dashboard.web.panels.ledger import ledger_table

D = dt.date
TODAY = D(2026, 11, 26)
LAST = D(2026, 8, 21)
TEXT = text_for()
CONTESTED_TRACE = map_trace_index(CONTESTED_UID)


@pytest.fixture(scope="module")
def data():
    return load_dataset(today=TODAY)


def by_code(rows: list[LedgerRow]) -> dict[str, LedgerRow]:
    return {row.code: row for row in rows}


# -- pure: ledger_rows ---------------------------------------------------------------------------


def test_the_six_regions_in_order_on_the_last_snapshot(data):
    rows = ledger_rows(data, LAST)
    assert [r.code for r in rows] == list(CONTESTED_CODES)
    kherson = by_code(rows)["UA-65"]
    assert kherson.status == "annexation_declared"
    assert kherson.declared_on == PartialDate(2022, 9, 30)
    assert "four-regions-accession-treaties-2022-09-30" in kherson.decided_by
    assert kherson.held is not None
    assert kherson.held.occupied_share == pytest.approx(0.72, abs=0.01)
    assert kherson.held.snapshot_date == LAST and not kherson.held.coast_rule
    crimea = by_code(rows)["UA-43"]
    assert crimea.declared_on == PartialDate(2014, 3, 18)
    assert crimea.held.occupied_share == 1.0 and crimea.held.coast_rule
    assert crimea.held.occupied_share_raw < 1.0  # the measured figure is kept beside the rule's


def test_before_the_archive_nothing_is_held_and_crimea_is_declared(data):
    rows = by_code(ledger_rows(data, D(2015, 1, 1)))
    assert all(row.held is None for row in rows.values())
    assert rows["UA-43"].status == rows["UA-40"].status == "annexation_declared"
    assert rows["UA-43"].declared_on == PartialDate(2014, 3, 18)
    for code in ("UA-14", "UA-09", "UA-65", "UA-23"):
        assert rows[code].status == "no_annexation_declared"
        assert rows[code].declared_on is None and rows[code].decided_by == ()


def test_a_day_in_an_archive_gap_shows_the_last_snapshot_before_it(data):
    assert D(2024, 8, 19) not in data.control.shares.dates
    for row in ledger_rows(data, D(2024, 8, 19)):
        assert row.held.snapshot_date == D(2024, 8, 17)
        assert row.held.date == D(2024, 8, 19)


def test_held_is_the_control_table_row_and_declared_the_status(data):
    """Declared and held stay separate fields, each equal to its own source's figure."""
    for day in (D(2024, 7, 9), D(2025, 1, 1), LAST, TODAY):
        statuses = data.status_at(day)
        for row in ledger_rows(data, day):
            assert row.held == data.control.shares.row(day, row.code)
            assert (row.status, row.decided_by) == (statuses[row.code].status.value, statuses[row.code].decided_by)
    # `change` is control on the ground too (over a range): still nothing merges declared and held.
    assert {f.name for f in dataclasses.fields(LedgerRow)} == {
        "code",
        "status",
        "declared_on",
        "decided_by",
        "held",
        "change",
    }


def test_uncertain_declaration_has_its_window_as_the_date(data):
    article_only = dataclasses.replace(data, timeline=status_timeline(data.claims, enrichment=False))
    crimea = by_code(ledger_rows(article_only, D(2014, 6, 15)))["UA-43"]
    assert crimea.status == "uncertain"
    assert crimea.declared_on == PartialDate(2014)


def test_without_control_data_held_is_none(data):
    no_control = dataclasses.replace(data, control=None)
    assert held_at(None, LAST) is None
    assert all(row.held is None for row in ledger_rows(no_control, LAST))


@pytest.mark.parametrize(
    "name, short",
    [
        ("DeepStateMap via cyterat/deepstate-map-data", "DeepStateMap"),
        ("DeepStateMap (raw snapshot)", "DeepStateMap"),
        ("My own survey", "My own survey"),
        ("", ""),
    ],
)
def test_source_label(name, short):
    assert source_label(name) == short


@pytest.mark.parametrize(
    "share, words",
    [
        (0.7212, "72%"),
        (1.0, "100%"),
        (0.0, "0%"),
        (0.9996, "99.9%"),
        (0.995, "99.5%"),
        (0.004, "0.4%"),
        (0.0001, "0.1%"),
        (0.9879, "99%"),
    ],
)
def test_shares_in_words_never_round_to_full_or_none(share, words):
    assert TEXT.share(share) == words


def test_area_in_words():
    assert TEXT.area(18877.69) == "18,878 km²"


# -- the panel's table ---------------------------------------------------------------------------


def table_rows(children) -> tuple[str, dict[str, str]]:
    """(caption text, {data-code: row text}) from the table's children as the browser gets them."""
    tree = json.loads(json.dumps(children, cls=PlotlyJSONEncoder))
    caption = flat_text(tree[0])
    rows = tree[2]["props"]["children"]
    return caption, {row["props"]["data-code"]: flat_text(row) for row in rows}


def flat_text(tree) -> str:
    if isinstance(tree, str):
        return tree
    if isinstance(tree, list):
        return " ".join(flat_text(t) for t in tree)
    if isinstance(tree, dict):
        return flat_text(tree.get("props", {}).get("children", ""))
    return "" if tree is None else str(tree)


def test_table_cells_on_the_last_snapshot(data):
    caption, rows = table_rows(ledger_table(data, TEXT, LAST))
    assert list(rows) == list(CONTESTED_CODES)
    assert "Held: DeepStateMap via cyterat/deepstate-map-data (GPL-3.0)" in caption
    assert "Declared: the loaded claims records." in caption
    kherson = rows["UA-65"]
    for fragment in ("Kherson", "Annexation declared by Russia 30 Sep 2022", "72% (18,878 km²)", "21 Aug 2026"):
        assert fragment in kherson
    assert "coastline rule" not in kherson and "grey zone" not in kherson  # the daily archive has no grey
    assert "counted fully held: coastline rule (measured 99%)" in rows["UA-43"]
    assert "Annexation declared by Russia 18 Mar 2014" in rows["UA-43"]


def test_table_before_the_archive_and_in_a_gap(data):
    _, rows = table_rows(ledger_table(data, TEXT, D(2015, 1, 1)))
    assert "No DeepStateMap snapshot on or before 1 Jan 2015" in rows["UA-65"]
    assert "No annexation declared" in rows["UA-65"]
    _, rows = table_rows(ledger_table(data, TEXT, D(2024, 8, 19)))
    assert "17 Aug 2024" in rows["UA-65"] and "the last on or before 19 Aug 2024" in rows["UA-65"]


def test_table_with_a_grey_zone_and_without_control(data):
    shares = data.control.shares
    frame = shares.frame.drop(columns="date").assign(grey_share=0.03, grey_km2=800.0)
    grey = dataclasses.replace(data, control=dataclasses.replace(data.control, shares=type(shares)(frame)))
    _, rows = table_rows(ledger_table(grey, TEXT, LAST))
    assert "grey zone 3%" in rows["UA-65"]
    caption, rows = table_rows(ledger_table(dataclasses.replace(data, control=None), TEXT, LAST))
    assert all("Control data not loaded" in text for text in rows.values())
    assert "control data not loaded" in caption


# -- in-process: the callback and the hover card ----------------------------------------------------


@pytest.fixture(scope="module")
def client():
    return create_app(Settings(today=TODAY)).server.test_client()


def ledger_callback(client, data, day):
    response = call(
        client,
        [(Ids.LEDGER, "children")],
        [(Ids.DATES, "value", [0, data.axis.offset(day)]), (Ids.ARTICLE_ONLY, "value", [])],
    )
    assert response.status_code == 200, response.data[:300]
    return table_rows(response.json["response"][str(Ids.LEDGER)]["children"])


@pytest.mark.slow
def test_ledger_callback_follows_the_end_of_the_range(client, data):
    caption, rows = ledger_callback(client, data, LAST)
    assert caption.startswith("On 21 Aug 2026")
    assert "72%" in rows["UA-65"] and "30 Sep 2022" in rows["UA-65"]
    caption, rows = ledger_callback(client, data, D(2015, 1, 1))
    assert caption.startswith("On 1 Jan 2015")
    assert "No DeepStateMap snapshot on or before 1 Jan 2015" in rows["UA-65"]
    assert "No annexation declared" in rows["UA-65"]


def test_ledger_callback_survives_junk_dates(client):
    response = call(
        client, [(Ids.LEDGER, "children")], [(Ids.DATES, "value", "junk"), (Ids.ARTICLE_ONLY, "value", "junk")]
    )
    assert response.status_code == 200


def hover_cards(client, data, day) -> dict[str, str]:
    response = call(
        client,
        [(Ids.MAP, "figure")],
        [
            (Ids.DATES, "value", [0, data.axis.offset(day)]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.SELECTED, "data", None),
            NO_SEARCH,
        ],
    )
    patch = apply_patch(response.json["response"]["map"]["figure"])
    return dict(zip(data.layers.contested["code"], patch[("data", CONTESTED_TRACE, "text")], strict=True))


def test_hover_card_says_what_is_held_beside_what_was_declared(client, data):
    cards = hover_cards(client, data, LAST)
    assert "<br>Held by Russian forces: 72% (DeepStateMap, 21 Aug 2026)<br>" in cards["UA-65"]
    assert "Status on 21 Aug 2026: Annexation declared by Russia" in cards["UA-65"]
    assert "Held by Russian forces: 100% (DeepStateMap, 21 Aug 2026; coastline rule)" in cards["UA-43"]
    cards = hover_cards(client, data, D(2024, 8, 19))
    assert "Held by Russian forces: 72% (DeepStateMap, 17 Aug 2024)" in cards["UA-65"]
    cards = hover_cards(client, data, D(2015, 1, 1))
    assert "Held by Russian forces: no DeepStateMap snapshot on or before 1 Jan 2015" in cards["UA-65"]
