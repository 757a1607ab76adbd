"""The region gazetteer: which ISO 3166-2 codes a piece of article text names.

Built from the loaded region layers (English, Ukrainian and Russian names and
Natural Earth's alternative spellings), the look-up aliases of
`dashboard.core.region_names.ALIASES`, and the phrases news copy uses for
groups of regions (EXTRA_ALIASES). "Kyiv"/"Kiev" alone is left out: in news
copy it means Ukraine's government far more often than the city (UA-30);
"Kyiv Oblast" and "Kyiv region" still find UA-32.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from dashboard.core.region_names import ALIASES, without_region_word

__all__ = ["EXTRA_ALIASES", "METONYMS", "RegionGazetteer"]

CRIMEA = ("UA-43", "UA-40")
FOUR_REGIONS = ("UA-14", "UA-09", "UA-65", "UA-23")

#: Phrases for groups of regions: a regular expression -> codes. Checked first and
#: ahead of single names, so "Crimea" is the peninsula (Crimea and Sevastopol), not UA-43 alone.
EXTRA_ALIASES: Mapping[str, tuple[str, ...]] = {
    r"Donbas+": ("UA-14", "UA-09"),
    r"Донбас+": ("UA-14", "UA-09"),
    r"(?:the\s+)?four\s+(?:(?:newly\s+)?annexed\s+|Ukrainian\s+|occupied\s+|contested\s+)*"
    r"(?:regions|oblasts|provinces|territories)": FOUR_REGIONS,
    r"(?:the\s+)?Crimean\s+peninsula": CRIMEA,
    r"Crimea|Krym|Krim|Крим|Крым": CRIMEA,
}
#: Names that stand for a government in news copy, not for a region.
METONYMS = frozenset({"kyiv", "kiev", "київ", "киев", "kyiv city", "kiev city"})


class RegionGazetteer:
    """Every spelling of every unit as a sequence of words, looked up word by word (a dictionary,
    not one long regular expression: an article of a megabyte is scanned in well under a second),
    and the group phrases (EXTRA_ALIASES) as one small pattern."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._singles: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        seen: set[tuple[str, ...]] = set()
        for name, code in names:
            for form in {name.strip(), " ".join(without_region_word(name).split())}:
                words = tuple(_words(form))
                if len(form) >= 3 and form.lower() not in METONYMS and words and words not in seen:
                    seen.add(words)
                    self._singles.setdefault(words[0], []).append((words, code))
        for candidates in self._singles.values():
            candidates.sort(key=lambda item: len(item[0]), reverse=True)  # longest spelling first
        self._group_codes = list(EXTRA_ALIASES.values())
        alternatives = "|".join(f"(?P<g{i}>{pattern})" for i, pattern in enumerate(EXTRA_ALIASES))
        self._groups = re.compile(rf"(?<!\w)(?=\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    @classmethod
    def from_layers(cls, ukraine_rows: Iterable[Mapping[str, object]]) -> RegionGazetteer:
        """From the rows of the Ukraine layer (code, name_en, name_uk, name_ru, name_ne, name_alt)."""
        names: list[tuple[str, str]] = []
        for row in ukraine_rows:
            code = str(row["code"])
            for key in ("name_en", "name_uk", "name_ru", "name_ne"):
                if row.get(key):
                    names.append((str(row[key]), code))
            names += [(n, code) for n in str(row.get("name_alt") or "").split("|") if n]
            names += [(n, code) for n in ALIASES.get(code, ())]
        return cls(names)

    def codes(self, text: str) -> list[str]:
        """The codes `text` names, in the order first named, each once."""
        hits: list[tuple[int, tuple[str, ...]]] = []
        taken: list[tuple[int, int]] = []
        for match in self._groups.finditer(text):
            index = next(i for i in range(len(self._group_codes)) if match[f"g{i}"])
            hits.append((match.start(), self._group_codes[index]))
            taken.append(match.span())
        tokens = [(m.start(), m.end(), m.group().casefold()) for m in _TOKEN.finditer(text)]
        i = 0
        while i < len(tokens):
            step = 1
            for words, code in self._singles.get(tokens[i][2], ()):
                n = len(words)
                if tuple(t[2] for t in tokens[i : i + n]) == words:
                    after = tokens[i + n][2] if i + n < len(tokens) else ""
                    start = tokens[i][0]
                    if after != "river" and not any(a <= start < b for a, b in taken):
                        hits.append((start, (code,)))
                    step = n
                    break
            i += step
        found: list[str] = []
        for _, codes in sorted(hits, key=lambda hit: hit[0]):
            found += [c for c in codes if c not in found]
        return found


_TOKEN = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    """A name as the words it is matched by: "Donets'k" -> ["donets", "k"]."""
    return [m.group().casefold() for m in _TOKEN.finditer(text)]
