"""Who said it: the attribution rules, in the order a reader applies them.

In the sentence that holds the quotation (or the reported speech), outside any
quotation marks, a speech verb with a speaker right beside it:
- "X said" / "X told reporters" / "X on Tuesday repeated" / "X, the Kremlin
  spokesman, said" / "its statement reads" (speaker before the verb);
- "said X" / "said Russian President Vladimir Putin" (speaker after it);
- "according to X".
The speaker is a name from the speaker gazetteer (a title before the name is
part of it), a title alone ("the Ukrainian leader", standing for the speaker
with that title named most recently), a pronoun (the person or body named
most recently), or a capitalised name the gazetteer does not know. When a
sentence has several, the attribution nearest the quotation wins. The
fall-backs for a quotation with no attribution in its sentence (the quote
before it in the paragraph, else the last speaker quoted) are in drafter.py.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from dashboard.sources.draft.speakers import Mention, Mentions

__all__ = ["Attribution", "find_attributions"]

VERBS = (
    r"said|says|say|told|tells|stated|states|added|adds|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|"
    r"insisted|insists|warned|warns|declared|declares|noted|notes|announced|announces|repeated|"
    r"repeats|explained|explains|wrote|writes|reads|claimed|claims|argued|argues|asserted|asserts|"
    r"replied|continued|commented|comments|calls|called|urged|urges|according\s+to"
)
_VERB = re.compile(rf"(?<![\w-])(?:{VERBS})(?![\w-])")
#: What may stand between a speaker and its verb ("Peskov on Tuesday repeated", "its statement reads").
_GAP_BEFORE = re.compile(
    r"(?:['’]s)?[\s,]*(?:(?:also|later|then|again|previously|reportedly|has|had|have|once|further|only|"
    r"statement|post|office|press\s+service|spokes\w+|on\s+[A-Z]\w*\.?(?:\s+\d{1,2})?,?|in\s+\d{4},?|"
    r",[^,\"“”«»\n]{1,80},)\s*)*"
)
_GAP_AFTER = re.compile(r"\s*(?:the\s+)?")
_UNKNOWN_BEFORE = re.compile(r"((?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+)\s+$")
_UNKNOWN_AFTER = re.compile(r"\s+((?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+)")
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "But",
        "And",
        "On",
        "In",
        "At",
        "As",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "Back",
        "Then",
        "Also",
    ]
)
#: Verbs that report speech only with a following "on"/"for" ("called on Ukraine"), not "what he calls".
#: Characters either side of a verb where its speaker may stand.
_WINDOW = 200
_REPORTING_ONLY_WITH = {"called": ("on", "for"), "calls": ("on", "for")}


@dataclass(frozen=True)
class Attribution:
    verb: tuple[int, int]
    speaker: Mention  # how == "unknown" for a name the gazetteer lacks
    span: tuple[int, int]  # speaker and verb together


def _unknown(words: str, start: int) -> Mention | None:
    tokens = words.split()
    if tokens[0] in _NOT_NAMES or len(tokens) < 2:
        return None
    return Mention(start, start + len(words), None, "unknown", words)


def _before(text: str, verb_start: int, sentence: tuple[int, int], mentions: Mentions) -> Mention | None:
    # Only the text just before the verb can hold its speaker (and a bounded window keeps a
    # megabyte-long "sentence" linear).
    window = max(sentence[0], verb_start - _WINDOW)
    mention = mentions.last_within(window, verb_start)
    if mention is not None and _GAP_BEFORE.fullmatch(text, mention.end, verb_start):
        return mention
    match = _UNKNOWN_BEFORE.search(text, window, verb_start)
    return _unknown(match.group(1), match.start(1)) if match else None


def _after(text: str, verb_end: int, sentence: tuple[int, int], mentions: Mentions) -> Mention | None:
    window = min(sentence[1], verb_end + _WINDOW)
    mention = mentions.first_within(verb_end, window)
    if mention is not None and _GAP_AFTER.fullmatch(text, verb_end, mention.start):
        return mention
    match = _UNKNOWN_AFTER.match(text, verb_end, window)
    return _unknown(match.group(1), match.start(1)) if match else None


def find_attributions(masked: str, sentence: tuple[int, int], mentions: Mentions) -> list[Attribution]:
    """Every speech verb in the sentence with a speaker beside it. `masked` is the body with the
    insides of quotations blanked, so nothing inside a quotation counts."""
    found: list[Attribution] = []
    for verb in _VERB.finditer(masked, *sentence):
        word = verb.group()
        if word.startswith("according"):
            speaker = _after(masked, verb.end(), sentence, mentions)
        else:
            speaker = _before(masked, verb.start(), sentence, mentions)
            if speaker is None and word in {"said", "says", "told", "added", "stressed", "wrote"}:
                speaker = _after(masked, verb.end(), sentence, mentions)
        if speaker is None:
            continue
        found.append(
            Attribution(
                (verb.start(), verb.end()), speaker, (min(speaker.start, verb.start()), max(speaker.end, verb.end()))
            )
        )
    return found


def reports_speech(masked: str, attribution: Attribution) -> bool:
    """Whether an attribution in a sentence without quotation marks reports what was said."""
    word = masked[attribution.verb[0] : attribution.verb[1]]
    rest = masked[attribution.verb[1] : attribution.verb[1] + 12].split()
    if word in _REPORTING_ONLY_WITH:
        return bool(rest) and rest[0] in _REPORTING_ONLY_WITH[word]
    return word != "reads" and bool(rest)


def nearest(attributions: list[Attribution], start: int, end: int) -> Attribution | None:
    """The attribution closest to the quotation start..end (`attributions` in text order)."""

    def distance(a: Attribution) -> int:
        return a.span[0] - end if a.span[0] >= end else max(0, start - a.span[1])

    i = bisect.bisect_left(attributions, start, key=lambda a: a.span[0])
    window = attributions[max(0, i - 4) : i + 4]  # spans barely overlap: the nearest is among these
    return min(window, key=distance, default=None)
