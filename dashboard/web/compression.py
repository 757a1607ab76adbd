"""Compressed responses: `serve` compresses by default, `--no-compress` turns it off.

flask-compress does the work, set up here rather than with `Dash(compress=True)`,
which sets its algorithm list after flask-compress has read it and so never
limits anything:

- Brotli for browsers that accept it (Chromium does, over plain HTTP to
  127.0.0.1 too), else gzip. Brotli quality 5: a third of the bytes of the
  plotly.js bundle for 45 ms of one core; quality 10 and up take over a second.
- Files whose URL holds a fingerprint (Dash's component suites, assets with
  `?m=`, the basemap under its digest) never change at that URL, so each is
  compressed once per algorithm and kept in memory (`_FingerprintCache`,
  keyed on the file and its fingerprint alone, whatever else the query holds, and
  bounded in bytes: CACHE_BYTES). Everything else, the layout and the callbacks'
  answers, is compressed per response.
- An asset with a Brotli file beside it (`plotly-partial.min.js.br`, made at
  the highest quality by tools/plotly_bundle/build.py: 395 KB against 443 KB
  at quality 5) is sent as that file to browsers that accept Brotli.
- Other files sent from disk (assets) are read into memory first: flask-compress
  would otherwise stream them, with no gzip and no cache. They are small.
- Below 500 bytes compression is left out (flask-compress's threshold).
- The layouts laid out at start-up (`precompress`) are compressed once more at Brotli's highest
  quality (49 KB against 69 KB at quality 5, about 0.4 s of one core each), in a background
  thread started by the first request for each; once ready, `/_dash-layout` answers with those
  bytes to browsers that accept Brotli. Until then, and for every other layout, quality 5 per
  response as above.

Compression runs after the Host check and the error handlers (guards.py): a
refused or failed request is answered exactly as before, only maybe compressed.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from dash import Dash
from flask import Request, request

from dashboard.web.caching import body_etag

__all__ = ["enable_compression"]

BROTLI_QUALITY = 5
#: For bodies compressed once, in the background (the layouts laid out at start-up).
BROTLI_QUALITY_ONCE = 11
#: At most this many bytes of compressed files are kept (the page's files take about 1.5 MB
#: per algorithm); past it the least recently used go. A file bigger than a quarter of it is
#: compressed per response instead of kept.
CACHE_BYTES = 16 * 1024 * 1024


class _FingerprintCache:
    """flask-compress's cache backend, keeping only keys that name a fingerprinted URL, bounded
    in bytes (least recently used first out), whatever URLs clients make up."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        if not _cacheable(key):
            return None
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if not _cacheable(key) or len(value) > self._limit // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            self._entries[key] = value
            self._bytes += len(value)
            while self._bytes > self._limit:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    @property
    def size(self) -> tuple[int, int]:
        """(entries, bytes) held."""
        with self._lock:
            return len(self._entries), self._bytes


class _CompressedOnce:
    """Bodies compressed at BROTLI_QUALITY_ONCE, found by their ETag (caching.body_etag, which the
    layout's answer already carries). Each is compressed in a daemon thread the first time it is
    asked for (a server nobody opens spends nothing on it)."""

    def __init__(self, bodies: Iterable[bytes]) -> None:
        self._bodies = {body_etag(body): body for body in bodies}
        self._done: dict[str, bytes] = {}
        self._started: set[str] = set()
        self._lock = threading.Lock()

    def _compress(self, etag: str) -> None:
        import brotli  # flask-compress's own dependency

        self._done[etag] = brotli.compress(self._bodies[etag], quality=BROTLI_QUALITY_ONCE)

    def get(self, etag: str | None) -> bytes | None:
        """The body with this ETag compressed once, or None while it is not ready (its compression
        then starts) or when it is not one of the bodies."""
        if etag is None or etag not in self._bodies:
            return None
        done = self._done.get(etag)
        if done is None:
            with self._lock:
                start = etag not in self._started
                self._started.add(etag)
            if start:
                threading.Thread(target=self._compress, args=(etag,), name="compress-once", daemon=True).start()
        return done


def _cacheable(key: str) -> bool:
    # flask-compress builds keys as "<algorithm>;<our key>"; ours is empty when not cacheable.
    return not key.endswith(";")


