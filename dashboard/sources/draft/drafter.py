"""Draft statements from an article: quotations and reported speech, with speaker, date and regions.

Pure text work on an already read article (article.py reads it). Every draft
says why it needs review (`reasons`: codes with parameters, put into words by
the caller through the text catalogue).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dashboard.core.dates import PartialDate
from dashboard.sources.draft.article import Article
from dashboard.sources.draft.attribution import VERBS, Attribution, find_attributions, nearest, reports_speech
from dashboard.sources.draft.dates import DatePhrase, attribution_date, find_date_phrases
from dashboard.sources.draft.gazetteer import RegionGazetteer
from dashboard.sources.draft.quotes import Quote, find_quotes, sentence_spans, split_long
from dashboard.sources.draft.speakers import Mention, Mentions, SpeakerGazetteer

__all__ = ["Draft", "draft_statements"]

#: The claims format's limit on a quote (claims_fields.MAX_QUOTE_CHARS).
QUOTE_LIMIT = 300
#: A quotation this short is often the writer's scare quote, not a statement.
SHORT_QUOTE_WORDS = 3
#: How far (in paragraphs, either way) regions are looked for when a quote's own paragraph names none.
NEARBY_PARAGRAPHS = 8
_FILLER = "\u2591"
_SPEECH = re.compile(rf"(?<![\w-])(?:{VERBS}|saying)(?![\w-])")
_T = TypeVar("_T")
#: Why a draft needs review: a catalogue key and the values its sentence is filled with.
Reason = tuple[str, dict[str, str]]
_THEN = re.compile(r"(?:back then|then|at the time|at that time),", re.IGNORECASE)


@dataclass
class Draft:
    """One draft statement. `evidence` is (start, end) in the article body, end exclusive."""

    evidence: tuple[int, int]
    quote: str | None
    speaker: str | None
    parties: list[str]
    regions: list[str]
    date: PartialDate
    date_phrase: str | None
    confidence: str
    reasons: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    paragraph: int = 0


@dataclass
class _Context:
    """The article prepared once, with per-sentence and per-span results kept, so a long
    paragraph full of quotations is searched once, not once per quotation."""

    article: Article
    masked: str
    mentions: Mentions
    regions: RegionGazetteer
    dateline: dt.date
    sentences: list[tuple[int, int, int]]  # (start, end, paragraph)
    _starts: list[int] = field(default_factory=list)
    _memo: dict[tuple[object, ...], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._starts = [s[0] for s in self.sentences]

    def sentence_index(self, position: int) -> int:
        return max(0, bisect.bisect_right(self._starts, position) - 1)

    def sentence_of(self, position: int) -> tuple[int, int, int]:
        return self.sentences[self.sentence_index(position)]

    def attributions(self, sentence: tuple[int, int, int]) -> list[Attribution]:
        return self._remember(("a", sentence), lambda: find_attributions(self.masked, sentence[:2], self.mentions))

    def phrases(self, sentence: tuple[int, int, int]) -> list[DatePhrase]:
        return self._remember(
            ("d", sentence), lambda: find_date_phrases(self.masked, sentence[0], sentence[1], self.dateline)
        )

    def speech_verb(self, sentence: tuple[int, int, int]) -> str | None:
        """A speech verb in the sentence outside quotations, attributed or not."""
        found = self._remember(("v", sentence), lambda: _SPEECH.search(self.masked, sentence[0], sentence[1]))
        return found.group() if found else None

    def codes(self, start: int, end: int) -> list[str]:
        return self._remember(("r", start, end), lambda: self.regions.codes(self.article.body[start:end]))

    def _remember(self, key: tuple[object, ...], compute: Callable[[], _T]) -> _T:
        if key not in self._memo:
            self._memo[key] = compute()
        value: _T = self._memo[key]
        return value


def _mask(body: str, quotes: list[Quote]) -> str:
    chars = list(body)
    for quote in quotes:
        chars[quote.start : quote.end] = _FILLER * (quote.end - quote.start)
    return "".join(chars)


def _speaker(mention: Mention, reasons: list[Reason]) -> tuple[str | None, list[str]]:
    if mention.how == "unknown":
        reasons.append(("speaker_unknown_name", {"name": mention.words}))
        return mention.words, []
    if mention.speaker is None:
        reasons.append(("speaker_unresolved", {"words": mention.words}))
        return None, []
    if mention.how in {"pronoun", "title"}:
        reasons.append((f"speaker_{mention.how}", {"words": mention.words, "name": mention.speaker.name}))
    if mention.crossed is not None:
        reasons.append(
            (
                "speaker_party_crossed",
                {
                    "words": mention.words,
                    "name": mention.speaker.name,
                    "other": mention.crossed.name,
                    "party": mention.crossed.party or "-",
                },
            )
        )
    if mention.speaker.party is None and mention.how == "pronoun":
        # A person the gazetteer does not know, named after a title ("Foreign Minister ..."):
        # the pronoun stands for them; their party is the reviewer's to fill in.
        reasons.append(("speaker_unknown_name", {"name": mention.speaker.name}))
        return mention.speaker.name, []
    parties = [mention.speaker.party] if mention.speaker.party else []
    if not parties:
        reasons.append(("speaker_no_party", {"name": mention.speaker.name}))
    return mention.speaker.name, parties


def _regions(ctx: _Context, start: int, end: int, sentence: tuple[int, int, int], reasons: list[Reason]) -> list[str]:
    paragraphs = ctx.article.paragraphs
    for left, right in ((start, end), sentence[:2], paragraphs[sentence[2]]):
        codes = ctx.codes(left, right)
        if codes:
            return codes
    for step in range(1, min(len(paragraphs), NEARBY_PARAGRAPHS + 1)):
        for index in (sentence[2] - step, sentence[2] + step):
            if 0 <= index < len(paragraphs):
                codes = ctx.codes(*paragraphs[index])
                if codes:
                    reasons.append(("regions_nearby", {}))
                    return codes
    reasons.append(("regions_none", {}))
    return []


def _dated(
    ctx: _Context, attribution: Attribution | None, sentence: tuple[int, int, int], reasons: list[Reason]
) -> tuple[PartialDate, str | None]:
    if attribution is not None:
        phrases = ctx.phrases(sentence)
        found = attribution_date(ctx.masked, phrases, [attribution.span, attribution.verb], sentence[0])
        if found is not None:
            return found.date, found.words
        earlier = _then_date(ctx, sentence)
        if earlier is not None:
            reasons.append(("date_then", {"words": earlier.words}))
            return earlier.date, earlier.words
    reasons.append(("date_dateline", {}))
    return PartialDate.from_date(ctx.dateline), None


def _then_date(ctx: _Context, sentence: tuple[int, int, int]) -> DatePhrase | None:
    """ "Back then, Putin said ..." takes the date the sentence before it gives (its first date phrase)."""
    if not _THEN.match(ctx.masked, sentence[0]):
        return None
    index = ctx.sentence_index(sentence[0])
    if index == 0:
        return None
    before = ctx.sentences[index - 1]
    phrases = ctx.phrases(before)
    return phrases[0] if phrases else None


def _quote_drafts(ctx: _Context, quotes: list[Quote]) -> list[Draft]:
    drafts: list[Draft] = []
    previous: Draft | None = None  # the last quote drafted, for a quote split around its attribution
    last_speaker: Draft | None = None  # the last draft with an attributed speaker
    for quote in quotes:
        sentence = ctx.sentence_of(quote.start)
        reasons: list[Reason] = []
        attribution = nearest(ctx.attributions(sentence), quote.start, quote.end)
        if attribution is not None:
            speaker, parties = _speaker(attribution.speaker, reasons)
            date, phrase = _dated(ctx, attribution, sentence, reasons)
        elif previous is not None and previous.paragraph == sentence[2] and previous.speaker:
            speaker, parties = previous.speaker, list(previous.parties)
            date, phrase = previous.date, previous.date_phrase
            reasons.append(("speaker_continued", {"name": speaker}))
            if phrase is None:
                reasons.append(("date_dateline", {}))
        elif verb := ctx.speech_verb(sentence):
            # The sentence gives the words to someone ("banners saying that ...") the rules cannot name:
            # better no speaker than the last one quoted.
            speaker, parties = None, []
            reasons.append(("speaker_unnamed", {"words": verb}))
            date, phrase = _dated(ctx, None, sentence, reasons)
        elif last_speaker is not None and last_speaker.speaker is not None:
            speaker, parties = last_speaker.speaker, list(last_speaker.parties)
            reasons.append(("speaker_carried", {"name": speaker}))
            date, phrase = _dated(ctx, None, sentence, reasons)
        else:
            speaker, parties = None, []
            reasons.append(("speaker_none", {}))
            date, phrase = _dated(ctx, None, sentence, reasons)
        regions = _regions(ctx, quote.start, quote.end, sentence, reasons)
        for part in split_long(quote, QUOTE_LIMIT):
            extra: list[Reason] = []
            if len(part.text) > QUOTE_LIMIT:
                extra.append(("quote_long", {"limit": str(QUOTE_LIMIT)}))
            if len(part.text.split()) <= SHORT_QUOTE_WORDS:
                extra.append(("quote_short", {}))
            draft = Draft(
                (part.start, part.end),
                part.text,
                speaker,
                list(parties),
                list(regions),
                date,
                phrase,
                "high",
                reasons + extra,
                sentence[2],
            )
            drafts.append(draft)
        previous = drafts[-1]
        if speaker is not None and not any(code == "speaker_continued" for code, _ in reasons):
            last_speaker = drafts[-1]
    return drafts


def _reported_drafts(ctx: _Context, quotes: list[Quote]) -> list[Draft]:
    quoted = {ctx.sentence_of(q.start)[:2] for q in quotes}
    drafts: list[Draft] = []
    for sentence in ctx.sentences:
        if sentence[:2] in quoted:
            continue
        found = [a for a in ctx.attributions(sentence) if reports_speech(ctx.masked, a)]
        if not found:
            continue
        attribution = min(found, key=lambda a: a.verb[0])
        reasons: list[Reason] = [("reported", {})]
        speaker, parties = _speaker(attribution.speaker, reasons)
        date, phrase = _dated(ctx, attribution, sentence, reasons)
        regions = _regions(ctx, sentence[0], sentence[1], sentence, reasons)
        drafts.append(Draft(sentence[:2], None, speaker, parties, regions, date, phrase, "low", reasons, sentence[2]))
    return drafts


def draft_statements(
    article: Article, dateline: dt.date, speakers: SpeakerGazetteer, regions: RegionGazetteer
) -> list[Draft]:
    """Every quotation and reported statement of the article, in the order of the text.

    A quotation repeated word for word with the same speaker (the same passage
    twice in a stored page) is drafted once.
    """
    body = article.body
    quotes = find_quotes(body, article.paragraphs)
    masked = _mask(body, quotes)
    protected = [(q.start, q.end) for q in quotes]
    inside: dict[int, list[tuple[int, int]]] = {}
    for quote in quotes:
        inside.setdefault(quote.paragraph, []).append((quote.start, quote.end))
    sentences = [
        (s, e, number)
        for number, (start, end) in enumerate(article.paragraphs)
        for s, e in sentence_spans(masked, start, end, inside.get(number, []))
    ]
    ctx = _Context(article, masked, speakers.mentions(masked, protected), regions, dateline, sentences)
    drafts = _quote_drafts(ctx, quotes) + _reported_drafts(ctx, quotes)
    drafts.sort(key=lambda d: d.evidence)
    seen: set[tuple[str | None, str | None]] = set()
    unique = []
    for draft in drafts:
        key = (draft.quote or " ".join(body[slice(*draft.evidence)].split()), draft.speaker)
        if key not in seen:
            seen.add(key)
            unique.append(draft)
    return unique
