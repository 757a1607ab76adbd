"""`contested-map control change`: JSON keys, CSV, the table in two languages, months, one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.test_control_cli import invoke, one_line_error

KEYS = ["code", "name", "from_snapshot", "to_snapshot", "gained_km2", "lost_km2", "net_km2", "share_from", "share_to"]


def _json(*args: str) -> list[dict]:
    result = invoke("control", "change", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_keys_exactly_and_the_net_is_the_share_table_difference():
    rows = _json("--from", "2024-07-09", "--to", "2026-08-21")
    assert [list(r) for r in rows] == [KEYS] * 6
    assert [r["code"] for r in rows] == ["UA-43", "UA-40", "UA-14", "UA-09", "UA-65", "UA-23"]
    donetsk = next(r for r in rows if r["code"] == "UA-14")
    shares = {
        r["date"]: r
        for r in json.loads(
            invoke(
                "control",
                "shares",
                "--from",
                "2024-07-09",
                "--to",
                "2024-07-09",
                "--region",
                "UA-14",
                "--format",
                "json",
            ).stdout
        )
        + json.loads(invoke("control", "shares", "--to", "2026-08-21", "--region", "UA-14", "--format", "json").stdout)
    }
    expected = shares["2026-08-21"]["occupied_km2"] - shares["2024-07-09"]["occupied_km2"]
    assert donetsk["net_km2"] == pytest.approx(expected, abs=0.11)
    assert donetsk["net_km2"] > 5000
    assert donetsk["gained_km2"] - donetsk["lost_km2"] == pytest.approx(donetsk["net_km2"], abs=0.11)
    assert (donetsk["from_snapshot"], donetsk["to_snapshot"]) == ("2024-07-09", "2026-08-21")
    assert donetsk["share_from"] < donetsk["share_to"]


def test_region_filter_takes_crimea_as_the_peninsula_and_to_defaults_to_the_last_snapshot():
    rows = _json("--from", "2025-01-01", "--region", "Sevastopol")
    assert [r["code"] for r in rows] == ["UA-43", "UA-40"]
    assert {r["to_snapshot"] for r in rows} == {"2026-08-21"}


@pytest.mark.slow
def test_by_month_adds_month_and_the_months_add_up():
    rows = _json("--from", "2025-08-01", "--to", "2025-11-15", "--region", "Donetsk", "--by", "month")
    assert [list(r) for r in rows] == [["month", *KEYS]] * 4
    assert [r["month"] for r in rows] == ["2025-08", "2025-09", "2025-10", "2025-11"]
    assert rows[1]["from_snapshot"] == "2025-08-31" and rows[-1]["to_snapshot"] == "2025-11-15"
    whole = _json("--from", "2025-08-01", "--to", "2025-11-15", "--region", "Donetsk")[0]["net_km2"]
    assert sum(r["net_km2"] for r in rows) == pytest.approx(whole, abs=0.3)


def test_before_the_first_snapshot_is_said_not_invented():
    result = invoke(
        "control", "change", "--from", "2024-06-01", "--to", "2024-08-01", "--region", "UA-14", "--format", "json"
    )
    row = json.loads(result.stdout)[0]
    assert row["from_snapshot"] is None and row["net_km2"] is None and row["gained_km2"] is None
    assert row["to_snapshot"] == "2024-08-01" and row["share_to"] > 0.5
    assert "control data starts on 9 Jul 2024" in result.stderr


def test_csv_keeps_negative_numbers_numbers():
    out = invoke(
        "control", "change", "--from", "2026-07-31", "--to", "2026-08-21", "--region", "Donetsk", "--format", "csv"
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == KEYS
    assert float(rows[0]["net_km2"]) < 0  # -8.7: Donetsk lost ground net in those three weeks


def test_table_in_english_and_ukrainian():
    english = invoke("control", "change", "--from", "2024-07-09", "--to", "2026-08-21", "--region", "UA-14").stdout
    assert english.splitlines()[0].split() == KEYS and "Donetsk" in english and "5485.6" in english
    ukrainian = invoke(
        "control", "change", "--from", "2024-07-09", "--to", "2026-08-21", "--region", "UA-14", "--lang", "uk"
    ).stdout
    assert "Донецька область" in ukrainian and "5485,6" in ukrainian
    assert "gained_km2" not in ukrainian.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--from", "2024-13-01"], ["'--from'", "not a day"]),
        (["--from", "2025-01-01", "--to", "2025-02"], ["'--to'", "expected YYYY-MM-DD"]),
        (["--from", "2025-02-01", "--to", "2025-01-01"], ["'--from'", "after --to"]),
        (["--from", "2025-01-01", "--region", "Atlantis"], ["'--region'", "unknown region 'Atlantis'"]),
        (["--from", "2025-01-01", "--region", "Kharkiv"], ["'--region'", "not a contested region"]),
        (["--to", "2025-01-01"], ["'--from'"]),
        (["--from", "2025-01-01", "--by", "week"], ["'--by'"]),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, fragments):
    result = invoke("control", "change", *args)
    one_line_error(result, *fragments)
    assert result.exit_code == 2
