"""The change of control over the range on the page, in-process: the URL (`change=yes`), the map's
change layer as a Patch, the ledger's two columns and the timeline's monthly bars."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from dash_client import apply_patch, call

from dashboard.core.filters import QUERY_KEYS, FilterState, parse_query
from dashboard.render.change_layer import CHANGE_UIDS, LOST_UID, TAKEN_HATCH_UID, change_layer, cross_hatch
from dashboard.render.timeline_control import CHANGE_AXIS, change_uid
from dashboard.render.timeline_figure import build_timeline
from dashboard.sources.dataset import load_dataset
from dashboard.testing import map_trace_index
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids
from dashboard.web.panels.ledger import ledger_table
from tests.test_ledger import table_rows as _table_rows

D = dt.date.fromisoformat
TODAY = D("2026-11-26")
FIRST, LAST = D("2024-07-09"), D("2026-08-21")  # the bundled archive's first and last days
URL_OUTPUTS = [(Ids.DATES, "value"), (Ids.CHANGE_LAYER, "value"), (Ids.NOTICE, "children")]


def table_rows(children) -> tuple[str, dict[str, str]]:
    """The ledger's caption and rows, with the figures' no-break spaces read as spaces."""
    caption, rows = _table_rows(children)
    return caption, {code: text.replace("\u00a0", " ") for code, text in rows.items()}


@pytest.fixture(scope="module")
def data():
    return load_dataset(today=TODAY)


@pytest.fixture(scope="module")
def client():
    return create_app(Settings(today=TODAY)).server.test_client()


# -- the URL ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "change", "notices"),
    [
        ("", False, []),
        ("?change=yes", True, []),
        ("?change=YES", True, []),
        ("?change=no", False, []),
        ("?change=maybe", False, ["unknown_values"]),
    ],
)
def test_change_in_the_url(data, query, change, notices):
    state, found = parse_query(query, data.query_context)
    assert state.change is change
    assert [n.key for n in found] == notices


def test_change_round_trips_after_enrichment(data):
    state = FilterState(FIRST, LAST, ("UA-14",), enrichment=False, change=True, q="war")
    assert state.to_query() == "?from=2024-07-09&to=2026-08-21&regions=UA-14&enrichment=no&change=yes&q=war"
    assert parse_query(state.to_query(), data.query_context)[0] == state
    assert "change" not in FilterState(FIRST, LAST).to_query()
    assert QUERY_KEYS.index("change") == QUERY_KEYS.index("enrichment") + 1


@pytest.mark.slow
def test_url_ticks_and_clears_the_checkbox(client):
    out = call(client, URL_OUTPUTS, [(Ids.URL, "search", "?from=2024-07-09&to=2026-08-21&change=yes")])
    assert out.status_code == 200, out.data[:300]
    assert out.json["response"][str(Ids.CHANGE_LAYER)]["value"] == ["on"]
    out = call(client, URL_OUTPUTS, [(Ids.URL, "search", "?change=sometimes")]).json["response"]
    assert out[str(Ids.CHANGE_LAYER)]["value"] == []
    assert "Ignored unknown change" in json.dumps(out[str(Ids.NOTICE)]["children"])


# -- the map ------------------------------------------------------------------------------------


def _map_change(client, data, start, end, change, changed=None):
    response = call(
        client,
        [(Ids.MAP, "figure"), (Ids.CHANGE_LEGEND, "children")],
        [(Ids.DATES, "value", [data.axis.offset(start), data.axis.offset(end)]), (Ids.CHANGE_LAYER, "value", change)],
        changed=changed,
    )
    assert response.status_code == 200, response.data[:300]
    out = response.json["response"]
    figure = next(v for k, v in out["map"].items() if k.startswith("figure"))
    return (
        apply_patch(figure),
        json.dumps(out[str(Ids.CHANGE_LEGEND)]["children"], ensure_ascii=False),
        len(response.data),
    )


def test_the_map_patch_draws_the_change_traces_with_their_legend(client, data):
    patch, legend, size = _map_change(client, data, FIRST, LAST, ["on"])
    indices = {map_trace_index(uid) for uid in CHANGE_UIDS}
    assert {location[1] for location in patch} == indices  # the change traces only
    assert {location[2] for location in patch} == {"lon", "lat", "visible"}
    assert patch[("data", map_trace_index(TAKEN_HATCH_UID), "visible")] is True
    assert len(patch[("data", map_trace_index(TAKEN_HATCH_UID), "lon")]) > 500
    assert patch[("data", map_trace_index(LOST_UID), "visible")] is True
    assert "Taken by Russian forces between 9 Jul 2024 and 21 Aug 2026 per DeepStateMap" in legend
    assert "No longer held by Russian forces between 9 Jul 2024 and 21 Aug 2026 per DeepStateMap" in legend
    assert size < 60_000  # about 20 KB of coordinates for two years


def test_unticked_or_before_the_data_draws_nothing(client, data):
    patch, legend, _ = _map_change(client, data, FIRST, LAST, [], changed=[f"{Ids.CHANGE_LAYER}.value"])  # unticked
    assert all(value is False for (_, _, key), value in patch.items() if key == "visible") and legend == "[]"
    # A date change with the box unticked sends nothing: the layer is already empty.
    quiet = call(
        client,
        [(Ids.MAP, "figure"), (Ids.CHANGE_LEGEND, "children")],
        [(Ids.DATES, "value", [0, data.axis.days - 1]), (Ids.CHANGE_LAYER, "value", [])],
    )
    assert quiet.status_code in (200, 204) and not (quiet.json or {}).get("response")
    patch, legend, _ = _map_change(client, data, D("2015-01-01"), LAST, ["on"])
    assert all(value is False for (_, _, key), value in patch.items() if key == "visible")
    assert "no DeepStateMap snapshot on or before 1 Jan 2015" in legend


def test_hostile_checkbox_values_are_harmless(client, data):
    for change in (None, "on", [1, None], {"x": 1}):
        response = call(
            client,
            [(Ids.MAP, "figure"), (Ids.CHANGE_LEGEND, "children")],
            [(Ids.DATES, "value", "junk"), (Ids.CHANGE_LAYER, "value", change)],
        )
        assert response.status_code == 200


def test_taken_is_inside_the_held_area_at_the_end(data):
    layer = change_layer(data.control.geometry, FIRST, LAST, True)
    assert (layer.from_snapshot, layer.to_snapshot) == (FIRST, LAST) and layer.drawn
    held = data.control.geometry.at(LAST)[1]
    lines = cross_hatch(held.buffer(-0.05).intersection(data.control.geometry.at(FIRST)[1]))
    assert lines.length > 0  # sanity of the pattern builder on real shapes


# -- the ledger ---------------------------------------------------------------------------------


def test_ledger_has_the_change_columns_when_the_range_is_more_than_a_day(data):
    text = text_for()
    caption, rows = table_rows(ledger_table(data, text, LAST, start=FIRST))
    change = {r.code: r for r in data.change_meter().change(FIRST, LAST)}
    donetsk = rows["UA-14"]
    taken, lost, net = (
        round(change["UA-14"].gained_km2),
        round(change["UA-14"].lost_km2),
        round(change["UA-14"].net_km2),
    )
    assert f"+{taken:,} km² / " + (f"−{lost:,} km²" if lost else "0 km²") in donetsk
    luhansk = change["UA-09"]
    assert f"+{round(luhansk.gained_km2):,} km² / −{round(luhansk.lost_km2):,} km²" in rows["UA-09"]
    assert "0 km² / 0 km²" in rows["UA-43"]
    assert f"+{net:,} km² (59% → 79%)" in donetsk
    assert "0 km² (100% → 100%)" in rows["UA-43"]
    assert "Change: 9 Jul 2024 to 21 Aug 2026" in caption
    # A range end on a gap day names the snapshots used.
    _, gap = table_rows(ledger_table(data, text, D("2024-08-19"), start=FIRST))
    assert "snapshots of 9 Jul 2024 and 17 Aug 2024" in gap["UA-14"]
    # One day: no change columns.
    _, single = table_rows(ledger_table(data, text, LAST, start=LAST))
    assert "km² /" not in single["UA-14"]


def test_ledger_callback_returns_the_new_columns(client, data):
    dates = [data.axis.offset(FIRST), data.axis.offset(LAST)]
    # Without the change layer, no change columns: the ledger says what is held, not what changed.
    plain = call(
        client,
        [(Ids.LEDGER, "children")],
        [(Ids.DATES, "value", dates), (Ids.ARTICLE_ONLY, "value", []), (Ids.CHANGE_LAYER, "value", [])],
    )
    assert "Taken / no longer held" not in json.dumps(plain.json["response"][str(Ids.LEDGER)]["children"])
    response = call(
        client,
        [(Ids.LEDGER, "children")],
        [(Ids.DATES, "value", dates), (Ids.ARTICLE_ONLY, "value", []), (Ids.CHANGE_LAYER, "value", ["on"])],
    )
    assert response.status_code == 200
    _caption, rows = table_rows(response.json["response"][str(Ids.LEDGER)]["children"])
    header = json.dumps(response.json["response"][str(Ids.LEDGER)]["children"][1], ensure_ascii=False)
    assert "Taken / no longer held" in header and "Net (share from → to)" in header
    assert "(59% → 79%)" in rows["UA-14"]
    uk = call(
        client,
        [(Ids.LEDGER, "children")],
        [(Ids.DATES, "value", dates), (Ids.ARTICLE_ONLY, "value", []), (Ids.CHANGE_LAYER, "value", ["on"])],
        state=[(Ids.LANG, "data", "uk")],
    )
    assert "Зайнято / більше не утримується" in json.dumps(
        uk.json["response"][str(Ids.LEDGER)]["children"], ensure_ascii=False
    )


def test_ledger_before_the_data_says_so(data):
    _, rows = table_rows(ledger_table(data, text_for(), LAST, start=D("2015-01-01")))
    assert "No DeepStateMap snapshot on or before 1 Jan 2015" in rows["UA-14"]


# -- the timeline -------------------------------------------------------------------------------


def test_timeline_bars_are_patched_with_the_monthly_net(client, data):
    figure = build_timeline(data, data.claims, data.query_context.default_state(), text_for())
    index = {trace.uid: i for i, trace in enumerate(figure.data)}
    response = call(
        client,
        [(Ids.TIMELINE, "figure")],
        [
            (Ids.DATES, "value", [data.axis.offset(D("2025-08-01")), data.axis.offset(D("2025-11-30"))]),
            (Ids.REGIONS, "value", []),
            (Ids.CHANGE_LAYER, "value", ["on"]),
        ],
    )
    assert response.status_code == 200, response.data[:300]
    patch = apply_patch(response.json["response"][str(Ids.TIMELINE)]["figure"])
    donetsk = index[change_uid("UA-14")]
    assert patch[("data", donetsk, "x")] == ["2025-08-15", "2025-09-15", "2025-10-15", "2025-11-15"]
    months = [r for r in data.change_meter().monthly(D("2025-08-01"), D("2025-11-30")) if r.code == "UA-14"]
    assert patch[("data", donetsk, "y")] == [round(r.net_km2, 1) for r in months]
    assert patch[("data", donetsk, "visible")] is True and patch[("layout", CHANGE_AXIS, "visible")] is True
    assert "Donetsk, Oct 2025: 67 km² net" in patch[("data", donetsk, "hovertext")][2]
    off = apply_patch(
        call(
            client,
            [(Ids.TIMELINE, "figure")],
            [(Ids.DATES, "value", [0, data.axis.days]), (Ids.REGIONS, "value", []), (Ids.CHANGE_LAYER, "value", [])],
            changed=[f"{Ids.CHANGE_LAYER}.value"],  # the box unticked
        ).json["response"][str(Ids.TIMELINE)]["figure"]
    )
    assert off[("data", donetsk, "visible")] is False and off[("layout", CHANGE_AXIS, "visible")] is False
    # A date change with the box unticked sends nothing: the bars are already hidden.
    quiet = call(
        client,
        [(Ids.TIMELINE, "figure")],
        [(Ids.DATES, "value", [0, data.axis.days - 1]), (Ids.REGIONS, "value", []), (Ids.CHANGE_LAYER, "value", [])],
    )
    assert quiet.status_code in (200, 204) and not (quiet.json or {}).get("response")


# -- image exports ------------------------------------------------------------------------------


def test_an_export_draws_the_change_layer_and_its_keys_only_when_asked(data):
    from dashboard.render.change_layer import LOST_KEY_NAME, TAKEN_KEY_NAME, TAKEN_OUTLINE_UID
    from dashboard.render.export_figure import image_figure
    from dashboard.render.export_options import ImageOptions
    from dashboard.render.map_figure import trace_index

    on = image_figure(data, FilterState(FIRST, LAST, change=True), ImageOptions(), text_for())
    taken = on["data"][trace_index(on, TAKEN_OUTLINE_UID)]
    assert taken["visible"] and len(taken["lon"]) > 100
    notes = {n.get("name"): n for n in on["layout"]["annotations"]}
    assert notes[TAKEN_KEY_NAME]["visible"] and notes[LOST_KEY_NAME]["visible"]

    # The legend wraps its rows to the frame: the words, whatever the line breaks.
    def words(note: dict) -> str:
        return " ".join(note["text"].replace("<br>", " ").split())

    assert words(notes[TAKEN_KEY_NAME]) == "Taken by Russian forces between 9 Jul 2024 and 21 Aug 2026 per DeepStateMap"
    off = image_figure(data, FilterState(FIRST, LAST), ImageOptions(), text_for())
    assert not off["data"][trace_index(off, TAKEN_OUTLINE_UID)]["visible"]
    assert TAKEN_KEY_NAME not in {n.get("name") for n in off["layout"]["annotations"]}
    early = image_figure(data, FilterState(D("2013-01-01"), LAST, change=True), ImageOptions(), text_for())
    early_notes = {n.get("name"): n for n in early["layout"]["annotations"]}
    assert words(early_notes[TAKEN_KEY_NAME]) == "No change to show: no DeepStateMap snapshot on or before 1 Jan 2013"
    assert LOST_KEY_NAME not in early_notes
    uk = image_figure(data, FilterState(FIRST, LAST, change=True), ImageOptions(), text_for("uk"))
    uk_words = " ".join(json.dumps(uk["layout"], ensure_ascii=False).replace("<br>", " ").split())
    assert "Зайнято російськими силами між 9 лип. 2024 і 21 серп. 2026" in uk_words


@pytest.mark.slow
def test_export_cli_change_layer_option(tmp_path, chromium_available):
    from click.testing import CliRunner

    from dashboard.cli import cli

    out = tmp_path / "change.svg"
    result = CliRunner().invoke(
        cli,
        ["export", "--from", "2024-07-09", "--to", "2026-08-21", "--change-layer", "-o", str(out)],
        prog_name="contested-map",
    )
    assert result.exit_code == 0, result.stderr
    svg = out.read_text()
    # The legend row wraps into several <tspan>s: its words, in order, whatever the breaks.
    spoken = " ".join(re.sub(r"<[^>]+>", " ", svg).split())
    assert "Taken by Russian forces between 9 Jul 2024 and 21 Aug 2026 per DeepStateMap" in spoken
