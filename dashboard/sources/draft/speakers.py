"""The speaker gazetteer (name -> canonical name and party) and the mentions of speakers in a text.

The bundled gazetteer is dashboard/data/speakers.yaml (its header says how to
edit it); `contested-map draft --speakers FILE` uses the user's own instead.
Mentions are found outside quotations, in order, and each title or pronoun is
resolved to the speaker it most recently stood for, so a later "he said" or
"the Ukrainian leader stressed" can name its speaker. A person the gazetteer does
not know still counts as named when a title or role stands before a capitalised
name ("Foreign Minister Dmytro Kuleba", "governor Oleksandr Prokudin"): "he" and
"she" take the nearest person named before them, known or not, never the last
gazetteer entry further back. When that skips a gazetteer person of another party
(or of none), the mention says so (`crossed`), and the draft asks for a check.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.core.claims import PARTIES
from dashboard.core.errors import DataError
from dashboard.sources.paths import PACKAGE_DIR

__all__ = ["BUNDLED_SPEAKERS", "Mention", "Mentions", "Speaker", "SpeakerGazetteer", "load_speakers"]

BUNDLED_SPEAKERS: Path = PACKAGE_DIR / "data" / "speakers.yaml"
MAX_SPEAKERS_BYTES = 1024 * 1024
KINDS = ("person", "body")
_PRONOUNS = {"he": "person", "she": "person", "it": "body", "its": "body", "they": "body", "their": "body"}
#: A title or role, then a capitalised name of two to four words: a person named, known or not.
_ROLE_NAME = re.compile(
    r"(?<![\w-])(?:[Pp]resident|[Pp]rime [Mm]inister|(?:[A-Z][a-z]+ )?[Mm]inister|[Ss]pokes(?:man|woman|person)|"
    r"[Ss]ecretary|[Cc]hancellor|[Aa]dvis[eo]r|[Gg]overnor|[Mm]ayor|[Aa]mbassador|[Ss]enator|[Gg]eneral|"
    r"[Cc]ommander|[Cc]hief|[Hh]ead|[Ll]eader|[Oo]fficial|[Ll]awmaker|[Dd]eputy|[Ee]nvoy|[Dd]irector)"
    r",?\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})(?![\w-])"
)


@dataclass(frozen=True)
class Speaker:
    name: str
    party: str | None
    kind: str
    variants: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A speaker named, titled or referred to at body offsets start..end."""

    start: int
    end: int
    speaker: Speaker | None  # None: a title or pronoun with nothing to stand for
    how: str  # "name", "title", "pronoun" or "unknown" (a name not in the gazetteer)
    words: str  # as the article writes it
    #: A pronoun only: the gazetteer person of another party (or none) it did not take, because
    #: someone was named after them ("Peskov ... Foreign Minister Kuleba ... he said").
    crossed: Speaker | None = None


class SpeakerGazetteer:
    """Speakers by every name and title, and one compiled pattern to find them."""

    def __init__(self, speakers: list[Speaker]) -> None:
        self.speakers = tuple(speakers)
        self._by_name: dict[str, Speaker] = {}
        self._by_title: dict[str, list[Speaker]] = {}
        for speaker in speakers:
            for variant in (speaker.name, *speaker.variants):
                self._by_name.setdefault(variant, speaker)
            for title in speaker.titles:
                self._by_title.setdefault(title.lower(), []).append(speaker)
        names = sorted(self._by_name, key=len, reverse=True)
        titles = sorted(self._by_title, key=len, reverse=True)
        # A title directly before a name ("Kremlin spokesman Dmitry Peskov") is one mention of the name.
        title_part = "|".join(re.escape(t) for t in titles) or "(?!)"
        name_part = "|".join(re.escape(n) for n in names) or "(?!)"
        # The leading assertions fail fast everywhere but at the start of a word, so the long
        # alternation is tried once per word, not once per character.
        self._pattern = re.compile(
            rf"(?<![\w-])(?=\w)(?:"
            rf"(?:(?i:(?P<title>{title_part}))\s+)?(?P<name>{name_part})(?![\w-])"
            rf"|(?i:(?P<alone>{title_part}))(?![\w-])"
            rf"|(?P<pronoun>[Hh]e|[Ss]he|[Ii]ts?|[Tt]hey|[Tt]heir)(?![\w-]))"
        )

    def canonical(self, name: str) -> Speaker | None:
        """The speaker a name or variant stands for ("Zelenskiy" -> Volodymyr Zelensky)."""
        return self._by_name.get(name.strip()) or next(
            (s for n, s in self._by_name.items() if name.strip().startswith(n + ",")), None
        )

    def mentions(self, text: str, skip: list[tuple[int, int]]) -> Mentions:
        """Every mention in `text` outside the `skip` spans (quotations), titles and pronouns resolved."""
        found: list[Mention] = []
        last: dict[str, Speaker] = {}
        recent: list[Speaker] = []
        starts = [s for s, _ in skip]
        person: Speaker | None = None  # the person named most recently, in the gazetteer or not

        def skipped(position: int) -> bool:
            k = bisect.bisect_right(starts, position) - 1
            return k >= 0 and skip[k][0] <= position < skip[k][1]

        known = [m for m in self._pattern.finditer(text) if not skipped(m.start())]
        spans = [(m.start(), m.end()) for m in known if m["name"]]
        unknown = [
            m
            for m in _ROLE_NAME.finditer(text)
            if not skipped(m.start("name")) and not any(a < m.end("name") and m.start("name") < b for a, b in spans)
        ]
        for match in sorted([*known, *unknown], key=lambda m: m.start("name") if m.re is _ROLE_NAME else m.start()):
            if match.re is _ROLE_NAME:
                words = match["name"]
                person = Speaker(words, None, "person")
                found.append(Mention(match.start("name"), match.end("name"), person, "unknown", words))
                continue
            speaker, how = self._resolve(match, last, recent)
            crossed = None
            if how == "pronoun" and _PRONOUNS[match["pronoun"].lower()] == "person" and person is not None:
                gazetteer = last.get("person")
                if gazetteer is not None and gazetteer != person and gazetteer.party != person.party:
                    crossed = gazetteer
                speaker = person
            if speaker is not None and how != "pronoun":
                last[speaker.kind] = speaker
                recent.append(speaker)
                if speaker.kind == "person":
                    person = speaker
            found.append(Mention(match.start(), match.end(), speaker, how, match.group(), crossed))
        return Mentions(found)

    def _resolve(
        self, match: re.Match[str], last: Mapping[str, Speaker], recent: list[Speaker]
    ) -> tuple[Speaker | None, str]:
        if match["name"]:
            return self._by_name[match["name"]], "name"
        if match["alone"]:
            candidates = self._by_title[match["alone"].lower()]
            for speaker in reversed(recent):  # the one named most recently
                if speaker in candidates:
                    return speaker, "title"
            return (candidates[0] if len(candidates) == 1 else None), "title"
        return last.get(_PRONOUNS[match["pronoun"].lower()]), "pronoun"


