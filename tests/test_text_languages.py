"""Words in each language: Ukrainian dates, numbers, plurals and region names,
the hover card and the export figure's words, and choosing a language from a request."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.dates import PartialDate
from dashboard.core.filters import FilterState
from dashboard.core.views import contested_view
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions, image_title
from dashboard.render.map_figure import (
    CONTESTED_UID,
    NEIGHBOURS_UID,
    OTHERS_UID,
    build_map,
    contested_props,
    trace_index,
)
from dashboard.text import Text, text_for
from dashboard.text.negotiate import choose_lang, parse_accept_language, query_lang

UK = text_for("uk")
EN = text_for("en")
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


def test_ukrainian_days_and_months():
    assert UK.day(dt.date(2022, 9, 30)) == "30 вер. 2022"
    assert UK.day(dt.date(2023, 2, 28)) == "28 лют. 2023"
    assert UK.partial(PartialDate.parse("2022-09")) == "вер. 2022"
    assert UK.partial(PartialDate.parse("2014")) == "2014"
    assert EN.day(dt.date(2022, 9, 30)) == "30 Sep 2022" and EN.partial(PartialDate.parse("2022-09")) == "Sep 2022"


def test_ukrainian_numbers():
    assert UK.share(0.721) == f"72{NBSP}%"
    assert UK.share(0.9991) == f"99,9{NBSP}%" and UK.share(0.0004) == f"0,1{NBSP}%"
    assert UK.area(18877.69) == f"18{NBSP}878 км²"
    assert UK.number(26666.6) == "26666,6" and UK.number(3.04, 1) == "3,0"
    assert (EN.share(0.721), EN.share(0.9991), EN.area(18877.69)) == ("72%", "99.9%", "18,878 km²")


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (0, "0 записів"),
        (1, "1 запис"),
        (2, "2 записи"),
        (4, "4 записи"),
        (5, "5 записів"),
        (11, "11 записів"),
        (12, "12 записів"),
        (14, "14 записів"),
        (21, "21 запис"),
        (22, "22 записи"),
        (25, "25 записів"),
        (101, "101 запис"),
        (111, "111 записів"),
    ],
)
def test_ukrainian_plurals_have_three_forms(count, words):
    assert UK.plural("count.record", count) == words


def test_plurals_of_each_kind_and_without_count():
    assert [UK.plural(f"count.{k}", 3) for k in ("statement", "event", "assessment")] == [
        "3 заяви",
        "3 події",
        "3 оцінки",
    ]
    assert UK.plural("ledger.records", 1) == "Вирішальний запис: "
    assert UK.plural("ledger.records", 2) == UK.plural("ledger.records", 5) == "Вирішальні записи: "
    assert EN.plural("count.record", 21) == "21 records"
    assert (
        UK.plural("cli.export.wrote", 3, directory="out", seconds="1,0", each="0,33")
        == "записано 3 зображення в out за 1,0 с (0,33 с на зображення)"
    )


def test_ukrainian_words_report_who_claims_what():
    assert UK.status("annexation_declared") == "Анексію оголошено Росією (Україна та більшість держав її не визнають)"
    assert UK.party("russia") == "Росія" and UK.kind("event") == "Подія"
    assert UK("notice.bad_date", key="to", value="x") == "Пропущено to='x': очікувалася дата на зразок 2023-02-28."


def test_region_names_per_language(data):
    assert data.region_name("UA-14", "uk") == "Донецька область"
    assert data.region_name("UA-43", "uk") == "Автономна Республіка Крим"
    assert data.region_name("UA-14") == data.region_name("UA-14", "en") == "Donetsk"
    assert data.region_name("UA-14", "pt") == "Donetsk"  # a language the layers do not name units in
    state = FilterState(dt.date(2014, 1, 1), dt.date(2023, 2, 28), ("UA-14", "UA-09"))
    assert (
        UK.describe(state, data.region_names("uk"))
        == "Донецька область, Луганська область · 1 січ. 2014 – 28 лют. 2023"
    )


def test_hover_cards_in_ukrainian(data):
    view = contested_view(data, FilterState(data.axis.first_day, dt.date(2023, 2, 28)))
    rows = list(data.layers.contested["code"])
    uk_cards = dict(zip(rows, contested_props(data.layers, view, UK)["text"], strict=True))
    en_cards = dict(zip(rows, contested_props(data.layers, view, EN)["text"], strict=True))
    card = uk_cards["UA-14"]
    assert card.startswith("<b>Донецька область</b><br>Donetsk · Донецкая область<br>")
    assert "км²" in card and "Статус на 28 лют. 2023: Анексію оголошено Росією" in card
    assert en_cards["UA-14"].startswith("<b>Donetsk</b><br>Донецька область · Донецкая область<br>")
    figure = build_map(data.layers, view, UK)
    assert figure.data[trace_index(figure, OTHERS_UID)].text[0] == "Вінницька область<br>Vinnytsia"
    neighbours = set(figure.data[trace_index(figure, NEIGHBOURS_UID)].text)
    assert {"Росія", "Білорусь", "Польща"} <= neighbours
    assert figure.data[trace_index(figure, CONTESTED_UID)].name == "Спірні регіони"


def test_export_figure_words_in_ukrainian(data):
    state = FilterState(data.axis.first_day, dt.date(2023, 2, 28), ("UA-14",))
    figure = image_figure(data, state, ImageOptions(), UK)
    assert figure["layout"]["title"]["text"] == "Донецька область: статус на 28 лют. 2023"
    # Legend rows are wrapped to the frame: read them as one line each.
    words = [note["text"].replace("<br>", " ") for note in figure["layout"]["annotations"]]
    assert "Анексію оголошено Росією (Україна та більшість держав її не визнають)" in words
    assert "Анексію не оголошено" in words
    attribution = next(w for w in words if w.startswith("Кордони: Natural Earth"))
    assert "Статус показує, що оголосила Росія, а не хто контролює територію." in attribution
    assert "Статус за записами з публікацій: " in attribution
    assert (
        image_title(data, FilterState(data.axis.first_day, dt.date(2023, 2, 28)), ImageOptions(), UK)
        == "Спірні регіони України: статус на 28 лют. 2023"
    )


# ---------------------------------------------------------------------------
# choosing the language: ?lang=, then Accept-Language, then English


@pytest.mark.parametrize(
    ("query", "header", "chosen"),
    [
        ("uk", None, "uk"),
        ("UK", "en", "uk"),
        ("uk-UA", None, "uk"),
        ("en", "uk", "en"),  # the URL wins over the browser
        ("fr", "uk-UA,uk;q=0.9", "uk"),  # a language we do not have: the browser's
        ("", "uk", "uk"),
        ("'><script>", "uk", "uk"),
        (None, "uk-UA,uk;q=0.9,en-US;q=0.8,en;q=0.7", "uk"),
        (None, "en-GB,en;q=0.9,uk;q=0.8", "en"),
        (None, "de-DE, en;q=0.5, uk;q=0.9", "uk"),  # by weight, not by order
        (None, "de, fr;q=0.9", "en"),  # nothing we have: English
        (None, "uk;q=0", "en"),  # q=0: "not this one"
        (None, "*", "en"),
        (None, "uk;q=2, en;q=abc", "en"),  # malformed weights are skipped
        (None, ";;;,,,", "en"),
        (None, None, "en"),
    ],
)
def test_choose_lang(query, header, chosen):
    assert choose_lang(query, header) == chosen


def test_accept_language_order_and_limits():
    assert parse_accept_language("da, en-GB;q=0.8, en;q=0.7") == ["da", "en-GB", "en"]
    assert parse_accept_language("en;q=0.5,uk") == ["uk", "en"]
    assert parse_accept_language("fr;q=0.8, de;q=0.8") == ["fr", "de"]  # ties keep the header's order
    assert parse_accept_language("uk," + "x" * 5000) == ["uk"]
    assert len(parse_accept_language(",".join(["en"] * 1000))) == 32
    assert query_lang("pt_BR", available=("en", "pt_BR")) == "pt_BR"
    assert choose_lang(None, "pt-BR, uk;q=0.5", available=("en", "pt_BR", "uk")) == "pt_BR"


def test_text_for_is_one_object_per_language():
    assert text_for("uk") is text_for("uk") and text_for("uk") == Text("uk") != Text("en")