def _is_fingerprinted(req: Request, assets_prefix: str, suites_prefix: str, basemap_prefix: str) -> bool:
    path = req.path
    if path.startswith(suites_prefix):
        name = path.rsplit("/", 1)[-1].split(".")
        return len(name) > 2 and name[1].startswith("v")  # dash's fingerprint.check_fingerprint shape
    if path.startswith(assets_prefix):
        return bool(req.args.get("m"))
    return path.startswith(basemap_prefix)


def enable_compression(app: Dash, basemap_prefix: str, precompress: Iterable[bytes] = ()) -> None:
    """Compress responses for browsers that accept it; call after every other after_request hook
    that changes a response's body or headers is registered (it runs last). `precompress`: layout
    bodies to compress once at the highest quality, in the background."""
    from flask_compress import Compress

    server = app.server
    prefix = app.config.routes_pathname_prefix
    assets_prefix = prefix + app.config.assets_url_path.strip("/") + "/"
    suites_prefix = prefix + "_dash-component-suites/"

    def cache_key(req: Request) -> str:
        # The file and its fingerprint only: any other query a client adds names the same bytes.
        if req.method == "GET" and _is_fingerprinted(req, assets_prefix, suites_prefix, basemap_prefix):
            fingerprint = req.args.get("m", "") if req.path.startswith(assets_prefix) else ""
            return f"{req.path}?m={fingerprint[:40]}"
        return ""

    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=BROTLI_QUALITY,
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=500,
        COMPRESS_CACHE_BACKEND=_FingerprintCache,
        COMPRESS_CACHE_KEY=cache_key,
        # 304 when If-None-Match names the compressed body's ETag ("<etag>:br"): a reload revalidates.
        COMPRESS_EVALUATE_CONDITIONAL_REQUEST=True,
    )
    # Kept where tests and diagnostics find it (flask-compress registers no extension of its own).
    server.extensions["compress"] = Compress(server)

    assets_folder = Path(app.config.assets_folder).resolve()
    compressible = frozenset(server.config["COMPRESS_MIMETYPES"])  # images and the like stay streamed

    layout_path = prefix + "_dash-layout"
    once = _CompressedOnce(precompress)

    # Registered after Compress, so Flask runs it before: a layout compressed once goes out as such
    # (flask-compress leaves an encoded body alone), with the ETag flask-compress would give it.
    @server.after_request
    def _send_compressed_once(response):
        if not (
            request.path == layout_path
            and request.method == "GET"
            and response.status_code == 200
            and not response.direct_passthrough
            and _accepts_brotli(request.headers.get("Accept-Encoding", ""))
        ):
            return response
        etag, weak = response.get_etag()
        compressed = once.get(etag)
        if compressed is None:
            return response
        response.set_data(compressed)
        response.headers["Content-Encoding"] = "br"
        response.vary.add("Accept-Encoding")
        response.set_etag(f"{etag}:br", weak=weak)
        return response.make_conditional(request)

    # Registered after Compress, so Flask runs it before: files from disk become plain bodies,
    # or their Brotli file where there is one (flask-compress leaves an encoded body alone).
    @server.after_request
    def _read_files(response):
        if not (
            response.direct_passthrough
            and request.method == "GET"
            and response.status_code == 200
            and "Accept-Encoding" in request.headers
            and response.mimetype in compressible
        ):
            return response
        response.direct_passthrough = False
        brotli_file = (
            _brotli_sibling(assets_folder, request.path[len(assets_prefix) :])
            if request.path.startswith(assets_prefix) and _accepts_brotli(request.headers["Accept-Encoding"])
            else None
        )
        if brotli_file is None:
            response.get_data()  # buffers the file; the response is no longer streamed
            return response
        response.set_data(_read(brotli_file, brotli_file.stat().st_mtime_ns))
        response.headers["Content-Encoding"] = "br"
        response.headers["Vary"] = "Accept-Encoding"
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:br", weak=weak)
        return response.make_conditional(request)


def _accepts_brotli(accept_encoding: str) -> bool:
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() == "br":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _brotli_sibling(folder: Path, relative: str) -> Path | None:
    """`<asset>.br` inside the assets folder, if there is one (never outside it)."""
    candidate = (folder / relative).resolve().with_name(Path(relative).name + ".br")
    return candidate if candidate.is_relative_to(folder) and candidate.is_file() else None


@functools.lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> bytes:
    """The Brotli file's bytes, read once per version of it (`mtime_ns` is part of the key)."""
    return path.read_bytes()