class Mentions:
    """Mentions in order, searchable by position."""

    def __init__(self, items: list[Mention]) -> None:
        self.items = items
        self._starts = [m.start for m in items]

    def within(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.items) and self.items[i].start < end:
            if self.items[i].end <= end:
                out.append(self.items[i])
            i += 1
        return out

    def last_within(self, start: int, end: int) -> Mention | None:
        """The last mention inside start..end (by bisection: long texts have many)."""
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self.items[i].end > end:
            i -= 1
        return self.items[i] if i >= 0 and self.items[i].start >= start else None

    def first_within(self, start: int, end: int) -> Mention | None:
        """The first mention inside start..end."""
        i = bisect.bisect_left(self._starts, start)
        return self.items[i] if i < len(self.items) and self.items[i].end <= end else None

    def last_before(self, position: int, *, person_only: bool = False) -> Mention | None:
        """The latest resolved mention ending before `position` (names and titles; pronouns too)."""
        i = bisect.bisect_left(self._starts, position) - 1
        while i >= 0:
            mention = self.items[i]
            if (
                mention.speaker is not None
                and mention.end <= position
                and (not person_only or mention.speaker.kind == "person")
            ):
                return mention
            i -= 1
        return None


def _entry(raw: Any, number: int, origin: str) -> Speaker:
    where = f"{origin}: speaker #{number}"
    if not isinstance(raw, Mapping):
        raise DataError(f"{where}: expected a mapping with name, party, kind, variants, titles")
    unknown = sorted(str(k) for k in raw if k not in {"name", "party", "kind", "variants", "titles"})
    if unknown:
        raise DataError(f"{where}: unknown field(s) {', '.join(unknown)}; expected name, party, kind, variants, titles")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DataError(f"{where}: field 'name': expected the speaker's name")
    party = raw.get("party")
    if party is not None and party not in PARTIES:
        raise DataError(f"{where} ({name}): field 'party': expected one of {', '.join(PARTIES)}, got {party!r}")
    kind = raw.get("kind", "person")
    if kind not in KINDS:
        raise DataError(f"{where} ({name}): field 'kind': expected person or body, got {kind!r}")
    lists = {}
    for key in ("variants", "titles"):
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise DataError(f"{where} ({name}): field {key!r}: expected a list of names")
        lists[key] = tuple(v.strip() for v in value)
    return Speaker(name.strip(), party, kind, lists["variants"], lists["titles"])


def load_speakers(path: Path | None = None) -> SpeakerGazetteer:
    """The gazetteer from a YAML file (the bundled one by default); DataError naming the problem."""
    import yaml

    from dashboard.sources.claims_yaml import _yaml_document  # bounded YAML: no bombs, no deep nesting

    file = Path(path) if path is not None else BUNDLED_SPEAKERS
    try:
        raw = file.read_bytes()[: MAX_SPEAKERS_BYTES + 1] if file.is_file() else None
    except OSError as exc:
        raise DataError(f"{file}: cannot read the speaker gazetteer ({exc.strerror or exc})") from None
    if raw is None:
        raise DataError(f"{file}: speaker gazetteer not found")
    if len(raw) > MAX_SPEAKERS_BYTES:
        raise DataError(f"{file}: larger than {MAX_SPEAKERS_BYTES // 1024} KB, too large for a gazetteer")
    try:
        data = _yaml_document(raw.decode("utf-8")).data
    except UnicodeDecodeError:
        raise DataError(f"{file}: not UTF-8 text") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise DataError(f"{file}: invalid YAML: {' '.join(str(exc).split())[:200]}") from None
    entries = data.get("speakers") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise DataError(f"{file}: expected a mapping with a 'speakers' list")
    return SpeakerGazetteer([_entry(raw, n, str(file)) for n, raw in enumerate(entries, start=1)])
