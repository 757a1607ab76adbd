"""Export titles holding characters XML forbids are cleaned before they reach the figure.

A NUL, a vertical tab or a lone surrogate in the title used to go into the SVG the export
browser draws and make it fail (and be reset). The title keeps every other character as typed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.core.plain_text import BAD_CHARS, clean_text
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions, image_title
from dashboard.testing import REPO, needs_export_browser
from dashboard.text import text_for

HOSTILE = "Kherson\x00 map\x0b \ud800after\x1f \ufffe–\x7f 2022\tQ4"


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


def test_clean_text_drops_only_what_xml_forbids():
    assert clean_text(HOSTILE) == "Kherson map after – 2022\tQ4"
    kept = "Tab\there, line\nbreak, return\r, Україна «Крим» — 😀 &<>"
    assert clean_text(kept) == kept
    assert BAD_CHARS.search(kept) is None
    # What the result holds can be written as UTF-8 and read as XML.
    ET.fromstring(f"<t>{clean_text(HOSTILE).replace('&', '&amp;')}</t>".encode())


@pytest.mark.parametrize(
    "title, expected",
    [
        (HOSTILE, "Kherson map after – 2022\tQ4"),
        ("\x00\x0b\ud800 ", None),  # nothing left: the default title
        ("  Crimea \udcff ", "Crimea"),
        ("Plain title", "Plain title"),
    ],
)
def test_image_options_clean_the_title(title, expected):
    assert ImageOptions(title=title).title == expected


def test_a_title_that_is_not_text_is_refused():
    with pytest.raises(DashboardError, match="image title must be text"):
        ImageOptions(title=b"bytes")  # type: ignore[arg-type]


def test_the_figure_carries_the_clean_title(data):
    state = FilterState(data.axis.first_day, dt.date(2022, 10, 1), ("UA-65",))
    options = ImageOptions(format="svg", title=HOSTILE)
    text = text_for()
    assert image_title(data, state, options, text) == "Kherson map after – 2022\tQ4"
    figure = image_figure(data, state, options, text)
    dumped = json.dumps(figure, ensure_ascii=False)  # would raise on a lone surrogate when encoded
    dumped.encode("utf-8")
    assert "Kherson map after" in figure["layout"]["title"]["text"]
    assert BAD_CHARS.search(dumped) is None
    default = image_figure(data, state, ImageOptions(format="svg", title="\x00\x0b"), text)
    assert (
        default["layout"]["title"]["text"]
        == image_figure(data, state, ImageOptions(format="svg"), text)["layout"]["title"]["text"]
    )


@pytest.mark.slow
@pytest.mark.export
def test_cli_svg_with_a_hostile_title(tmp_path):
    """A real export: a vertical tab and bytes that are not UTF-8 (read as lone surrogates) in --title."""
    needs_export_browser()
    out = tmp_path / "map.svg"
    title = b"Kherson\x0b map " + b"\xed\xa0\x80\xff" + " – 2022".encode()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "export",
            "--to",
            "2022-10-01",
            "--region",
            "UA-65",
            "--format",
            "svg",
            "--title",
            title,
            "-o",
            str(out),
        ],
        cwd=REPO,
        check=False,
        capture_output=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    root = ET.parse(out).getroot()
    drawn = ET.tostring(root, encoding="unicode")
    assert "Kherson map – 2022" in drawn
    assert BAD_CHARS.search(drawn) is None
