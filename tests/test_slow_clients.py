"""Slow clients: `serve` keeps answering while slow sockets hang on.

Werkzeug's development server gave every connection a thread and no read
timeout: 3,000 sockets that sent nothing (or half a request line) and then
disconnected left it answering nothing for about two minutes. `serve` now
runs waitress: a fixed pool of worker threads that only ever see complete
requests, idle connections closed after a timeout, a cap on connections.

Loopback only, bounded: 200 slow sockets, a few dozen normal requests, each
with a 5-second bound; nothing sleeps except to wait for a condition.
"""

from __future__ import annotations

import http.client
import json
import socket
import struct
import time
from pathlib import Path

import pytest
from conftest import LiveServer

from dashboard.web import server as server_module
from dashboard.web.app import Settings, create_app

SLOW_SOCKETS = 200
BOUND_S = 5.0
CALLBACK_BODY = json.dumps(
    {  # the map's callback: one output, whatever else the page adds
        "output": "map.figure",
        "outputs": {"id": "map", "property": "figure"},
        "inputs": [
            {"id": "date-range", "property": "value", "value": [0, 4000]},
            {"id": "region-filter", "property": "value", "value": ["UA-43"]},
            {"id": "party-filter", "property": "value", "value": []},
            {"id": "article-only", "property": "value", "value": []},
            {"id": "selected-statement", "property": "data", "value": None},
            {"id": "statement-search", "property": "value", "value": ""},
        ],
        "state": [
            {"id": "lang", "property": "data", "value": "en"},
            {"id": "control-source", "property": "value", "value": None},
        ],
        "changedPropIds": ["date-range.value"],
    }
).encode()


def _threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no thread count")


def _normal_requests(port: int) -> list[float]:
    """A page, the layout and a callback, each answered completely within BOUND_S; their durations."""
    took = []
    for method, path, body in (
        ("GET", "/", None),
        ("GET", "/_dash-layout", None),
        ("POST", "/_dash-update-component", CALLBACK_BODY),
    ):
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND_S)
        try:
            connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
        finally:
            connection.close()
        took.append(time.monotonic() - started)
        assert took[-1] < BOUND_S, (path, took[-1])
    return took


def _slow_socket(port: int, index: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=BOUND_S)
    if index % 3 == 1:  # half a request line
        sock.sendall(b"GET /_dash-layout HTT")
    elif index % 3 == 2:  # the headers, never ended
        sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n")
    return sock  # index % 3 == 0: connected, silent


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_200_slow_sockets_do_not_stop_normal_requests():
    server = LiveServer([])
    slow: list[socket.socket] = []
    try:
        port = server.port
        _normal_requests(port)
        for index in range(SLOW_SOCKETS):
            slow.append(_slow_socket(port, index))
        # Connections are accepted in order: once these are answered, the server has every slow one.
        for _ in range(5):
            _normal_requests(port)
        threads = _threads(server.pid)
        assert threads < 40, f"{threads} threads in the server for {SLOW_SOCKETS} idle connections"
        # Drop them all at once, with a reset (SO_LINGER 0), as a killed client would.
        for sock in slow:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        slow.clear()
        for _ in range(5):
            _normal_requests(port)
        assert server.process.poll() is None
        assert "Traceback" not in server.output()
    finally:
        for sock in slow:
            sock.close()
        server.stop()


@pytest.mark.slow
def test_the_production_server_is_bounded():
    """The waitress server `serve` builds: a small pool, timeouts, a connection cap, poll()."""
    app = create_app(Settings())
    server = server_module.build_production_server(app.server, "127.0.0.1", 0)
    try:
        adj = server.adj
        assert 2 <= adj.threads <= 16
        assert adj.channel_timeout <= 60
        assert adj.cleanup_interval <= adj.channel_timeout
        assert SLOW_SOCKETS < adj.connection_limit <= 4096
        assert adj.asyncore_use_poll  # select() cannot watch descriptors past 1023
        assert adj.max_request_body_size <= 64 * 1024 * 1024
        assert adj.expose_tracebacks is False
    finally:
        server.close()
