"""Every CSV the project writes survives any text in any field.

A bare carriage return used to leave a cell unquoted (the writer only quoted
the "\\n" line terminator), so spreadsheets and Python's csv split the row
there and the next "row" began with a formula. Now every cell is quoted, and
a formula prefix is neutralised at the start of the cell and at the start of
every line inside it.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.cli import cli
from dashboard.sources.tabular import neutralise_cell, to_csv

SOURCE = {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}
HOSTILE = "Nothing to see\r=cmd|' /C calc'!A0"


def _expected(text: str) -> str:
    """The documented neutralisation, written independently of the implementation:
    a quote before a formula character that starts a line inside the cell (after any
    line break str.splitlines knows), and one before the whole cell if it starts with
    a formula character, a tab or a carriage return."""
    lines = text.splitlines(keepends=True)
    text = (
        lines[0] + "".join("'" + line if line.startswith(("=", "+", "-", "@", "\t")) else line for line in lines[1:])
        if lines
        else text
    )
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _read(output: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(output, newline="")))


@pytest.mark.slow
def test_bare_carriage_return_in_quote_and_note_stays_in_its_cell(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "records": [
                    {
                        "id": "cr",
                        "kind": "statement",
                        "date": "2023-02-28",
                        "speaker": "Someone",
                        "parties": ["russia"],
                        "regions": ["UA-14"],
                        "quote": HOSTILE,
                        "note": HOSTILE,
                        "summary": "Says something.",
                        "source": SOURCE,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["statements", "--no-bundled", "--claims", str(path), "--format", "csv"], prog_name="contested-map"
    )
    assert result.exit_code == 0, result.stderr
    rows = _read(result.stdout)
    assert len(rows) == 2, rows  # the header and one record, never a row starting "=cmd"
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["quote"] == record["note"] == "Nothing to see\r'=cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    # Line-based tools (grep, naive importers) see no line that starts with a formula either.
    assert not any(line.lstrip('"').startswith("=") for line in re.split(r"\r\n|\r|\n", result.stdout))


def test_every_line_in_a_cell_is_neutralised():
    assert neutralise_cell("ok\n=cmd") == "ok\n'=cmd"
    assert neutralise_cell("ok\r\n@SUM(A1)\r+1") == "ok\r\n'@SUM(A1)\r'+1"
    assert neutralise_cell("\r=cmd") == "'\r'=cmd"
    assert neutralise_cell("plain - text = fine") == "plain - text = fine"


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.text(),
                st.text(alphabet="\r\n\t\"',;=+-@ \x00\x0b\x0c\x85\u2028a"),
                st.none(),
                st.integers(),
                st.booleans(),
            ),
            min_size=3,
            max_size=3,
        ),
        max_size=5,
    )
)
def test_any_text_round_trips_one_row_per_record(rows):
    columns = ["a", "b", "c"]
    dict_rows = [dict(zip(columns, row, strict=True)) for row in rows]
    read = _read(to_csv(dict_rows, columns))
    assert read[0] == columns
    assert len(read) == 1 + len(rows)
    for row, back in zip(rows, read[1:], strict=True):
        texts = ["" if v is None else ("true" if v else "false") if isinstance(v, bool) else str(v) for v in row]
        # Numbers are never neutralised: "-1" is a number, not a formula (negative km² must add up).
        assert back == [
            t if isinstance(v, int) and not isinstance(v, bool) else _expected(t)
            for v, t in zip(row, texts, strict=True)
        ]
