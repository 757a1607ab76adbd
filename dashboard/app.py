"""The app factory: data is loaded once here, then layout and callbacks are registered.

`create_app(settings)` builds a fresh Dash app and keeps no module-level state,
so tests can build several apps and gunicorn can point at
`dashboard.app:create_server()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dash import Dash
from flask import Flask

from dashboard import layout
from dashboard.layers import RegionLayers, load_layers
from dashboard.paths import assets_dir

TITLE = "Contested Regions Dashboard"


@dataclass(frozen=True)
class Settings:
    """What the app is built from; the CLI fills it from its options."""

    geodata_dir: Path | None = None
    debug: bool = False


@dataclass(frozen=True)
class AppData:
    """Everything callbacks may read: prepared once at start-up, never mutated."""

    layers: RegionLayers


def load_app_data(settings: Settings) -> AppData:
    return AppData(layers=load_layers(settings.geodata_dir))


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    data = load_app_data(settings)
    app = Dash(
        __name__,
        title=TITLE,
        assets_folder=str(assets_dir()),
        # Everything, plotly.js included, is served from this server: no CDN.
        serve_locally=True,
        update_title=None,
    )
    app.layout = layout.build_layout(app, data)
    return app


def create_server(settings: Settings | None = None) -> Flask:
    """WSGI entry for gunicorn: `gunicorn 'dashboard.app:create_server()'`."""
    return create_app(settings).server
