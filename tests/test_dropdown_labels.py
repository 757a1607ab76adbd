"""Every dropdown speaks the page's language (dashboard/web/dropdowns.py), and a record names its
parties in it, in-process."""

from __future__ import annotations

import pytest
from dash import dcc

from dashboard.text import Text
from dashboard.web.dropdowns import dropdown_labels
from dashboard.web.first_paint import components
from dashboard.web.ids import Ids
from dashboard.web.panels.statements import statement_item

#: dcc.Dropdown's own English words, which a Ukrainian page must not show.
DCC_DEFAULTS = {"Select All", "Deselect All", "{num_selected} selected", "Search", "Clear selection"}


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_dropdown_carries_the_pages_words(bundled_app, lang):
    # The whole layout of the language, the panels held until the map draws included.
    with bundled_app.server.test_request_context(f"/?lang={lang}"):
        layout = bundled_app.layout()
    dropdowns = [c for c in components(layout) if isinstance(c, dcc.Dropdown)]
    assert {d.id for d in dropdowns} >= {Ids.REGIONS, Ids.PLAY_SPEED, Ids.PLACE_SEARCH, Ids.EXPORT_FORMAT}
    for dropdown in dropdowns:
        assert getattr(dropdown, "labels", None) == dropdown_labels(Text(lang)), dropdown.id
    if lang == "uk":
        assert not DCC_DEFAULTS & set(dropdown_labels(Text(lang)).values())


def test_the_count_is_left_for_the_browser_to_fill_in():
    for lang in ("en", "uk"):
        assert "{num_selected}" in dropdown_labels(Text(lang))["selected_count"]


@pytest.mark.parametrize(("lang", "words"), [("en", "Ukraine · West"), ("uk", "Україна · Захід")])
def test_a_record_names_its_parties_in_the_pages_language(bundled_data, lang, words):
    claim = next(c for c in bundled_data.claims if list(c.parties) == ["ukraine", "west"])
    item = statement_item(claim, lambda code: code, Text(lang))
    header = item.children[0].children
    assert [span.children for span in header if span.className == "parties"] == [words]
