"""Image export: real files from the CLI and the Exporter, checked by decoding them."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions, file_name
from dashboard.render.map_figure import CONTESTED_UID, colour_codes, trace_index
from dashboard.render.theme import STATUS_FILLS
from dashboard.sources.files import write_atomic
from dashboard.testing import needs_export_browser, new_exporter
from dashboard.text import text_for

REPO = Path(__file__).resolve().parents[1]
Image = pytest.importorskip("PIL.Image")
MARKER = "#FF00FF"


needs_browser = needs_export_browser


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture(scope="module")
def exporter():
    needs_browser()
    instance = new_exporter()
    yield instance
    instance.close()


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "export", *args],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))


@pytest.fixture(scope="module")
def crimea_pixel(data, exporter):
    """A pixel inside Crimea, found by rendering the same layout with Crimea in a marker colour."""
    state = FilterState(data.axis.first_day, data.axis.last_day)
    options = ImageOptions()
    # Without the control layer: its hatching would cross the pixel (the status colours are tested here).
    figure = image_figure(data, state, options, text_for(), control=False)
    contested = trace_index(figure, CONTESTED_UID)
    trace = figure["data"][contested]
    z, colorscale, zmax = colour_codes([MARKER if c == "UA-43" else "#FFFFFF" for c in trace["locations"]])
    figure["data"][contested] = {**trace, "z": z, "colorscale": colorscale, "zmax": zmax}
    image = Image.open(io.BytesIO(exporter.render(figure, options))).convert("RGB")
    marker = rgb(MARKER)
    pixels = [
        (x, y) for x in range(0, image.width, 3) for y in range(0, image.height, 3) if image.getpixel((x, y)) == marker
    ]
    assert len(pixels) > 50, "Crimea not found in the image"
    xs, ys = sorted(p[0] for p in pixels), sorted(p[1] for p in pixels)
    middle = (xs[len(xs) // 2], ys[len(ys) // 2])
    # Crimea's label sits at its middle: the pixel nearest the middle with only Crimea around it.
    clear = [
        p
        for p in pixels
        if all(image.getpixel((p[0] + dx, p[1] + dy)) == marker for dx in range(-4, 5, 2) for dy in range(-4, 5, 2))
    ]
    assert clear, "no clear pixel inside Crimea"
    return min(clear, key=lambda p: (p[0] - middle[0]) ** 2 + (p[1] - middle[1]) ** 2)


@pytest.mark.slow
def test_cli_png_has_requested_size_and_status_colours(tmp_path, crimea_pixel):
    before, after = tmp_path / "before.png", tmp_path / "after.png"
    # The status colours, without the control layer (as the pixel was found): its legend rows move the map.
    assert run_cli("--to", "2013-06-01", "--no-control-layer", "-o", str(before)).returncode == 0
    result = run_cli("--to", "2023-02-28", "--no-control-layer", "-o", str(after))
    assert result.returncode == 0, result.stderr
    old, new = (Image.open(p).convert("RGB") for p in (before, after))
    assert new.size == old.size == (1200, 800)
    assert old.getpixel(crimea_pixel) == rgb(STATUS_FILLS["no_annexation_declared"])
    assert new.getpixel(crimea_pixel) == rgb(STATUS_FILLS["annexation_declared"])
    colours = {c for _, c in new.getcolors(maxcolors=1_000_000)}
    assert rgb(STATUS_FILLS["annexation_declared"]) in colours


@pytest.mark.export
@pytest.mark.slow
def test_cli_png_scale(tmp_path):
    needs_browser()
    out = tmp_path / "big.png"
    result = run_cli("--width", "800", "--height", "600", "--scale", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert Image.open(out).size == (1600, 1200)


@pytest.mark.export
@pytest.mark.slow
def test_cli_svg_parses_and_has_region_paths(tmp_path):
    needs_browser()
    out = tmp_path / "map.svg"
    result = run_cli("--to", "2022-10-01", "--title", "Test <title> & more", "-o", str(out))
    assert result.returncode == 0, result.stderr
    root = ET.parse(out).getroot()
    assert root.get("width") == "1200" and root.get("height") == "800"
    paths = [e for e in root.iter() if e.tag.endswith("path") and "choroplethlocation" in (e.get("class") or "")]
    assert len(paths) >= 27 + 6
    text = ET.tostring(root, encoding="unicode")
    assert "Natural Earth" in text and "Test &lt;title&gt; &amp; more" in text


@pytest.mark.export
@pytest.mark.slow
def test_cli_pdf(tmp_path):
    needs_browser()
    out = tmp_path / "map.pdf"
    result = run_cli("--format", "pdf", "--width", "1000", "--height", "700", "-o", str(out))
    assert result.returncode == 0, result.stderr
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    assert b"/MediaBox" in content


@pytest.mark.export
@pytest.mark.slow
def test_cli_batch_writes_one_image_per_date(tmp_path):
    needs_browser()
    out = tmp_path / "frames"
    result = run_cli("--dates", "2014-06-01,2022-10,2023-02-28", "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    # A month-precision date stands for its last day: the status once the month is over.
    assert names == [
        "contested-regions_2014-06-01.png",
        "contested-regions_2022-10-31.png",
        "contested-regions_2023-02-28.png",
    ]
    assert "wrote 3 images" in result.stderr


@pytest.mark.export
@pytest.mark.slow
def test_cli_each_event(tmp_path, data):
    needs_browser()
    out = tmp_path / "events"
    result = run_cli("--each-event", "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    # One image per event, on its exact day where a record gives one.
    assert names == {
        "contested-regions_2014-03-16_crimea-referendum-2014-03-16.png",
        "contested-regions_2014-03-18_russia-annexes-crimea-2014.png",
        "contested-regions_2014-03-27_unga-resolution-68-262-2014-03-27.png",
        "contested-regions_2014-05-11_donbas-votes-2014-05-11.png",
        "contested-regions_2014-05-12_dpr-lpr-declare-independence-2014-05-12.png",
        "contested-regions_2022-09-27_referendums-four-regions-2022.png",
        "contested-regions_2022-09-30_russia-proclaims-annexation-four-regions.png",
        "contested-regions_2022-10-12_unga-resolution-es-11-4-2022-10-12.png",
        "contested-regions_2022-11-09_ki-shoigu-orders-retreat-2022-11-09.png",
        "contested-regions_2023-02-28_constitutional-decree-constituent-subjects.png",
    }
    assert "wrote 10 images" in result.stderr


@pytest.mark.slow
def test_concurrent_exports_each_get_their_own_image(data, exporter, crimea_pixel):
    """Kaleido's shared browser mixes up concurrent callers (upstream: Kaleido issue 444); the lock must not."""
    options = ImageOptions()
    ends = [dt.date(2013, 6, 1), dt.date(2023, 2, 28)] * 4
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(i: int, end: dt.date) -> None:
        try:
            state = FilterState(data.axis.first_day, end)
            results[i] = exporter.render(image_figure(data, state, options, text_for(), control=False), options)
        except BaseException as exc:  # noqa: BLE001 - a thread's failure, surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, end)) for i, end in enumerate(ends)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    for i, end in enumerate(ends):
        colour = Image.open(io.BytesIO(results[i])).convert("RGB").getpixel(crimea_pixel)
        expected = "no_annexation_declared" if end.year == 2013 else "annexation_declared"
        assert colour == rgb(STATUS_FILLS[expected]), f"export {i} ({end}) got another caller's image"


