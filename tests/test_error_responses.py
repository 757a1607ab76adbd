"""Responses and logs (the server part).

Every 4xx/5xx answer from the app is JSON, `{"error": "..."}` with
`application/json`, whatever went wrong: wrong method, wrong content type,
invalid JSON, a body past the 8 MB cap, an unknown asset or component file,
a callback request of the wrong shape. (A GET of an unknown page is not an
error: it gets the dashboard page, which routes on the client.)

A bad request is logged on one line: method, path, exception type and at
most 200 characters of its message, never the payload (a 4 MB bad `output`
used to add 8 MB to the log, through a traceback that quoted it twice).
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time

import pytest
from conftest import LiveServer

CALLBACK = "/_dash-update-component"
BIG = 4 * 1024 * 1024


@pytest.fixture(scope="module")
def app(bundled_app):
    return bundled_app


def _bad_output(size: int, text: str = "x") -> dict:
    output = (text * (size // len(text) + 1))[:size]
    return {
        "output": output,
        "outputs": {"id": "map", "property": "figure"},
        "inputs": [],
        "state": [],
        "changedPropIds": [],
    }


def bad_requests(client):
    """(name, expected status, response) for each kind of bad request."""
    yield "wrong method on the callback", 405, client.put(CALLBACK, data="{}", content_type="application/json")
    yield "POST to the page", 405, client.post("/")
    yield "POST to the layout", 405, client.post("/_dash-layout")
    yield "DELETE an asset", 405, client.delete("/assets/style.css")
    yield "TRACE", 405, client.open("/", method="TRACE")
    yield "text/plain callback", 415, client.post(CALLBACK, data="{}", content_type="text/plain")
    yield "form callback", 415, client.post(CALLBACK, data={"a": "b"})
    yield "invalid JSON", 400, client.post(CALLBACK, data="{not json", content_type="application/json")
    yield "empty body", 400, client.post(CALLBACK, data="", content_type="application/json")
    yield "JSON array", 400, client.post(CALLBACK, data="[]", content_type="application/json")
    yield "JSON null", 400, client.post(CALLBACK, data="null", content_type="application/json")
    yield "unknown output", 400, client.post(CALLBACK, json=_bad_output(20))
    yield (
        "body past the cap",
        413,
        client.post(CALLBACK, data=b"x" * (9 * 1024 * 1024), content_type="application/json"),
    )
    yield "unknown asset", 404, client.get("/assets/no-such-file.js")
    yield "unknown component file", 404, client.get("/_dash-component-suites/dash/no-such-file.js")
    yield "unknown package", 404, client.get("/_dash-component-suites/os/path.py")


def _assert_json_error(name: str, expected: int, status: int, content_type: str, body: bytes) -> None:
    assert status == expected, (name, status, body[:200])
    assert content_type.split(";")[0].strip() == "application/json", (name, content_type, body[:200])
    parsed = json.loads(body)
    assert set(parsed) == {"error"} and isinstance(parsed["error"], str), (name, parsed)
    assert 0 < len(parsed["error"]) <= 200, (name, parsed)
    assert b"<html" not in body.lower() and b"Traceback" not in body


def test_every_bad_request_gets_a_json_error_in_process(app):
    client = app.server.test_client()
    for name, expected, response in bad_requests(client):
        _assert_json_error(name, expected, response.status_code, response.content_type, response.data)
        if expected == 405:
            assert response.headers.get("Allow"), name  # still says which methods work
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_page_is_the_dashboard_page(app):
    response = app.server.test_client().get("/no/such/page")
    assert response.status_code == 200 and b'<script id="_dash-config"' in response.data


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(levelname)s %(name)s %(message)s").format(record))


@pytest.fixture
def captured(app):
    """Everything logged while a test runs, formatted as a handler would (tracebacks included)."""
    handler = _Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    assert app.server.logger.propagate
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_bad_request_is_logged_on_one_short_line(app, captured):
    client = app.server.test_client()
    response = client.post(CALLBACK, json=_bad_output(BIG))
    assert response.status_code == 400
    text = "\n".join(captured.lines)
    assert len(text) < 1000, f"{len(text)} bytes logged for one bad request"
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if CALLBACK in line]
    assert len(lines) == 1 and len(text.splitlines()) == 1, text[:2000]
    line = lines[0]
    assert "POST" in line and "KeyError" in line


def test_a_log_line_cannot_be_forged(app, captured):
    """A newline in the payload does not start a new log line."""
    client = app.server.test_client()
    response = client.post(CALLBACK, json=_bad_output(300, "x\nERROR forged line\r"))
    assert response.status_code == 400
    assert len(captured.lines) == 1 and "\n" not in captured.lines[0] and "\r" not in captured.lines[0]
    assert len(captured.lines[0]) < 600


# ---------------------------------------------------------------------------
# The real server: answers on the wire, and what its stderr grows by


@pytest.fixture(scope="module")
def server():
    server = LiveServer(["--access-log"])
    yield server
    server.stop()


def _send(
    port: int, method: str, path: str, body: bytes | None = None, content_type: str | None = None
) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": content_type} if content_type else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.slow
def test_bad_requests_over_http_get_json(server):
    port = server.port
    cases = [
        ("wrong method", 405, "PUT", CALLBACK, b"{}", "application/json"),
        ("text/plain", 415, "POST", CALLBACK, b"{}", "text/plain"),
        ("invalid JSON", 400, "POST", CALLBACK, b"{not json", "application/json"),
        ("unknown output", 400, "POST", CALLBACK, json.dumps(_bad_output(20)).encode(), "application/json"),
        ("past the cap", 413, "POST", CALLBACK, b"x" * (9 * 1024 * 1024), "application/json"),
        ("unknown asset", 404, "GET", "/assets/no-such-file.js", None, None),
        ("POST to the page", 405, "POST", "/", b"", "application/json"),
    ]
    for name, expected, method, path, body, content_type in cases:
        status, got_type, data = _send(port, method, path, body, content_type)
        _assert_json_error(name, expected, status, got_type, data)


def _wait_for(server: LiveServer, fragment: str, timeout: float = 30, after: int = 0) -> None:
    """Block until the server's stderr holds `fragment` past its first `after` characters (its reader
    thread appends lines as they come; an earlier request's identical line does not count)."""
    deadline = time.monotonic() + timeout
    while fragment not in server.output()[after:] and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert fragment in server.output()[after:], (
        f"{fragment!r} never appeared in the server's stderr:\n{server.output()[-2000:]}"
    )


def test_a_4_mb_bad_output_adds_one_short_line_to_the_server_log(server):
    before = len(server.output())
    status, _, _ = _send(server.port, "POST", CALLBACK, json.dumps(_bad_output(BIG)).encode(), "application/json")
    assert status == 400
    # The request's access-log line is written after anything the request logged.
    _wait_for(server, f'"POST {CALLBACK} HTTP/1.1" 400', after=before)
    added = server.output()[before:]
    assert len(added) < 2000, f"{len(added)} bytes added to the log by one bad request"
    assert "Traceback" not in added
    assert "KeyError" in added
