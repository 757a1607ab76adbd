"""The page in each language, in-process: which language a request gets, the
layout and the callbacks' words in it, `lang` in the URL state, and a catalogue check of the page.

The catalogue check renders the layout and the first callback outputs in every language but
English and fails on any visible text that is an English template left untranslated, or that has
no letter of the language's script (Latin text on a Ukrainian page) and is not data (claim text,
publishers, codes, numbers). Claim text is data and stays in the language of its source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import pytest
from dash_client import call

from dashboard.core.filters import FilterState, parse_query
from dashboard.text import CATALOGUES, DEFAULT_LANG, LANGUAGES, text_for
from dashboard.text.negotiate import query_lang
from dashboard.web.ids import Ids

OTHER_LANGS = [lang for lang in LANGUAGES if lang != DEFAULT_LANG]
#: Props whose strings a reader sees or hears.
VISIBLE_PROPS = ("children", "label", "placeholder", "title", "aria-label")
#: Components whose text is data, not the page's words: claim text, publishers, source titles.
DATA_CLASSES = {"quote", "summary", "speaker", "parties", "source", "print-sources"}
#: ... and components whose hover title is a claim's summary (the ledger's records).
DATA_TITLES = {"ledger-record"}
#: A string with no letter at all (dates as digits, "·", "1200 × 800 px" in any script) or only data
#: tokens needs no translation: codes (UA-14), party slugs, file formats, the languages' own names.
DATA_TOKEN = re.compile(
    r"^(UA-\d\d|[a-z]+|PNG|SVG|PDF|GIF|MP4|WEBM|HTML|px|YYYY(-MM(-DD)?)?|DeepStateMap|GPL-3\.0|Natural|Earth|"
    r"cyterat/deepstate-map-data|Reuters|Crimea|Sevastopol|Okabe–Ito)$"
)
SCRIPT = {"uk": re.compile(r"[А-Яа-яЄєІіЇїҐґ]")}


@pytest.fixture(scope="module")
def app(bundled_app):
    return bundled_app


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


def layout(client, query: str = "", **headers) -> dict:
    response = client.get("/_dash-layout" + query, headers=headers)
    assert response.status_code == 200
    return response.json


def texts(tree: Any, skip_data: bool = True, lang: str | None = None) -> list[str]:
    """Every visible string of a serialised component tree, claim text (data) left out, and with
    `lang`, text marked as another language (`lang="en"` on "English" in the switch) too."""
    found: list[str] = []
    if isinstance(tree, str):
        found.append(tree)
    elif isinstance(tree, list):
        for item in tree:
            found.extend(texts(item, skip_data, lang))
    elif isinstance(tree, dict) and "props" in tree:
        props = tree["props"]
        classes = set(str(props.get("className") or "").split())
        if (skip_data and classes & DATA_CLASSES) or (lang is not None and props.get("lang") not in (None, lang)):
            return found
        for prop in VISIBLE_PROPS:
            if prop in props and not (prop == "title" and skip_data and classes & DATA_TITLES):
                found.extend(texts(props[prop], skip_data, lang))
        for option in props.get("options") or []:
            if isinstance(option, dict):
                found.extend(texts(option.get("label"), skip_data, lang))
                found.extend(texts(option.get("title"), skip_data, lang))
    return found


def untranslated(strings: list[str], lang: str) -> list[str]:
    """Strings that are an English template the catalogue translates otherwise, or that carry no
    letter of `lang`'s script and are not data."""
    english = {t for key, t in CATALOGUES[DEFAULT_LANG].items() if CATALOGUES[lang][key] != t and "{" not in t}
    script = SCRIPT.get(lang)
    bad = []
    for s in (s.strip() for s in strings):
        if not s:
            continue
        if s in english:
            bad.append(s)
        elif script is not None and not script.search(s) and re.search(r"[A-Za-z]", s):
            words = re.findall(r"[A-Za-z][A-Za-z0-9./–-]*", s)
            if not all(DATA_TOKEN.match(w) for w in words):
                bad.append(s)
    return bad


def statements(client, dates, lang):
    """The statements callback for Donetsk in `lang` (its state: no selection, the first 50)."""
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", dates),
            (Ids.REGIONS, "value", ["UA-14"]),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.STATEMENT_SEARCH, "value", ""),
            (Ids.SHOW_MORE, "n_clicks", 0),
        ],
        state=[(Ids.SELECTED, "data", None), (Ids.LANG, "data", lang)],
    )
    assert response.status_code == 200, response.data[:300]
    return response


def first_outputs(client, data, lang: str) -> list:
    """The first callback outputs that carry words: statements, count, ledger, readout, URL notice."""
    dates = [0, data.axis.days]
    got = []
    response = statements(client, dates, lang)
    assert response.status_code == 200, response.data[:300]
    got.append(response.json["response"])
    for outputs, inputs in (
        ([(Ids.LEDGER, "children")], [(Ids.DATES, "value", dates), (Ids.ARTICLE_ONLY, "value", [])]),
        ([(Ids.DATE_READOUT, "children"), (Ids.PRINT_RANGE, "children")], [(Ids.DATES, "value", dates)]),
    ):
        response = call(client, outputs, inputs, state=[(Ids.LANG, "data", lang)])
        assert response.status_code == 200, response.data[:300]
        got.append(response.json["response"])
    return got


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_the_page_has_no_word_outside_the_catalogue(client, data, lang):
    page = layout(client, f"?lang={lang}")
    strings = texts(page, lang=lang) + texts(first_outputs(client, data, lang), lang=lang)
    assert len(strings) > 50
    assert untranslated(strings, lang) == []


