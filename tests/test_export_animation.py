"""Animations (GIF, MP4, WebM) and the offline HTML map: real files, read back and opened in Chromium."""

from __future__ import annotations

import base64
import datetime as dt
import io
import itertools

import pytest
from click.testing import CliRunner

from dashboard.cli import cli
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.render.export_job import EmbedAssets, ExportJob
from dashboard.render.export_options import ImageOptions
from dashboard.render.formats import export_format
from dashboard.render.video import video_facts
from dashboard.sources.dataset import load_dataset
from dashboard.sources.embed_assets import read_embed_assets
from dashboard.sources.paths import assets_dir
from dashboard.testing import needs_export_browser, new_exporter
from dashboard.text import text_for
from dashboard.web.ids import Ids

Image = pytest.importorskip("PIL.Image")
ImageSequence = pytest.importorskip("PIL.ImageSequence")
ImageChops = pytest.importorskip("PIL.ImageChops")

pytestmark = pytest.mark.export

#: Four monthly frames across days when the bundled control layer changes.
RANGE = FilterState(dt.date(2025, 1, 1), dt.date(2025, 4, 1))
SMALL = ImageOptions(width=400, height=300)


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture(scope="module")
def exporter():
    needs_export_browser()
    instance = new_exporter()
    yield instance
    instance.close()


def job(data, exporter, **kwargs) -> ExportJob:
    return ExportJob(
        data,
        kwargs.pop("state", RANGE),
        kwargs.pop("options", SMALL),
        text_for(),
        exporter=exporter,
        step=kwargs.pop("step", "month"),
        **kwargs,
    )


def gif_frames(content: bytes) -> list:
    with Image.open(io.BytesIO(content)) as gif:
        assert gif.format == "GIF" and gif.info.get("loop") == 0
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]


@pytest.mark.slow
def test_gif_has_one_decoded_frame_per_month_and_they_differ(data, exporter):
    ticks = []
    content = export_format("gif").export(job(data, exporter, progress=lambda: ticks.append(1)))
    frames = gif_frames(content)
    assert len(frames) == 4 == len(ticks)
    assert all(frame.size == (400, 300) for frame in frames)
    for before, after in itertools.pairwise(frames):
        assert ImageChops.difference(before, after).getbbox() is not None
    # The control layer is drawn (dark hatching and outline over the map), not only the date.
    bare = gif_frames(export_format("gif").export(job(data, exporter, control=False)))
    assert len(bare) == 4
    # Pixels dark with the layer and not dark without it: the hatching (the labels are dark in both).
    hatched = [a for a, b in zip(frames[0].getdata(), bare[0].getdata(), strict=True) if sum(a) < 200 <= sum(b)]
    assert len(hatched) > 300, len(hatched)


@pytest.mark.slow
def test_gif_check_refuses_a_wrong_frame_count(data, exporter):
    content = export_format("gif").export(job(data, exporter))
    longer = job(data, exporter, state=FilterState(RANGE.date_from, dt.date(2025, 5, 1)))
    with pytest.raises(DashboardError, match="4 frames instead of 5"):
        export_format("gif").check(content, longer)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["mp4", "webm"])
def test_video_has_the_right_frame_count_and_duration(data, exporter, fmt):
    content = export_format(fmt).export(job(data, exporter, fps=2))
    frames, seconds = video_facts(content, fmt)
    assert frames == 4
    assert seconds == pytest.approx(2.0, abs=0.1)
    longer = job(data, exporter, state=FilterState(RANGE.date_from, dt.date(2025, 5, 1)), fps=2)
    with pytest.raises(DashboardError, match="4 frames instead of 5"):
        export_format(fmt).check(content, longer)


