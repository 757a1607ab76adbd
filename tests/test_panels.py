"""Pure builders behind the dashboard: the date axis, the statements list, the legend."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import replace

import pytest
from dash_client import find_props
from plotly.utils import PlotlyJSONEncoder

from dashboard.core.axis import DateAxis
from dashboard.core.claims import ClaimSet
from dashboard.core.dates import PartialDate
from dashboard.core.events import exact_event_days
from dashboard.render.theme import STATUS_FILLS
from dashboard.sources.claims_load import load_claims
from dashboard.testing import seed_claims
from dashboard.text import text_for
from dashboard.web.map_legends import legend
from dashboard.web.panels.statements import statement_list

TEXT = text_for()
EMPTY_MESSAGE = TEXT("statements.empty")

D = dt.date


def tree(components) -> list:
    """Components as the JSON the browser receives."""
    return json.loads(json.dumps(components, cls=PlotlyJSONEncoder))


@pytest.fixture(scope="module")
def claims():
    return seed_claims()  # the expected days and headings are the seed article's


def test_axis_spans_the_year_before_the_first_record_to_the_last(claims):
    axis = DateAxis.for_claims(claims)
    assert axis.first_day == D(2013, 1, 1)
    assert axis.last_day == D(2023, 2, 28)


@pytest.mark.parametrize(
    "offset, day",
    [
        (0, D(2013, 1, 1)),
        (365, D(2014, 1, 1)),
        (-5, D(2013, 1, 1)),
        (10**9, D(2023, 2, 28)),
        ("garbage", D(2013, 1, 1)),
        (None, D(2013, 1, 1)),
        ("400", D(2014, 2, 5)),
        (float("inf"), D(2013, 1, 1)),
    ],
)
def test_axis_day_clamps_and_tolerates_junk(claims, offset, day):
    assert DateAxis.for_claims(claims).day(offset) == day


def test_event_marks_sit_at_exact_event_days_never_at_window_starts():
    claims = load_claims()  # the whole bundled timeline, 2014-2025
    axis = DateAxis.for_claims(claims)
    marks = axis.event_marks(claims, TEXT.day)
    days = {axis.day(offset) for offset in marks}
    exact = {event.end for event in exact_event_days(claims)}
    # Crimea's "2014" is known to 18 Mar 2014 (the treaty record), the four regions' "Sep 2022"
    # to 30 Sep 2022: marks sit on exact days only, never on 1 Jan 2014 or 1 Sep 2022, and
    # the referendums of 23-27 Sep 2022 (a window) have none.
    assert days <= exact and D(2022, 9, 30) in days
    assert not days & {D(2014, 1, 1), D(2022, 9, 1), D(2022, 9, 23), D(2022, 9, 27)}
    assert any(label.strip().startswith("16 Mar 2014") for label in marks.values())
    assert any(label.startswith("\n") for label in marks.values())  # alternate rows


def test_close_event_marks_share_one_mark_that_says_how_many(claims):
    axis = DateAxis.for_claims(claims, today=D(2023, 2, 28))
    extra = next(claim for claim in claims if claim.id == "four-regions-accession-treaties-2022-09-30")
    seed = seed_claims()
    more = ClaimSet.of(
        [
            *seed,
            replace(
                extra,
                id="later-event",
                refines=None,
                start=D(2022, 10, 12),
                end=D(2022, 10, 12),
                date=PartialDate.parse("2022-10-12"),
            ),
        ]
    )
    marks = axis.event_marks(more, TEXT.day)
    assert sorted(label.strip() for label in marks.values()) == ["18 Mar 2014", "30 Sep 2022 +1"]
    positions = sorted(marks)
    assert all(b - a >= 0.05 * axis.days for a, b in itertools.pairwise(positions))


def test_statement_list_groups_by_date_newest_first(claims):
    sections = statement_list(claims, lambda code: code, TEXT)
    headings = [s.children[0].children for s in sections]
    assert headings[0] == "28 Feb 2023"
    assert "Sep 2022" in headings and "2014" in headings
    assert headings.index("Sep 2022") < headings.index("2014")
    ids = find_props(tree(sections), "data-statement-id")
    assert sorted(ids) == sorted(claims.frame["id"])


def test_statement_item_shows_quote_speaker_source_and_enrichment(claims):
    sections = statement_list(claims, lambda code: {"UA-43": "Crimea"}.get(code, code), TEXT)
    flat = json.dumps(tree(sections), ensure_ascii=False)
    assert "Dmitry Peskov, Kremlin spokesman" in flat
    assert "Source: " in flat and "Reuters" in flat
    assert "Added from the public record, not from an article" in flat


def test_empty_list_explains_what_to_do(claims):
    empty = statement_list(claims.subset(claims.frame.iloc[0:0]), str, TEXT)
    assert empty.children == EMPTY_MESSAGE


def test_legend_explains_each_status_in_words():
    items = legend(TEXT).children
    fills = [i for i in items if getattr(i, "className", None) != "outline-key"]
    assert [i.children[1] for i in fills] == [TEXT.status(key) for key in STATUS_FILLS]
    assert fills[0].children[1] == "No annexation declared"
    assert fills[2].children[1].startswith("Annexation declared by Russia")
    assert items[0].children[0].style["background"] == STATUS_FILLS["no_annexation_declared"]


def test_legend_tells_the_two_outlines_apart():
    """The record's outline is not the region filter's, and the legend says so."""
    from dashboard.render.theme import HIGHLIGHT_LINE, SELECTED_LINE

    outlines = [i for i in legend(TEXT).children if getattr(i, "className", None) == "outline-key"]
    assert [i.children[0].style["borderColor"] for i in outlines] == [SELECTED_LINE, HIGHLIGHT_LINE]
    assert HIGHLIGHT_LINE != SELECTED_LINE
    assert "region filter" in outlines[0].children[1] and "Show regions on map" in outlines[1].children[1]


@pytest.mark.slow
def test_status_steps_reproduce_the_status_rule_on_every_day():
    """The colour table the browser recolours the map from agrees with StatusTimeline on each day."""
    from dashboard.core.views import status_changes
    from dashboard.render.map_figure import colour_steps
    from dashboard.sources.dataset import load_dataset
    from dashboard.testing import fills_on_day

    data = load_dataset(today=dt.date(2026, 11, 26))
    codes = list(data.layers.contested["code"])
    steps = colour_steps(data.layers, [(data.axis.offset(d), s) for d, s in status_changes(data)], 2)
    assert steps["trace"] == 2
    for offset in range(data.axis.days + 1):
        expected = {code: STATUS_FILLS[s.status.value] for code, s in data.status_at(data.axis.day(offset)).items()}
        assert fills_on_day(steps, offset, codes) == expected, data.axis.day(offset)
