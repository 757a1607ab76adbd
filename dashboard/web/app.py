"""The app factory: data is loaded once here, then the panels are laid out and registered.

`create_app(settings)` builds a fresh Dash app and keeps no module-level state,
so tests can build several apps and gunicorn can point at
`dashboard.web:create_server()`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from dash import Dash
from flask import Flask
from plotly.io.json import to_json_plotly

from dashboard.render.exporter import Exporter
from dashboard.sources.dataset import load_dataset
from dashboard.sources.paths import assets_dir
from dashboard.text import text_for
from dashboard.web import hosts
from dashboard.web.context import page_contexts
from dashboard.web.guards import answer_bad_requests_cleanly, refuse_unknown_hosts
from dashboard.web.panels import PANELS
from dashboard.web.panels.language import request_lang
from dashboard.web.shell import build_layout, validation_layout


@dataclass(frozen=True)
class Settings:
    """What the app is built from; the CLI fills it from its options."""

    geodata_dir: Path | None = None
    claims_paths: Sequence[Path] | None = None  # None: the bundled claims
    debug: bool = False
    #: The page's date axis runs on to this day (default: the day the app starts),
    #: so days after the last record can be chosen.
    today: dt.date | None = None
    # Host names answered besides the loopback ones (DNS rebinding guard): `serve --allowed-host`,
    # the bind address, or CONTESTED_MAP_ALLOWED_HOSTS under gunicorn.
    allowed_hosts: Sequence[str] = ()
    #: A control cache made by `contested-map control import` (None: the bundled layer).
    control_dir: Path | None = None


class DashboardDash(Dash):
    """Dash with the page's `<html lang>` and `<title>` in the request's language (screen readers
    pick their voice from it; axe checks it)."""

    #: The page title in each language (set once by create_app).
    titles: Mapping[str, str] = MappingProxyType({})
    #: Each language's layout as sent (set once by create_app): encoded once, in UTF-8 as is. Dash's
    #: encoder writes every Cyrillic letter as a 6-byte \uXXXX escape (the Ukrainian layout 40% larger).
    layout_json: Mapping[str, bytes] = MappingProxyType({})

    def serve_layout(self):
        body = self.layout_json.get(request_lang())
        if body is None:
            return super().serve_layout()
        return self.backend.make_response(body, mimetype="application/json")

    def interpolate_index(self, **kwargs) -> str:
        lang = request_lang()
        kwargs["title"] = self.titles.get(lang, kwargs.get("title", ""))
        index = super().interpolate_index(**kwargs)
        return index.replace("<html>", f'<html lang="{lang}">', 1)


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    if settings.today is None:
        settings = replace(settings, today=dt.date.today())
    data = load_dataset(settings.geodata_dir, settings.claims_paths, today=settings.today,
                        control_dir=settings.control_dir)
    text = text_for()
    app = DashboardDash(
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
    contexts = page_contexts(data, exporter, app.get_asset_url("topojson/"))
    app.titles = MappingProxyType({lang: context.text("app.title") for lang, context in contexts.items()})
    # Laid out once per language at start-up; each page load gets its language's (issue 15).
    layouts = {lang: build_layout(context) for lang, context in contexts.items()}
    page = contexts[text.lang]
    app.validation_layout = validation_layout(layouts[text.lang])
    app.layout_json = MappingProxyType({lang: _utf8_json(layout) for lang, layout in layouts.items()})
    app.layout = lambda: layouts.get(request_lang(), layouts[text.lang])
    for panel in PANELS:
        panel.register(app, page)
    refuse_unknown_hosts(app, hosts.allowed_names(settings.allowed_hosts))
    answer_bad_requests_cleanly(app)
    return app


def _utf8_json(layout) -> bytes:
    return json.dumps(json.loads(to_json_plotly(layout)), ensure_ascii=False, separators=(",", ":")).encode()


def create_server(settings: Settings | None = None) -> Flask:
    """WSGI entry for gunicorn: `gunicorn 'dashboard.web:create_server()'`.

    Without settings, the host names it answers besides the loopback ones come
    from CONTESTED_MAP_ALLOWED_HOSTS (comma-separated), e.g. the public name a
    reverse proxy forwards in `Host`.
    """
    if settings is None:
        settings = Settings(allowed_hosts=hosts.names_from_env(os.environ.get(hosts.ALLOWED_HOSTS_ENV)))
    return create_app(settings).server
