"""Clients that pipeline requests and never read the answers (`serve`, waitress).

Waitress serves a connection's pipelined requests one after another on one
worker thread, and that thread waited, with no time limit, while more than
16 MB of the connection's answers were unsent. Eight sockets that each sent
60 requests for the 1.4 MB plotly bundle in their first packet, with a small
receive buffer, and never read held all eight threads: no other client was
answered for as long as they stayed open. Now such a connection is parked
(it holds no thread) until its answers are taken, and closed once nothing has
moved on it for the channel timeout (dashboard/web/stalls.py).

Loopback only, bounded: at most 16 attack sockets, probes paced over about
10 seconds, each bounded to 5 seconds.
"""

from __future__ import annotations

import http.client
import socket

import pytest
from conftest import LiveServer

from dashboard.testing import probe, probes_during, wait_until

BUNDLE = "/assets/plotly/plotly-partial.min.js"  # 1.4 MB, sent as it is to `identity`
PIPELINED = 60
PROBE_BOUND_S = 5.0
ATTACK_S = 10.0  # the stall showed after about 4 s on the unfixed server


def _attack_socket(port: int, requests: int = PIPELINED) -> socket.socket:
    """A connection that pipelines `requests` bundle requests at once and never reads."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
    sock.settimeout(PROBE_BOUND_S)
    sock.connect(("127.0.0.1", port))
    request = f"GET {BUNDLE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n".encode()
    sock.sendall(request * requests)  # about 5.8 kB: one packet, all read by the server at once
    return sock


def _probe(port: int) -> float:
    return probe(port, PROBE_BOUND_S)


@pytest.mark.slow
@pytest.mark.parametrize("attackers", [8, 16])
def test_clients_that_never_read_their_answers_do_not_stop_others(attackers):
    server = LiveServer([])
    attack: list[socket.socket] = []
    try:
        _probe(server.port)
        attack = [_attack_socket(server.port) for _ in range(attackers)]
        took = probes_during(server.port, ATTACK_S, PROBE_BOUND_S)
        assert max(took) < PROBE_BOUND_S
        assert server.process.poll() is None
        assert "Traceback" not in server.output()
    finally:
        for sock in attack:
            sock.close()
        server.stop()


@pytest.mark.slow
def test_a_connection_that_takes_no_answers_is_closed_after_the_channel_timeout(quick_server):
    server = quick_server
    port = int(server.effective_port)
    sock = _attack_socket(port)
    try:

        def stalled() -> list:
            return [c for c in list(server.active_channels.values()) if c.total_outbufs_len and c.requests]

        wait_until(stalled, 10, "the attack connection to have answers waiting")
        # Channel timeout 2 s, a sweep every 2 s, a margin.
        wait_until(lambda: not stalled(), 15, "the connection that took no answers to be closed")
        assert not [c for c in server.active_channels.values() if c.total_outbufs_len]
        # The parked connection was handed back to the pool to drop its requests: no thread is held.
        wait_until(lambda: server.task_dispatcher.active_count == 0, PROBE_BOUND_S, "every worker to be free")
        assert server.task_dispatcher.active_count == 0
        assert _probe(port) < PROBE_BOUND_S
    finally:
        sock.close()


class _SharedFile:
    """Lets several HTTPResponse objects read one connection's answers in turn."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def makefile(self, *args, **kwargs):
        return self

    def close(self) -> None:  # a response closes its file when read: the next one still needs it
        pass

    def __getattr__(self, name):
        return getattr(self.stream, name)


def test_a_client_that_pipelines_and_reads_gets_every_answer_in_order(live_server):
    """Parking delays the next pipelined request until the answers before it are sent; it
    changes nothing else: every answer comes, whole and in order."""
    paths = ["/_dash-layout", BUNDLE, "/assets/style.css", "/", "/_dash-layout", BUNDLE]
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=30) as sock:
        sock.sendall(
            b"".join(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n".encode()
                for path in paths
            )
        )
        stream = sock.makefile("rb")
        answers = []
        for _ in paths:
            response = http.client.HTTPResponse(_SharedFile(stream))
            response.begin()
            answers.append((response.status, len(response.read()), response.getheader("Content-Type")))
    statuses = [status for status, _, _ in answers]
    assert statuses == [200] * len(paths), answers
    assert answers[0] == answers[4] and answers[1] == answers[5]
    assert answers[1][1] > 1_000_000 and "javascript" in answers[1][2]
    assert "json" in answers[0][2] and "css" in answers[2][2] and "html" in answers[3][2]
