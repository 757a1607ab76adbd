"""The timeline figure for a state (pure), the date inputs and event steps (in-process)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from dash_client import apply_patch, call

from dashboard.core.claims import ClaimSet
from dashboard.core.control import ControlShares
from dashboard.core.dates import PartialDate
from dashboard.core.events import exact_event_days, next_event_day, previous_event_day
from dashboard.core.filters import FilterState
from dashboard.core.regions import CONTESTED_CODES
from dashboard.core.status import status_timeline
from dashboard.core.timeline import MAX_MARKS, annexation_rules, control_series, mark_count, record_marks
from dashboard.render.timeline_control import control_uid
from dashboard.render.timeline_figure import (
    BINS_UID,
    RANGE_SHAPE,
    SELECTED_UID,
    build_timeline,
    point_uid,
    record_props,
    window_uid,
)
from dashboard.sources.dataset import load_dataset
from dashboard.testing import seed_claims
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.controls import brushed_days, clicked_record
from dashboard.web.ids import Ids

D = dt.date
TODAY = D(2026, 11, 26)
TEXT = text_for("en")
ARTICLE_RANGE = FilterState(D(2013, 1, 1), D(2023, 2, 28))


@pytest.fixture(scope="module")
def data():
    return load_dataset(today=TODAY)


def traces(figure):
    return {trace.uid: trace for trace in figure.data}


# -- pure: the figure for a state ------------------------------------------------------------------


def test_each_record_sits_in_the_lane_of_each_of_its_parties(data):
    marks = record_marks(data.claims)
    assert len(marks) == mark_count(data.claims) == sum(len(c.parties) for c in data.claims)
    kyiv_west = marks[marks["id"] == "kyiv-west-referendums-bogus-illegal"]
    assert sorted(kyiv_west["party"]) == ["ukraine", "west"]
    figure = build_timeline(data, data.claims, ARTICLE_RANGE, TEXT)
    lanes = dict(zip(figure.layout.yaxis2.ticktext, figure.layout.yaxis2.tickvals, strict=True))
    assert lanes["Russia"] > lanes["Ukraine"] > lanes["West"] > lanes["UN"] > lanes["Media"]


def test_windows_by_precision_a_day_is_a_point_a_month_or_year_a_bar(data):
    figure = build_timeline(data, data.claims, ARTICLE_RANGE, TEXT)
    by_uid = traces(figure)
    points = by_uid[point_uid("event")]
    bars = by_uid[window_uid("event")]
    # The treaty record is dated to the day: a point on 18 Mar 2014.
    i = list(points.customdata).index("crimea-accession-treaty-2014-03-18")
    assert points.x[i] == "2014-03-18"
    # "2014" (the article's precision) is a bar over the whole year: 365 days from 1 Jan.
    j = list(bars.customdata).index("russia-annexes-crimea-2014")
    assert bars.base[j] == "2014-01-01" and bars.x[j] == 365 * 86_400_000
    # "Sep 2022": a bar over September.
    k = list(bars.customdata).index("russia-proclaims-annexation-four-regions")
    assert bars.base[k] == "2022-09-01" and bars.x[k] == 30 * 86_400_000
    assert bars.orientation == "h"
    # Kind is carried by the marker's shape too, not by colour alone.
    assert by_uid[point_uid("statement")].marker.symbol != points.marker.symbol


def test_rules_stand_at_the_declared_annexations(data):
    figure = build_timeline(data, data.claims, ARTICLE_RANGE, TEXT)
    rules = {shape.name: shape for shape in figure.layout.shapes if (shape.name or "").startswith("rule-")}
    assert rules["rule-russia-annexes-crimea-2014"].x0 == "2014-03-18"
    assert rules["rule-russia-proclaims-annexation-four-regions"].x0 == "2022-09-30"
    labels = [a.text for a in figure.layout.annotations]
    assert any("Donetsk, Luhansk, Kherson, Zaporizhzhia" in label for label in labels)
    # Declared, never "annexed": the label says who declared it.
    assert all(label.startswith("Russia declared annexation") for label in labels if "Donetsk" in label)
    # The seed article alone (no enrichment): "last September" stays a month, a band, not a line.
    article = annexation_rules(status_timeline(seed_claims(), enrichment=False), CONTESTED_CODES)
    four = [r for r in article if r.regions == ("UA-14", "UA-09", "UA-65", "UA-23")]
    assert [(r.start, r.end, r.exact) for r in four] == [(D(2022, 9, 1), D(2022, 9, 30), False)]


@pytest.mark.parametrize(
    ("lang", "ticks"), [("en", ("0%", "50%", "100%")), ("uk", ("0\u00a0%", "50\u00a0%", "100\u00a0%"))]
)
def test_the_held_axis_says_its_unit_in_the_pages_language(data, lang, ticks):
    figure = build_timeline(data, data.claims, ARTICLE_RANGE, text_for(lang))
    assert figure.layout.yaxis.tickvals == (0, 50, 100)
    assert figure.layout.yaxis.ticktext == ticks


def test_the_selected_range_is_a_band_and_the_selected_record_a_ring(data):
    claim = data.claims.get("peskov-never-give-up") or next(iter(data.claims))
    figure = build_timeline(data, data.claims, ARTICLE_RANGE, TEXT, selected=claim)
    band = figure.layout.shapes[RANGE_SHAPE]
    assert (band.x0, band.x1, band.name) == ("2013-01-01", "2023-03-01", "selected-range")
    ring = traces(figure)[SELECTED_UID]
    assert list(ring.customdata) == [claim.id] * len(claim.parties)
    assert figure.layout.dragmode == "select" and figure.layout.selectdirection == "h"


def test_control_lines_break_at_gaps_and_keep_only_turning_points():
    rows = []
    days = [D(2024, 1, d) for d in (1, 2, 3, 4, 5)] + [D(2024, 2, 1), D(2024, 2, 2)]
    shares = [0.5, 0.5, 0.5, 0.6, 0.6, 0.7, 0.7]
    for day, share in zip(days, shares, strict=True):
        rows.append(
            {
                "snapshot_date": day,
                "code": "UA-14",
                "occupied_km2": 1.0,
                "occupied_share": share,
                "occupied_share_raw": share,
                "grey_km2": None,
                "grey_share": None,
                "coast_rule": False,
                "source": "test",
            }
        )
    series = control_series(ControlShares(pd.DataFrame(rows)), ["UA-14"])
    xs, ys = series["UA-14"]
    # 1-5 Jan: 50, 50 (run end), 60, 60; a gap of 27 days (> 7) is a gap; then 70, 70.
    assert xs == [D(2024, 1, 1), D(2024, 1, 3), D(2024, 1, 4), D(2024, 1, 5), None, D(2024, 2, 1), D(2024, 2, 2)]
    assert ys == [50.0, 50.0, 60.0, 60.0, None, 70.0, 70.0]


def test_the_bundled_control_archive_gives_one_line_per_contested_region(data):
    figure = build_timeline(data, data.claims, ARTICLE_RANGE, TEXT)
    line = traces(figure)[control_uid("UA-14")]
    assert line.mode == "lines" and line.connectgaps is False
    assert line.x[0] == "2024-07-09" and line.x[-1] == "2026-08-21"
    assert 0 < min(v for v in line.y if v is not None) < max(v for v in line.y if v is not None) <= 100
    assert "DeepStateMap" in line.hovertext[0]


def test_past_max_marks_the_records_are_counted_in_bins(data):
    base = next(c for c in data.claims if c.kind == "statement")
    many = ClaimSet.of(
        replace(
            base,
            id=f"r{i}",
            start=D(2015, 1, 1) + dt.timedelta(days=i % 2900),
            end=D(2015, 1, 1) + dt.timedelta(days=i % 2900),
            date=PartialDate.parse((D(2015, 1, 1) + dt.timedelta(days=i % 2900)).isoformat()),
        )
        for i in range(3 * MAX_MARKS)
    )
    wide = record_props(data, many, FilterState(D(2013, 1, 1), D(2026, 1, 1)), TEXT)
    assert wide[point_uid("statement")]["x"] == []
    assert sum(wide[BINS_UID]["marker.size"]) > 0
    assert all("statement" in hover for hover in wide[BINS_UID]["hovertext"])
    # A narrow range brings its records back one by one; the rest stay counted.
    narrow = record_props(data, many, FilterState(D(2016, 1, 1), D(2016, 1, 31)), TEXT)
    assert 0 < len(narrow[point_uid("statement")]["x"]) <= MAX_MARKS
    assert len(narrow[BINS_UID]["x"]) > 0


def test_hover_text_from_the_data_is_escaped(data):
    base = next(c for c in data.claims if c.kind == "statement")
    odd = ClaimSet.of([replace(base, speaker="<b>Bold</b> & co", summary="a <i>tag</i>")])
    props = record_props(data, odd, ARTICLE_RANGE, TEXT)
    hover = (props[point_uid("statement")]["hovertext"] + props[window_uid("statement")]["hovertext"])[0]
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in hover and "&lt;i&gt;tag&lt;/i&gt;" in hover


# -- pure: events, brushing and clicks ---------------------------------------------------------------


def test_event_steps_stop_at_exact_days_only(data):
    days = [e.end for e in exact_event_days(data.claims)]
    assert days == sorted(days) and D(2014, 3, 18) in days and D(2022, 9, 30) in days
    # The referendums ran 23-27 Sep 2022: a window, not a day to stop at.
    assert not {D(2022, 9, 23), D(2022, 9, 27)} & set(days)
    assert next_event_day(days, D(2022, 9, 1)) == D(2022, 9, 30)
    assert next_event_day(days, days[-1]) is None
    assert previous_event_day(days, D(2014, 3, 18)) == max(d for d in days if d < D(2014, 3, 18))
    assert previous_event_day(days, days[0]) is None
    seed = [e.end for e in exact_event_days(seed_claims())]
    assert seed == [D(2014, 3, 18), D(2022, 9, 30)]


@pytest.mark.parametrize(
    "selected, expected",
    [
        ({"range": {"x2": ["2016-06-01 12:00:00.5", "2014-03-02"]}}, (D(2014, 3, 2), D(2016, 6, 1))),
        ({"range": {"x": ["2020-01-01", "2020-02-01"], "y": [0, 1]}}, (D(2020, 1, 1), D(2020, 2, 1))),
        (None, None),
        ({"range": {"y2": [0, 1]}}, None),
        ({"range": {"x": ["soon", "later"]}}, None),
        ({"points": []}, None),
        ("junk", None),
        ({"range": {"x": [1]}}, None),
    ],
)
def test_brushed_days_read_any_x_axis_and_refuse_junk(selected, expected):
    assert brushed_days(selected) == expected


@pytest.mark.parametrize(
    "click, expected",
    [
        ({"points": [{"customdata": "peskov"}]}, "peskov"),
        ({"points": [{"customdata": ["2020-01-01", "2019-12-01"]}]}, {"from": D(2019, 12, 1), "to": D(2020, 1, 1)}),
        ({"points": [{"customdata": None}]}, None),
        ({"points": []}, None),
        (None, None),
        ({"points": [{"customdata": "x" * 500}]}, None),
        ({"points": [{"customdata": ["a", "b"]}]}, None),
    ],
)
def test_clicked_record_reads_ids_and_bins(click, expected):
    assert clicked_record(click) == expected


# -- in-process: the panel's callbacks -----------------------------------------------------------------


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(today=TODAY))


@pytest.fixture
def client(app):
    return app.server.test_client()


def typed(client, data, typed_from, typed_to, changed=Ids.DATE_TO):
    response = call(
        client,
        [(Ids.DATES, "value"), (Ids.DATE_INPUT_ERROR, "children")],
        [
            (Ids.DATE_FROM, "n_submit", 0),
            (Ids.DATE_FROM, "n_blur", 0),
            (Ids.DATE_TO, "n_submit", 1),
            (Ids.DATE_TO, "n_blur", 0),
        ],
        state=[
            (Ids.DATE_FROM, "value", typed_from),
            (Ids.DATE_TO, "value", typed_to),
            (Ids.DATES, "value", [0, data.axis.offset(D(2023, 2, 28))]),
        ],
        changed=[f"{changed}.n_submit"],
    )
    assert response.status_code == 200, response.data[:300]
    return response.json.get("response", {})


@pytest.mark.slow
def test_a_typed_month_means_its_last_day_in_to_and_its_first_in_from(client, data):
    out = typed(client, data, "2014", "2022-09")
    dates = out[str(Ids.DATES)]["value"]
    assert dates == [data.axis.offset(D(2014, 1, 1)), data.axis.offset(D(2022, 9, 30))]


def test_a_bad_typed_date_is_named_and_changes_nothing(client, data):
    out = typed(client, data, "2013-01-01", "31 Febtember")
    assert str(Ids.DATES) not in out
    assert "“31 Febtember” is not a date" in out[str(Ids.DATE_INPUT_ERROR)]["children"]


@pytest.mark.parametrize(
    "typed_to, day",
    [
        ("11 Nov 2022", D(2022, 11, 11)),  # the page's own English form
        ("11 лист. 2022", D(2022, 11, 11)),  # ... and its Ukrainian one
        ("30 вер. 2022", D(2022, 9, 30)),
        ("30/09/2022", D(2022, 9, 30)),  # numeric: day first
        ("Nov 2022", D(2022, 11, 30)),  # a month: "to" takes its last day
        ("листопад 2022", D(2022, 11, 30)),
    ],
)
def test_the_fields_take_the_forms_the_page_shows(client, data, typed_to, day):
    out = typed(client, data, "2014-01-01", typed_to)
    assert out[str(Ids.DATES)]["value"] == [data.axis.offset(D(2014, 1, 1)), data.axis.offset(day)]


@pytest.mark.parametrize("text", ["yesterday", "Tuesday", "11 Nov", "tomorrow 11", "<b>2022</b>x"])
def test_words_without_a_year_are_not_dates(text):
    from dashboard.sources.date_phrases import parse_typed_date

    assert parse_typed_date(text) is None


def test_typed_dates_in_the_wrong_order_are_swapped_and_clamped(client, data):
    out = typed(client, data, "2023-01-01", "1900")
    assert out[str(Ids.DATES)]["value"] == [0, data.axis.offset(D(2023, 1, 1))]


def test_next_event_from_the_first_of_september_is_the_thirtieth(client, data):
    response = call(
        client,
        [(Ids.DATES, "value"), (Ids.DATE_INPUT_ERROR, "children")],
        [(Ids.PREV_EVENT, "n_clicks", 0), (Ids.NEXT_EVENT, "n_clicks", 1)],
        state=[(Ids.DATES, "value", [0, data.axis.offset(D(2022, 9, 1))]), (Ids.ARTICLE_ONLY, "value", [])],
        changed=[f"{Ids.NEXT_EVENT}.n_clicks"],
    )
    out = response.json["response"]
    assert out[str(Ids.DATES)]["value"] == [0, data.axis.offset(D(2022, 9, 30))]


def test_no_later_event_says_so(client, data):
    last = exact_event_days(data.claims)[-1].end
    response = call(
        client,
        [(Ids.DATES, "value"), (Ids.DATE_INPUT_ERROR, "children")],
        [(Ids.PREV_EVENT, "n_clicks", 0), (Ids.NEXT_EVENT, "n_clicks", 1)],
        state=[(Ids.DATES, "value", [0, data.axis.offset(last)]), (Ids.ARTICLE_ONLY, "value", [])],
        changed=[f"{Ids.NEXT_EVENT}.n_clicks"],
    )
    out = response.json["response"]
    assert str(Ids.DATES) not in out
    assert out[str(Ids.DATE_INPUT_ERROR)]["children"] == "No later event with an exact day."


def test_a_party_filter_patches_the_record_traces_only(client, data):
    response = call(
        client,
        [(Ids.TIMELINE, "figure")],
        [
            (Ids.DATES, "value", [0, data.axis.offset(D(2023, 2, 28))]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", ["russia"]),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.STATEMENT_SEARCH, "value", ""),
            (Ids.SELECTED, "data", None),
        ],
        changed=[f"{Ids.PARTIES}.value"],
    )
    patch = apply_patch(response.json["response"][str(Ids.TIMELINE)]["figure"])
    # No geometry of the lines is resent, and the range band is not touched by a party change.
    assert not any(key[-1] in ("x", "y") and key[1] < 6 for key in patch if key[0] == "data")
    assert ("layout", "shapes", RANGE_SHAPE) not in patch
    statements = [v for k, v in patch.items() if k[-1] == "customdata"]
    ids = {i for values in statements for i in values if isinstance(i, str)}
    assert ids and all("russia" in data.claims.get(i).parties for i in ids)
    size = len(response.data)
    assert size < 50_000, size


def test_a_date_change_moves_the_band_and_clears_the_brush(client, data):
    response = call(
        client,
        [(Ids.TIMELINE, "figure")],
        [
            (Ids.DATES, "value", [0, data.axis.offset(D(2020, 2, 28))]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.STATEMENT_SEARCH, "value", ""),
            (Ids.SELECTED, "data", None),
        ],
        changed=[f"{Ids.DATES}.value"],
    )
    patch = apply_patch(response.json["response"][str(Ids.TIMELINE)]["figure"])
    assert patch[("layout", "shapes", RANGE_SHAPE)]["x1"] == "2020-02-29"
    assert patch[("layout", "selections")] == []
    assert not any(k[0] == "data" for k in patch)  # few records: the marks stay as they are
