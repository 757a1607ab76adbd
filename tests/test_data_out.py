"""Where the data ends (the CLI part) and data out: source columns,
line numbers for JSON claims files and up to 20 errors at once."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.core.claims import CSV_KEYS, EXPORT_KEYS
from dashboard.sources.claims_load import load_claims
from dashboard.sources.claims_schema import ClaimsValidationError

SOURCE = {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}
NOTE = "note: the loaded records end on 22 Apr 2025"  # the bundled records


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map")


def json_out(*args: str) -> list[dict]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def record(**fields) -> dict:
    base = {
        "id": "x",
        "kind": "statement",
        "date": "2023-02-28",
        "speaker": "S",
        "parties": ["russia"],
        "regions": ["UA-14"],
        "quote": None,
        "summary": "Says something.",
        "source": dict(SOURCE),
    }
    return {**base, **fields}


# ---------------------------------------------------------------------------
# Item 11: dates past the data


def test_status_json_rows_say_where_the_data_ends():
    rows = json_out("status", "--date", "2026-06-01")
    assert rows and all(row["data_ends"] == "2025-04-22" for row in rows)
    assert all(list(row)[:5] == ["code", "name", "status", "label", "decided_by"] for row in rows)
    # After the last record: the last known state.
    last = json_out("status", "--date", "2025-04-22")
    assert [r["status"] for r in rows] == [r["status"] for r in last]


def test_statements_json_rows_say_where_the_data_ends_and_still_load(tmp_path):
    rows = json_out("statements", "--to", "2026-06-01")
    assert rows and all(list(row) == [*EXPORT_KEYS, "data_ends"] for row in rows)
    assert {row["data_ends"] for row in rows} == {"2025-04-22"}
    export = tmp_path / "export.json"
    export.write_text(json.dumps(rows), encoding="utf-8")
    assert len(load_claims([export])) == len(rows)  # data_ends is accepted (and ignored) on load


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (("status", "--date", "2026-06-01"), f"{NOTE}; 1 Jun 2026 shows the last known state"),
        (("status", "--date", "2025"), f"{NOTE}; later days of 2025 show the last known state"),
        (("statements", "--to", "2026-06-01"), f"{NOTE}; nothing is known after it (asked up to 1 Jun 2026)"),
        (("statements", "--from", "2026"), f"{NOTE}; nothing is known after it (asked up to 2026)"),
    ],
)
def test_human_output_notes_dates_past_the_data(args, note):
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [note]


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--date", "2023-02-28"),
        ("statements", "--to", "2023-02"),
        ("statements",),
        ("status", "--date", "2024", "--format", "json"),
    ],
)
def test_no_note_when_the_dates_are_inside_the_data_or_the_output_is_json(args):
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


# ---------------------------------------------------------------------------
# Item 15: source in CSV and table


def test_statements_csv_gives_the_source_its_own_columns():
    result = invoke("statements", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert list(rows[0]) == list(CSV_KEYS)
    assert "source" not in rows[0]
    assert CSV_KEYS[-4:] == ("source_publisher", "source_title", "source_published", "source_url")
    by_id = {row["id"]: row for row in json_out("statements")}
    for row in rows:
        source = by_id[row["id"]]["source"]
        assert [row["source_publisher"], row["source_title"], row["source_published"], row["source_url"]] == [
            source["publisher"],
            source["title"],
            source["published"],
            source["url"] or "",
        ]


def test_statements_table_has_a_short_source():
    lines = invoke(
        "statements", "--kind", "assessment", "--from", "2023-02-28", "--to", "2023-02-28"
    ).stdout.splitlines()
    assert lines[0].split()[-1] == "source"
    assert lines[2].endswith("Reuters, 2023-02-28")


def test_a_long_publisher_is_shortened_in_the_table(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps([record(source={**SOURCE, "publisher": "P" * 150})]), encoding="utf-8")
    line = invoke("statements", "--no-bundled", "--claims", str(path)).stdout.splitlines()[2]
    assert line.endswith("P" * 39 + "…, 2023-02-28")


# ---------------------------------------------------------------------------
# Item 15: errors in JSON files name the line; up to 20 errors are shown


def test_json_claims_errors_name_the_line_of_the_record(tmp_path):
    text = (
        '{\n  "sources": {\n    "a": {"publisher": "P", "title": "T", "published": "2023-02-28"},\n'
        '    "b": {"publisher": "P", "title": "T", "published": "someday"}\n  },\n  "records": [\n'
        + json.dumps(record(id="good", source="a"))
        + ",\n"
        + json.dumps(record(id="bad", date="28/02/2023", source="a"))
        + ",\n  \n  "
        + json.dumps(record(id="also-bad", regions=["UA-99"]), indent=2)
        + "\n  ]\n}\n"
    )
    path = tmp_path / "claims.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    errors = excinfo.value.errors
    assert errors[0].startswith(f"{path}: source 'b' (line 4): field 'published'"), errors
    assert errors[1].startswith(f"{path}: record 'bad' (line 8): field 'date'"), errors
    assert errors[2].startswith(f"{path}: record 'also-bad' (line 10): field 'regions'"), errors


def test_a_json_list_of_records_names_lines_too(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(
        "[\n"
        + ",\n".join(json.dumps(record(id=f"r-{i}")) for i in range(3))
        + ",\n"
        + json.dumps(record(id="r-3", kind="rumour"))
        + "\n]",
        encoding="utf-8",
    )
    with pytest.raises(ClaimsValidationError, match=r"record 'r-3' \(line 5\): field 'kind'"):
        load_claims([path])


def _many_bad(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "claims.json"
    path.write_text(
        "[\n" + ",\n".join(json.dumps(record(id=f"r-{i}", kind="rumour")) for i in range(count)) + "\n]",
        encoding="utf-8",
    )
    return path


def test_up_to_20_errors_are_shown(tmp_path):
    path = _many_bad(tmp_path, 30)
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    lines = str(excinfo.value).splitlines()
    assert (
        lines[0] == f"{path}: record 'r-0' (line 2): field 'kind': unknown kind 'rumour'; expected one of: "
        f"statement, event, assessment (and 29 more errors)"
    )
    assert lines[1:20] == [
        f"  {path}: record 'r-{i}' (line {i + 2}): field 'kind': unknown kind 'rumour'; "
        f"expected one of: statement, event, assessment"
        for i in range(1, 20)
    ]
    assert lines[20:] == ["  … and 10 more errors"]


def test_the_cli_prints_the_errors_under_one_error_line(tmp_path):
    result = invoke("statements", "--no-bundled", "--claims", str(_many_bad(tmp_path, 3)))
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"contested-map: error: {tmp_path}") and lines[0].endswith("(and 2 more errors)")
    assert [line[: len(str(tmp_path)) + 2] for line in lines[1:]] == [f"  {tmp_path}"] * 2
