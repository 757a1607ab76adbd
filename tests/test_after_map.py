"""The panels under the first screen, in-process: sent in a store, built in place, and no callback
that listens to them writes outside them except through a mirror store (dashboard/web/after_map.py)."""

from __future__ import annotations

import json

import pytest
from dash_client import find_props

from dashboard.web.after_map import MIRRORS, deferred, find_node
from dashboard.web.first_paint import components
from dashboard.web.ids import Ids

#: Ids the panels after the map hold (public ones among them: the scripts find them once drawn).
PANEL_IDS = {Ids.TIMELINE, Ids.LEDGER, Ids.LEDGER_COMPARE, Ids.PLACE_SEARCH, Ids.PLACE_HISTORY, Ids.EXPORT_BUTTON}


@pytest.fixture(scope="module")
def client(bundled_app):
    return bundled_app.server.test_client()


def _ids(tree) -> set[str]:
    return {i for i in find_props(tree, "id") if isinstance(i, str)}


@pytest.mark.parametrize("query", ["", "?from=2014-01-01&to=2014-12-31&place=704422&lang=uk"])
def test_the_layout_is_sent_with_the_panels_in_their_store(client, query):
    sent = client.get("/_dash-layout" + query).json
    place, store = find_node(sent, Ids.AFTER_MAP), find_node(sent, Ids.AFTER_MAP_CONTENT)
    assert place["props"]["children"] is None
    held = store["props"]["data"]
    assert _ids(held) >= PANEL_IDS
    assert not PANEL_IDS & (_ids(sent) - _ids(held))  # nowhere else
    # Laid out for the URL's state like the rest: the ledger's day is the range's end.
    if query:
        assert "2014" in json.dumps(find_node(held, Ids.LEDGER), ensure_ascii=False)


def test_the_app_builds_them_in_place(bundled_app):
    built = {str(c.id): c for c in components(bundled_app.layout()) if isinstance(getattr(c, "id", None), str)}
    assert set(built) >= PANEL_IDS
    assert built[Ids.AFTER_MAP_CONTENT].data is None
    assert {str(i) for i in PANEL_IDS} <= {
        str(c.id) for c in components(built[Ids.AFTER_MAP].children) if getattr(c, "id", None)
    }
    # Each mirror store starts with what its control is laid out with (nothing: False, never None,
    # which a memory Store reports as a change when it mounts).
    for mirror in MIRRORS:
        laid_out = getattr(built[mirror.control], mirror.prop, None)
        assert built[mirror.store].data == (False if laid_out is None else laid_out)


def test_deferred_leaves_a_layout_without_the_panels_alone():
    layout = {"type": "Div", "namespace": "dash_html_components", "props": {"id": "x", "children": ["a"]}}
    assert deferred(json.loads(json.dumps(layout))) == layout


def test_no_callback_listens_to_the_panels_and_writes_outside_them(client):
    """Dash runs such a callback when the panels are put in, prevent_initial_call or not: a round trip
    on every load. The mirrors are the one way out, and they are clientside."""
    sent = client.get("/_dash-layout").json
    inside = _ids(find_node(sent, Ids.AFTER_MAP_CONTENT)["props"]["data"])
    mirrors = {(m.control, m.prop, m.store) for m in MIRRORS}
    for callback in client.get("/_dash-dependencies").json:
        listens = {(i["id"], i["property"]) for i in callback["inputs"] if i["id"] in inside}
        if not listens:
            continue
        outputs = callback["output"][2:-2].split("...") if callback["output"].startswith("..") else [callback["output"]]
        written = {part.rsplit(".", 1)[0] for part in outputs}
        outside = {ident for ident in written if ident not in inside}
        if outside:
            ((control, prop),) = listens
            (store,) = outside
            assert (control, prop, store) in mirrors, callback["output"]
            assert callback.get("clientside_function") is not None, callback["output"]  # no round trip