@pytest.mark.slow
def test_html_map_draws_offline_and_its_slider_changes_the_map(data, browser):
    assets = EmbedAssets(*read_embed_assets(assets_dir()))
    # export() opens the file in Chromium itself before handing it back (embed_check.py).
    content = export_format("html").export(
        ExportJob(data, RANGE, ImageOptions(), text_for(), step="month", assets=assets)
    )
    assert len(content) < 5 * 1024 * 1024
    context = browser.new_context(viewport={"width": 700, "height": 700})
    page = context.new_page()
    requests: list[str] = []
    page.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
    try:
        page.set_content(content.decode("utf-8"), wait_until="load")
        page.wait_for_selector("#map path.choroplethlocation", state="attached")
        assert page.locator("#map path.choroplethlocation").count() == sum(
            len(layer) for layer in (data.layers.neighbours, data.layers.others, data.layers.contested)
        )
        hatch_last = page.evaluate(
            "document.getElementById('map').data.find(t => t.uid === 'control-hatch').lon.length"
        )
        page.eval_on_selector("#step", "el => { el.value = '0'; el.dispatchEvent(new Event('input')); }")
        page.wait_for_function(
            "Array.from(document.querySelectorAll('#map .annotation-text')).some(el => el.textContent === '1 Jan 2025')"
        )
        hatch_first = page.evaluate(
            "document.getElementById('map').data.find(t => t.uid === 'control-hatch').lon.length"
        )
        assert page.inner_text("#step-date") == "1 Jan 2025"
        assert hatch_first != hatch_last  # the held area of 1 Jan 2025 is not that of 1 Apr 2025
        # Responsive: the map fills a narrow frame's width.
        page.set_viewport_size({"width": 360, "height": 700})
        page.wait_for_function("document.querySelector('#map .main-svg').getBoundingClientRect().width <= 360")
    finally:
        context.close()
    assert requests == []


@pytest.mark.slow
def test_html_check_refuses_a_page_that_fetches_or_does_not_draw(data, chromium_available):
    assets = EmbedAssets(*read_embed_assets(assets_dir()))
    embed = ExportJob(data, RANGE, ImageOptions(), text_for(), step="month", assets=assets)
    content = export_format("html").render(embed)
    fetching = content.replace(b"<main ", b'<img src="https://example.com/pixel.png" alt=""><main ', 1)
    with pytest.raises(DashboardError, match=r"fetched 1 outside resource.*example\.com"):
        export_format("html").check(fetching, embed)
    broken = content.replace(b"Plotly.react(", b"Plotly.nothing(", 1)
    with pytest.raises(DashboardError, match="HTML export failed"):
        export_format("html").check(broken, embed)


# -- the CLI --------------------------------------------------------------------------------------


