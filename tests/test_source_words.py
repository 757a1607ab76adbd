"""Sources' names in the reader's language: "via" and the publishers' notes are words and are
translated; the names themselves (DeepStateMap, cyterat/deepstate-map-data, TASS) never are."""

from __future__ import annotations

import json

import pytest
from dash_client import call

from dashboard.sources.dataset import load_dataset
from dashboard.text import text_for
from dashboard.text.source_words import PUBLISHER_NOTES, publisher_words, source_words
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids

UK = text_for("uk")
EN = text_for("en")


@pytest.mark.parametrize(
    ("name", "english", "ukrainian"),
    [
        (
            "DeepStateMap via cyterat/deepstate-map-data",
            "DeepStateMap via cyterat/deepstate-map-data",
            "DeepStateMap через cyterat/deepstate-map-data",
        ),
        (
            "DeepStateMap.live, via github.com/cyterat/deepstate-map-data (commit e904719a)",
            "DeepStateMap.live, via github.com/cyterat/deepstate-map-data (commit e904719a)",
            "DeepStateMap.live, через github.com/cyterat/deepstate-map-data (commit e904719a)",
        ),
        ("VIINA", "VIINA", "VIINA"),
        ("Viable maps", "Viable maps", "Viable maps"),  # "via" inside a word is not the word
        (" via nothing", " via nothing", " via nothing"),  # no name before it: left as written
    ],
)
def test_via_follows_the_language_and_the_names_stay(name, english, ukrainian):
    assert source_words(EN, name) == english
    assert source_words(UK, name) == ukrainian


@pytest.mark.parametrize(
    ("publisher", "ukrainian"),
    [
        ("TASS (Russian state news agency)", "TASS (російська державна інформаційна агенція)"),
        ("Espreso (English edition)", "Espreso (англомовне видання)"),
        ("NPR (member-station copy, WHQR)", "NPR (копія місцевої станції-члена, WHQR)"),
        ("United Nations (Meetings Coverage and Press Releases)", "United Nations (висвітлення засідань і пресрелізи)"),
        ("Reuters", "Reuters"),
        ("Someone (a note nobody translated)", "Someone (a note nobody translated)"),
    ],
)
def test_publisher_notes_follow_the_language(publisher, ukrainian):
    assert publisher_words(UK, publisher) == ukrainian
    assert publisher_words(EN, publisher) == publisher


def test_every_note_in_the_bundled_claims_is_translated():
    """A note added to the bundled claims without a translation would show English on the Ukrainian page."""
    publishers = {claim.source.publisher for claim in load_dataset().claims}
    for publisher in publishers:
        if "(" in publisher:
            assert publisher_words(UK, publisher) != publisher, publisher
    assert all(UK(key) != EN(key) for key in PUBLISHER_NOTES.values())


@pytest.fixture(scope="module")
def client():
    return create_app(Settings()).server.test_client()


def test_the_ukrainian_page_says_no_via_and_no_english_notes(client):
    layout = client.get("/_dash-layout", headers={"Accept-Language": "uk"}).get_data(as_text=True)
    assert "cyterat/deepstate-map-data" in layout  # the credit is there ...
    assert " via " not in layout  # ... in Ukrainian words
    assert "через" in layout
    for english_note in PUBLISHER_NOTES:
        assert english_note not in layout, english_note


def test_ukrainian_statements_name_publishers_with_translated_notes(client):
    data = load_dataset()
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", [0, data.axis.days]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.STATEMENT_SEARCH, "value", ""),
            (Ids.SHOW_MORE, "n_clicks", 0),
        ],
        state=[(Ids.SELECTED, "data", None), (Ids.LANG, "data", "uk")],
    )
    assert response.status_code == 200, response.data[:300]
    said = json.dumps(response.json["response"], ensure_ascii=False)
    assert "TASS (російська державна інформаційна агенція)" in said
    assert "member-station copy" not in said and "English edition" not in said
