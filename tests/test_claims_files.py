"""`--claims PATH` adds to the bundled records, `--no-bundled` leaves them out, and an id
defined in two files is a one-line error naming both, on serve,
statements, status and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.core.errors import DataError
from dashboard.sources.claims_load import BUNDLED_CLAIMS, claims_files, load_claims
from dashboard.testing import needs_export_browser

SOURCE = {"publisher": "Example News", "title": "A report", "published": "2024-05-01", "url": None}
BUNDLED_IDS = {claim.id for claim in load_claims()}
COMMANDS = {
    "statements": ("statements", "--format", "json"),
    "status": ("status", "--date", "2024-05-01", "--format", "json"),
}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map")


def record(claim_id: str, **fields: object) -> dict:
    return {
        "id": claim_id,
        "kind": "statement",
        "date": "2024-05-01",
        "speaker": "Someone",
        "parties": ["un"],
        "regions": ["UA-65"],
        "summary": "Someone says something.",
        "source": "mine",
        **fields,
    }


def claims_file(path: Path, *records: dict, source: dict = SOURCE) -> Path:
    path.write_text(yaml.safe_dump({"sources": {"mine": source}, "records": list(records)}), encoding="utf-8")
    return path


def one_line_error(result: Result, *fragments: str) -> str:
    assert result.exit_code != 0 and result.stdout == ""
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith("contested-map: error: ") and "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in first, first
    return first


# ---------------------------------------------------------------------------
# The file list


def test_claims_files_puts_the_bundled_file_first_and_loads_each_file_once(tmp_path):
    mine = claims_file(tmp_path / "mine.yaml", record("mine-1"))
    assert claims_files() == [BUNDLED_CLAIMS]
    assert claims_files([mine]) == [BUNDLED_CLAIMS, mine]
    assert claims_files([mine], bundled=False) == [mine]
    # The bundled file named with --claims (as its header's "validate it" advice does) is loaded once.
    assert claims_files([BUNDLED_CLAIMS, mine, tmp_path / "." / "mine.yaml"]) == [BUNDLED_CLAIMS, mine]
    with pytest.raises(DataError, match="--no-bundled leaves no claims"):
        claims_files([], bundled=False)


# ---------------------------------------------------------------------------
# statements and status


def test_statements_adds_a_file_to_the_bundled_records(tmp_path):
    mine = claims_file(tmp_path / "mine.yaml", record("mine-1"))
    rows = json.loads(invoke("statements", "--claims", str(mine), "--format", "json").stdout)
    assert {row["id"] for row in rows} == BUNDLED_IDS | {"mine-1"}
    only = json.loads(invoke("statements", "--no-bundled", "--claims", str(mine), "--format", "json").stdout)
    assert [row["id"] for row in only] == ["mine-1"]


def test_status_adds_a_file_to_the_bundled_records(tmp_path):
    # An annexation event of the user's own decides Kherson on its own only without the bundled records.
    event = record(
        "mine-event",
        kind="event",
        speaker=None,
        parties=["russia"],
        effect="annexation_declared",
        summary="Russia declared Kherson annexed, says the file.",
    )
    mine = claims_file(tmp_path / "mine.yaml", event)
    rows = {r["code"]: r for r in json.loads(invoke(*COMMANDS["status"], "--claims", str(mine)).stdout)}
    assert rows["UA-65"]["status"] == "annexation_declared"
    assert "mine-event" in rows["UA-65"]["decided_by"] and len(rows["UA-65"]["decided_by"]) > 1
    assert rows["UA-43"]["status"] == "annexation_declared"  # from the bundled records
    alone = {
        r["code"]: r for r in json.loads(invoke(*COMMANDS["status"], "--no-bundled", "--claims", str(mine)).stdout)
    }
    assert alone["UA-65"]["decided_by"] == ["mine-event"]
    assert alone["UA-43"]["status"] == "no_annexation_declared"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_id_in_two_files_names_both_files(tmp_path, command):
    bundled_id = min(BUNDLED_IDS)
    mine = claims_file(tmp_path / "mine.yaml", record(bundled_id))
    first = one_line_error(
        invoke(*COMMANDS[command], "--claims", str(mine)),
        str(mine),
        str(BUNDLED_CLAIMS),
        f"duplicate id {bundled_id!r}",
    )
    assert "line" in first
    # Between two files of the user's own, with the bundled records left out.
    other = claims_file(tmp_path / "other.yaml", record("mine-2"), record("shared"))
    again = claims_file(tmp_path / "again.yaml", record("shared"))
    one_line_error(
        invoke(*COMMANDS[command], "--no-bundled", "--claims", str(other), "--claims", str(again)),
        str(again),
        str(other),
        "duplicate id 'shared'",
    )


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_bundled_without_a_file_is_a_usage_error(command):
    result = invoke(*COMMANDS[command], "--no-bundled")
    assert result.exit_code == 2
    one_line_error(result, "--no-bundled leaves no claims to load", "--claims PATH")


def test_source_keys_belong_to_their_file(tmp_path):
    # The same key names different sources in two files: each record keeps its own file's source.
    first = claims_file(tmp_path / "first.yaml", record("first-1"))
    second = claims_file(tmp_path / "second.yaml", record("second-1"), source={**SOURCE, "publisher": "Other Wire"})
    rows = json.loads(
        invoke("statements", "--no-bundled", "--claims", str(first), "--claims", str(second), "--format", "json").stdout
    )
    assert {r["id"]: r["source"]["publisher"] for r in rows} == {"first-1": "Example News", "second-1": "Other Wire"}
    # A file cannot use a key that only another file defines.
    orphan = tmp_path / "orphan.yaml"
    orphan.write_text(yaml.safe_dump({"records": [record("orphan-1")]}), encoding="utf-8")
    one_line_error(invoke("statements", "--claims", str(first), "--claims", str(orphan)), str(orphan), "'source'")


# ---------------------------------------------------------------------------
# serve (the settings it builds the app from) and export


def _serve_settings(monkeypatch, *args: str):
    """Run `serve` with the server replaced by building the app, as the real server does first."""
    from dashboard.web import server
    from dashboard.web.app import create_app

    built = {}

    def fake_run(settings, host, port, **_):
        built["app"] = create_app(settings)
        built["settings"] = settings

    monkeypatch.setattr(server, "run_server", fake_run)
    return invoke("serve", *args), built


@pytest.mark.slow
def test_serve_adds_files_and_refuses_collisions(tmp_path, monkeypatch):
    mine = claims_file(tmp_path / "mine.yaml", record("mine-1"))
    result, built = _serve_settings(monkeypatch, "--claims", str(mine))
    assert result.exit_code == 0, result.stderr
    assert list(built["settings"].claims_paths) == [BUNDLED_CLAIMS, mine]
    result, built = _serve_settings(monkeypatch, "--no-bundled", "--claims", str(mine))
    assert result.exit_code == 0 and list(built["settings"].claims_paths) == [mine]
    clash = claims_file(tmp_path / "clash.yaml", record(min(BUNDLED_IDS)))
    result, built = _serve_settings(monkeypatch, "--claims", str(clash))
    one_line_error(result, str(clash), str(BUNDLED_CLAIMS))
    assert "app" not in built
    result, _ = _serve_settings(monkeypatch, "--no-bundled")
    assert result.exit_code == 2
    one_line_error(result, "--no-bundled leaves no claims")


@pytest.mark.export
@pytest.mark.slow
def test_export_adds_files_and_refuses_collisions(tmp_path):
    needs_export_browser()
    clash = claims_file(tmp_path / "clash.yaml", record(min(BUNDLED_IDS)))
    out = tmp_path / "map.svg"
    one_line_error(invoke("export", "--claims", str(clash), "-o", str(out)), str(clash), str(BUNDLED_CLAIMS))
    assert not out.exists()
    one_line_error(invoke("export", "--no-bundled", "-o", str(out)), "--no-bundled leaves no claims")
    event = record(
        "mine-event",
        kind="event",
        speaker=None,
        parties=["russia"],
        effect="annexation_declared",
        date="2010-05-01",
        summary="Russia declared Kherson annexed, says the file.",
    )
    mine = claims_file(tmp_path / "mine.yaml", event)
    result = invoke("export", "--claims", str(mine), "--from", "2010", "--to", "2010-12-31", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # The file's event decides Kherson in 2010, so the image's attribution names its publisher.
    assert "Example News" in out.read_text(encoding="utf-8")
