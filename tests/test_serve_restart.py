"""`serve` can start again on the port a server just left.

The port check bound its probe socket without SO_REUSEADDR, so the server's
connections left in TIME_WAIT (for 60 s on Linux) made `serve` refuse the port
("already in use") although waitress itself could bind it. The check now binds
as waitress does; a port another socket listens on is still refused (test_cli).
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from dashboard.testing import ServerProcess, free_port


def _serve(port: int) -> ServerProcess:
    return ServerProcess([sys.executable, "-m", "dashboard", "serve", "--port", str(port)])


def _get(port: int, path: str) -> int:
    """One request with `Connection: close`, read until the server closes: the server closes
    first, so its side of the connection (its port) waits in TIME_WAIT, whatever the timing."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):  # b"" once the server has closed its side
            data += chunk
    return int(data.split(b" ", 2)[1])


def _time_wait_on(port: int) -> bool:
    """ss lists a TIME_WAIT socket whose local port is `port` (True when ss is missing: not checked)."""
    try:
        listed = subprocess.run(
            ["ss", "-tan", "state", "time-wait", f"( sport = :{port} )"],
            check=False,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return f":{port} " in listed


@pytest.mark.slow
def test_serve_starts_again_at_once_on_the_same_port():
    port = free_port()
    first = _serve(port)
    try:
        for path in ("/", "/_dash-layout", "/assets/style.css"):
            assert _get(port, path) in (200, 404)
    finally:
        first.stop()
    assert _time_wait_on(port), "no connection left in TIME_WAIT: the test proves nothing"
    second = _serve(port)  # raises "server did not start" with the error when refused
    try:
        assert _get(port, "/") == 200
        assert "already in use" not in second.output()
    finally:
        second.stop()
