"""Export edge cases: output paths, titles, batch dates, PDF title.

Most tests drive the real CLI in a subprocess and check the one-line error
contract; the ones that only need the file writer or the figure call it
directly and need no browser.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dashboard.cli.export import export_batch
from dashboard.core.errors import DashboardError
from dashboard.core.events import event_days
from dashboard.core.filters import FilterState
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions, file_name
from dashboard.render.pdf_title import set_pdf_title
from dashboard.sources.files import write_atomic
from dashboard.testing import needs_export_browser
from dashboard.text import text_for

REPO = Path(__file__).resolve().parents[1]
LONG = "a" * 300
QUOTED_TITLE = 'Russia\'s "new territories" <b>not bold</b> & co'


needs_browser = needs_export_browser


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


def run_cli(*args: str, cwd: Path = REPO, prelude: str = "") -> subprocess.CompletedProcess:
    """`python -m dashboard ARGS`; `prelude` is Python run first in the same process."""
    code = f"import sys\n{prelude}\nfrom dashboard.cli import main\nsys.argv[0] = 'contested-map'\nmain()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, check=False, capture_output=True, text=True, timeout=180
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("contested-map: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# ---------------------------------------------------------------------------
# Item 7: output paths


@pytest.mark.export
@pytest.mark.slow
def test_each_event_into_a_dangling_symlink_is_one_line(tmp_path):
    needs_browser()
    link = tmp_path / "frames"
    link.symlink_to(tmp_path / "nowhere")
    result = run_cli("export", "--each-event", "-o", str(link))
    assert_one_line_error(result, str(link))
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


@pytest.mark.export
@pytest.mark.slow
def test_each_event_into_a_300_character_name_is_one_line(tmp_path):
    needs_browser()
    result = run_cli("export", "--each-event", "-o", str(tmp_path / LONG))
    assert_one_line_error(result, "File name too long")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.export
@pytest.mark.slow
def test_single_export_to_a_300_character_name_is_one_line(tmp_path):
    needs_browser()
    result = run_cli("export", "-o", str(tmp_path / f"{LONG}.png"))
    assert_one_line_error(result, "File name too long")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.export
@pytest.mark.slow
def test_each_event_into_a_directory_under_a_read_only_parent_is_one_line(tmp_path):
    """Tests run as root, for whom no mode bit makes a directory read-only; so the one
    failing call, mkdir of the output directory, is made to fail as on a read-only parent."""
    needs_browser()
    target = tmp_path / "ro" / "frames"
    target.parent.mkdir()
    prelude = f"""
import os
_mkdir = os.mkdir
def _refuse(path, *args, **kwargs):
    if os.fspath(path) == {str(target)!r}:
        raise PermissionError(13, "Permission denied", os.fspath(path))
    return _mkdir(path, *args, **kwargs)
