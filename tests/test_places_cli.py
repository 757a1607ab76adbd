"""`contested-map place NAME`: JSON keys, the table in both languages, namesakes, unknown names."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from dashboard.cli import cli
from dashboard.cli.places import HISTORY_KEYS, PLACE_KEYS
from dashboard.core.place_history import place_history
from dashboard.sources.control_cache import load_control
from dashboard.sources.places import load_places


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="contested-map")


@pytest.mark.slow
def test_json_keys_exactly():
    result = invoke("place", "Artemivsk", "--format", "json")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record) == list(PLACE_KEYS) == ["name", "lat", "lon", "admin1", "history", "geonameid", "matches"]
    assert (record["name"], record["geonameid"], record["admin1"]) == ("Bakhmut", 713174, "UA-14")
    assert (record["lat"], record["lon"]) == (48.59441, 37.99983)
    assert all(list(run) == list(HISTORY_KEYS) == ["from", "to", "held", "source"] for run in record["history"])
    assert record["history"] == [
        {
            "from": "2024-07-09",
            "to": "2026-08-21",
            "held": True,
            "source": "DeepStateMap via cyterat/deepstate-map-data",
        }
    ]
    # The small Artemivsk in Luhansk Oblast answers to the same name: listed, not silently dropped.
    assert [m["geonameid"] for m in record["matches"]] == [713175]


@pytest.mark.slow
def test_the_cli_reads_what_the_page_reads():
    record = json.loads(invoke("place", "Pokrovsk", "--format", "json").stdout)
    gazetteer = load_places()
    expected = place_history(load_control(), gazetteer.get(record["geonameid"]))
    assert record["history"] == [run.as_json() for run in expected.runs]
    assert [(r["from"], r["held"]) for r in record["history"]] == [("2024-07-09", False), ("2025-11-20", True)]


@pytest.mark.slow
def test_a_name_with_spaces_and_cyrillic():
    assert json.loads(invoke("place", "Chasiv", "Yar", "--format", "json").stdout)["name"] == "Chasiv Yar"
    assert json.loads(invoke("place", "Покровськ", "--format", "json").stdout)["geonameid"] == 704422


@pytest.mark.slow
def test_namesakes_are_listed():
    record = json.loads(invoke("place", "Mykolaivka", "--format", "json").stdout)
    assert len(record["matches"]) >= 5
    assert record["geonameid"] not in {m["geonameid"] for m in record["matches"]}


@pytest.mark.slow
def test_table_in_english_and_ukrainian():
    result = invoke("place", "Pokrovsk")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Pokrovsk (Donetsk, 48.28198, 37.17585), geonameid 704422"
    assert lines[1] == "Held by Russian forces per DeepStateMap since 20 Nov 2025; not held on 19 Nov 2025."
    assert lines[2].split() == ["from", "to", "held", "source"]
    assert lines[4].split()[:3] == ["2024-07-09", "2025-11-19", "false"]
    uk = invoke("place", "Pokrovsk", "--lang", "uk").stdout.splitlines()
    assert uk[0].startswith("Pokrovsk (Донецька область, 48,28198")
    assert uk[1].startswith("Утримують російські сили за DeepStateMap з 20 лист. 2025")
    assert uk[2].split() == ["від", "до", "утримується", "джерело"]


def test_unknown_name_is_one_line_with_suggestions_and_exit_2():
    result = invoke("place", "Bahkmut")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["contested-map: error: no place named 'Bahkmut' in the gazetteer; close matches: Bakhmut"]
    nothing = invoke("place", "Zzzqqx")
    assert nothing.exit_code == 2 and len(nothing.stderr.strip().splitlines()) == 1
    assert "'Zzzqqx'" in nothing.stderr and nothing.stdout == ""


@pytest.mark.slow
def test_a_cache_without_the_table_says_so(tmp_path):
    import shutil

    from dashboard.sources.control_cache import bundled_control_dir

    folder = tmp_path / "old"
    shutil.copytree(bundled_control_dir(), folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / manifest["files"].pop("places")).unlink()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = invoke("place", "Pokrovsk", "--format", "json", "--control", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Computed when the data was loaded, from the simplified geometry")
    assert json.loads(result.stdout)["history"][-1]["held"] is True
