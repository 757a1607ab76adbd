"""`serve` is quiet by default: no line per request unless `--access-log` asks for one."""

from __future__ import annotations

import http.client
import threading
import time

import pytest
from conftest import LiveServer


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _wait_for(server: LiveServer, fragment: str, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while fragment not in server.output() and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    return fragment in server.output()


@pytest.mark.slow
@pytest.mark.parametrize("args, logged", [([], False), (["--access-log"], True)])
def test_request_lines_only_with_access_log(args, logged):
    server = LiveServer(args)
    try:
        before = server.output()
        assert _get(server.port, "/assets/no-such-file-xyz.js") == 404
        # A second request after the first: with the log on, the first line is there by then.
        assert _get(server.port, "/_dash-layout") == 200
        line = '"GET /assets/no-such-file-xyz.js HTTP/1.1" 404'
        if logged:
            assert _wait_for(server, line), server.output()[-1000:]
        else:
            # The log line would be written before the response is sent; give it a moment anyway.
            assert not _wait_for(server, line, timeout=1.0)
            assert server.output() == before, server.output()[len(before) :]
    finally:
        server.stop()
