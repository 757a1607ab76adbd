"""How long the browser may keep what the page loads.

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

The layout (`/_dash-layout`) is the same for every visitor of one server (the
state is in the URL, and callbacks fill it in): it is serialised once, sent with
an ETag of its bytes and `no-cache`, so a reload gets a 304 instead of 224 KB.
A layout that is a function (built per request) is left to Dash. The callback
list (`/_dash-dependencies`) is treated the same way.

What is left revalidates (304): dcc's lazily loaded chunks (`async-graph.js`,
`async-slider.js`, `async-dropdown.js`) have no fingerprint in this Dash (its
webpack 4 hook for one never runs under webpack 5), and a year on a URL that
outlives a Dash upgrade would pair old chunks with a new bundle.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import dash
from dash import Dash
from flask import Response, request, send_from_directory
from werkzeug.exceptions import NotFound

__all__ = ["IMMUTABLE", "basemap_route", "body_etag", "cache_fingerprinted_assets", "cache_layout"]

#: For URLs whose content never changes (they change instead).
IMMUTABLE = "public, max-age=31536000, immutable"
#: Dash's cache-busting query on asset URLs (`/assets/style.css?m=1795681756.43`).
ASSET_FINGERPRINT = "m"
BASEMAP_PATH = "_basemap"


def cache_fingerprinted_assets(app: Dash) -> None:
    """Assets asked for with Dash's fingerprint query are immutable for a year, and so is
    Dash's own favicon at `/_favicon.ico?v=<Dash's version>` (an assets/favicon.ico would
    be linked with `?m=` instead)."""
    prefix = app.config.routes_pathname_prefix + app.config.assets_url_path.strip("/") + "/"
    favicon = app.config.routes_pathname_prefix + "_favicon.ico"

    @app.server.after_request
    def _long_lived(response):
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if (request.path.startswith(prefix) and request.args.get(ASSET_FINGERPRINT)) or (
            request.path == favicon and request.args.get("v") == dash.__version__
        ):
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

    app.server.add_url_rule(
        f"{app.config.routes_pathname_prefix}{BASEMAP_PATH}/<fingerprint>/<name>",
        endpoint="contested_basemap",
        view_func=serve,
        methods=["GET"],
    )
    return f"{app.config.requests_pathname_prefix}{BASEMAP_PATH}/{digest}/"


def body_etag(body: bytes) -> str:
    """The ETag of a layout or callback list: a digest of its bytes."""
    return hashlib.sha256(body).hexdigest()[:32]


def cache_layout(app: Dash) -> None:
    """Serialise the fixed layout and the callback list once; answer `/_dash-layout` and
    `/_dash-dependencies` with them, their ETag and `no-cache` (a reload gets 304s)."""
    prefix = app.config.routes_pathname_prefix
    _serve_once(app, prefix + "_dash-layout", fixed=lambda: not callable(app.layout))
    # The callback list is complete once Dash has set itself up, before the first answer.
    _serve_once(app, prefix + "_dash-dependencies", fixed=lambda: True)


def _serve_once(app: Dash, endpoint: str, fixed) -> None:
    serve_dash = app.server.view_functions[endpoint]
    lock = threading.Lock()
    made: list[tuple[bytes, str]] = []  # the body and its ETag, once made

    def serve():
        if not fixed():
            return serve_dash()
        with lock:
            if not made:
                body = serve_dash().get_data()
                made.append((body, body_etag(body)))
        body, etag = made[0]
        response = Response(body, mimetype="application/json")
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)

    app.server.view_functions[endpoint] = serve
