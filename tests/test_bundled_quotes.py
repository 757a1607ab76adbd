"""Every quote in the bundled claims is a verbatim substring of its source's text, where that
text is in ../shared: the seed article and the articles in shared/articles.

A source is matched to a stored text by the URL or title in the article's header (the lines
above `---`); the seed has no header, and its first line is its title. Only the text below
the header counts, so a quote cannot come from a headline note. The one normalisation:
runs of whitespace (line breaks included) count as one space. Nothing else is changed:
curly and straight apostrophes, dashes and case must match as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SHARED, need_shared

from dashboard.core.claims import Claim
from dashboard.sources.claims_load import load_claims

SEED = SHARED / "seed" / "article-2023-02-28.txt"
ARTICLES = SHARED / "articles"


@dataclass(frozen=True)
class StoredText:
    path: Path
    url: str | None
    title: str
    body: str


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_stored(path: Path) -> StoredText:
    """An article file: header fields above the `---` line, the text below it (the seed: no header)."""
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    if not sep:  # the seed: its first line is the title
        return StoredText(path, None, raw.splitlines()[0].strip(), _squeeze(raw))
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    return StoredText(path, fields.get("URL", "").strip() or None, fields.get("Title", "").strip(), _squeeze(body))


def stored_texts(articles: Path = ARTICLES, seed: Path = SEED) -> list[StoredText]:
    return [read_stored(seed), *(read_stored(p) for p in sorted(articles.glob("*.txt")))]


def text_for(claim: Claim, texts: Iterable[StoredText]) -> StoredText | None:
    """The stored text of the claim's source, by URL, else by title; None when it is not stored."""
    for text in texts:
        if claim.source.url and text.url == claim.source.url:
            return text
    for text in texts:
        if text.title == claim.source.title:
            return text
    return None


def quote_problems(claims: Iterable[Claim], texts: list[StoredText]) -> list[str]:
    """One line per quote (or double-quoted words of a summary) not found verbatim in its
    stored text, and per article record whose source text is not stored."""
    problems = []
    for claim in claims:
        text = text_for(claim, texts)
        if text is None:
            if not claim.enrichment:
                problems.append(f"{claim.id}: source {claim.source.title!r} is not in ../shared")
            elif claim.quote:  # an enrichment quote could not be checked: none are allowed
                problems.append(f"{claim.id}: quote from a source not in ../shared")
            continue
        quoted = [claim.quote] if claim.quote else []
        quoted += re.findall(r'"([^"]+)"', claim.summary)
        for words in quoted:
            if _squeeze(words) not in text.body:
                problems.append(f"{claim.id}: not verbatim in {text.path.name}: {words!r}")
            if len(words) > 300:
                problems.append(f"{claim.id}: quote longer than 300 characters")
    return problems


@pytest.fixture(scope="module")
def texts() -> list[StoredText]:
    need_shared(SEED)
    need_shared(ARTICLES)
    return stored_texts()


def test_every_bundled_quote_is_verbatim_in_its_source(texts):
    claims = list(load_claims())
    assert quote_problems(claims, texts) == []
    # Every stored text is used, and the seed's records are matched to the seed.
    used = {text_for(c, texts).path.name for c in claims if text_for(c, texts) is not None}
    assert used == {t.path.name for t in texts}
    assert sum(1 for c in claims if c.quote and text_for(c, texts) is not None) >= 20


# ---------------------------------------------------------------------------
# The checker itself


def _with(claim: Claim, **changes) -> Claim:
    from dataclasses import replace

    return replace(claim, **changes)


def test_the_checker_finds_an_altered_quote(texts):
    claims = {c.id: c for c in load_claims()}
    seed = claims["peskov-constitution-cannot-be-ignored"]
    other = claims["espreso-zelenskyy-will-not-recognise-crimea-2025"]
    assert quote_problems([seed, other], texts) == []
    # One changed letter, a straight apostrophe for the printed curly one, a word left out.
    for claim, quote in [
        (seed, seed.quote.replace("cannot", "can not")),
        (other, other.quote.replace("’", "'")),
        (other, other.quote.replace("legally ", "")),
    ]:
        assert quote_problems([_with(claim, quote=quote)], texts) == [
            f"{claim.id}: not verbatim in {text_for(claim, texts).path.name}: {quote!r}"
        ]
    # Words quoted in a summary are checked too.
    assert quote_problems([_with(seed, summary='Peskov says "never, ever".')], texts)


def test_the_checker_allows_only_whitespace_differences(texts):
    claim = {c.id: c for c in load_claims()}["ki-putin-ceasefire-terms-2024-06-14"]
    assert quote_problems([_with(claim, quote=claim.quote.replace(" ", "\n  ", 2))], texts) == []
    assert quote_problems([_with(claim, quote=claim.quote.upper())], texts)


def test_the_checker_ignores_the_header_and_needs_a_stored_source(texts):
    claims = {c.id: c for c in load_claims()}
    espreso = claims["espreso-zelenskyy-will-not-recognise-crimea-2025"]
    # In the header (the retrieval note), not in the article's text.
    assert quote_problems([_with(espreso, quote="companion reports of the same remarks")], texts)
    unknown = _with(espreso, source=_with(espreso.source, url="https://example.org/", title="Elsewhere"))
    assert quote_problems([unknown], texts) == [f"{espreso.id}: source 'Elsewhere' is not in ../shared"]
    enrichment = claims["unga-resolution-68-262-2014-03-27"]
    assert quote_problems([enrichment], texts) == []
    assert quote_problems([_with(enrichment, quote="anything")], texts)
