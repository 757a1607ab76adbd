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
from dashboard.sources.paths import assets_dir
from dashboard.text import text_for
from dashboard.web import hosts
from dashboard.web.context import PageContext
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


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    if settings.today is None:
        settings = replace(settings, today=dt.date.today())
    data = load_dataset(settings.geodata_dir, settings.claims_paths, today=settings.today,
                        control_dir=settings.control_dir)
    text = text_for()
    app = Dash(
        __name__,
        title=text("app.title"),
        assets_folder=str(assets_dir()),
        # Everything, plotly.js included, is served from this server: no CDN.
        serve_locally=True,
        update_title=None,
    )
    # Flask reads FLASK_DEBUG when it is built: only Settings.debug (`serve --debug`) decides.
    app.server.debug = bool(settings.debug)
    exporter = Exporter(assets_dir() / "topojson")
    atexit.register(exporter.close)  # stop the export browser with the server
    page = PageContext(data=data, text=text, exporter=exporter, topojson_url=app.get_asset_url("topojson/"))
    app.layout = build_layout(page)
    for panel in PANELS:
        panel.register(app, page)
    refuse_unknown_hosts(app, hosts.allowed_names(settings.allowed_hosts))
    answer_bad_requests_cleanly(app)
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
