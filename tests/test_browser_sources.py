"""Two control sources in Chromium: the picker lists both, switching it changes the legend's source
and the URL's `source=`, and a day before every snapshot says what the loaded data covers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LiveServer
from test_browser_dashboard import assert_clean, open_dashboard

from dashboard.cli import cli
from tests.control_helpers import RAW, need_shared

pytestmark = pytest.mark.browser

BUNDLED = "DeepStateMap via cyterat/deepstate-map-data"
#: Where the screenshots go (looked at by hand); a temporary folder unless set.
SHOTS_ENV = "CONTESTED_MAP_SHOTS"


@pytest.fixture(scope="module")
def sources_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The dashboard with the bundled layer and a cache holding "Test raw": two raw snapshots
    (29 Jan 2023, 30 Apr 2024; tests only, they carry no licence)."""
    cache = tmp_path_factory.mktemp("browser-sources") / "cache"
    raw = [str(need_shared(RAW / name)) for name in ("1675031774.geojson", "1714512461.geojson")]
    result = CliRunner().invoke(
        cli,
        ["control", "import", *raw, "--control", str(cache), "--source", "Test raw", "--licence", "test-only"],
        prog_name="contested-map",
    )
    assert result.exit_code == 0, result.stderr
    server = LiveServer(["--control", str(cache)])
    yield server
    server.stop()


def _shot(pg, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    pg.locator(".map-panel").screenshot(path=str(folder / name))


def test_picker_switches_the_source_and_the_url_says_so(sources_server, page, tmp_path):
    pg = open_dashboard(page, sources_server.url + "/?to=2024-08-17")
    picker = pg.locator("#control-source")
    picker.get_by_text(f"{BUNDLED} (GPL-3.0)").wait_for()
    picker.get_by_text("Test raw (test-only)").wait_for()
    legend = pg.locator("#control-legend")
    legend.get_by_text(f"per {BUNDLED}, snapshot of 17 Aug 2024", exact=False).wait_for()
    pg.wait_for_function("() => location.search.includes('source=deepstatemap-via-cyterat-deepstate-map-data')")
    picker.get_by_text("Test raw (test-only)").click()
    legend.locator("[data-source='test-raw']").get_by_text(
        "per Test raw, snapshot of 30 Apr 2024, 109 days before the map's date", exact=False
    ).wait_for()
    pg.wait_for_function("() => new URLSearchParams(location.search).get('source') === 'test-raw'")
    pg.locator("#ledger caption").get_by_text("Held: Test raw (test-only)", exact=False).wait_for()
    _shot(pg, "sources-en.png", tmp_path)
    assert_clean(page)


def test_before_every_snapshot_the_page_says_what_is_loaded(sources_server, page, tmp_path):
    pg = open_dashboard(page, sources_server.url + "/?to=2022-06-01")
    coverage = (
        "Control data loaded: DeepStateMap via cyterat/deepstate-map-data, 9 Jul 2024 – 21 Aug 2026; "
        "Test raw, 29 Jan 2023 – 30 Apr 2024."
    )
    pg.locator("#control-legend").get_by_text(coverage, exact=False).wait_for()
    pg.locator("#ledger caption").get_by_text(coverage, exact=False).wait_for()
    _shot(pg, "sources-before-en.png", tmp_path)
    pg = open_dashboard(page, sources_server.url + "/?to=2024-06-01&source=test-raw&lang=uk")
    pg.locator("#control-legend [data-source='test-raw']").get_by_text(
        "знімок від 30 квіт. 2024, за 32 дні до дати карти", exact=False
    ).wait_for()
    pg.locator("#control-source").get_by_text("Test raw (test-only)").wait_for()
    _shot(pg, "sources-uk.png", tmp_path)
    assert_clean(page)
