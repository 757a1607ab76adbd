"""Drafting claims records from a news article for a person to review (`contested-map draft`).

article.py reads and splits the article; quotes.py finds quotations and
sentences; speakers.py holds the speaker gazetteer and finds mentions;
attribution.py applies the speaker rules; gazetteer.py names regions;
dates.py finds date phrases; drafter.py puts them together; records.py writes
the drafts as a claims file, every record marked `review: needed`.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.sources.draft.article import MAX_ARTICLE_BYTES, Article, decode_article, parse_article, read_article
from dashboard.sources.draft.drafter import Draft, draft_statements
from dashboard.sources.draft.gazetteer import RegionGazetteer
from dashboard.sources.draft.records import FORMATS, draft_document, header_name, render_document
from dashboard.sources.draft.speakers import BUNDLED_SPEAKERS, SpeakerGazetteer, load_speakers

__all__ = [
    "BUNDLED_SPEAKERS",
    "FORMATS",
    "MAX_ARTICLE_BYTES",
    "Article",
    "Draft",
    "RegionGazetteer",
    "SpeakerGazetteer",
    "decode_article",
    "draft_document",
    "draft_statements",
    "header_name",
    "load_speakers",
    "parse_article",
    "read_article",
    "region_gazetteer",
    "render_document",
]


def region_gazetteer(geodata_dir: Path | None = None) -> RegionGazetteer:
    """The region gazetteer from the loaded region layers (the bundled ones by default)."""
    from dashboard.sources.geodata import load_layers

    return RegionGazetteer.from_layers(load_layers(geodata_dir).ukraine.to_dict("records"))
