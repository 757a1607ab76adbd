"""`contested-map statements` and `contested-map status`: output, filters, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.core.claims import CSV_KEYS, EXPORT_KEYS
from dashboard.core.regions import CONTESTED_CODES, CRIMEA_CODES, FOUR_REGIONS

REPO = Path(__file__).resolve().parents[1]
SOURCE = {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map")


def assert_one_line_error(result: Result, *fragments: str, code: int | None = None) -> None:
    assert result.exit_code != 0
    if code is not None:
        assert result.exit_code == code
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("contested-map: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def json_out(*args: str) -> list[dict]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ids(*args: str) -> list[str]:
    return [row["id"] for row in json_out("statements", *args)]


# ---------------------------------------------------------------------------
# statements


def test_statements_json_has_the_export_keys_sorted_by_date():
    rows = json_out("statements")
    assert len(rows) >= 17
    assert all(list(row) == [*EXPORT_KEYS, "data_ends"] for row in rows)
    starts = [row["date"][:4] for row in rows]
    assert starts == sorted(starts)
    assert rows[0]["id"] == "russia-annexes-crimea-2014"


@pytest.mark.parametrize(
    ("args", "included", "excluded"),
    [
        (
            ("--from", "2022-09-15", "--to", "2022-09-20"),
            {"referendums-four-regions-2022", "russia-proclaims-annexation-four-regions"},
            {"four-regions-accession-treaties-2022-09-30", "peskov-never-compromise"},
        ),
        (
            ("--to", "2014"),
            {"russia-annexes-crimea-2014", "crimea-accession-treaty-2014-03-18"},
            {"referendums-four-regions-2022"},
        ),
        (
            ("--from", "2023"),
            {"peskov-never-compromise", "constitutional-decree-constituent-subjects"},
            {"russia-proclaims-annexation-four-regions"},
        ),
        (
            ("--region", "UA-40"),
            {"russia-annexes-crimea-2014", "ukraine-troops-must-leave-before-peace-plan"},
            {"peskov-never-compromise"},
        ),
        (
            ("--party", "west"),
            {"kyiv-west-pretext-land-grab", "kyiv-west-referendums-bogus-illegal"},
            {"peskov-never-compromise"},
        ),
        (("--kind", "assessment"), {"reuters-no-full-control-four-regions"}, {"peskov-never-compromise"}),
        (
            ("--kind", "event", "--kind", "assessment", "--party", "media", "--party", "russia"),
            {"reuters-no-full-control-four-regions", "russia-annexes-crimea-2014"},
            {"moscow-fighting-to-liberate"},
        ),
    ],
)
def test_statements_filters(args, included, excluded):
    found = set(ids(*args))
    assert included <= found
    assert not excluded & found


@pytest.mark.parametrize("name", ["Krym", "crimea", "UA-43", "Autonomous Republic of Crimea"])
def test_region_by_name(name):
    assert ids("--region", name) == ids("--region", "UA-43")
    assert "russia-annexes-crimea-2014" in ids("--region", name)


@pytest.mark.parametrize("name", ["Lugansk", "zaporozhye", "UA-14"])
def test_region_spellings_reach_the_four_regions(name):
    assert "russia-proclaims-annexation-four-regions" in ids("--region", name)


def test_statements_table_and_csv():
    table = invoke("statements").stdout.splitlines()
    assert table[0].split()[:3] == ["date", "kind", "id"]
    result = invoke("statements", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(CSV_KEYS)
    assert len(rows) == len(json_out("statements"))


def test_csv_neutralises_formulas(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "records": [
                    {
                        "id": "formula",
                        "kind": "statement",
                        "date": "2023-02-28",
                        "speaker": '=HYPERLINK("x")',
                        "parties": ["russia"],
                        "regions": ["UA-14"],
                        "quote": "+1+1",
                        "summary": "-2 says @me.",
                        "source": SOURCE,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    result = invoke("statements", "--no-bundled", "--claims", str(path), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["speaker"].startswith("'=") and row["quote"] == "'+1+1" and row["summary"].startswith("'-")


def test_claims_option_merges_and_round_trips(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(invoke("statements", "--format", "json").stdout, encoding="utf-8")
    assert json.loads(
        invoke("statements", "--no-bundled", "--claims", str(export), "--format", "json").stdout
    ) == json_out("statements")
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        yaml.safe_dump(
            {
                "records": [
                    {
                        "id": "my-own-claim",
                        "kind": "statement",
                        "date": "2023-02",
                        "speaker": "Someone",
                        "parties": ["un"],
                        "regions": ["UA-65"],
                        "summary": "Someone says something.",
                        "source": SOURCE,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    merged = ids("--no-bundled", "--claims", str(export), "--claims", str(extra))
    assert "my-own-claim" in merged and len(merged) == len(ids()) + 1
    assert ids("--claims", str(extra)) == merged  # --claims adds to the bundled records
    assert ids("--no-bundled", "--claims", str(extra)) == ["my-own-claim"]


@pytest.mark.parametrize("value", ["28/02/2023", "2023-2-28", "2023-02-30", "yesterday", "2023-02-28T00:00"])
@pytest.mark.parametrize("option", ["--from", "--to"])
def test_bad_dates_are_one_line_errors(option, value):
    assert_one_line_error(invoke("statements", option, value), f"'{option}'", repr(value), code=2)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--from", "2023", "--to", "2022"), ("'--from'", "2023 is after --to 2022")),
        (("--region", "Atlantis"), ("unknown region 'Atlantis'", "Donetsk")),
        (("--party", "nato"), ("'--party'", "'nato'")),
        (("--kind", "rumour"), ("'--kind'", "'rumour'")),
        (("--format", "xml"), ("'--format'",)),
    ],
)
def test_bad_options_are_one_line_errors(args, fragments):
    assert_one_line_error(invoke("statements", *args), *fragments)


def test_bad_claims_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "claims.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "records": [
                    {
                        "id": "a",
                        "kind": "statement",
                        "date": "28/02/2023",
                        "speaker": "X",
                        "parties": ["nato"],
                        "regions": ["UA-14"],
                        "summary": "S.",
                        "source": SOURCE,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    # Two errors: a self-contained first line, then the other error indented below it.
    for args in (("statements",), ("status", "--date", "2020")):
        result = invoke(*args, "--no-bundled", "--claims", str(bad))
        assert result.exit_code == 1 and result.stdout == ""
        first, second = result.stderr.strip().splitlines()
        assert first.startswith(f"contested-map: error: {bad}: record 'a' (line ") and "field 'date'" in first
        assert first.endswith("(and 1 more error)")
        assert second.startswith(f"  {bad}: record 'a' (line ") and "field 'parties'" in second
    assert_one_line_error(invoke("statements", "--claims", str(tmp_path / "absent.json")), "claims file not found")


# ---------------------------------------------------------------------------
# status


@pytest.mark.parametrize(
    ("day", "crimea", "four"),
    [
        ("2013-06-01", "no_annexation_declared", "no_annexation_declared"),
        ("2020-06-01", "annexation_declared", "no_annexation_declared"),
        ("2023-02-28", "annexation_declared", "annexation_declared"),
        ("2022-09-15", "annexation_declared", "no_annexation_declared"),
        ("2022-09", "annexation_declared", "uncertain"),
    ],
)
def test_status_json(day, crimea, four):
    rows = json_out("status", "--date", day)
    assert [r["code"] for r in rows] == list(CONTESTED_CODES)
    assert all(set(r) == {"code", "name", "status", "label", "decided_by", "data_ends"} for r in rows)
    by_code = {r["code"]: r for r in rows}
    assert {by_code[c]["status"] for c in CRIMEA_CODES} == {crimea}
    assert {by_code[c]["status"] for c in FOUR_REGIONS} == {four}
    assert by_code["UA-40"]["name"] == "Sevastopol"
    if crimea == "annexation_declared":
        assert "russia-annexes-crimea-2014" in by_code["UA-43"]["decided_by"]


def test_status_without_enrichment():
    # Article records only: Crimea's "in 2014" is uncertain until the year ends; the four regions'
    # "last September" is settled by NPR's 30 Sep 2022.
    rows = json_out("status", "--date", "2014-06-01", "--no-enrichment")
    assert {r["status"] for r in rows if r["code"] in CRIMEA_CODES} == {"uncertain"}
    assert {r["status"] for r in json_out("status", "--date", "2014-06-01") if r["code"] in CRIMEA_CODES} == {
        "annexation_declared"
    }
    rows = json_out("status", "--date", "2022-09-15", "--no-enrichment")
    assert {r["status"] for r in rows if r["code"] in FOUR_REGIONS} == {"no_annexation_declared"}


def test_status_table():
    result = invoke("status", "--date", "2023-02-28")
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["code", "name", "status"]
    assert len(lines) == 2 + 6


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        ((), ("Missing option '--date'",)),
        (("--date", "01.06.2020"), ("'--date'", "expected YYYY, YYYY-MM or YYYY-MM-DD", "'01.06.2020'")),
        (("--date", "2020-06-01", "--format", "csv"), ("'--format'",)),
    ],
)
def test_status_errors(args, fragments):
    assert_one_line_error(invoke("status", *args), *fragments, code=2)


@pytest.mark.slow
def test_through_python_m_dashboard():
    """The real entry point, as a user runs it: same one-line error and exit code."""
    command = [sys.executable, "-m", "dashboard", "statements", "--from", "last year"]
    result = subprocess.run(command, cwd=REPO, check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "contested-map: error: Invalid value for '--from': expected YYYY, YYYY-MM or YYYY-MM-DD, got 'last year'"
    ]
    ok = subprocess.run(
        [sys.executable, "-m", "dashboard", "status", "--date", "2020-06-01", "--format", "json"],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert {r["status"] for r in json.loads(ok.stdout)} == {"annexation_declared", "no_annexation_declared"}


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_status_never_says_uncontested(fmt):
    """Donetsk and Luhansk were contested in 2014-2022 with no
    annexation declared; the status says exactly that, never "uncontested"."""
    for day in ("2013-06-01", "2018-01-01", "2023-02-28"):
        out = invoke("status", "--date", day, "--format", fmt).stdout
        assert "uncontested" not in out.lower()
    rows = json_out("status", "--date", "2018-01-01")
    assert {r["status"] for r in rows if r["code"] in FOUR_REGIONS} == {"no_annexation_declared"}
