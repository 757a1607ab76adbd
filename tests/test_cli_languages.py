"""`--lang` on the command line: tables, notes and exported images in Ukrainian;
JSON and CSV keys the same in every language."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.testing import needs_export_browser

REPO = Path(__file__).resolve().parents[1]
DECLARED_UK = "Анексію оголошено Росією (Україна та більшість держав її не визнають)"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map")


def table(result: Result) -> list[list[str]]:
    """A table's lines split into cells (two or more spaces apart); the dashes line dropped."""
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert set(lines[1]) <= {"-", " "}
    return [[cell.strip() for cell in line.split("  ") if cell.strip()] for line in [lines[0], *lines[2:]]]


def test_regions_table_in_ukrainian():
    rows = table(invoke("regions", "--lang", "uk"))
    assert rows[0] == ["код", "назва (англ.)", "назва (укр.)", "назва (рос.)", "площа, км²", "спірний", "група"]
    donetsk = next(r for r in rows if r[0] == "UA-14")
    assert donetsk[2] == "Донецька область" and donetsk[5] == "так" and "," in donetsk[4]
    assert next(r for r in rows if r[0] == "UA-05")[5] == "ні"
    assert len(rows) == 1 + 27


def test_status_table_in_ukrainian():
    rows = table(invoke("status", "--date", "2023-02-28", "--lang", "uk"))
    assert rows[0] == ["код", "назва", "статус", "статус словами", "вирішальні записи"]
    assert rows[1][:4] == ["UA-43", "Автономна Республіка Крим", "annexation_declared", DECLARED_UK]
    assert {r[1] for r in rows[1:]} == {
        "Автономна Республіка Крим",
        "Севастополь",
        "Донецька область",
        "Луганська область",
        "Херсонська область",
        "Запорізька область",
    }


def test_status_note_in_ukrainian():
    result = invoke("status", "--date", "2026-06-01", "--lang", "uk")
    assert result.exit_code == 0
    assert result.stderr.strip() == (
        "примітка: завантажені записи закінчуються 22 квіт. 2025; для 1 черв. 2026 показано останній відомий стан"
    )


def test_statements_table_and_note_in_ukrainian():
    result = invoke("statements", "--to", "2026-06", "--lang", "uk")
    rows = table(result)
    assert rows[0] == ["дата", "вид", "id", "хто сказав", "регіони", "суть", "джерело"]
    # Claim text stays in the language of its source; codes stay codes.
    assert any("Russia" in cell for row in rows[1:] for cell in row)
    assert result.stderr.strip() == (
        "примітка: завантажені записи закінчуються 22 квіт. 2025; після цього нічого не відомо (запит до черв. 2026)"
    )


def test_control_shares_table_in_ukrainian():
    result = invoke("control", "shares", "--region", "Kherson", "--to", "2099-01-01", "--lang", "uk")
    rows = table(result)
    assert rows[0] == [
        "дата",
        "код",
        "назва",
        "рос. сили, км²",
        "рос. сили, частка",
        "сіра зона, км²",
        "сіра зона, частка",
        "знімок",
        "джерело",
        "ліцензія",
    ]
    assert rows[1][:3] == ["2099-01-01", "UA-65", "Херсонська область"]
    assert rows[1][3].replace(",", "").isdigit() and rows[1][4].startswith("0,")
    # The first line names the source and its licence (control sources), then the notes.
    assert result.stderr.splitlines()[0] == "джерело: DeepStateMap через cyterat/deepstate-map-data (ліцензія: GPL-3.0)"
    assert result.stderr.splitlines()[1].startswith("примітка: дані про контроль закінчуються ")


def test_json_and_csv_keys_do_not_change_with_the_language():
    for args in (("status", "--date", "2023-02-28"), ("regions",), ("statements",)):
        en = json.loads(invoke(*args, "--format", "json").stdout)
        uk = json.loads(invoke(*args, "--format", "json", "--lang", "uk").stdout)
        assert [list(r) for r in uk] == [list(r) for r in en]
    uk_status = json.loads(invoke("status", "--date", "2023-02-28", "--format", "json", "--lang", "uk").stdout)
    assert uk_status[0]["status"] == "annexation_declared" and uk_status[0]["label"] == DECLARED_UK
    en_csv = invoke("control", "shares", "--format", "csv").stdout
    uk_csv = invoke("control", "shares", "--format", "csv", "--lang", "uk").stdout
    assert en_csv.splitlines()[0] == uk_csv.splitlines()[0]
    assert next(iter(csv.DictReader(io.StringIO(uk_csv))))["occupied_share"].startswith("0.")


def test_english_stays_the_default():
    assert table(invoke("status", "--date", "2023-02-28"))[0] == ["code", "name", "status", "label", "decided_by"]
    assert table(invoke("regions", "--lang", "en"))[1][5] == "false"


def test_unknown_language_is_one_line():
    result = invoke("status", "--date", "2023-02-28", "--lang", "xx")
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'--lang'" in lines[0] and "'en', 'uk'" in lines[0]


# ---------------------------------------------------------------------------
# export --lang uk: the image's title, legend and attribution


def run_export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--lang", "uk", *args],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.export
@pytest.mark.slow
def test_export_svg_in_ukrainian(tmp_path):
    needs_export_browser()
    out = tmp_path / "map.svg"
    result = run_export("--to", "2023-02-28", "--region", "Donetsk", "-o", str(out))
    assert result.returncode == 0, result.stderr
    # Legend rows wrap into several lines (tspans): the words, whatever the breaks.
    words = " ".join(
        " ".join(" ".join(e.itertext()) for e in ET.parse(out).getroot().iter() if e.tag.endswith("text")).split()
    )
    assert "Донецька область: статус на 28 лют. 2023" in words
    for label in (DECLARED_UK, "Анексію не оголошено", "Статус показує, що оголосила Росія"):
        assert label in words
    assert "Annexation declared" not in words and "status on" not in words


@pytest.mark.export
@pytest.mark.slow
def test_export_png_and_pdf_in_ukrainian(tmp_path):
    needs_export_browser()
    pypdf = pytest.importorskip("pypdf")
    png, pdf = tmp_path / "map.png", tmp_path / "map.pdf"
    assert run_export("--to", "2023-02-28", "-o", str(png)).returncode == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    result = run_export("--to", "2026-06-01", "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pypdf.PdfReader(pdf, strict=True).metadata.title == "Спірні регіони України: статус на 1 черв. 2026"
    assert result.stderr.startswith("примітка: завантажені записи закінчуються 22 квіт. 2025;")


@pytest.mark.export
@pytest.mark.slow
def test_export_batch_summary_in_ukrainian(tmp_path):
    needs_export_browser()
    result = run_export("--dates", "2014-03,2014-03-31,2023-02-28", "--format", "svg", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "2014-03 і 2014-03-31 — той самий день; експортується один раз" in result.stderr
    assert "записано 2 зображення в " in result.stderr
