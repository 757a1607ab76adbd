"""The drafter on real articles: the seed article against the bundled records, and each
development article against the table a reader wrote (tests/draft_expected.py).

Needs ../shared: skipped when it is absent, a failure under CI=true."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.sources.claims_load import load_claims
from dashboard.sources.draft import load_speakers, parse_article, region_gazetteer
from dashboard.sources.draft.drafter import draft_statements
from dashboard.sources.draft.quotes import find_quotes
from tests.control_helpers import need_shared
from tests.draft_expected import ARTICLES, SEED, SHARED, score


@pytest.fixture(scope="module")
def seed_drafts():
    article = parse_article(need_shared(SEED).read_text(encoding="utf-8"))
    drafts = draft_statements(article, dt.date(2023, 2, 28), load_speakers(), region_gazetteer())
    return article, drafts


def direct_quotes_of_bundled_records(article):
    """Bundled statements whose quote stands inside quotation marks in the seed (an assessment's
    "quote" is the reporter's own sentence, not a quotation)."""
    marked = [q.text for q in find_quotes(article.body, article.paragraphs)]
    return [
        c
        for c in load_claims()
        if c.quote
        and c.kind == "statement"
        and c.source.publisher == "Reuters"
        and c.source.published.isoformat() == "2023-02-28"
        and any(c.quote.rstrip(".,") in text for text in marked)
    ]


def test_the_seed_gives_every_direct_quote_the_bundled_records_hold(seed_drafts):
    article, drafts = seed_drafts
    speakers = load_speakers()
    records = direct_quotes_of_bundled_records(article)
    # territorial realities; Peskov's three sentences and two more; liberate
    assert len(records) >= 7
    for record in records:
        matches = [d for d in drafts if d.quote and record.quote.rstrip(".,") in d.quote]
        assert matches, f"{record.id}: no draft holds {record.quote!r}"
        draft = matches[0]
        assert draft.speaker == speakers.canonical(record.speaker).name, record.id
        assert draft.date == record.date, record.id
        assert set(draft.regions) == set(record.regions), record.id
        assert article.body[draft.evidence[0] : draft.evidence[1]] == draft.quote


def test_the_seed_drafts_reported_speech_as_low_confidence_statements(seed_drafts):
    _, drafts = seed_drafts
    reported = [d for d in drafts if d.quote is None]
    assert {d.speaker for d in reported} >= {"Dmitry Peskov", "Ukraine"}
    assert all(d.confidence == "low" for d in reported)


@pytest.mark.parametrize("relative", sorted(ARTICLES))
def test_each_article_against_the_readers_table(relative):
    need_shared(SHARED / relative)
    result = score(relative)
    print(result.line(relative))
    assert result.misses == ()
    assert result.wrong == ()
    assert result.found == result.present
    assert result.extra == 0
