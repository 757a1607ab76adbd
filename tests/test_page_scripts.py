"""The page's scripts: Dash's @babel/polyfill left out, regenerator-runtime in its place
(dashboard/web/scripts.py, assets/regenerator/)."""

from __future__ import annotations

import hashlib
import re

import pytest

from dashboard.sources.paths import assets_dir
from dashboard.web.scripts import without_babel_polyfill

RUNTIME = assets_dir() / "regenerator" / "regenerator-runtime.js"
_SRC = re.compile(r'<script src="([^"]+)"></script>')


@pytest.fixture(scope="module")
def scripts(bundled_app) -> list[str]:
    index = bundled_app.server.test_client().get("/").get_data(as_text=True)
    return _SRC.findall(index)


def test_the_page_loads_no_babel_polyfill(scripts):
    assert not [src for src in scripts if "polyfill" in src]


def test_regenerator_runtime_loads_before_dashs_renderer_and_components(scripts):
    def position(part: str) -> int:
        return next(i for i, src in enumerate(scripts) if part in src)

    runtime = position("/assets/regenerator/regenerator-runtime.js")
    assert runtime < position("dash_renderer") < position("dash_core_components")


def test_only_the_polyfill_tag_is_left_out():
    tags = (
        '<script src="/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.12.1.min.js"></script>\n'
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>\n'
        '<script src="/assets/polyfill-notes.js?m=1"></script>'
    )
    assert without_babel_polyfill(tags) == (
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>\n'
        '<script src="/assets/polyfill-notes.js?m=1"></script>'
    )
    assert without_babel_polyfill(tags.split("\n", 1)[1]) == tags.split("\n", 1)[1]  # none: unchanged


def test_the_runtime_is_the_file_its_readme_names():
    readme = (RUNTIME.parent / "README.md").read_text()
    digest = re.search(r"SHA-256 of the file: ([0-9a-f]{64})", readme)
    assert digest is not None
    assert hashlib.sha256(RUNTIME.read_bytes()).hexdigest() == digest.group(1)
    assert "MIT License" in (RUNTIME.parent / "LICENSE-regenerator-runtime.txt").read_text()
    assert "regeneratorRuntime = runtime" in RUNTIME.read_text()