def test_file_name_says_what_it_shows():
    state = FilterState(dt.date(2014, 1, 1), dt.date(2023, 2, 28))
    assert file_name(state, ImageOptions()) == "contested-regions_2023-02-28.png"
    state = FilterState(dt.date(2014, 1, 1), dt.date(2022, 10, 1), ("UA-43", "UA-40"))
    assert file_name(state, ImageOptions(format="svg")) == "contested-regions_UA-43-UA-40_2022-10-01.svg"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"format": "gif"}, "unknown image format 'gif'"),
        ({"width": 199}, "width must be"),
        ({"height": 8001}, "height must be"),
        ({"width": True}, "width must be"),
        ({"scale": 0}, "scale must be"),
        ({"scale": 100}, "scale must be"),
        ({"title": "x" * 301}, "longer than 300"),
    ],
)
def test_image_options_are_checked(kwargs, message):
    with pytest.raises(DashboardError, match=message):
        ImageOptions(**kwargs)


def test_write_atomic_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out.png"
    write_atomic(target, b"data")
    assert target.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]
    with pytest.raises(DashboardError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "x.png", b"data")


def assert_one_line_error(result, *fragments):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.export
@pytest.mark.slow
@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--format", "tiff", "-o", "{tmp}/x.tiff"], ["'tiff' is not one of"]),
        (["-o", "{tmp}/x.jpeg"], ["cannot tell the format"]),
        (["-o", "{tmp}/x.gif"], ["--to is missing"]),  # an animation, by its name (test_export_animation.py)
        (["--format", "svg", "-o", "{tmp}/x.png"], ["does not match --format svg"]),
        (["--width", "100", "-o", "{tmp}/x.png"], ["--width", "100"]),
        (["--height", "9000", "-o", "{tmp}/x.png"], ["--height", "9000"]),
        (["--scale", "50", "-o", "{tmp}/x.png"], ["--scale"]),
        (["--to", "1990-01-01", "-o", "{tmp}/x.png"], ["before the timeline"]),
        (["--to", "yesterday", "-o", "{tmp}/x.png"], ["YYYY"]),
        (["--from", "2023-01-01", "--to", "2022-01-01", "-o", "{tmp}/x.png"], ["--from is after --to"]),
        (["--region", "Atlantis", "-o", "{tmp}/x.png"], ["unknown region 'Atlantis'"]),
        (["-o", "{tmp}/missing/x.png"], ["does not exist"]),
        (["-o", "/proc/contested-map-test.png"], ["cannot write"]),
        (["--dates", "2014,nonsense", "-o", "{tmp}/batch"], ["--dates"]),
        (["--dates", "2014", "--each-event", "-o", "{tmp}/batch"], ["not both"]),
    ],
)
def test_bad_export_input(tmp_path, args, fragments):
    needs_browser()
    result = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert_one_line_error(result, *fragments)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []


@pytest.mark.slow
def test_export_without_browser_says_what_is_missing(tmp_path):
    env = dict(os.environ, BROWSER_PATH=str(tmp_path / "no-such-chromium"))
    result = run_cli("-o", str(tmp_path / "x.png"), env=env)
    assert_one_line_error(result, "needs Chrome or Chromium", "apt-get install chromium", "camera button")
    assert not (tmp_path / "x.png").exists()
