"""Bounds on what one client can hold in `serve` (waitress): threads, sockets, time.

Waitress reads every request a client pipelines in its first packets, then serves
them one after another on one worker thread. Between two of them, and before each
write, that thread waits, with no time limit, while more than
`outbuf_high_watermark` (16 MB) of the channel's answers are unsent. A client that
pipelines many requests for large answers and never reads them held a thread
for as long as its socket stayed open: eight such sockets held the whole pool,
and waitress's own sweep never closes a channel with requests pending.

`ChannelGuard`, installed on each listening server, does four things:

- the next pipelined request of a connection is computed only once the answers
  before it have been handed to the operating system (as a browser, which sends
  one request at a time per connection, gets anyway). Until then the connection
  is parked and holds no thread; the event loop hands it back to the pool when
  its output is flushed;
- a connection with answers unsent and nothing sent or received for
  `channel_timeout` seconds is closed (waitress only flags such a channel to be
  closed once it can write, which a client that reads nothing never lets happen).
  Closing it also wakes a worker still waiting on it;
- a request must arrive whole within `request_timeout` seconds of its first byte
  being seen (a client that trickles a byte at a time keeps waitress's own idle
  timer fresh forever), else its connection is closed;
- at the connection limit waitress stops accepting, so a thousand slow-loris
  sockets stopped everyone else. Instead, the connections no worker is serving
  (idle, still sending their request, or parked) are closed, the longest
  waiting first, until the count is `EVICT_HEADROOM` below the limit: a new
  client always gets in, and a browser simply reconnects.

Everything here runs on waitress's event-loop thread, except `add_task`, which a
worker calls at the end of a request. It relies on waitress internals
(`HTTPChannel.requests`, `request`, `total_outbufs_len`, `last_activity`,
`creation_time`, `handle_close`; the server's `add_task`, `readable`, `maintenance`,
`active_channels` and `_map`), hence the upper bound on waitress in
pyproject.toml.
"""

from __future__ import annotations

import threading
import time
import weakref

#: Connections closed at once when the limit is reached, as a share of the limit.
EVICT_HEADROOM = 0.05


class ChannelGuard:
    """Parks connections whose answers are still unsent and closes those that stall."""

    def __init__(self, server, request_timeout: float) -> None:
        self.server = server
        self.request_timeout = request_timeout
        self.parked: set = set()
        self.lock = threading.Lock()
        #: When each request still being received was first seen (by the sweep).
        self.first_seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._dispatch = server.add_task
        self._readable = server.readable
        self._maintenance = server.maintenance
        server.add_task = self.add_task
        server.readable = self.readable
        server.maintenance = self.maintenance

    def add_task(self, channel) -> None:
        """Queue `channel`'s next request, or park it while its earlier answers are unsent."""
        if channel.total_outbufs_len and channel.connected:
            with self.lock:
                self.parked.add(channel)
            self.server.pull_trigger()  # the loop flushes, then resumes the channel
            return
        self._dispatch(channel)

    def readable(self) -> bool:
        """Called by the event loop on every turn: resume the parked channels now flushed,
        and make room when the connection limit is reached."""
        self.resume()
        self.evict()
        return self._readable()

    def evict(self) -> None:
        limit = self.server.adj.connection_limit
        excess = len(self.server._map) - limit  # waitress counts every socket of the loop
        if excess < 0:
            return
        with self.lock:
            parked = set(self.parked)
        # Oldest first: a client that just connected has had no time to send its request.
        waiting = sorted(
            (c.creation_time, id(c), c)
            for c in list(self.server.active_channels.values())
            if c in parked or not (c.requests or c.total_outbufs_len)
        )
        for _, _, channel in waiting[: excess + max(1, int(limit * EVICT_HEADROOM))]:
            channel.handle_close()

    def resume(self) -> None:
        with self.lock:
            ready = [c for c in self.parked if not c.connected or not c.total_outbufs_len]
            self.parked.difference_update(ready)
        for channel in ready:
            # A closed channel goes through the pool too: waitress then drops its requests.
            self._dispatch(channel)

    def maintenance(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self._maintenance(now)
        cutoff = now - self.server.adj.channel_timeout
        for channel in list(self.server.active_channels.values()):
            if channel.total_outbufs_len and channel.last_activity < cutoff:
                channel.handle_close()
                continue
            request = channel.request  # a request still being received, if any
            if request is None or request.completed:
                continue
            if now - self.first_seen.setdefault(request, now) > self.request_timeout:
                channel.handle_close()


def guard_channels(server, request_timeout: float) -> list[ChannelGuard]:
    """Install a ChannelGuard on every listening socket of a `waitress.create_server` result."""
    from waitress.server import BaseWSGIServer

    servers = (
        [server]
        if isinstance(server, BaseWSGIServer)
        else [obj for obj in server.map.values() if isinstance(obj, BaseWSGIServer)]
    )
    return [ChannelGuard(each, request_timeout) for each in servers]