def test_the_check_finds_an_english_string_on_a_ukrainian_page():
    english = text_for()("statements.heading")
    assert untranslated(["Заява", english, "Donetsk region", "UA-14 · png", "12 000 км²"], "uk") == [
        english,
        "Donetsk region",
    ]


def test_claim_text_is_data_and_not_checked():
    tree = {"props": {"className": "summary", "children": "Russia said so."}, "type": "P", "namespace": "x"}
    assert texts(tree) == []
    assert texts(tree, skip_data=False) == ["Russia said so."]


@pytest.mark.slow
def test_lang_query_and_accept_language_choose_the_layout(client):
    uk = text_for("uk")
    assert uk("statements.heading") in texts(layout(client, "?lang=uk"))
    assert uk("statements.heading") in texts(layout(client, **{"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}))
    # ?lang wins over the browser; an unknown lang falls back to the browser, then English.
    english = text_for()("statements.heading")
    assert english in texts(layout(client, "?lang=en", **{"Accept-Language": "uk"}))
    assert english in texts(layout(client, "?lang=xx"))
    assert uk("statements.heading") in texts(layout(client, "?lang=xx", **{"Accept-Language": "uk"}))


def test_the_lang_store_and_html_lang_follow_the_request(client):
    store = [c for c in _walk(layout(client, "?lang=uk")) if c.get("props", {}).get("id") == Ids.LANG]
    assert [c["props"]["data"] for c in store] == ["uk"]
    index = client.get("/?lang=uk").get_data(as_text=True)
    assert '<html lang="uk">' in index and f"<title>{text_for('uk')('app.title')}</title>" in index
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert '<html lang="uk">' in client.get("/", headers={"Accept-Language": "uk"}).get_data(as_text=True)


def _walk(tree: Any):
    if isinstance(tree, dict):
        yield tree
        for value in tree.get("props", {}).values():
            yield from _walk(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _walk(item)


@pytest.mark.slow
def test_the_switch_names_each_language_in_itself(client):
    switch = next(c for c in _walk(layout(client, "?lang=uk")) if c.get("props", {}).get("id") == Ids.LANG_SWITCH)
    links = [c["props"] for c in _walk(switch) if c.get("type") == "A"]
    assert [link["children"] for link in links] == [text_for(lang)("lang.name") for lang in LANGUAGES]
    assert [link.get("aria-current") for link in links] == [None if lang != "uk" else "true" for lang in LANGUAGES]
    assert all(link["lang"] == link["id"]["lang"] for link in links)


def test_callbacks_speak_the_lang_store_and_refuse_nothing(client, data):
    dates = [0, data.axis.days]
    for lang, heading in (("uk", "Регіон"), ("en", "Region"), ("xx", "Region"), (None, "Region"), (["uk"], "Region")):
        response = call(
            client,
            [(Ids.LEDGER, "children")],
            [(Ids.DATES, "value", dates), (Ids.ARTICLE_ONLY, "value", [])],
            state=[(Ids.LANG, "data", lang)],
        )
        assert response.status_code == 200
        headings = texts(response.json["response"][str(Ids.LEDGER)]["children"])
        assert heading in headings, (lang, headings[:6])


def test_ukrainian_statements_name_regions_and_dates_in_ukrainian(client, data):
    response = statements(client, [0, data.axis.days], "uk")
    out = response.json["response"]
    regions = [
        c["props"]["children"]
        for c in _walk(out[str(Ids.STATEMENTS)]["children"])
        if c.get("props", {}).get("className") == "regions"
    ]
    assert regions and all(line.startswith("Регіони: ") for line in regions)
    assert any("Донецька область" in line for line in regions)
    assert not any("Donetsk" in line for line in regions)
    headings = [
        c["props"]["children"]
        for c in _walk(out[str(Ids.STATEMENTS)]["children"])
        if c.get("props", {}).get("className") == "date-heading"
    ]
    assert "вер. 2022" in headings  # a date at its precision in Ukrainian (CLDR)
    assert "Донецька область" in out[str(Ids.STATEMENT_COUNT)]["children"]


@pytest.fixture(scope="module")
def context(data):
    return replace(data.query_context, lookup_lang=query_lang, languages=LANGUAGES)


def test_lang_joins_the_url_state(context):
    state, notices = parse_query("?from=2022-01-01&to=2023-02-28&lang=UK", context)
    assert notices == [] and state.lang == "uk"
    assert state.to_query() == "?from=2022-01-01&to=2023-02-28&lang=uk"
    again, _ = parse_query(state.to_query(), context)
    assert again == state
    assert FilterState(dt.date(2022, 1, 1), dt.date(2023, 2, 28)).to_query() == "?from=2022-01-01&to=2023-02-28"


def test_an_unknown_lang_is_ignored_with_a_notice(context, data):
    state, notices = parse_query("?lang=xx", context)
    assert state.lang is None
    assert [n.key for n in notices] == ["unknown_lang"]
    assert f"known: {', '.join(LANGUAGES)}" in text_for().notice(notices[0])
    # Without the text layer's look-up (core alone), every lang is unknown: nothing is guessed.
    _, notices = parse_query("?lang=uk", data.query_context)
    assert [n.key for n in notices] == ["unknown_lang"]


def test_the_layout_is_sent_in_utf8_and_the_index_carries_no_copy_of_it(client):
    """Cyrillic as is, not as 6-byte escapes; and Dash's validation layout is a skeleton of ids."""
    body = client.get("/_dash-layout?lang=uk").get_data()
    assert "Донецька область".encode() in body and b"\\u0414" not in body
    index = client.get("/?lang=uk").get_data()
    assert len(index) < 50_000, len(index)
