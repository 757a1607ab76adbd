"""Run the dashboard for `contested-map serve`.

Safe defaults: the CLI binds 127.0.0.1 unless told otherwise; any
address that other machines can reach gets a warning on stderr; debug mode
(Dash dev tools, Werkzeug's reloader and in-browser debugger) is on only when
`--debug` asks for it, whatever DASH_DEBUG or FLASK_DEBUG say.

The server: waitress, a production-grade pure-Python WSGI
server, with a fixed pool of worker threads that only see complete requests,
idle connections closed after CHANNEL_TIMEOUT seconds and a cap on open
connections, so slow or silent sockets cannot starve normal requests (the
Werkzeug development server gave each connection a thread and no read
timeout). stalls.py bounds what waitress left open: clients that never read
their answers, requests trickled in a byte at a time, a full house of
connections. Werkzeug serves only with `--debug`, for its reloader and debugger.
Both print a line when they listen ("Serving on http://..." or
" * Running on http://..."). waitress logs one line per request on stderr only with
`--access-log` (a quiet server by default); Werkzeug (debug mode) always does.

Host names: the app answers the loopback names, the bind
address when it is a specific one, and `--allowed-host` names; see hosts.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import ipaddress
import logging
import os
import socket
import sys
import time
from typing import TYPE_CHECKING

from dashboard.core.errors import DashboardError
from dashboard.web.logs import one_line

if TYPE_CHECKING:
    from dash import Dash
    from flask import Flask

    from dashboard.web.app import Settings

_ALL_INTERFACES = {"0.0.0.0", "::", ""}


def _in_reloader_child() -> bool:
    """Werkzeug's reloader (debug mode) re-runs the command in a child process that
    inherits the parent's listening socket (WERKZEUG_SERVER_FD)."""
    return os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def check_port_free(host: str, port: int) -> None:
    """Fail early, in one line, when the port is taken (before loading any data).

    The probe binds as waitress does (SO_REUSEADDR, IPv6 sockets IPv6-only), so the
    connections a server that just stopped left in TIME_WAIT do not count: a port
    another socket listens on is still refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise DashboardError(f"port {port} on {host} is already in use; choose another with --port") from None
            raise DashboardError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses `host` binds to: "0" and "::0" are all interfaces too, "localhost" is loopback."""
    if host.strip() in _ALL_INTERFACES:
        return [ipaddress.ip_address("0.0.0.0")]
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError):
        return []
    found = []
    for info in infos:
        try:
            found.append(ipaddress.ip_address(info[4][0].split("%", 1)[0]))
        except ValueError:
            continue
    return found


def exposure_warning(host: str) -> str | None:
    """A warning when `host` lets other machines open the dashboard; None for loopback only."""
    addresses = _addresses(host)
    if any(a.is_unspecified for a in addresses):
        return (
            f"warning: listening on all interfaces ({host or '*'}): anyone on your network "
            "can open the dashboard; it has no login and no TLS. Use --host 127.0.0.1 to keep it local"
        )
    if addresses and not all(a.is_loopback for a in addresses):
        return (
            f"warning: listening on {host}, which other machines can reach: anyone who can "
            "connect to it can open the dashboard; it has no login and no TLS"
        )
    return None


def _bind_name(host: str) -> str | None:
    """The bind address as a name clients may use, or None when it is no specific one."""
    from dashboard.web.hosts import normalise_allowed

    addresses = _addresses(host)
    if not host.strip() or any(a.is_unspecified for a in addresses):
        return None
    try:
        return normalise_allowed(host)
    except ValueError:  # no name a browser could send (e.g. a scoped IPv6 address)
        return None