def invoke(*args: str):
    return CliRunner().invoke(cli, ["export", *args], prog_name="contested-map")


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("contested-map: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--animate", "--from", "2025-01", "-o", "x.gif"), ("--to is missing",)),
        (("--animate", "--from", "2025-01", "--to", "2025-03", "--step", "fortnight", "-o", "x.gif"), ("'--step'",)),
        (
            ("--animate", "--from", "2025-01", "--to", "2025-03", "-o", "x.png"),
            ("--animate writes gif/mp4/webm, not png",),
        ),
        (("--animate", "--dates", "2025-01", "-o", "out"), ("cannot be used with --dates",)),
        (("--from", "2025-01", "--to", "2025-03", "--step", "week", "-o", "x.png"), ("--step is for animations",)),
        (
            ("--animate", "--from", "2022-01-01", "--to", "2025-03-01", "--step", "day", "-o", "x.gif"),
            ("frames", "more than the limit of 400"),
        ),
        (("--format", "gif", "--from", "2025-01", "--to", "2025-03", "-o", "x.mp4"), ("does not match --format gif",)),
    ],
)
def test_animate_errors_are_one_line(tmp_path, monkeypatch, args, fragments):
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    one_line_error(result, *fragments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_cli_writes_a_gif_picked_by_its_extension(tmp_path):
    needs_export_browser()
    target = tmp_path / "war.gif"
    result = invoke(
        "--animate",
        "--from",
        "2025-01-01",
        "--to",
        "2025-04-01",
        "--step",
        "month",
        "--width",
        "400",
        "--height",
        "300",
        "--fps",
        "4",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(target)
    with Image.open(target) as gif:
        assert gif.n_frames == 4 and gif.info["duration"] == 250


# -- the page -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_page_exports_a_gif_of_its_range(exporter):
    from dash_client import call

    from dashboard.web.app import Settings, create_app

    app = create_app(Settings())
    client = app.server.test_client()
    axis = load_dataset().axis
    dates = [axis.offset(RANGE.date_from), axis.offset(RANGE.date_to)]
    state = [
        (Ids.DATES, "value", dates),
        (Ids.REGIONS, "value", []),
        (Ids.EXPORT_FORMAT, "value", "gif"),
        (Ids.EXPORT_SIZE, "value", "800x600"),
        (Ids.EXPORT_SCALE, "value", "0.5"),
        (Ids.EXPORT_TITLE, "value", None),
        (Ids.EXPORT_STEP, "value", "month"),
        (Ids.CONTROL_TOGGLE, "value", ["on"]),
        (Ids.ARTICLE_ONLY, "value", []),
    ]
    outputs = [(Ids.DOWNLOAD, "data"), (Ids.EXPORT_NOTICE, "children")]
    response = call(client, outputs, [(Ids.EXPORT_BUTTON, "n_clicks", 1)], state=state)
    assert response.status_code == 200
    out = response.json["response"]
    download = out[str(Ids.DOWNLOAD)]["data"]
    assert download["filename"] == "contested-regions_2025-04-01_from-2025-01-01.gif"
    assert download["type"] == "image/gif"
    frames = gif_frames(base64.b64decode(download["content"]))
    assert len(frames) == 4 and frames[0].size == (400, 300)
    assert out[str(Ids.EXPORT_NOTICE)]["children"].startswith("Downloaded contested-regions_2025-04-01")
    # Too many frames: a one-line refusal that names the limit, before any render.
    too_long = [
        (Ids.DATES, "value", [axis.offset(dt.date(2024, 1, 1)), axis.offset(dt.date(2025, 6, 1))]),
        *state[1:6],
        (Ids.EXPORT_STEP, "value", "day"),
        *state[7:],
    ]
    response = call(client, outputs, [(Ids.EXPORT_BUTTON, "n_clicks", 2)], state=too_long)
    notice = response.json["response"][str(Ids.EXPORT_NOTICE)]["children"]
    assert "more than the limit of 400" in notice and "\n" not in notice


@pytest.mark.slow
def test_page_exports_an_offline_html_map(chromium_available):
    from dash_client import call

    from dashboard.web.app import Settings, create_app

    client = create_app(Settings()).server.test_client()
    axis = load_dataset().axis
    state = [
        (Ids.DATES, "value", [axis.offset(RANGE.date_from), axis.offset(RANGE.date_to)]),
        (Ids.REGIONS, "value", []),
        (Ids.EXPORT_FORMAT, "value", "html"),
        (Ids.EXPORT_SIZE, "value", "1200x800"),
        (Ids.EXPORT_SCALE, "value", "1"),
        (Ids.EXPORT_TITLE, "value", "</script><b>x</b>"),
        (Ids.EXPORT_STEP, "value", "month"),
        (Ids.CONTROL_TOGGLE, "value", ["on"]),
        (Ids.ARTICLE_ONLY, "value", []),
    ]
    response = call(
        client,
        [(Ids.DOWNLOAD, "data"), (Ids.EXPORT_NOTICE, "children")],
        [(Ids.EXPORT_BUTTON, "n_clicks", 1)],
        state=state,
    )
    download = response.json["response"][str(Ids.DOWNLOAD)]["data"]
    assert download["filename"] == "contested-regions_2025-04-01_from-2025-01-01.html"
    assert download["type"] == "text/html"
    page = base64.b64decode(download["content"]).decode("utf-8")
    assert "<title>&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;</title>" in page
    assert page.count("</script>") == 3
