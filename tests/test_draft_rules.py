"""The drafter's rules one at a time: quote forms, speaker rules, date phrases, gazetteer
aliases, and the wrong-speaker trap. Synthetic sentences, so each rule is seen alone."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.core.dates import PartialDate, PartialDateError
from dashboard.sources.date_phrases import resolve_phrase
from dashboard.sources.draft import draft_statements, load_speakers, parse_article, region_gazetteer
from dashboard.sources.draft.quotes import find_quotes, split_long

DATELINE = dt.date(2023, 2, 28)  # a Tuesday


@pytest.fixture(scope="module")
def speakers():
    return load_speakers()


@pytest.fixture(scope="module")
def regions():
    return region_gazetteer()


def drafts_of(text: str, speakers, regions, dateline: dt.date = DATELINE):
    return draft_statements(parse_article(text), dateline, speakers, regions)


def quoted(text: str, speakers, regions, dateline: dt.date = DATELINE):
    return [d for d in drafts_of(text, speakers, regions, dateline) if d.quote is not None]


def reasons(draft) -> set[str]:
    return {code for code, _ in draft.reasons}


# -- quote forms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ('Peskov said: "Crimea is ours."', "Crimea is ours."),
        ("Peskov said: “Crimea is ours.”", "Crimea is ours."),
        ("Peskov said: «Crimea is ours.»", "Crimea is ours."),
        ("Peskov said: ‘Crimea is ours.’", "Crimea is ours."),
        ("Peskov said: 'Crimea is ours.'", "Crimea is ours."),
        ('"Crimea is ours," Peskov said.', "Crimea is ours"),  # the comma is the attribution's
        (
            '"We will respond immediately... there is nothing to discuss," Zelensky said.',
            "We will respond immediately... there is nothing to discuss",
        ),  # an ellipsis inside
        ('"We will not play (...) this game," Zelensky said.', "We will not play (...) this game"),
        ("Peskov said: “Kherson … remains Russian.”", "Kherson … remains Russian."),
    ],
)
def test_each_quote_form_is_found_verbatim_with_its_offsets(text, words):
    article = parse_article(text)
    [quote] = find_quotes(article.body, article.paragraphs)
    assert quote.text == words
    assert article.body[quote.start : quote.end] == words


def test_apostrophes_are_not_quote_marks():
    text = "Putin’s aides won't say. The Ukrainians’ plan isn't 'final' yet, it’s said."
    article = parse_article(text)
    assert [q.text for q in find_quotes(article.body, article.paragraphs)] == ["final"]


def test_a_quotation_inside_another_is_part_of_it():
    text = "\"The game 'let’s discuss everything' will not work,\" Zelensky said."
    article = parse_article(text)
    assert [q.text for q in find_quotes(article.body, article.paragraphs)] == [
        "The game 'let’s discuss everything' will not work"
    ]


def test_an_unclosed_quotation_is_not_a_quote():
    article = parse_article('"As soon as they declare in Kyiv that o\n[excerpt ends]')
    assert find_quotes(article.body, article.paragraphs) == []


def test_a_quote_split_around_its_attribution_gives_both_parts_the_speaker(speakers, regions):
    text = (
        '"The people made their choice," said Putin. "And that choice won\'t be betrayed" by Russia, '
        'he said.\n\nPutin spoke in Moscow. "I want Kyiv to hear me," Putin said. "Forever."'
    )
    drafts = quoted(text, speakers, regions)
    assert [(d.quote, d.speaker) for d in drafts] == [
        ("The people made their choice", "Vladimir Putin"),
        ("And that choice won't be betrayed", "Vladimir Putin"),
        ("I want Kyiv to hear me", "Vladimir Putin"),
        ("Forever.", "Vladimir Putin"),
    ]
    assert "speaker_continued" in reasons(drafts[3])


def test_a_long_quote_is_split_into_sentences_within_the_limit(speakers, regions):
    sentences = "".join(
        f"Crimea is Ukraine and always will be, whatever anyone in Moscow says, point {n}. " for n in range(6)
    )
    text = f'"{sentences}" Zelensky said.'
    drafts = quoted(text, speakers, regions)
    assert len(drafts) >= 2 and all(len(d.quote) <= 300 for d in drafts)
    body = parse_article(text).body
    assert all(body[d.evidence[0] : d.evidence[1]] == d.quote for d in drafts)


def test_split_long_keeps_a_single_long_sentence_whole():
    from dashboard.sources.draft.quotes import Quote

    quote = Quote(0, 399, "word " * 79 + "word", 0, '"')
    assert split_long(quote, 300) == [quote]


# -- speaker rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, speaker",
    [
        ('"Crimea is ours," Peskov said.', "Dmitry Peskov"),  # X said
        ('"Crimea is ours," said Peskov.', "Dmitry Peskov"),  # said X
        ('Peskov told reporters: "Crimea is ours."', "Dmitry Peskov"),  # X told reporters
        ('Crimea is "ours", according to Peskov.', "Dmitry Peskov"),  # according to X
        ('Kremlin spokesman Dmitry Peskov said Crimea was "ours".', "Dmitry Peskov"),  # title before a name
        ('"Crimea is ours," said Russian President Vladimir Putin.', "Vladimir Putin"),
        ('The Kremlin on Tuesday repeated that Crimea was "ours".', "Kremlin"),  # X <date> verb
        ('"Crimea is Ukraine," Zelenskiy said.', "Volodymyr Zelensky"),  # name variants joined
        ('"Crimea is Ukraine," Zelenskyy said.', "Volodymyr Zelensky"),
        ('"Crimea is Ukraine," Zelensky said.', "Volodymyr Zelensky"),
    ],
)
def test_each_speaker_rule(text, speaker, speakers, regions):
    [draft] = quoted(text, speakers, regions)
    assert draft.speaker == speaker
    assert draft.parties == [speakers.canonical(speaker).party]
    assert not reasons(draft) & {"speaker_pronoun", "speaker_title", "speaker_carried"}


def test_a_title_in_apposition_names_the_speaker(speakers, regions):
    [draft] = quoted('"Crimea is ours," Peskov, the Kremlin spokesman, said.', speakers, regions)
    assert draft.speaker == "Dmitry Peskov"


def test_a_pronoun_is_carried_over_from_the_previous_paragraph(speakers, regions):
    text = 'Peskov spoke in Moscow.\n\n"Crimea is ours," he said.'
    [draft] = quoted(text, speakers, regions)
    assert draft.speaker == "Dmitry Peskov"
    assert ("speaker_pronoun", {"words": "he", "name": "Dmitry Peskov"}) in draft.reasons


def test_its_stands_for_the_last_body_named(speakers, regions):
    text = (
        "Troops entered Kherson, according to the Defense Ministry's Intelligence Directorate.\n"
        '"Kherson returns to Ukraine," its statement reads.'
    )
    [draft] = quoted(text, speakers, regions)
    assert draft.speaker == "Defence Intelligence of Ukraine" and draft.parties == ["ukraine"]


def test_a_title_stands_for_the_speaker_named_with_it_before(speakers, regions):
    text = (
        "Ukrainian President Volodymyr Zelenskyy met reporters.\n"
        '"There is nothing to discuss," the Ukrainian leader stressed.\n'
        '"Crimea is ours," the president said.'
    )
    drafts = quoted(text, speakers, regions)
    assert [d.speaker for d in drafts] == ["Volodymyr Zelensky", "Volodymyr Zelensky"]
    assert all("speaker_title" in reasons(d) for d in drafts)


def test_the_president_is_the_president_named_last(speakers, regions):
    text = 'Putin met Zelensky.\nPutin left first.\n"Crimea is ours," the president said.'
    [draft] = quoted(text, speakers, regions)
    assert draft.speaker == "Vladimir Putin"


@pytest.mark.parametrize(
    "text, speaker",
    [
        # The trap: a quote from one person directly after a paragraph about another.
        ('Putin said Russia would never give up Crimea.\n\n"Crimea is Ukraine," Zelensky said.', "Volodymyr Zelensky"),
        (
            'Putin spoke for an hour about Crimea.\n\n"Crimea is Ukraine," said the Ukrainian leader.',
            "Volodymyr Zelensky",
        ),
        ('Putin spoke for an hour.\n\nZelensky answered. "Crimea is Ukraine," he said.', "Volodymyr Zelensky"),
        ('"Crimea is ours," Putin said.\n\nZelensky disagreed: "Crimea is Ukraine," he said.', "Volodymyr Zelensky"),
    ],
)
def test_the_wrong_speaker_trap(text, speaker, speakers, regions):
    assert quoted(text, speakers, regions)[-1].speaker == speaker


def test_a_quote_without_attribution_takes_the_last_speaker_and_says_so(speakers, regions):
    text = '"Crimea is ours," Putin said.\n\n"We will not give it back."'
    drafts = quoted(text, speakers, regions)
    assert drafts[1].speaker == "Vladimir Putin"
    assert "speaker_carried" in reasons(drafts[1])


def test_an_unknown_name_is_kept_without_a_party(speakers, regions):
    [draft] = quoted('"Kherson is ours," Vladimir Saldo said.', speakers, regions)
    assert draft.speaker == "Vladimir Saldo" and draft.parties == []
    assert "speaker_unknown_name" in reasons(draft)


def test_a_sentence_giving_the_words_to_someone_unnamed_gets_no_speaker(speakers, regions):
    text = '"Crimea is ours," Putin said.\n\nA rally had banners saying: "together forever."'
    drafts = quoted(text, speakers, regions)
    assert drafts[1].speaker is None and "speaker_unnamed" in reasons(drafts[1])


def test_reported_speech_is_a_low_confidence_statement_without_a_quote(speakers, regions):
    text = "Peskov said on Tuesday that Russia would never renounce its claims to the four regions."
    [draft] = drafts_of(text, speakers, regions)
    assert (draft.quote, draft.speaker, draft.confidence) == (None, "Dmitry Peskov", "low")
    assert draft.date == PartialDate(2023, 2, 28) and draft.date_phrase == "on Tuesday"
    assert draft.regions == ["UA-14", "UA-09", "UA-65", "UA-23"]
    assert draft.evidence == (0, len(text))


def test_a_speaker_gazetteer_of_the_users_own(tmp_path, regions):
    own = tmp_path / "speakers.yaml"
    own.write_text(
        "speakers:\n  - name: Vladimir Saldo\n    party: russia\n    kind: person\n"
        "    variants: [Saldo]\n    titles: [Moscow-installed governor]\n"
    )
    [draft] = quoted('"Kherson is ours," the Moscow-installed governor said.', load_speakers(own), regions)
    assert (draft.speaker, draft.parties) == ("Vladimir Saldo", ["russia"])


# -- date phrases ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, dateline, expected",
    [
        ("on Tuesday", "2023-02-28", "2023-02-28"),  # the dateline's own weekday: that day
        ("on Monday", "2023-02-28", "2023-02-27"),  # otherwise the last such weekday before it
        ("on Wednesday", "2023-02-28", "2023-02-22"),
        ("yesterday", "2023-02-28", "2023-02-27"),
        ("last September", "2023-02-28", "2022-09"),
        ("last year", "2023-02-28", "2022"),
        ("in 2014", "2023-02-28", "2014"),
        ("on Nov. 11", "2022-11-11", "2022-11-11"),
        ("on Sept. 30", "2022-11-11", "2022-09-30"),
        ("on Dec. 21", "2022-11-11", "2021-12-21"),  # the last Dec. 21 on or before the dateline
        ("June 14, 2024", "2024-06-14", "2024-06-14"),
        ("in September 2022", "2024-06-14", "2022-09"),
        ("in March", "2022-11-11", "2022-03"),
        ("14 June 2024", "2024-06-20", "2024-06-14"),
    ],
)
def test_each_date_phrase(phrase, dateline, expected):
    assert resolve_phrase(phrase, dt.date.fromisoformat(dateline)) == PartialDate.parse(expected)


@pytest.mark.slow
def test_other_absolute_dates_go_to_dateparser_and_the_core_rules_alone_refuse_them():
    from dashboard.core.dates import resolve_relative

    assert resolve_phrase("the 11th of November 2022", dt.date(2022, 11, 11)) == PartialDate(2022, 11, 11)
    with pytest.raises(PartialDateError):
        resolve_relative("the 11th of November 2022", dt.date(2022, 11, 11))


def test_the_claims_loader_checks_an_absolute_date_phrase_with_the_same_rules():
    from dashboard.sources.claims_load import claims_from_records

    source = {"publisher": "P", "title": "T", "published": "2022-11-11", "url": None}
    record = {
        "id": "a",
        "kind": "statement",
        "date": "2022-09-30",
        "date_phrase": "on Sept. 30",
        "speaker": "Vladimir Putin",
        "parties": ["russia"],
        "regions": ["UA-65"],
        "summary": "S.",
        "source": source,
    }
    assert len(claims_from_records([record])) == 1
    with pytest.raises(Exception, match="resolves to '2022-09-30'"):
        claims_from_records([{**record, "date": "2022-09-29"}])


def test_a_phrase_no_rule_knows_is_an_error_not_a_guess():
    with pytest.raises(PartialDateError, match="cannot resolve"):
        resolve_phrase("back in the day", DATELINE)


@pytest.mark.parametrize(
    "text, date, phrase",
    [
        ('"Crimea is ours," Peskov said on Tuesday.', "2023-02-28", "on Tuesday"),
        ('Peskov said on Monday: "Crimea is ours."', "2023-02-27", "on Monday"),
        ('On Sept. 30, Putin said Russia would "defend" the regions.', "2022-09-30", "On Sept. 30"),
        ('Putin spoke on Sept. 30.\nBack then, Putin said Russia would "defend" them.', "2022-09-30", "on Sept. 30"),
        ('"Crimea is ours," Peskov said. Russia annexed it in 2014.', "2023-02-28", None),  # not the attribution's
        ('"It happened last year," Peskov said.', "2023-02-28", None),  # inside the quote
    ],
)
def test_the_date_of_a_quote_comes_from_its_attribution(text, date, phrase, speakers, regions):
    dateline = dt.date(2022, 11, 11) if "Sept" in text else DATELINE
    draft = quoted(text, speakers, regions, dateline)[0]
    assert (draft.date.isoformat(), draft.date_phrase) == (date, phrase)
    assert ("date_dateline" in reasons(draft)) == (phrase is None)


# -- region gazetteer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, codes",
    [
        ("Donbas", ["UA-14", "UA-09"]),
        ("the Donbass", ["UA-14", "UA-09"]),
        ("the four regions", ["UA-14", "UA-09", "UA-65", "UA-23"]),
        ("four Ukrainian regions", ["UA-14", "UA-09", "UA-65", "UA-23"]),
        ("the four annexed regions", ["UA-14", "UA-09", "UA-65", "UA-23"]),
        ("the four oblasts", ["UA-14", "UA-09", "UA-65", "UA-23"]),
        ("Crimea", ["UA-43", "UA-40"]),
        ("Crimea's occupation", ["UA-43", "UA-40"]),
        ("the Crimean peninsula", ["UA-43", "UA-40"]),
        ("Sevastopol", ["UA-40"]),
        ("Zaporizhzhia", ["UA-23"]),
        ("Zaporozhye", ["UA-23"]),
        ("Запорізька область", ["UA-23"]),  # Ukrainian
        ("Запорожская область", ["UA-23"]),  # Russian
        ("Lugansk and Herson", ["UA-09", "UA-65"]),
        ("Донецьк", ["UA-14"]),
        ("Kharkiv", ["UA-63"]),
        ("Kyiv must withdraw", []),  # the government, not the city
        ("the Dnipro River", []),  # a river, not the city of Dnipro
        ("Russia and Ukraine", []),
    ],
)
def test_each_gazetteer_alias(text, codes, regions):
    assert regions.codes(text) == codes


def test_regions_come_from_the_quote_then_its_sentence_then_nearby(speakers, regions):
    text = 'Russia claims the four regions.\n\n"These are realities," Peskov said.\n\n"Crimea is ours," Peskov said.'
    first, second = quoted(text, speakers, regions)
    assert first.regions == ["UA-14", "UA-09", "UA-65", "UA-23"] and "regions_nearby" in reasons(first)
    assert second.regions == ["UA-43", "UA-40"] and "regions_nearby" not in reasons(second)


def test_no_region_anywhere_is_a_review_reason(speakers, regions):
    [draft] = quoted('"We are open to talks," Peskov said.', speakers, regions)
    assert draft.regions == [] and "regions_none" in reasons(draft)


# -- any text -------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "«",
        "»",
        "'",
        "‘",
        "’",
        " said ",
        " Putin",
        " he",
        ". ",
        ", ",
        "\n",
        "\n\n",
        "---\n",
        "Crimea",
        " on Tuesday",
        " Nov. 11",
        " according to ",
        "Zelenskyy",
        " the president",
        "...",
        "…",
        "Kyiv",
        "x",
        "A",
        "\u00a0",
    ]
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60))
def test_any_text_drafts_without_error_and_evidence_finds_each_quote(pieces):
    text = "".join(pieces)
    if not text.strip():
        return
    article = parse_article(text)
    drafts = draft_statements(article, DATELINE, *_gazetteers())
    for draft in drafts:
        start, end = draft.evidence
        assert 0 <= start < end <= len(article.body)
        if draft.quote is not None:
            assert article.body[start:end] == draft.quote
        assert draft.date.start <= DATELINE


@functools.cache
def _gazetteers():
    return load_speakers(), region_gazetteer()


def test_a_pronoun_takes_the_last_person_named_even_one_the_gazetteer_lacks(speakers, regions):
    """A Ukrainian minister's words are not given to Peskov, named earlier (a report from use)."""
    text = (
        "Kremlin spokesman Dmitry Peskov said on Monday that talks were possible.\n\n"
        "In Kyiv, Foreign Minister Andrii Sybiha rejected the idea.\n\n"
        '"There will be no talks on our land while it is occupied," he said.'
    )
    drafts = quoted(text, speakers, regions)
    draft = next(d for d in drafts if d.quote and d.quote.startswith("There will be no talks"))
    assert draft.speaker == "Andrii Sybiha"
    assert draft.parties == []  # not in the gazetteer: the reviewer fills in the party
    assert (
        "speaker_party_crossed",
        {"words": "he", "name": "Andrii Sybiha", "other": "Dmitry Peskov", "party": "russia"},
    ) in draft.reasons
    assert ("speaker_unknown_name", {"name": "Andrii Sybiha"}) in draft.reasons


def test_a_pronoun_after_the_same_party_is_not_flagged(speakers, regions):
    text = 'Peskov spoke in Moscow.\n\n"Crimea is ours," he said.'
    [draft] = quoted(text, speakers, regions)
    assert draft.speaker == "Dmitry Peskov"
    assert "speaker_party_crossed" not in reasons(draft)


def test_every_catalogue_marks_the_draft_summary():
    from dashboard.core.claims import DRAFT_SUMMARY_MARKERS
    from dashboard.text import LANGUAGES, text_for

    for lang in LANGUAGES:
        assert text_for(lang)("draft.summary").upper().startswith(DRAFT_SUMMARY_MARKERS), lang