def run_server(settings: Settings, host: str = "127.0.0.1", port: int = 8050, access_log: bool = False) -> None:
    """Serve the dashboard; `access_log` prints one line per request on stderr (off by default)."""
    from dashboard.web.app import create_app

    child = _in_reloader_child()
    if not child:  # the reloader's child serves on the socket its parent already bound
        check_port_free(host, port)
        warning = exposure_warning(host)
        if warning:
            print(warning, file=sys.stderr)
    bind_name = _bind_name(host)
    if bind_name is not None:
        settings = dataclasses.replace(settings, allowed_hosts=(*settings.allowed_hosts, bind_name))
    elif not child:
        print(
            "note: only requests for localhost, 127.0.0.1 or [::1]"
            + (" and the --allowed-host names" if settings.allowed_hosts else "")
            + " are answered; add --allowed-host NAME for each name other machines use",
            file=sys.stderr,
        )
    app = create_app(settings)
    debug = bool(settings.debug)
    if not child:
        print(f"Contested Regions Dashboard on http://{host}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    # Every debug-related option is passed explicitly, so DASH_DEBUG / FLASK_DEBUG
    # in the environment cannot switch debug mode on behind the user's back.
    dev_tools = {
        "dev_tools_ui": debug,
        "dev_tools_hot_reload": debug,
        "dev_tools_props_check": debug,
        "dev_tools_serve_dev_bundles": debug,
        "dev_tools_prune_errors": True,
        # Debug mode (Werkzeug) keeps its request log: silencing it would also hide
        # its " * Running on" line, which scripts wait for.
        "dev_tools_silence_routes_logging": False,
        # The version check would contact a plotly.com server: never, offline-first.
        "dev_tools_disable_version_check": True,
    }
    if debug:
        # Werkzeug's development server, for its reloader and debugger; it prints " * Running on".
        app.run(host=host, port=port, debug=True, use_reloader=True, use_debugger=True, **dev_tools)
        return
    app.enable_dev_tools(debug=False, **dev_tools)
    serve_production(app, host, port, access_log=access_log)


# ---------------------------------------------------------------------------
# The production server: waitress

THREADS = 8  # worker threads: requests being computed at once (an export holds one)
CHANNEL_TIMEOUT = 30  # seconds an idle or stalled connection stays open
CLEANUP_INTERVAL = 5  # seconds between sweeps for such connections
CONNECTION_LIMIT = 1000  # open connections; past it, the oldest idle or unfinished ones are closed
REQUEST_TIMEOUT = 60  # seconds a request may take to arrive whole, however it trickles in
#: The app refuses bodies past 8 MB with a JSON 413; waitress refuses bodies past this
#: one before reading them (text/plain 413), so nobody can make it buffer a gigabyte.
MAX_REQUEST_BODY = 16 * 1024 * 1024


def build_production_server(
    wsgi_app: Flask,
    host: str,
    port: int,
    access_log: bool = False,
    channel_timeout: int = CHANNEL_TIMEOUT,
    request_timeout: int = REQUEST_TIMEOUT,
):
    """A listening waitress server (not yet serving) with bounded threads and timeouts;
    `access_log` wraps the app in a one-line-per-request log. The timeouts are
    shorter only in tests (`serve` has no option for them)."""
    from waitress import create_server

    from dashboard.web.stalls import guard_channels

    server = create_server(
        _AccessLog(wsgi_app) if access_log else wsgi_app,
        host=host,
        port=port,
        threads=THREADS,
        channel_timeout=channel_timeout,
        cleanup_interval=min(CLEANUP_INTERVAL, channel_timeout),
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,  # select() cannot watch descriptors past 1023
        max_request_body_size=MAX_REQUEST_BODY,
        expose_tracebacks=False,
        ident="contested-map",
    )
    # Clients that take no answers hold no thread; trickled requests and a full house are bounded.
    guard_channels(server, request_timeout=request_timeout)
    _raise_open_file_limit(2 * CONNECTION_LIMIT + 256)  # a socket and a file being sent each
    return server


def _raise_open_file_limit(wanted: int) -> None:
    """Let the process open `wanted` files (within the hard limit): with a soft limit of
    1024, as many desktops set, a full house of connections would make accept() fail."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _stderr_logger(name: str) -> logging.Logger:
    """`name`'s INFO lines on stderr, message only (unless logging was configured already)."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def _routine_queue(record: logging.LogRecord) -> bool:
    """Drop waitress's "Task queue depth is N" while N is within the pool (routine, e.g. at start)."""
    if record.name == "waitress.queue" and record.args and isinstance(record.args[0], int):
        return record.args[0] > THREADS
    return True


def serve_production(app: Dash, host: str, port: int, access_log: bool = False) -> None:
    server = build_production_server(app.server, host, port, access_log=access_log)
    for handler in _stderr_logger("waitress").handlers:
        handler.addFilter(_routine_queue)
    if access_log:
        _stderr_logger(_AccessLog.LOGGER)
    # "Serving on http://127.0.0.1:8050": the socket listens (scripts wait for this line).
    server.print_listen("Serving on http://{}:{}")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


class _AccessLog:
    """One line per request on stderr, in the format of Werkzeug's request log
    (waitress has none): `127.0.0.1 - - [26/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -`.
    The path is cut at 200 characters; bodies are never logged."""

    LOGGER = "dashboard.access"

    def __init__(self, app) -> None:
        self.app = app
        self.logger = logging.getLogger(self.LOGGER)

    def __call__(self, environ, start_response):
        def logging_start_response(status, headers, exc_info=None):
            path = environ.get("PATH_INFO", "")
            if environ.get("QUERY_STRING"):
                path += "?" + environ["QUERY_STRING"]
            self.logger.info(
                '%s - - [%s] "%s %s %s" %s -',
                environ.get("REMOTE_ADDR", "-"),
                time.strftime("%d/%b/%Y %H:%M:%S"),
                one_line(environ.get("REQUEST_METHOD", "-"), 20),
                one_line(path),
                one_line(environ.get("SERVER_PROTOCOL", "-"), 20),
                status.split(" ", 1)[0],
            )
            return start_response(status, headers, exc_info)

        return self.app(environ, logging_start_response)
