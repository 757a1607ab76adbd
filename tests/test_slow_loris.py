"""1,000 slow-loris connections do not stop `serve` (waitress).

Each sends a request line a byte at a time and never ends it. Waitress's idle
timer restarts with every byte, so they stayed open, and at its connection limit
(1,000) waitress stops accepting: nobody else got in for as long as they
trickled. Now, at the limit, the longest-waiting connections that no worker
serves are closed to make room, and a request must arrive whole within the
request timeout (dashboard/web/stalls.py).

Loopback only, bounded: 1,000 sockets, one byte each per round, probes over
about 10 seconds, each bounded to 5 seconds.
"""

from __future__ import annotations

import resource
import socket
import time

import pytest
from conftest import LiveServer

from dashboard.testing import probe, probes_during, wait_until

LORIS = 1000
PROBE_BOUND_S = 5.0
ATTACK_S = 10.0
LINE = b"GET /_dash-layout HTTP/1.1"  # never followed by CRLF


@pytest.fixture()
def open_files():
    """Room for the test's sockets (the server raises its own limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = LORIS + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.skip(f"the hard limit on open files ({hard}) is below {wanted}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _probe(port: int) -> float:
    return probe(port, PROBE_BOUND_S)


def _trickle(sockets: list[socket.socket], offset: int) -> int:
    """Send each open socket its next byte; how many the server has closed."""
    closed = 0
    for sock in sockets:
        try:
            sock.send(LINE[offset % len(LINE) :][:1])
        except OSError:  # reset: the server closed it
            closed += 1
    return closed


@pytest.mark.slow
def test_1000_slow_loris_connections_do_not_stop_the_server(open_files):
    server = LiveServer([])
    loris: list[socket.socket] = []
    try:
        _probe(server.port)
        for _ in range(LORIS):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=PROBE_BOUND_S)
            sock.setblocking(False)
            sock.send(LINE[:1])
            loris.append(sock)
        offsets = iter(range(1, 10_000))
        took = probes_during(server.port, ATTACK_S, PROBE_BOUND_S, each_round=lambda: _trickle(loris, next(offsets)))
        assert max(took) < PROBE_BOUND_S
        assert server.process.poll() is None
        assert "Traceback" not in server.output()
    finally:
        for sock in loris:
            sock.close()
        server.stop()


@pytest.mark.slow
def test_a_request_that_trickles_in_is_closed_after_the_request_timeout(quick_server):
    port = int(quick_server.effective_port)
    sock = socket.create_connection(("127.0.0.1", port), timeout=PROBE_BOUND_S)
    sock.setblocking(False)
    try:
        sock.send(LINE[:1])
        # Channel timeout 2 s, request timeout 4 s, a sweep every 2 s; a byte every 0.5 s
        # keeps the connection from ever being idle.
        offsets = iter(range(1, 10_000))
        started = time.monotonic()
        # A byte every 0.5 s (the condition sends it) until the server closes the connection.
        wait_until(lambda: _trickle([sock], next(offsets)), 20, "the trickling request to be closed", every_s=0.5)
        closed_after = time.monotonic() - started
        assert closed_after >= 3.5
    finally:
        sock.close()
