"""Run the dashboard with Dash's built-in server (for local use)."""

from __future__ import annotations

import errno
import socket
import sys

from typing import TYPE_CHECKING

from dashboard.errors import DashboardError

if TYPE_CHECKING:
    from dashboard.app import Settings

_ALL_INTERFACES = {"0.0.0.0", "::", ""}


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
            raise DashboardError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def run_server(settings: "Settings", host: str = "127.0.0.1", port: int = 8050) -> None:
    from dashboard.app import create_app

    check_port_free(host, port)
    if host in _ALL_INTERFACES:
        print(f"warning: listening on all interfaces ({host or '*'}): anyone on your network "
              "can open the dashboard", file=sys.stderr)
    app = create_app(settings)
    debug = settings.debug
    print(f"Contested Regions Dashboard on http://{host}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    app.run(host=host, port=port, debug=debug, dev_tools_ui=debug, dev_tools_hot_reload=debug,
            use_reloader=debug,
            # The version check would contact a plotly.com server: never, offline-first.
            dev_tools_disable_version_check=True)
