"""`contested-map draft`: output formats, the review workflow through the real loader,
and bad input (empty, binary, 20 MB, a dateline after today, no quotes)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import SHARED, need_shared
from test_cli_claims import assert_one_line_error  # the one check of a one-line CLI error

from dashboard.cli import cli
from dashboard.core.errors import DataError
from dashboard.sources.claims_load import load_claims

REPO = Path(__file__).resolve().parents[1]
ARTICLE = """URL: https://example.org/a
Outlet: Example News
Title: Talks
Date: 2023-02-28
---
Kremlin spokesman Dmitry Peskov spoke in Moscow about the four regions.

"Russia will never compromise on this," Peskov said on Tuesday.

Zelensky said Crimea would return to Ukraine.
"""
OPTIONS = ("--publisher", "Example News", "--title", "Talks", "--published", "2023-02-28")


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map", input=stdin)


@pytest.fixture()
def article(tmp_path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_yaml_draft_records_need_review_and_carry_evidence(article):
    result = invoke("draft", str(article), *OPTIONS, "--url", "https://example.org/a")
    assert result.exit_code == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    records = document["records"]
    assert [r["id"] for r in records] == ["example-news-2023-02-28-01", "example-news-2023-02-28-02"]
    quote, reported = records
    assert quote["review"] == "needed" and quote["kind"] == "statement" and quote["confidence"] == "high"
    assert (quote["speaker"], quote["parties"], quote["date"], quote["date_phrase"]) == (
        "Dmitry Peskov",
        ["russia"],
        "2023-02-28",
        "on Tuesday",
    )
    body = ARTICLE.split("---\n", 1)[1]
    assert body[quote["evidence"]["start"] : quote["evidence"]["end"]] == quote["quote"]
    assert "summary to be written" in quote["review_reasons"]
    assert quote["summary"].startswith("DRAFT:")
    assert (reported["quote"], reported["confidence"], reported["regions"]) == (None, "low", ["UA-43", "UA-40"])
    assert document["sources"]["example-news-2023-02-28"]["url"] == "https://example.org/a"
    assert result.stderr.strip().splitlines()[-1].startswith("2 draft records from ")
    assert "1 dated by the dateline" in result.stderr


def test_a_draft_is_refused_until_reviewed_then_loads(article, tmp_path):
    out = tmp_path / "draft.yaml"
    assert invoke("draft", str(article), *OPTIONS, "-o", str(out)).exit_code == 0
    with pytest.raises(DataError) as refused:
        load_claims([out])
    first = str(refused.value).splitlines()[0]
    assert f"{out}: record 'example-news-2023-02-28-01' (line " in first
    assert "a draft to review" in first and "review: done" in first
    out.write_text(out.read_text(encoding="utf-8").replace("review: needed", "review: done"), encoding="utf-8")
    # "Done" with the placeholder summary is not done: refused in one line, naming the field.
    with pytest.raises(DataError) as placeholder:
        load_claims([out])
    first = str(placeholder.value).splitlines()[0]
    assert f"{out}: record 'example-news-2023-02-28-01' (line " in first
    assert "summary" in first and "placeholder" in first
    text = out.read_text(encoding="utf-8")
    out.write_text(
        text.replace("DRAFT: summary to be written by the reviewer.", "Peskov said the regions stay."), encoding="utf-8"
    )
    claims = load_claims([out])
    assert [c.speaker for c in claims] == ["Dmitry Peskov", "Volodymyr Zelensky"]
    assert claims.by_id["example-news-2023-02-28-01"].date_phrase == "on Tuesday"


def test_json_output_loads_too_once_reviewed(article, tmp_path):
    out = tmp_path / "draft.json"
    result = invoke("draft", str(article), *OPTIONS, "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    document = json.loads(out.read_text(encoding="utf-8"))
    for record in document["records"]:
        record["review"] = "done"
    out.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DataError, match="placeholder"):
        load_claims([out])
    for record in document["records"]:
        record["summary"] = "What the record says."
    out.write_text(json.dumps(document), encoding="utf-8")
    assert len(load_claims([out])) == 2


def test_standard_input(article):
    result = invoke("draft", "-", *OPTIONS, "--format", "json", stdin=article.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["records"]) == 2
    assert "from standard input" in result.stderr


def test_an_article_without_quotes_gives_an_empty_draft_and_exit_0(tmp_path):
    path = tmp_path / "calm.txt"
    path.write_text("Nothing was said today. The weather in Kherson was mild.\n", encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = invoke("draft", str(path), *OPTIONS, "-o", str(out))
    assert result.exit_code == 0
    assert "no quotes or reported statements found" in result.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["records"] == []
    assert len(load_claims([out])) == 0


@pytest.mark.parametrize(
    "content, fragments",
    [
        (b"", ("the article is empty",)),
        (b"   \n\n \n", ("the article is empty",)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("binary data", "NUL byte")),
        ("Zelensky said “Крим”.".encode("utf-16"), ("binary data",)),
        (b"Peskov said \xff\xfe ok", ("not UTF-8 text", "byte 12")),
    ],
)
def test_bad_articles_are_one_line_errors(tmp_path, content, fragments):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert_one_line_error(invoke("draft", str(path), *OPTIONS), str(path), *fragments)


def test_a_20_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    assert_one_line_error(invoke("draft", str(path), *OPTIONS), "21.0 MB is too large for an article")


def test_20_mb_on_standard_input_is_refused():
    result = invoke("draft", "-", *OPTIONS, stdin=b"Peskov said it. " * (20 * 1024 * 1024 // 16))
    assert_one_line_error(result, "standard input", "too large for an article")


def test_a_dateline_after_today_is_refused(article):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert_one_line_error(
        invoke("draft", str(article), "--publisher", "P", "--title", "T", "--published", tomorrow),
        "'--published'",
        "after today",
    )


@pytest.mark.parametrize(
    "args, fragments",
    [
        (("--publisher", "P", "--title", "T", "--published", "2023-02"), ("'--published'", "YYYY-MM-DD")),
        (("--publisher", "P", "--title", "T", "--published", "28/02/2023"), ("'--published'",)),
        (("--publisher", "P", "--title", "T", "--published", "2023-02-28", "--url", "javascript:x"), ("'--url'",)),
        (("--publisher", " ", "--title", "T", "--published", "2023-02-28"), ("'--publisher'",)),
        (("--title", "T", "--published", "2023-02-28"), ("--publisher",)),
    ],
)
def test_bad_options_are_one_line_errors(article, args, fragments):
    assert_one_line_error(invoke("draft", str(article), *args), *fragments)


def test_missing_article_and_bad_gazetteer(article, tmp_path):
    assert_one_line_error(invoke("draft", str(tmp_path / "nope.txt"), *OPTIONS), "article file not found")
    bad = tmp_path / "speakers.yaml"
    bad.write_text("speakers:\n  - name: X\n    party: mars\n", encoding="utf-8")
    assert_one_line_error(
        invoke("draft", str(article), *OPTIONS, "--speakers", str(bad)), str(bad), "speaker #1 (X)", "'party'"
    )


def test_output_over_a_symlink_is_refused_and_nothing_written(article, tmp_path):
    target = tmp_path / "elsewhere.yaml"
    link = tmp_path / "draft.yaml"
    link.symlink_to(target)
    assert_one_line_error(invoke("draft", str(article), *OPTIONS, "-o", str(link)), "symbolic link")
    assert not target.exists()


@pytest.mark.slow
def test_the_command_runs_as_installed():
    """The real entry point: one process, the documented command line, a shared article if present."""
    seed = need_shared(SHARED / "seed" / "article-2023-02-28.txt")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "draft",
            str(seed),
            "--publisher",
            "Reuters",
            "--title",
            "Kremlin: Russia open to Ukraine talks",
            "--published",
            "2023-02-28",
        ],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert len(yaml.safe_load(run.stdout)["records"]) >= 7
