"""The app factory: data is loaded once here, then the panels are laid out and registered.

`create_app(settings)` builds a fresh Dash app and keeps no module-level state,
so tests can build several apps and gunicorn can point at
`dashboard.web:create_server()`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import html
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import flask
from dash import Dash
from dash.types import RendererHooks
from flask import Flask, Response
from plotly.io.json import to_json_plotly

from dashboard.render.export_job import EmbedAssets
from dashboard.render.exporter import Exporter
from dashboard.sources.dataset import load_dataset
from dashboard.sources.embed_assets import read_embed_assets
from dashboard.sources.paths import PARTIAL_BUNDLE_PATTERN, assets_dir, plotlyjs_bundle
from dashboard.text import text_for
from dashboard.web import after_map, hosts
from dashboard.web.caching import basemap_route, body_etag, cache_fingerprinted_assets, cache_layout
from dashboard.web.compression import enable_compression
from dashboard.web.context import PageContext, page_contexts
from dashboard.web.first_paint import add_preloads
from dashboard.web.guards import answer_bad_requests_cleanly, refuse_unknown_hosts
from dashboard.web.panels import PANELS
from dashboard.web.panels.filters import url_state
from dashboard.web.panels.language import request_lang
from dashboard.web.scripts import without_babel_polyfill
from dashboard.web.shell import build_layout, validation_layout


@dataclass(frozen=True)
class Settings:
    """What the app is built from; the CLI fills it from its options."""

    geodata_dir: Path | None = None
    #: Every claims file to load, the bundled one included when wanted (the CLI resolves
    #: `--claims`/`--no-bundled` into this list); None: the bundled file alone.
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
    #: Load the bundled control layer beside `control_dir` (`--no-bundled-control`: False).
    bundled_control: bool = True
    #: Compress responses for browsers that accept it (`serve --no-compress` turns it off).
    compress: bool = True
    #: The page's delivery without its first-paint work: Dash's full plotly.js instead of the partial
    #: bundle, no preloads, no layout or asset caching (also CONTESTED_MAP_BASELINE_PAGE=1 in the
    #: environment). Not a CLI option; compression is `compress`. The first-paint benchmark runs
    #: release 0.1.0 itself as its baseline; the bundle tests compare against this page.
    baseline_page: bool = False


#: CONTESTED_MAP_BASELINE_PAGE=1: serve the page's delivery without its first-paint work (Settings.baseline_page).
BASELINE_PAGE_ENV = "CONTESTED_MAP_BASELINE_PAGE"


#: Dash's renderer hooks (JavaScript, run in the page). Before the layout is asked for, the store's
#: dispatch drops the resets that would change nothing (assets/quiet_resets.js says why).
RENDERER_HOOKS = RendererHooks(
    layout_pre="function () { if (window.contestedQuietResets) { window.contestedQuietResets(window.store); } }"
)


class DashboardDash(Dash):
    """Dash with the page's `<html lang>` and `<title>` in the request's language (screen readers
    pick their voice from it; axe checks it)."""

    #: The page title in each language (set once by create_app).
    titles: Mapping[str, str] = MappingProxyType({})
    #: Leave Dash's @babel/polyfill out of the page (scripts.py; set once by create_app, False for
    #: the baseline page).
    without_polyfill: bool = False
    #: Each language's layout as sent (set once by create_app): encoded once, in UTF-8 as is. Dash's
    #: encoder writes every Cyrillic letter as a 6-byte \uXXXX escape (the Ukrainian layout 40% larger).
    layout_json: Mapping[str, bytes] = MappingProxyType({})
    #: (language, the page's query) -> the layout laid out for that URL's state, encoded (set once by
    #: create_app; a bounded cache). assets/dashboard.js asks for the layout with the page's query.
    layout_for_query: Callable[[str, str], bytes] | None = None

    def serve_layout(self):
        """The layout for the request's language and the page's URL state (the query the layout is
        asked for with), with an ETag of its bytes and `no-cache` (a reload gets a 304, as caching.py
        does for a fixed layout); it varies with Accept-Language when no `lang=`."""
        lang = request_lang()
        query = _page_query()
        if query and self.layout_for_query is not None:
            body = self.layout_for_query(lang, query)
        else:
            body = self.layout_json.get(lang)
        if body is None:
            return super().serve_layout()
        response = Response(body, mimetype="application/json")
        response.set_etag(body_etag(body))
        response.headers["Cache-Control"] = "no-cache"
        response.vary.add("Accept-Language")
        return response.make_conditional(flask.request)

    def interpolate_index(self, **kwargs) -> str:
        lang = request_lang()
        kwargs["title"] = self.titles.get(lang, kwargs.get("title", ""))
        if self.without_polyfill and "scripts" in kwargs:
            kwargs["scripts"] = without_babel_polyfill(kwargs["scripts"])
        index = super().interpolate_index(**kwargs)
        query = _page_query()
        if (
            query
            and self.layout_for_query is not None
            and self.layout_for_query(lang, query) != self.layout_json.get(lang)
        ):
            # The page fetches the layout this link names (dashboard.js): the URL's state's. A query that
            # asks for the default state keeps the plain URL, so a reload revalidates it (304).
            layout_url = f"{self.config.requests_pathname_prefix}_dash-layout"
            index = index.replace(f'href="{layout_url}"', f'href="{layout_url}?{html.escape(query)}"', 1)
        return index.replace("<html>", f'<html lang="{lang}">', 1)


#: Layouts laid out for a URL's state kept ready (each about 300 KB; the default state's are kept apart).
LAYOUTS_KEPT = 32
#: A longer query is not looked at (parse_query refuses it with a notice anyway).
MAX_QUERY_BYTES = 8192


def _page_query() -> str:
    """The current request's query string as sent (percent-encoded, as the page's location.search
    has it): the page's own on `/`, the page's forwarded on `/_dash-layout`. "" outside a request."""
    if not flask.has_request_context():
        return ""
    raw = flask.request.query_string[:MAX_QUERY_BYTES]
    return raw.decode("ascii", "replace")


def _layouts_for_queries(
    contexts: Mapping[str, PageContext], defaults: Mapping[str, bytes]
) -> Callable[[str, str], bytes]:
    """(language, query) -> that URL's layout, encoded: the language's default one when the query
    asks for the default state (the URL the page writes after loading), else laid out for it; the
    LAYOUTS_KEPT last asked for are kept."""

    @functools.lru_cache(maxsize=LAYOUTS_KEPT)
    def layout_for_query(lang: str, query: str) -> bytes:
        page = contexts.get(lang) or next(iter(contexts.values()))
        state, notices = url_state(page, "?" + query)
        if not notices and (state, ()) == _default_state(page) and lang in defaults:
            return defaults[lang]
        return _utf8_json(build_layout(page.with_state(state, tuple(notices))))

    return layout_for_query


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    if settings.today is None:
        settings = replace(settings, today=dt.date.today())
    data = load_dataset(
        settings.geodata_dir,
        settings.claims_paths,
        today=settings.today,
        control_dir=settings.control_dir,
        bundled_control=settings.bundled_control,
    )
    text = text_for()
    baseline = settings.baseline_page or os.environ.get(BASELINE_PAGE_ENV, "").strip() == "1"
    app = DashboardDash(
        __name__,
        title=text("app.title"),
        assets_folder=str(assets_dir()),
        # Everything, plotly.js included, is served from this server: no CDN.
        serve_locally=True,
        update_title=None,
        hooks=RENDERER_HOOKS,
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
    contexts = page_contexts(
        data, exporter, topojson_url, embed_assets=EmbedAssets(*read_embed_assets(assets_dir()))
    )  # HTML map export
    app.titles = MappingProxyType({lang: context.text("app.title") for lang, context in contexts.items()})
    app.without_polyfill = not baseline
    # Laid out once per language at start-up for the default state (a URL without a query); a URL
    # with one gets its language's layout for its state (the page's first paint shows the URL's state
    # and no start-up callback has to change it).
    layouts = {lang: build_layout(context.with_state(*_default_state(context))) for lang, context in contexts.items()}

    page = contexts[text.lang]
    app.validation_layout = validation_layout(layouts[text.lang])
    app.layout_json = MappingProxyType({lang: _utf8_json(layout) for lang, layout in layouts.items()})
    app.layout_for_query = _layouts_for_queries(contexts, app.layout_json)
    app.layout = lambda: layouts.get(request_lang(), layouts[text.lang])
    if not baseline:
        add_preloads(app, layouts[text.lang], topojson_url)  # first_paint.py
        cache_layout(app)
    for panel in PANELS:
        panel.register(app, page)
    after_map.register(app)
    refuse_unknown_hosts(app, hosts.allowed_names(settings.allowed_hosts))
    answer_bad_requests_cleanly(app)
    if not baseline:
        cache_fingerprinted_assets(app)
    if settings.compress:
        # last: it runs after every other hook
        enable_compression(app, basemap_prefix=topojson_url, precompress=app.layout_json.values())
    return app


def _default_state(page: PageContext):
    state, notices = url_state(page, "")
    return state, tuple(notices)


def _utf8_json(layout) -> bytes:
    """The layout as sent: encoded in UTF-8 as is, the panels under the first screen held until the map draws."""
    sent = after_map.deferred(json.loads(to_json_plotly(layout)))
    return json.dumps(sent, ensure_ascii=False, separators=(",", ":")).encode()


def create_server(settings: Settings | None = None) -> Flask:
    """WSGI entry for gunicorn: `gunicorn 'dashboard.web:create_server()'`.

    Without settings, the host names it answers besides the loopback ones come
    from CONTESTED_MAP_ALLOWED_HOSTS (comma-separated), e.g. the public name a
    reverse proxy forwards in `Host`.
    """
    if settings is None:
        settings = Settings(allowed_hosts=hosts.names_from_env(os.environ.get(hosts.ALLOWED_HOSTS_ENV)))
    return create_app(settings).server
