"""An article header holds only `Key: value` metadata: any other line above `---` is refused, naming it.

A wire dateline (`KYIV: "..." Zelensky said`) above the `---` line used to be read as a header
field and dropped, so its quotation was never drafted. Now the article is refused with a
one-line error naming the line, and nothing is written.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_cli_claims import assert_one_line_error
from test_draft_cli import ARTICLE, OPTIONS

from dashboard.cli import cli
from dashboard.core.errors import DataError
from dashboard.sources.draft import parse_article
from dashboard.sources.draft.article import HEADER_KEYS

BODY = '"Crimea is Ukraine," Zelensky said.\n'
DATELINE = 'KYIV: "We will not trade our land," Zelensky said on Tuesday.'


def test_a_header_of_metadata_is_read_and_skipped():
    text = "URL: https://example.org/a\nOUTLET: Example\n\ntitle: Talks\nRetrieved: an excerpt\n---\n" + BODY
    article = parse_article(text)
    assert article.header == {
        "url": "https://example.org/a",
        "outlet": "Example",
        "title": "Talks",
        "retrieved": "an excerpt",
    }
    assert article.body == BODY
    assert set(article.header) <= set(HEADER_KEYS)


@pytest.mark.parametrize(
    "header, row",
    [
        (DATELINE + "\n", 1),  # the dateline alone
        ("URL: https://example.org/a\n" + DATELINE + "\n", 2),  # under a metadata line
        ("Title: Talks\n\nZelensky said the city would return.\n", 3),  # a sentence, no colon
    ],
)
def test_a_line_that_is_not_metadata_is_refused_naming_it(header, row):
    with pytest.raises(DataError) as error:
        parse_article(header + "---\n" + BODY, "wire.txt")
    message = str(error.value)
    assert message.startswith(f"wire.txt: line {row} above the '---' line is not header metadata (")
    assert "\n" not in message
    shown = (header.splitlines()[row - 1])[:30]
    assert shown in message


def test_without_a_header_nothing_changes():
    article = parse_article(BODY + "--- [page sidebar] ---\nMore.\n")
    assert article.header == {} and article.body == BODY


def test_the_command_refuses_a_dateline_above_the_line_and_writes_nothing(tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text(DATELINE + "\n---\n" + ARTICLE.split("---\n", 1)[1], encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(cli, ["draft", str(path), *OPTIONS, "-o", str(out)], prog_name="contested-map")
    assert_one_line_error(
        result,
        str(path),
        "line 1 above the '---' line is not header metadata",
        'KYIV: "We will not trade',
        "move article text below the '---' line",
    )
    assert not out.exists()
    # Moved below the line, the dateline's quotation is drafted.
    path.write_text("URL: https://example.org/a\n---\n" + DATELINE + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["draft", str(path), *OPTIONS, "-o", str(out)], prog_name="contested-map")
    assert result.exit_code == 0, result.stderr
    assert "We will not trade our land" in out.read_text(encoding="utf-8")
