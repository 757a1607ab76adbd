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

#: Phrases for groups of regions (issue 14): a regular expression -> codes. Checked first and
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
    """Every spelling of every unit, compiled into one pattern (longest spelling first)."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        spellings: dict[str, str] = {}
        for name, code in names:
            for form in {name.strip(), " ".join(without_region_word(name).split())}:
                if len(form) >= 3 and form.lower() not in METONYMS:
                    spellings.setdefault(form.lower(), code)
        groups = [(pattern, codes) for pattern, codes in EXTRA_ALIASES.items()]
        self._group_codes = [codes for _, codes in groups]
        singles = sorted(spellings, key=len, reverse=True)
        self._codes = spellings
        alternatives = [f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(groups)]
        alternatives.append("(?P<single>" + "|".join(re.escape(s) for s in singles) + ")")
        # "the Dnipro River" is a river, not the city of Dnipro (UA-12).
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)(?!\s+river)",
                                   re.IGNORECASE)

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
        found: list[str] = []
        for match in self._pattern.finditer(text):
            if match["single"]:
                codes: tuple[str, ...] = (self._codes[match["single"].lower()],)
            else:
                index = next(i for i in range(len(self._group_codes)) if match[f"g{i}"])
                codes = self._group_codes[index]
            found += [c for c in codes if c not in found]
        return found
