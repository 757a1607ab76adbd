"""Run the dashboard with Dash's built-in server (for local use).

Safe defaults (issue 7): the CLI binds 127.0.0.1 unless told otherwise; any
address that other machines can reach gets a warning on stderr; debug mode
(Dash dev tools, Werkzeug's reloader and in-browser debugger) is on only when
`--debug` asks for it, whatever DASH_DEBUG or FLASK_DEBUG say.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys

from typing import TYPE_CHECKING

from dashboard.errors import DashboardError

if TYPE_CHECKING:
    from dashboard.app import Settings

_ALL_INTERFACES = {"0.0.0.0", "::", ""}


def _in_reloader_child() -> bool:
    """Werkzeug's reloader (debug mode) re-runs the command in a child process that
    inherits the parent's listening socket (WERKZEUG_SERVER_FD)."""
    return os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def check_port_free(host: str, port: int) -> None:
    """Fail early, in one line, when the port is taken (before loading any data)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise DashboardError(
                    f"port {port} on {host} is already in use; choose another with --port"
                ) from None
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
        return (f"warning: listening on all interfaces ({host or '*'}): anyone on your network "
                "can open the dashboard; it has no login and no TLS. Use --host 127.0.0.1 to keep it local")
    if addresses and not all(a.is_loopback for a in addresses):
        return (f"warning: listening on {host}, which other machines can reach: anyone who can "
                "connect to it can open the dashboard; it has no login and no TLS")
    return None


def run_server(settings: "Settings", host: str = "127.0.0.1", port: int = 8050) -> None:
    from dashboard.app import create_app

    child = _in_reloader_child()
    if not child:  # the reloader's child serves on the socket its parent already bound
        check_port_free(host, port)
        warning = exposure_warning(host)
        if warning:
            print(warning, file=sys.stderr)
    app = create_app(settings)
    debug = bool(settings.debug)
    if not child:
        print(f"Contested Regions Dashboard on http://{host}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    # Every debug-related option is passed explicitly, so DASH_DEBUG / FLASK_DEBUG
    # in the environment cannot switch debug mode on behind the user's back.
    app.run(host=host, port=port, debug=debug, dev_tools_ui=debug, dev_tools_hot_reload=debug,
            dev_tools_props_check=debug, dev_tools_serve_dev_bundles=debug,
            dev_tools_prune_errors=True, use_reloader=debug, use_debugger=debug,
            # Keep Werkzeug's request log and its "Running on" line in debug mode too:
            # the same output whatever the mode, and the line tells scripts it listens.
            dev_tools_silence_routes_logging=False,
            # The version check would contact a plotly.com server: never, offline-first.
            dev_tools_disable_version_check=True)
