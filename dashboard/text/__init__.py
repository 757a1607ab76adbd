"""Every user-visible string, one catalogue per language, and the dates in words.

`Text(lang)` looks strings up by key and fills in `{placeholders}`; dates are
formatted by Babel from the CLDR data for the language, never from the
machine's locale. English is the only catalogue for now: a second language is a
new module beside `en.py` and one line in `CATALOGUES`.

Error messages about bad files and command-line input stay in the modules that
raise them (they name files, lines and fields, and are for the CLI); what the
page, the exported images and the CLI's human output say is here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from dashboard.core.claims import Claim
from dashboard.core.dates import PartialDate
from dashboard.core.filters import FilterState, Notice
from dashboard.core.status import Status
from dashboard.text import en

__all__ = ["CATALOGUES", "DEFAULT_LANG", "Text", "text_for"]

DEFAULT_LANG = "en"
#: Language code -> catalogue (key -> template).
CATALOGUES: Mapping[str, Mapping[str, str]] = {"en": en.CATALOGUE}
#: CLDR patterns: "28 Feb 2023", "Feb 2023". A year alone is printed as it is.
_DAY_PATTERN = "d MMM y"
_MONTH_PATTERN = "MMM y"


@dataclass(frozen=True)
class Text:
    """The strings of one language."""

    lang: str = DEFAULT_LANG

    def __post_init__(self) -> None:
        if self.lang not in CATALOGUES:
            raise ValueError(f"no catalogue for language {self.lang!r}; known: {', '.join(CATALOGUES)}")

    def __call__(self, text_key: str, /, **params: object) -> str:
        """The string for `text_key`, with `params` filled in (KeyError for an unknown key)."""
        template = CATALOGUES[self.lang][text_key]
        return template.format(**params) if params else template

    def day(self, day: dt.date) -> str:
        """A day in words: "28 Feb 2023"."""
        return _format(day, _DAY_PATTERN, self.lang)

    def partial(self, date: PartialDate) -> str:
        """A date at its precision: "28 Feb 2023", "Sep 2022" or "2014"."""
        if date.month is None:
            return str(date.year)
        if date.day is None:
            return _format(dt.date(date.year, date.month, 1), _MONTH_PATTERN, self.lang)
        return self.day(dt.date(date.year, date.month, date.day))

    def share(self, share: float) -> str:
        """A share (0-1) as a whole percentage, "72%"; one decimal where rounding would mislead:
        a share under 1 never reads "100%" ("99.9%") and one above 0 never reads "0%" ("0.1%")."""
        pct = share * 100
        if 99.5 <= pct < 100:
            return format_percent(math.floor(pct * 10) / 1000, "#,##0.#%", locale=self.lang)
        if 0 < pct < 0.5:
            return format_percent(math.ceil(pct * 10) / 1000, "#,##0.#%", locale=self.lang)
        return format_percent(share, "#,##0%", locale=self.lang)

    def area(self, km2: float) -> str:
        """An area in words: "18,878 km²"."""
        return self("unit.km2", value=format_decimal(round(km2), "#,##0", locale=self.lang))

    def status(self, status: Status | str) -> str:
        """A status's short label, worded as who declared what."""
        return self(f"status.{Status(status).value}")

    def status_description(self, status: Status | str) -> str:
        return self(f"status.{Status(status).value}.description")

    def party(self, slug: str) -> str:
        return self(f"party.{slug}")

    def party_description(self, slug: str) -> str:
        return self(f"party.{slug}.description")

    def kind(self, kind: str) -> str:
        return self(f"kind.{kind}")

    def notice(self, notice: Notice) -> str:
        """A URL notice in words; its dates in this language."""
        params = {k: self.day(v) if isinstance(v, dt.date) else v for k, v in notice.params}
        return self(f"notice.{notice.key}", **params)

    def describe(self, state: FilterState, region_name: Callable[[str], str]) -> str:
        """A filter state in words: "Donetsk, Luhansk · 1 Jan 2014 – 28 Feb 2023"."""
        where = ", ".join(region_name(code) for code in state.regions) or self("state.all_regions")
        who = self("state.parties", parties=", ".join(state.parties)) if state.parties else ""
        return self("state.describe", where=where, start=self.day(state.date_from),
                    end=self.day(state.date_to), who=who)

    def citation(self, claim: Claim) -> str:
        """A record as one line to paste into notes or an article, e.g.
        `Dmitry Peskov, Kremlin spokesman, quoted in Reuters, “Title”, 28 Feb 2023, https://…: “…”`.

        Who said it comes first, so a quote is never pasted without its speaker;
        a record without a quote (an event) cites its summary; a publisher quoting its own
        assessment is named once.
        """
        source = claim.source
        fields = {"publisher": source.publisher, "title": source.title, "published": self.partial(source.published)}
        said = self("citation.source_url", url=source.url, **fields) if source.url else \
            self("citation.source", **fields)
        if not claim.quote:
            return self("citation.summary", source=said, summary=claim.summary)
        if claim.speaker and claim.speaker.casefold() != source.publisher.casefold():
            return self("citation.quoted", speaker=claim.speaker, source=said, quote=claim.quote)
        return self("citation.quote", source=said, quote=claim.quote)

    def plural(self, key: str, count: int) -> str:
        """"1 record", "3 records": `key.one` / `key.other` with {count}."""
        return self(f"{key}.{'one' if count == 1 else 'other'}", count=count)


@lru_cache(maxsize=4096)
def _format(day: dt.date, pattern: str, lang: str) -> str:
    """Babel's formatting, memoised: hover cards and lists format the same few days again and again."""
    return format_date(day, pattern, locale=lang)


@lru_cache(maxsize=8)
def text_for(lang: str = DEFAULT_LANG) -> Text:
    return Text(lang)
