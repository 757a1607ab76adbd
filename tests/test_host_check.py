"""DNS rebinding: only the host names the server was bound for are answered.

A web page on evil.example that rebinds its name to 127.0.0.1 makes the
browser send `Host: evil.example` (or `evil.example:8050`) to the local
server. Such a request gets a 400 with a short JSON body before any Dash
route runs; loopback names (127.0.0.1, localhost, [::1], with or without a
port), the bind address when it is a specific one, and the names given with
`serve --allowed-host` (or CONTESTED_MAP_ALLOWED_HOSTS for gunicorn) are
answered.
"""

from __future__ import annotations

import http.client

import pytest
from click.testing import CliRunner
from conftest import LiveServer, free_port
from dash_client import call

from dashboard.cli import cli
from dashboard.web import server as server_module
from dashboard.web.app import Settings, create_app, create_server
from dashboard.web.ids import Ids

HOSTILE = [
    "evil.example",
    "evil.example:8050",
    "127.0.0.1.evil.example",
    "localhost.evil.example:8050",
    "EVIL.example",
    "evil.example:80@127.0.0.1",
    "127.0.0.1:8050@evil.example",
    "127.0.0.1 evil",
    "[::1]evil",
    "::1",
    "localhost:",
    "localhost:port",
    "0.0.0.0:8050",
    "",
    "a" * 300,
]
LOOPBACK = [
    "localhost",
    "localhost:8050",
    "127.0.0.1",
    "127.0.0.1:8050",
    "[::1]",
    "[::1]:8050",
    "LOCALHOST:8050",
    "localhost.:8050",
]
CALLBACK = (
    [
        (Ids.DATES, "value"),
        (Ids.REGIONS, "value"),
        (Ids.PARTIES, "value"),
        (Ids.ARTICLE_ONLY, "value"),
        (Ids.NOTICE, "children"),
        (Ids.NOTICE_FOR, "data"),
        (Ids.URL_STATE, "data"),
    ],
    [(Ids.URL, "search", "")],
)


@pytest.fixture(scope="module")
def app(bundled_app):
    return bundled_app


def _requests(client, host: str):
    """One request to each kind of route: page, layout, callback, asset, component suite, unknown path."""
    headers = {"Host": host}
    yield "/", client.get("/", headers=headers)
    yield "/_dash-layout", client.get("/_dash-layout", headers=headers)
    yield "/_dash-dependencies", client.get("/_dash-dependencies", headers=headers)
    yield (
        "/_dash-update-component",
        client.post("/_dash-update-component", headers=headers, json=call(_Recorder(client), *CALLBACK)),
    )
    yield "/assets/style.css", client.get("/assets/style.css", headers=headers)
    yield "/assets/no-such-file.js", client.get("/assets/no-such-file.js", headers=headers)
    yield "/nowhere", client.get("/nowhere", headers=headers)


class _Recorder:
    """Stands in for a test client: `call` builds the callback payload, this keeps it.

    The app's registered outputs are read through the real client (with its default
    loopback Host), so the payload names every output the callback writes."""

    def __init__(self, client) -> None:
        self.application = client.application
        self._client = client

    def get(self, path):
        return self._client.get(path)

    def post(self, path, json):
        return json


@pytest.mark.parametrize("host", HOSTILE)
def test_unknown_host_names_get_400_before_any_route(app, host):
    client = app.server.test_client()
    for path, response in _requests(client, host):
        assert response.status_code == 400, (host, path, response.status_code)
        assert response.mimetype == "application/json", (host, path)
        body = response.get_json()
        assert set(body) == {"error"} and "host" in body["error"], (host, path, body)
        assert b"_dash-config" not in response.data and b"claims" not in response.data


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_names_are_answered(app, host):
    client = app.server.test_client()
    for path, response in _requests(client, host):
        expected = 404 if path == "/assets/no-such-file.js" else 200
        assert response.status_code == expected, (host, path, response.status_code, response.data[:200])


def test_a_missing_host_header_is_refused(app, live_server):
    response = app.server.test_client().get("/", environ_overrides={"HTTP_HOST": ""})
    assert response.status_code == 400
    assert _status(live_server.port, None)[0] == 400  # HTTP/1.1 without Host


@pytest.mark.slow
def test_allowed_hosts_in_settings():
    client = create_app(Settings(allowed_hosts=("Dash.Example.org", "[2001:db8::1]:443"))).server.test_client()
    for host in (
        "dash.example.org",
        "dash.example.org:443",
        "DASH.EXAMPLE.ORG",
        "[2001:db8::1]",
        "[2001:db8::1]:8050",
        "localhost:8050",
    ):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "example.org", "sub.dash.example.org", "2001:db8::1"):
        assert client.get("/", headers={"Host": host}).status_code == 400, host


@pytest.mark.slow
def test_create_server_for_gunicorn_takes_names_from_the_environment(monkeypatch):
    monkeypatch.delenv("CONTESTED_MAP_ALLOWED_HOSTS", raising=False)
    client = create_server().test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8050"}).status_code == 200
    assert client.get("/", headers={"Host": "dash.example.org"}).status_code == 400
    monkeypatch.setenv("CONTESTED_MAP_ALLOWED_HOSTS", "dash.example.org, other.example.org")
    client = create_server().test_client()
    for host in ("dash.example.org", "other.example.org:443", "localhost"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("name", ["", "a b", "evil.example/path", "http://evil.example", "*", "x:y:z"])
def test_bad_allowed_host_names_are_refused_in_one_line(name):
    result = CliRunner().invoke(
        cli, ["serve", "--port", str(free_port()), "--allowed-host", name], prog_name="contested-map"
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().startswith("contested-map: error: ") and "--allowed-host" in result.stderr


@pytest.mark.slow
def test_the_bind_address_is_allowed_when_it_is_a_specific_one(monkeypatch):
    served = {}
    monkeypatch.setattr(
        server_module, "serve_production", lambda app, host, port, **_: served.update(app=app, host=host, port=port)
    )
    port = free_port()
    server_module.run_server(Settings(allowed_hosts=("proxy.example",)), host="127.0.0.2", port=port)
    client = served["app"].server.test_client()
    for host in (f"127.0.0.2:{port}", "127.0.0.2", "localhost", "proxy.example"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    # All interfaces is no name: only loopback and --allowed-host names are answered.
    server_module.run_server(Settings(), host="0.0.0.0", port=free_port())
    client = served["app"].server.test_client()
    assert client.get("/", headers={"Host": "0.0.0.0"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1"}).status_code == 200


# ---------------------------------------------------------------------------
# The real server process


def _status(port: int, host: str | None, path: str = "/") -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type", "")
    finally:
        connection.close()


def test_the_real_server_refuses_a_rebound_name(live_server):
    port = live_server.port
    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/assets/style.css"):
        status, body, content_type = _status(port, f"evil.example:{port}", path)
        assert status == 400, (path, status, body[:200])
        assert content_type.startswith("application/json") and b"_dash-config" not in body
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert _status(port, host, path)[0] == 200, (host, path)


@pytest.mark.slow
def test_allowed_host_option_on_the_real_server():
    server = LiveServer(["--allowed-host", "dash.example.org", "--allowed-host", "other.example.org"])
    try:
        assert _status(server.port, "dash.example.org")[0] == 200
        assert _status(server.port, f"other.example.org:{server.port}")[0] == 200
        assert _status(server.port, f"127.0.0.1:{server.port}")[0] == 200
        assert _status(server.port, "evil.example")[0] == 400
    finally:
        server.stop()
