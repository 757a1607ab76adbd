"""What every request meets before and after the Dash routes: the Host check, clean JSON
errors with one-line logs, and safe response headers."""

from __future__ import annotations

from dash import Dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from dashboard.web import hosts
from dashboard.web.logs import one_line

__all__ = ["answer_bad_requests_cleanly", "refuse_unknown_hosts"]


def refuse_unknown_hosts(app: Dash, allowed: frozenset[str]) -> None:
    """Answer only the host names the server was bound for (DNS rebinding).

    The check runs first, before Dash's own hooks and before any route: a page
    whose name was rebound to 127.0.0.1 gets a 400 and learns nothing.
    """
    server = app.server

    def _check_host():
        name = hosts.host_name(request.environ.get("HTTP_HOST"))
        if name in allowed:
            return None
        server.logger.warning(
            "refused request for host %s: %s %s",
            one_line(request.environ.get("HTTP_HOST", ""), 80),
            request.method,
            one_line(request.path, 200),
        )
        return _json_error(hosts.REFUSED, 400)

    server.before_request_funcs.setdefault(None, []).insert(0, _check_host)


def _json_error(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def answer_bad_requests_cleanly(app: Dash) -> None:
    """Bad requests get a clean 4xx, never a 500 or a traceback, and every
    4xx/5xx is JSON, `{"error": "..."}`.

    - A malformed callback request (unknown output, wrong shape) is the
      client's error: 400 with a short JSON body instead of Flask's 500.
    - A request for a file Dash does not serve (`/_dash-component-suites/`
      with an unregistered package or path, `../` included) is a 404; Dash
      itself raises DependencyException, a 500.
    - Request bodies are capped (413): the largest real callback request,
      the statements' buttons, is a few kilobytes per hundred records.
    - Flask's own errors (405 wrong method, 415 not JSON, 400 invalid JSON,
      413, 404 unknown asset) are JSON too, not Werkzeug's HTML pages; a 405
      keeps its Allow header. (A GET of an unknown page is no error: Dash
      answers it with the dashboard page, which routes on the client.)
    - A failed request is logged on one line: method, path, exception type
      and at most 200 characters of its message, never the payload or a
      traceback (a 4 MB bad `output` used to add 8 MB to the log).
    - Responses say `nosniff` and send no Referer to the news sites that
      source links open, so the filter state in the URL stays local.
    """
    from dash.exceptions import DependencyException

    server = app.server
    if server.config.get("MAX_CONTENT_LENGTH") is None:
        server.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024

    callback_path = app.config.routes_pathname_prefix + "_dash-update-component"

    @server.errorhandler(Exception)
    def _bad_request(error: Exception):
        if isinstance(error, HTTPException):
            if error.code is None or error.code < 400:
                return error  # a redirect (e.g. a missing trailing slash), not an error
            headers = {
                key: value
                for key, value in error.get_headers()
                if key.lower() not in ("content-type", "content-length")
            }
            message = (error.name or "error").lower()
            if error.code == 400 and request.path == callback_path:
                message = "invalid callback request"
            return _json_error(message, error.code, headers)
        if isinstance(error, DependencyException):
            return _json_error("not found", 404)
        status = 400 if request.path == callback_path else 500
        log = server.logger.warning if status < 500 else server.logger.error
        # The traceback (which quotes the payload) only in debug mode (`serve --debug`).
        log(
            "request failed (%d): %s %s: %s: %s",
            status,
            request.method,
            one_line(request.path),
            type(error).__name__,
            one_line(error),
            exc_info=error if server.debug else None,
        )
        return _json_error("invalid callback request" if status == 400 else "internal error", status)

    @server.after_request
    def _safe_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response
