"""How long the browser may keep what the page loads (issue 16, item 3).

A reload should move only the page's layout and its callbacks' data. So every
file whose URL changes when its content changes is sent as immutable for a year:

- Dash's component suites carry a version fingerprint in the file name
  (`dash_core_components.v4_4_1m1795681790.js`); Dash marks them itself.
- Files in assets/ (dashboard.js, style.css, the plotly.js bundle) are linked
  with Dash's `?m=<mtime>` query; a request that carries it gets a year here.
  The same file asked for without `?m=` keeps Werkzeug's revalidation.
- The basemap topojson is fetched by plotly.js from `topojsonURL + name + ".json"`,
  which leaves no room for a query, so it is served from a path that holds a digest
  of the files' bytes (`/_basemap/<digest>/europe_110m.json`); another digest is a 404.

What is left revalidates (304): dcc's lazily loaded chunks (`async-graph.js`,
`async-slider.js`, `async-dropdown.js`) have no fingerprint in this Dash (its
webpack 4 hook for one never runs under webpack 5), and a year on a URL that
outlives a Dash upgrade would pair old chunks with a new bundle.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dash import Dash
from flask import request, send_from_directory
from werkzeug.exceptions import NotFound

__all__ = ["IMMUTABLE", "basemap_route", "cache_fingerprinted_assets"]

#: For URLs whose content never changes (they change instead).
IMMUTABLE = "public, max-age=31536000, immutable"
#: Dash's cache-busting query on asset URLs (`/assets/style.css?m=1795681756.43`).
ASSET_FINGERPRINT = "m"
BASEMAP_PATH = "_basemap"


def cache_fingerprinted_assets(app: Dash) -> None:
    """Assets asked for with Dash's fingerprint query are immutable for a year."""
    prefix = app.config.routes_pathname_prefix + app.config.assets_url_path.strip("/") + "/"

    @app.server.after_request
    def _long_lived(response):
        if (request.method in ("GET", "HEAD") and response.status_code == 200
                and request.path.startswith(prefix) and request.args.get(ASSET_FINGERPRINT)):
            response.headers["Cache-Control"] = IMMUTABLE
        return response


def _digest(folder: Path) -> str:
    """A digest of every topojson file's name and bytes: it changes whenever one does."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def basemap_route(app: Dash, folder: Path) -> str:
    """Serve the topojson files of `folder` under a digest of their bytes, immutable for a year;
    return the URL prefix for dcc.Graph's `topojsonURL`."""
    digest = _digest(folder)
    names = frozenset(path.name for path in folder.glob("*.json"))

    def serve(fingerprint: str, name: str):
        if fingerprint != digest or name not in names:
            raise NotFound()
        response = send_from_directory(folder, name, max_age=None)
        response.headers["Cache-Control"] = IMMUTABLE
        return response

    app.server.add_url_rule(f"{app.config.routes_pathname_prefix}{BASEMAP_PATH}/<fingerprint>/<name>",
                            endpoint="contested_basemap", view_func=serve, methods=["GET"])
    return f"{app.config.requests_pathname_prefix}{BASEMAP_PATH}/{digest}/"
