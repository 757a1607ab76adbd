"""Export with the partial plotly.js bundle draws exactly what the full bundle draws.

The same figures are rendered by two export browsers, one loading the plotly
package's full plotly.min.js and one the partial bundle the app uses, and the
PNGs are compared pixel by pixel; SVGs are compared as text once plotly.js's
random ids are set aside. (A PDF carries its creation time, so its bytes differ
between any two renders; it is drawn from the same page as the SVG.)
"""

from __future__ import annotations

import io
import re

import pytest

from dashboard.core.filters import FilterState
from dashboard.render.export_figure import image_figure
from dashboard.render.export_options import ImageOptions
from dashboard.render.exporter import DEFAULT_TIMEOUT, Exporter
from dashboard.sources.paths import assets_dir, plotlyjs_bundle
from dashboard.testing import needs_export_browser
from dashboard.text import text_for

Image = pytest.importorskip("PIL.Image")
ImageChops = pytest.importorskip("PIL.ImageChops")


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture(scope="module")
def exporters():
    needs_export_browser()
    full = Exporter(assets_dir() / "topojson", DEFAULT_TIMEOUT, plotlyjs=None)  # plotly's own full bundle
    partial = Exporter(assets_dir() / "topojson", DEFAULT_TIMEOUT, plotlyjs=plotlyjs_bundle())
    yield full, partial
    full.close()
    partial.close()


def _cases(data):
    axis = data.axis
    default = FilterState(axis.first_day, axis.last_day)
    return [
        ("default", default, ImageOptions(), True),
        ("control layer off", default, ImageOptions(), False),
        (
            "2022, regions picked, scale 2",
            FilterState(axis.first_day, data.axis.records_end, ("UA-14", "UA-43", "UA-40")),
            ImageOptions(width=800, height=600, scale=2.0, title="Donetsk & Crimea <b>test</b>"),
            True,
        ),
        ("wide", default, ImageOptions(width=1920, height=1080), True),
    ]


@pytest.mark.slow
def test_pngs_are_identical_pixel_for_pixel(exporters, data):
    full, partial = exporters
    text = text_for()
    for name, state, options, control in _cases(data):
        figure = image_figure(data, state, options, text, control)
        a = Image.open(io.BytesIO(full.render(figure, options))).convert("RGBA")
        b = Image.open(io.BytesIO(partial.render(figure, options))).convert("RGBA")
        assert a.size == b.size, name
        assert ImageChops.difference(a, b).getbbox() is None, f"{name}: pixels differ"


def _normalised_svg(content: bytes) -> str:
    # plotly.js gives each render a random six-hex id (`clip1e23e2geo`, `defs-1e23e2`); nothing else differs.
    svg = content.decode()
    uid = re.search(r'id="clip([0-9a-f]{6})', svg)
    assert uid, "no plotly.js clip id in the SVG"
    return svg.replace(uid.group(1), "UID")


@pytest.mark.slow
def test_svgs_are_identical(exporters, data):
    full, partial = exporters
    text = text_for()
    options = ImageOptions(format="svg")
    figure = image_figure(data, FilterState(data.axis.first_day, data.axis.last_day), options, text, True)
    assert _normalised_svg(full.render(figure, options)) == _normalised_svg(partial.render(figure, options))
