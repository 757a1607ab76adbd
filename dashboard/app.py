"""The app factory: data is loaded once here, then layout and callbacks are registered.

`create_app(settings)` builds a fresh Dash app and keeps no module-level state,
so tests can build several apps and gunicorn can point at
`dashboard.app:create_server()`.
"""

from __future__ import annotations

import atexit
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from dash import Dash
from flask import Flask, request
from werkzeug.exceptions import HTTPException

from dashboard import callbacks, layout
from dashboard.claims import PARTIES, load_claims
from dashboard.export import Exporter
from dashboard.layers import RegionLayers, load_layers
from dashboard.paths import assets_dir
from dashboard.state import QueryContext
from dashboard.status import STATUS_LABELS, RegionStatus, StatusTimeline, status_timeline
from dashboard.timeline import DateAxis

TITLE = "Contested Regions Dashboard"


@dataclass(frozen=True)
class Settings:
    """What the app is built from; the CLI fills it from its options."""

    geodata_dir: Path | None = None
    claims_paths: Sequence[Path] | None = None  # None: the bundled claims
    debug: bool = False
    #: The page's date axis runs on to this day (default: the day the app starts),
    #: so days after the last record can be chosen. The CLI leaves it None.
    today: dt.date | None = None


@dataclass(frozen=True)
class AppData:
    """Everything callbacks may read: prepared once at start-up, never mutated."""

    layers: RegionLayers
    claims: pd.DataFrame
    axis: DateAxis
    timeline: StatusTimeline
    status_labels: dict[str, str] = field(default_factory=dict)

    @property
    def query_context(self) -> QueryContext:
        return QueryContext(self.axis.first_day, self.axis.last_day, self.layers.lookup, tuple(PARTIES),
                            default_to=self.axis.records_end)

    def region_name(self, code: str) -> str:
        return self.layers.names_en.get(code, code)

    def status_at(self, when: dt.date) -> dict[str, RegionStatus]:
        return self.timeline.at(when)


def load_app_data(settings: Settings) -> AppData:
    layers = load_layers(settings.geodata_dir)
    claims = load_claims(settings.claims_paths)
    return AppData(
        layers=layers,
        claims=claims,
        axis=DateAxis.for_claims(claims, today=settings.today),
        timeline=status_timeline(claims),
        status_labels={status.value: label for status, label in STATUS_LABELS.items()},
    )


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    if settings.today is None:
        settings = replace(settings, today=dt.date.today())
    data = load_app_data(settings)
    app = Dash(
        __name__,
        title=TITLE,
        assets_folder=str(assets_dir()),
        # Everything, plotly.js included, is served from this server: no CDN.
        serve_locally=True,
        update_title=None,
    )
    exporter = Exporter()
    atexit.register(exporter.close)  # stop the export browser with the server
    app.layout = layout.build_layout(app, data)
    callbacks.register(app, data, exporter)
    _answer_bad_requests_cleanly(app)
    return app


def _answer_bad_requests_cleanly(app: Dash) -> None:
    """Bad requests get a clean 4xx, never a 500 or a traceback (issue 7).

    - A malformed callback request (unknown output, wrong shape) is the
      client's error: 400 with a short JSON body instead of Flask's 500.
    - A request for a file Dash does not serve (`/_dash-component-suites/`
      with an unregistered package or path, `../` included) is a 404; Dash
      itself raises DependencyException, a 500.
    - Request bodies are capped (413): the largest real callback request,
      the statements' buttons, is a few kilobytes per hundred records.
    - Responses say `nosniff` and send no Referer to the news sites that
      source links open, so the filter state in the URL stays local.
    """
    from dash.exceptions import DependencyException

    server = app.server
    if server.config.get("MAX_CONTENT_LENGTH") is None:
        server.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024

    @server.errorhandler(Exception)
    def _bad_request(error: Exception):
        if isinstance(error, HTTPException):
            return error
        if isinstance(error, DependencyException):
            return {"error": "not found"}, 404
        server.logger.exception("request failed: %s %s", request.method, request.path)
        if request.path.endswith("/_dash-update-component"):
            return {"error": "invalid callback request"}, 400
        return {"error": "internal error"}, 500

    @server.after_request
    def _safe_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def create_server(settings: Settings | None = None) -> Flask:
    """WSGI entry for gunicorn: `gunicorn 'dashboard.app:create_server()'`."""
    return create_app(settings).server