os.mkdir = _refuse
"""
    result = run_cli("export", "--each-event", "-o", str(target), prelude=prelude)
    assert_one_line_error(result, "cannot create output directory", "Permission denied")
    assert list(target.parent.iterdir()) == []


@pytest.mark.export
@pytest.mark.slow
def test_each_event_under_a_regular_file_says_not_a_directory(tmp_path):
    """A path whose parent is a regular file cannot be created, root or not."""
    needs_browser()
    (tmp_path / "file").write_text("x")
    result = run_cli("export", "--each-event", "-o", str(tmp_path / "file" / "frames"))
    assert_one_line_error(result, "not a directory")
    assert (tmp_path / "file").read_text() == "x"


@pytest.mark.export
@pytest.mark.slow
def test_dates_into_an_existing_file_says_it_is_not_a_directory(tmp_path):
    needs_browser()
    existing = tmp_path / "existing"
    existing.write_text("keep me")
    result = run_cli("export", "--dates", "2014", "-o", str(existing))
    assert_one_line_error(result, "is not a directory")
    assert "does not exist" not in result.stderr
    assert existing.read_text() == "keep me"


@pytest.mark.slow
def test_regions_geodata_symlink_loop_is_one_line(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = run_cli("regions", "--geodata", str(loop))
    assert_one_line_error(result, str(loop))


def _make_node(tmp_path: Path, kind: str) -> Path:
    node = tmp_path / f"{kind}.png"
    if kind == "fifo":
        os.mkfifo(node)
    elif kind == "symlink":
        (tmp_path / "elsewhere.png").write_bytes(b"precious")
        node.symlink_to(tmp_path / "elsewhere.png")
    elif kind == "dangling-symlink":
        node.symlink_to(tmp_path / "nowhere.png")
    elif kind == "device":
        try:  # a character device like /dev/null (1, 3), made here instead of touching the real one
            os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("cannot make a device node here")
    return node


def _node_state(node: Path):
    info = os.lstat(node)
    return stat.S_IFMT(info.st_mode), info.st_ino, os.readlink(node) if node.is_symlink() else None


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling-symlink", "device"])
def test_write_atomic_refuses_to_replace_anything_but_a_regular_file(tmp_path, kind):
    node = _make_node(tmp_path, kind)
    before = _node_state(node)
    with pytest.raises(DashboardError, match="not a regular file"):
        write_atomic(node, b"data")
    assert _node_state(node) == before
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())
    if kind == "symlink":
        assert (tmp_path / "elsewhere.png").read_bytes() == b"precious"


@pytest.mark.export
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
def test_cli_refuses_to_replace_a_special_node(tmp_path, kind):
    needs_browser()
    node = _make_node(tmp_path, kind)
    before = _node_state(node)
    result = run_cli("export", "--format", "png", "-o", str(node))
    assert_one_line_error(result, "not a regular file")
    assert _node_state(node) == before


def test_batch_refuses_a_symlink_in_place_of_an_image(tmp_path, data):
    """A batch writes beside its other images, never through a link to another file."""

    class Stub:
        def render(self, figure, options):
            return b"image"

    state = FilterState(data.axis.first_day, dt.date(2014, 6, 1))
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"precious")
    (tmp_path / file_name(state, ImageOptions())).symlink_to(victim)
    with pytest.raises(DashboardError, match="not a regular file"):
        export_batch(data, Stub(), [state], ImageOptions(), tmp_path)
    assert victim.read_bytes() == b"precious"


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_written_files_follow_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "out.png", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.png").stat().st_mode) == 0o666 & ~umask


def test_write_atomic_replaces_a_regular_file(tmp_path):
    target = tmp_path / "out.png"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_write_atomic_says_when_the_parent_is_not_a_directory(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(DashboardError, match="is not a directory"):
        write_atomic(tmp_path / "file" / "x.png", b"data")


# ---------------------------------------------------------------------------
# Item 10: titles print as typed


def title_text(svg: Path) -> str:
    root = ET.parse(svg).getroot()
    for element in root.iter():
        if (element.get("class") or "").split()[:1] == ["gtitle"]:
            return "".join(element.itertext())
    raise AssertionError("no title in the SVG")


def test_figure_title_escapes_markup_but_not_quotes(data):
    state = FilterState(data.axis.first_day, data.axis.last_day)
    figure = image_figure(data, state, ImageOptions(title=QUOTED_TITLE), text_for())
    text = figure["layout"]["title"]["text"]
    assert text == 'Russia\'s "new territories" &lt;b&gt;not bold&lt;/b&gt; &amp; co'


@pytest.mark.export
@pytest.mark.slow
def test_cli_svg_title_keeps_quotes_and_prints_markup_literally(tmp_path):
    needs_browser()
    out = tmp_path / "map.svg"
    result = run_cli("export", "--title", QUOTED_TITLE, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert title_text(out) == QUOTED_TITLE
    assert "&quot;" not in out.read_text() and "&#x27;" not in out.read_text()


# ---------------------------------------------------------------------------
# Item 13: batch export


def test_event_days_use_the_exact_day_of_an_event_or_its_refinement(data):
    days = {event_id: day for day, event_id in event_days(data.claims)}
    # Crimea's "2014" is refined by the treaty record of 2014-03-18.
    assert days["russia-annexes-crimea-2014"] == dt.date(2014, 3, 18)
    assert days["russia-proclaims-annexation-four-regions"] == dt.date(2022, 9, 30)
    # The referendums' "last year" is refined by the public record's 23-27 Sep 2022: its last day.
    assert days["referendums-four-regions-2022"] == dt.date(2022, 9, 27)
    assert "referendums-four-regions-2022-09-23" not in days
    # No exact day known: the end of the event's window.
    assert days["constitutional-decree-constituent-subjects"] == dt.date(2023, 2, 28)
    # A refining record is the same occurrence, not an image of its own.
    assert "crimea-accession-treaty-2014-03-18" not in days
    assert "four-regions-accession-treaties-2022-09-30" not in days


def test_event_file_names_say_which_event_and_stay_bounded():
    state = FilterState(dt.date(2013, 1, 1), dt.date(2014, 3, 18))
    assert (
        file_name(state, ImageOptions(), label="russia-annexes-crimea-2014")
        == "contested-regions_2014-03-18_russia-annexes-crimea-2014.png"
    )
    many = FilterState(dt.date(2013, 1, 1), dt.date(2014, 3, 18), tuple(f"UA-{n:02d}" for n in range(1, 28)))
    names = {file_name(many, ImageOptions(format="svg"), label=("x" * 99) + str(i)) for i in range(3)}
    assert len(names) == 3  # still distinct when shortened
    for name in names:
        assert len(name.encode()) <= 200 and name.endswith(".svg")
        assert all(c.isalnum() or c in "_.-" for c in name)
    assert file_name(state, ImageOptions(), label="../../etc/passwd") == "contested-regions_2014-03-18_etcpasswd.png"


@pytest.mark.export
@pytest.mark.slow
def test_dates_naming_one_day_twice_export_it_once(tmp_path):
    needs_browser()
    out = tmp_path / "frames"
    result = run_cli("export", "--dates", "2014-03,2014-03-31", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["contested-regions_2014-03-31.png"]
    assert "2014-03 and 2014-03-31 are the same day; exporting it once" in result.stderr
    assert "wrote 1 image " in result.stderr


@pytest.mark.export
@pytest.mark.slow
@pytest.mark.parametrize("dates", ["", " ", ",", " , ,"])
def test_empty_dates_is_an_error(tmp_path, dates):
    needs_browser()
    result = run_cli("export", "--dates", dates, "-o", str(tmp_path / "frames"))
    assert_one_line_error(result, "--dates")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_scale_field_lets_the_server_see_what_was_typed():
    """A number input with min/max sends None for 20, which used to export at scale 1."""
    from dashboard.web.app import create_app

    field = next(c for c in _find_all(create_app().layout()) if getattr(c, "id", None) == "export-scale")
    props = field.to_plotly_json()["props"]
    assert "max" not in props and "min" not in props


def _find_all(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            yield from _find_all(child)


@pytest.mark.parametrize("scale", [20, "20", "abc", 0, -1, "nan", True])
def test_bad_scale_from_the_page_names_the_range(scale):
    from dashboard.web.panels.export import image_options as _image_options

    with pytest.raises(DashboardError, match=r"scale must be .*0\.5.* to 8"):
        _image_options("png", "1200x800", scale, None)


@pytest.mark.parametrize("scale, expected", [(None, 1.0), ("", 1.0), ("2", 2.0), (" 1.5 ", 1.5), (3, 3.0)])
def test_scale_from_the_page(scale, expected):
    from dashboard.web.panels.export import image_options as _image_options

    assert _image_options("png", "1200x800", scale, None).scale == expected


@pytest.mark.browser
def test_page_scale_of_20_is_refused_with_the_range(live_server, page):
    pg = page.page
    pg.goto(live_server.url + "/")
    pg.wait_for_selector("#map path.choroplethlocation", state="attached")
    field = pg.locator("#export-scale")
    field.fill("20")
    field.press("Enter")
    pg.click("#export-button")
    pg.locator("#export-notice").get_by_text("scale must be from 0.5 to 8").wait_for(timeout=30_000)
    assert "Downloaded" not in pg.locator("#export-notice").inner_text()
    assert page.external_requests == []


# ---------------------------------------------------------------------------
# Item 11 (export): dates past the data


@pytest.mark.export
@pytest.mark.slow
def test_dates_past_the_data_are_exported_with_a_note(tmp_path):
    needs_browser()
    out = tmp_path / "frames"
    result = run_cli("export", "--dates", "2014-06-01,2026-03-15", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "contested-regions_2014-06-01.png",
        "contested-regions_2026-03-15.png",
    ]
    assert (
        "note: the loaded records end on 22 Apr 2025; images for later dates show the last known state" in result.stderr
    )


@pytest.mark.export
@pytest.mark.slow
def test_single_export_past_the_data(tmp_path):
    needs_browser()
    out = tmp_path / "later.svg"
    result = run_cli("export", "--to", "2026-06-01", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = "".join(ET.parse(out).getroot().itertext())
    assert "Records end 22 Apr 2025." in text
    assert "note: the loaded records end on 22 Apr 2025" in result.stderr


@pytest.mark.export
@pytest.mark.slow
def test_dates_before_the_timeline_are_still_refused(tmp_path):
    needs_browser()
    result = run_cli("export", "--dates", "1990", "-o", str(tmp_path / "frames"))
    assert_one_line_error(result, "--dates", "before")


def test_attribution_says_where_the_records_end_only_past_them(data):
    def attribution(day):
        figure = image_figure(data, FilterState(data.axis.first_day, day), ImageOptions(), text_for())
        return figure["layout"]["annotations"][-1]["text"]

    assert "Records end 22 Apr 2025." in attribution(dt.date(2025, 4, 23))
    assert "Records end" not in attribution(dt.date(2025, 4, 22))


# ---------------------------------------------------------------------------
# Item 15 (PDF): the document title is the image's


@pytest.mark.export
@pytest.mark.slow
def test_cli_pdf_title_is_the_image_title(tmp_path):
    needs_browser()
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "map.pdf"
    title = QUOTED_TITLE + " — Крим"
    result = run_cli("export", "--title", title, "-o", str(out))
    assert result.returncode == 0, result.stderr
    content = out.read_bytes()
    assert b"Kaleido-fier" not in content
    reader = pypdf.PdfReader(io.BytesIO(content), strict=True)  # strict: the xref offsets must be right
    assert reader.metadata.title == title
    assert len(reader.pages) == 1 and reader.pages[0].mediabox.width > 0


@pytest.mark.export
@pytest.mark.slow
def test_cli_pdf_default_title(tmp_path):
    needs_browser()
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "map.pdf"
    result = run_cli("export", "--to", "2022-10-01", "--region", "UA-14", "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(out, strict=True)
    assert reader.metadata.title == "Donetsk: status on 1 Oct 2022"


def test_set_pdf_title_leaves_unexpected_pdfs_alone():
    weird = b"%PDF-1.7\n1 0 obj\n<</Type /XRef>>\nendobj\nstartxref\n9\n%%EOF\n"
    assert set_pdf_title(weird, "x") == weird
