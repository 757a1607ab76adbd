"""The app factory: data is loaded once here, then the panels are laid out and registered.

`create_app(settings)` builds a fresh Dash app and keeps no module-level state,
so tests can build several apps and gunicorn can point at
`dashboard.web:create_server()`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dash import Dash
from flask import Flask

from dashboard.render.exporter import Exporter
from dashboard.sources.dataset import load_dataset
from dashboard.sources.paths import PARTIAL_BUNDLE_PATTERN, assets_dir, plotlyjs_bundle
from dashboard.text import text_for
from dashboard.web import hosts
from dashboard.web.caching import basemap_route, cache_fingerprinted_assets, cache_layout
from dashboard.web.compression import enable_compression
from dashboard.web.context import PageContext
from dashboard.web.first_paint import add_preloads
from dashboard.web.guards import answer_bad_requests_cleanly, refuse_unknown_hosts
from dashboard.web.panels import PANELS
from dashboard.web.shell import build_layout


@dataclass(frozen=True)
class Settings:
    """What the app is built from; the CLI fills it from its options."""

    geodata_dir: Path | None = None
    #: Every claims file to load, the bundled one included when wanted (the CLI resolves
    #: `--claims`/`--no-bundled` into this list, issue 14); None: the bundled file alone.
    claims_paths: Sequence[Path] | None = None
    debug: bool = False
    #: The page's date axis runs on to this day (default: the day the app starts),
    #: so days after the last record can be chosen.
    today: dt.date | None = None
    # Host names answered besides the loopback ones (DNS rebinding guard): `serve --allowed-host`,
    # the bind address, or CONTESTED_MAP_ALLOWED_HOSTS under gunicorn.
    allowed_hosts: Sequence[str] = ()
    #: A control cache made by `contested-map control import` (None: the bundled layer).
    control_dir: Path | None = None
    #: Compress responses for browsers that accept it (`serve --no-compress` turns it off).
    compress: bool = True
    #: The page as it was before issue 16, the first-paint benchmark's baseline: Dash's full
    #: plotly.js instead of the partial bundle, no preloads, no layout or asset caching (also
    #: CONTESTED_MAP_BASELINE_PAGE=1 in the environment). Not a CLI option; compression is `compress`.
    baseline_page: bool = False


#: CONTESTED_MAP_BASELINE_PAGE=1: serve the page as before issue 16 (python -m benchmarks.first_paint).
BASELINE_PAGE_ENV = "CONTESTED_MAP_BASELINE_PAGE"


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    if settings.today is None:
        settings = replace(settings, today=dt.date.today())
    data = load_dataset(settings.geodata_dir, settings.claims_paths, today=settings.today,
                        control_dir=settings.control_dir)
    text = text_for()
    baseline = settings.baseline_page or os.environ.get(BASELINE_PAGE_ENV, "").strip() == "1"
    app = Dash(
        __name__,
        title=text("app.title"),
        assets_folder=str(assets_dir()),
        # Everything, plotly.js included, is served from this server: no CDN.
        serve_locally=True,
        update_title=None,
        # dcc.Graph uses the window.Plotly that assets/plotly's partial bundle defines and never
        # fetches its own full bundle; left out, the page falls back to the full one.
        assets_ignore=PARTIAL_BUNDLE_PATTERN if baseline else "",
    )
    # Flask reads FLASK_DEBUG when it is built: only Settings.debug (`serve --debug`) decides.
    app.server.debug = bool(settings.debug)
    exporter = Exporter(assets_dir() / "topojson", plotlyjs=plotlyjs_bundle())
    atexit.register(exporter.close)  # stop the export browser with the server
    # The basemap under a digest of its bytes, cached for a year (caching.py).
    topojson_url = app.get_asset_url("topojson/") if baseline else basemap_route(app, assets_dir() / "topojson")
    page = PageContext(data=data, text=text, exporter=exporter, topojson_url=topojson_url)
    app.layout = build_layout(page)
    if not baseline:
        add_preloads(app, app.layout, topojson_url)  # first_paint.py
        cache_layout(app)
    for panel in PANELS:
        panel.register(app, page)
    refuse_unknown_hosts(app, hosts.allowed_names(settings.allowed_hosts))
    answer_bad_requests_cleanly(app)
    if not baseline:
        cache_fingerprinted_assets(app)
    if settings.compress:
        enable_compression(app, basemap_prefix=topojson_url)  # last: it runs after every other hook
    return app


def create_server(settings: Settings | None = None) -> Flask:
    """WSGI entry for gunicorn: `gunicorn 'dashboard.web:create_server()'`.

    Without settings, the host names it answers besides the loopback ones come
    from CONTESTED_MAP_ALLOWED_HOSTS (comma-separated), e.g. the public name a
    reverse proxy forwards in `Host`.
    """
    if settings is None:
        settings = Settings(allowed_hosts=hosts.names_from_env(os.environ.get(hosts.ALLOWED_HOSTS_ENV)))
    return create_app(settings).server
