"""Export formats registry, animation steps and the HTML map's escaping: pure functions, no browser."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.core.steps import STEPS, step_days
from dashboard.render.embed import embed_source, render_html, script_json
from dashboard.render.embed_check import DATA_START
from dashboard.render.export_job import MAX_FRAMES, EmbedAssets, ExportJob
from dashboard.render.export_options import ImageOptions
from dashboard.render.formats import (
    ANIMATED,
    FORMAT_NAMES,
    all_formats,
    export_file_name,
    export_format,
    format_for_path,
)
from dashboard.sources.embed_assets import read_embed_assets
from dashboard.sources.paths import assets_dir
from dashboard.text import text_for


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture(scope="module")
def assets():
    return EmbedAssets(*read_embed_assets(assets_dir()))


def test_every_format_has_extension_media_type_renderer_and_checker():
    assert FORMAT_NAMES == ("png", "svg", "pdf", "gif", "mp4", "webm", "html")
    for fmt in all_formats():
        assert fmt.extensions and all(re.fullmatch(r"[a-z0-9]+", ext) for ext in fmt.extensions)
        assert re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", fmt.media_type)
        assert callable(fmt.render) and callable(fmt.check)
        assert not (fmt.animated and not fmt.stepped)
    assert ANIMATED == ("gif", "mp4", "webm")
    extensions = [ext for fmt in all_formats() for ext in fmt.extensions]
    assert len(extensions) == len(set(extensions))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("map.png", "png"),
        ("MAP.PNG", "png"),
        ("a.svg", "svg"),
        ("a.pdf", "pdf"),
        ("war.gif", "gif"),
        ("a.mp4", "mp4"),
        ("a.m4v", "mp4"),
        ("a.webm", "webm"),
        ("embed.html", "html"),
        ("embed.HTM", "html"),
        ("a.jpeg", None),
        ("noext", None),
        ("a.gif.txt", None),
    ],
)
def test_extension_picks_the_format(name, expected):
    found = format_for_path(name)
    assert (found.name if found else None) == expected


def test_unknown_format_is_one_line():
    with pytest.raises(DashboardError, match="unknown export format 'tiff'; expected one of: png, svg"):
        export_format("tiff")


@pytest.mark.parametrize(
    ("start", "end", "step", "expected"),
    [
        ("2025-01-01", "2025-01-04", "day", ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"]),
        ("2025-01-01", "2025-01-22", "week", ["2025-01-01", "2025-01-08", "2025-01-15", "2025-01-22"]),
        ("2025-01-01", "2025-01-25", "week", ["2025-01-01", "2025-01-08", "2025-01-15", "2025-01-22", "2025-01-25"]),
        ("2025-01-01", "2025-04-01", "month", ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]),
        ("2024-01-31", "2024-04-30", "month", ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]),
        ("2025-03-05", "2025-03-05", "month", ["2025-03-05"]),
    ],
)
def test_step_days(start, end, step, expected):
    days = step_days(dt.date.fromisoformat(start), dt.date.fromisoformat(end), step)
    assert [d.isoformat() for d in days] == expected


def test_step_days_refuse_bad_input():
    with pytest.raises(ValueError, match="unknown step 'fortnight'"):
        step_days(dt.date(2025, 1, 1), dt.date(2025, 2, 1), "fortnight")
    with pytest.raises(ValueError, match="before it starts"):
        step_days(dt.date(2025, 2, 1), dt.date(2025, 1, 1), "day")
    assert STEPS == ("day", "week", "month")


def test_a_year_of_weekly_steps_is_53_frames_and_too_many_frames_are_refused(data):
    text = text_for()
    year = ExportJob(data, FilterState(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), ImageOptions(), text)
    assert year.check_frame_count() == 53
    long = ExportJob(data, FilterState(dt.date(2024, 1, 1), dt.date(2025, 12, 31)), ImageOptions(), text, step="day")
    with pytest.raises(DashboardError, match=f"731 frames .* more than the limit of {MAX_FRAMES}"):
        long.check_frame_count()
    with pytest.raises(DashboardError, match="frames per second"):
        ExportJob(data, year.state, ImageOptions(), text, fps=0)


def test_stepped_file_names_name_the_range(data):
    job = ExportJob(data, FilterState(dt.date(2025, 1, 1), dt.date(2025, 4, 1)), ImageOptions(), text_for())
    assert export_file_name(job, export_format("gif")) == "contested-regions_2025-04-01_from-2025-01-01.gif"
    assert export_file_name(job, export_format("png")) == "contested-regions_2025-04-01.png"


def test_script_json_cannot_close_its_element():
    said = script_json({"t": "</script><script>alert(1)</script> & <!-- \u2028"})
    assert "<" not in said and ">" not in said and "&" not in said and "\u2028" not in said
    assert json.loads(said)["t"] == "</script><script>alert(1)</script> & <!-- \u2028"


def _data_element(page: str) -> dict:
    start = page.index(DATA_START) + len(DATA_START)
    return json.loads(page[start : page.index("</script>", start)])


@pytest.mark.slow
def test_html_escapes_a_hostile_title_everywhere(data, assets):
    title = 'Map </script><script>alert("x")</script> & <b>bold</b>'
    state = FilterState(dt.date(2025, 1, 1), dt.date(2025, 3, 1))
    job = ExportJob(data, state, ImageOptions(title=title), text_for(), step="month", assets=assets)
    page = render_html(job).decode("utf-8")
    assert page.count("<script") == 3  # the data element, plotly.js, the slider's script: nothing injected
    assert page.count("</script>") == 3
    assert f"<title>{html.escape(title, quote=True)}</title>" in page
    source = _data_element(page)
    shown = [layout["title"]["text"] for layout in source["layouts"]]
    # Plotly reads markup in titles: it gets the title escaped, so it prints as typed.
    assert all(text == html.escape(title, quote=False) for text in shown)
    assert len(source["steps"]) == 3
    assert set(source["topojson"]) == {"europe_50m"}


@pytest.mark.slow
def test_html_steps_share_control_snapshots_and_carry_each_day(data):
    state = FilterState(dt.date(2025, 1, 1), dt.date(2025, 1, 22))
    job = ExportJob(data, state, ImageOptions(), text_for(), step="week")
    source = embed_source(job)
    assert [s["day"] for s in source["steps"]] == ["1 Jan 2025", "8 Jan 2025", "15 Jan 2025", "22 Jan 2025"]
    snapshots = [data.control.geometry.at(day)[0] for day in job.days]
    # One stored control layer per distinct snapshot, never one per step.
    assert len(source["control"]) == len(set(snapshots))
    hatch = [next(t for t in source["control"][s["control"]] if t) for s in source["steps"]]
    assert all(t["lon"] for t in hatch)
