"""Tables: a crafted record cannot rewrite the terminal or reorder text.

`--format table` shows control characters (C0, DEL, C1), bidirectional
overrides, isolates and marks, and line/paragraph separators as visible
escapes (`\\x1b`, `\\u202e`), so nothing reaches the terminal as a control
and the reader can see that something was there.
"""

from __future__ import annotations

import unicodedata

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.cli import cli
from dashboard.sources.tabular import to_table

SOURCE = {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Zl", "Zp"} or char in BIDI


def test_controls_and_bidi_overrides_are_shown_escaped():
    text = "a\x1b[2Jb\x9b31mc\u202eevil\u2066d\u200fe\x00f\x7fg\u2028h\x85i"
    table = to_table([{"x": text}], ["x"])
    body = table.splitlines()[2]
    assert body == ("a\\x1b[2Jb\\x9b31mc\\u202eevil\\u2066d\\u200fe\\x00f\\x7fg\\u2028h\\x85i")
    assert not any(_unsafe(c) for c in table if c != "\n")


def test_line_breaks_and_tabs_in_a_cell_do_not_break_the_table():
    table = to_table([{"x": "one\ntwo\r\nthree\tfour", "y": "ok"}], ["x", "y"])
    assert len(table.splitlines()) == 3
    assert table.splitlines()[2] == "one\\ntwo\\r\\nthree\\tfour  ok"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_no_unsafe_character_reaches_the_terminal(cells):
    table = to_table([{str(i): c for i, c in enumerate(cells)}], [str(i) for i in range(len(cells))])
    assert len(table.splitlines()) == 3
    assert not any(_unsafe(c) for c in table if c != "\n")


def test_statements_table_escapes_a_hostile_speaker(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(
        yaml.safe_dump(
            {
                "records": [
                    {
                        "id": "bidi",
                        "kind": "statement",
                        "date": "2023-02-28",
                        "speaker": "Peskov\u202e\u2066 (fake)",
                        "parties": ["russia"],
                        "regions": ["UA-14"],
                        "summary": "Says \x85something\u2028.",
                        "source": {**SOURCE, "publisher": "News\u202e"},
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    path = path.rename(path.with_suffix(".yaml"))
    result = CliRunner().invoke(cli, ["statements", "--no-bundled", "--claims", str(path)], prog_name="contested-map")
    assert result.exit_code == 0, result.stderr
    assert "Peskov\\u202e\\u2066 (fake)" in result.stdout
    assert "Says \\x85something\\u2028." in result.stdout
    assert not any(_unsafe(c) for c in result.stdout if c != "\n")
