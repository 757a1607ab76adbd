"""`contested-map draft` with article file names that could break or carry YAML in the header comment.

The name is shown as it is when plain, else as a JSON string literal with every character
that is not printable escaped: the written YAML loads, and the name reads back exactly.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml
from click.testing import CliRunner
from test_draft_cli import ARTICLE, OPTIONS

from dashboard.cli import cli
from dashboard.sources.claims_load import load_claims
from dashboard.sources.draft import header_name

NAMES = [
    "article.txt",
    "my\narticle.txt",
    "x\nsources: {evil: 1}\n#.txt",
    "2023: Kherson #1.txt",
    'quote " and back\\slash.txt',
    "bell\x07 escape\x1b tab\t.txt",
    "next line\x85 separator\u2028 paragraph\u2029.txt",
    "carriage\rreturn.txt",
    " leading and trailing ",
    "Україна — Крим.txt",
    os.fsdecode(b"not utf-8 \xff\xfe.txt"),  # how Python reads such a name: lone surrogates
]


def _shown(header_line: str) -> str:
    shown = re.fullmatch(r"# Draft claims from (.*), made by `contested-map draft`\. NOT reviewed\.", header_line)
    assert shown, header_line
    return shown.group(1)


def _read_back(shown: str) -> str:
    return json.loads(shown) if shown.startswith('"') else shown


@pytest.mark.parametrize("name", NAMES)
def test_header_name_is_one_printable_line_that_reads_back(name):
    shown = header_name(name)
    assert shown.isprintable()
    assert _read_back(shown) == name
    assert (shown == name) == (name in ("article.txt", "Україна — Крим.txt"))


@pytest.mark.parametrize("name", NAMES)
def test_the_written_yaml_loads_and_the_name_round_trips(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / name
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(cli, ["draft", str(article), *OPTIONS, "-o", str(out)], prog_name="contested-map")
    assert result.exit_code == 0, result.output
    written = out.read_bytes().decode("utf-8")  # strict: no lone surrogate was written
    document = yaml.safe_load(written)
    assert set(document) == {"sources", "records"}  # nothing injected
    assert len(document["records"]) == 2
    first = written.splitlines()[0]
    assert _read_back(_shown(first)) == str(article)
    comments = written.split("\n\n", 1)[0].split("\n")
    assert all(line.startswith("#") for line in comments)  # the header is comments only
    assert header_name(str(article)) in result.stderr  # the summary shows the same, on one line
    # The draft is a claims file: refused until reviewed, as any draft.
    with pytest.raises(Exception, match="review"):
        load_claims([out])
