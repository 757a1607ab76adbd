"""`contested-map draft`: draft claims records from a news article, for a person to review.

The drafts never go into the timeline by themselves: every record is marked
`review: needed`, which the claims loader refuses until a person sets
`review: done`. Bad input (an unreadable, empty, binary or oversized article,
a dateline after today, a bad gazetteer) ends in one error line; an article
without quotations gives an empty draft and a message, with exit code 0.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from dashboard.cli.options import PARTIAL_DATE, geodata_option
from dashboard.core.dates import PartialDate
from dashboard.sources.draft import (
    FORMATS,
    draft_document,
    draft_statements,
    header_name,
    load_speakers,
    parse_article,
    read_article,
    region_gazetteer,
    render_document,
)
from dashboard.sources.files import check_output_file, write_atomic
from dashboard.text import text_for

__all__ = ["draft"]

TEXT = text_for()
_URL = re.compile(r"https?://\S+")
#: Review reasons counted in the summary line.
_SPEAKER_CHECKS = {
    "speaker_pronoun",
    "speaker_title",
    "speaker_carried",
    "speaker_unresolved",
    "speaker_unknown_name",
    "speaker_none",
    "speaker_no_party",
    "speaker_unnamed",
}


def _one_line(value: str, param: str, limit: int) -> str:
    if not value.strip() or "\n" in value or "\r" in value or len(value) > limit:
        raise click.BadParameter(f"expected one line of text, at most {limit} characters", param_hint=param)
    return value.strip()


def _dateline(published: PartialDate, today: dt.date) -> dt.date:
    if published.precision != "day":
        raise click.BadParameter(
            f"expected the article's dateline as YYYY-MM-DD, got {published.isoformat()}", param_hint="'--published'"
        )
    if published.start > today:
        raise click.BadParameter(
            f"{published.isoformat()} is after today ({today.isoformat()}); an article cannot be dated in the future",
            param_hint="'--published'",
        )
    return published.start


@click.command()
@click.argument("article", metavar="ARTICLE.txt")
@click.option("--publisher", required=True, help="Who published the article (the source's publisher).")
@click.option("--title", required=True, help="The article's title.")
@click.option(
    "--published",
    type=PARTIAL_DATE,
    required=True,
    help='The article\'s dateline, YYYY-MM-DD: relative dates ("on Tuesday") resolve against it.',
)
@click.option("--url", default=None, help="The article's address (http:// or https://).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the draft to this file (atomically) instead of standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="yaml (default) or json; without it, an -o name ending in .json means json.",
)
@click.option(
    "--speakers",
    "speakers_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Speaker gazetteer (YAML, the format of dashboard/data/speakers.yaml) to use instead of the bundled one.",
)
@geodata_option
def draft(
    article: str,
    publisher: str,
    title: str,
    published: PartialDate,
    url: str | None,
    output: Path | None,
    fmt: str | None,
    speakers_path: Path | None,
    geodata_dir: Path | None,
) -> None:
    """Draft claims records from a plain-text article (UTF-8; - for standard input) for review.

    Finds every direct quotation and reported statement, with its speaker, date
    and regions, and writes them as claims records marked `review: needed`,
    with the reasons. Nothing is added to the timeline until a person has
    checked each record and set `review: done`.
    """
    publisher = _one_line(publisher, "'--publisher'", 200)
    title = _one_line(title, "'--title'", 2000)
    if url is not None and not _URL.fullmatch(url):
        raise click.BadParameter(f"expected an http:// or https:// address, got {url[:60]!r}", param_hint="'--url'")
    dateline = _dateline(published, dt.date.today())
    fmt = fmt or ("json" if output is not None and output.suffix.lower() == ".json" else "yaml")
    if output is not None:
        check_output_file(output)
    name = "standard input" if article == "-" else header_name(article)
    parsed = parse_article(read_article(article), name)
    speakers = load_speakers(speakers_path)
    drafts = draft_statements(parsed, dateline, speakers, region_gazetteer(geodata_dir))
    document = draft_document(drafts, publisher=publisher, title=title, published=published, url=url, words=TEXT)
    content = render_document(document, fmt, TEXT("draft.header", article=name))
    if output is not None:
        write_atomic(output, content.encode("utf-8"))
    else:
        click.echo(content, nl=False)
    if not drafts:
        click.echo(TEXT("cli.draft.none", article=name), err=True)
        return
    codes = [{code for code, _ in d.reasons} for d in drafts]
    click.echo(
        TEXT(
            "cli.draft.summary",
            records=TEXT.plural("cli.draft.records", len(drafts)),
            article=name,
            speakers=sum(bool(c & _SPEAKER_CHECKS) for c in codes),
            regions=sum("regions_none" in c for c in codes),
            dateline=sum("date_dateline" in c for c in codes),
        ),
        err=True,
    )
