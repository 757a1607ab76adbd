"""The layouts laid out at start-up go out compressed once at Brotli's highest quality, once ready
(dashboard/web/compression.py): the same JSON, fewer bytes, and a reload still gets a 304."""

from __future__ import annotations

import json
import threading
import time

import brotli
import pytest

from dashboard.web.compression import BROTLI_QUALITY, BROTLI_QUALITY_ONCE


@pytest.fixture(scope="module")
def client(bundled_app):
    return bundled_app.server.test_client()


def _layout(client, **headers):
    return client.get("/_dash-layout", headers={"Accept-Encoding": "br", **headers})


def _compressed_once(client, timeout: float = 30):
    """The layout's answer once the background compression is ready (the first ask starts it)."""
    deadline = time.monotonic() + timeout
    while True:
        response = _layout(client)
        if len(response.data) < len(brotli.compress(brotli.decompress(response.data), quality=BROTLI_QUALITY)):
            return response
        assert time.monotonic() < deadline, "the layout was never sent compressed once"
        threading.Event().wait(0.1)


def test_the_layout_goes_out_smaller_and_the_same(client, bundled_app):
    response = _compressed_once(client)
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    body = brotli.decompress(response.data)
    assert body == bundled_app.layout_json["en"]
    json.loads(body)  # whole JSON
    assert len(response.data) == len(brotli.compress(body, quality=BROTLI_QUALITY_ONCE))


def test_a_reload_gets_a_304(client):
    etag = _compressed_once(client).headers["ETag"]
    assert etag.endswith(':br"')
    again = _layout(client, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_without_brotli_the_layout_is_not_sent_as_brotli(client, bundled_app):
    _compressed_once(client)
    plain = client.get("/_dash-layout", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.data == bundled_app.layout_json["en"]
    gzipped = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"


def test_a_layout_for_another_state_is_compressed_per_response(client):
    response = client.get("/_dash-layout?from=2014-01-01&to=2014-12-31", headers={"Accept-Encoding": "br"})
    body = brotli.decompress(response.data)
    assert len(response.data) == len(brotli.compress(body, quality=BROTLI_QUALITY))
