"""Every user-visible string, one catalogue per language, and the dates and numbers in words.

`Text(lang)` looks strings up by key and fills in `{placeholders}`. The keys and
their English templates are `en.py`, the source catalogue; every other language
is a gettext catalogue (`locale/<lang>/LC_MESSAGES/messages.po`, compiled to
`.mo`) whose msgids are those English templates and whose message contexts are
the keys (`locales.py`). A key missing from a catalogue reads in English.
Dates and numbers are formatted by Babel from the CLDR data for the language,
never from the machine's locale, with the patterns the catalogue gives
(`format.day`, `format.month`, `format.percent`).

Error messages about bad files and command-line input stay in the modules that
raise them (they name files, lines and fields, and are for the CLI); what the
page, the exported images and the CLI's human output say is here. Claim text
(quotes, summaries, speakers) stays in the language of its source.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from dashboard.core.claims import Claim
from dashboard.core.dates import PartialDate
from dashboard.core.filters import FilterState, Notice
from dashboard.core.status import Status
from dashboard.text import en
from dashboard.text.locales import SOURCE_LANG, available_languages, is_plural_key, plural_bases, translations

__all__ = ["CATALOGUES", "DEFAULT_LANG", "LANGUAGES", "Text", "text_for"]

DEFAULT_LANG = SOURCE_LANG
#: Every language there is a catalogue for: English, then the compiled catalogues found.
LANGUAGES: tuple[str, ...] = available_languages()
#: The plural entries of the source catalogue: `X` for each `X.one` / `X.other` pair.
_PLURAL_BASES = plural_bases(en.CATALOGUE)
#: ISO 3166-1 alpha-3 -> alpha-2 of the map's neighbouring countries, for their names in each language
#: (CLDR keys territories by alpha-2; Natural Earth's Kosovo "KOS" is CLDR's "XK").
_COUNTRY_ALPHA2 = {
    "BLR": "BY",
    "BGR": "BG",
    "GEO": "GE",
    "HUN": "HU",
    "KOS": "XK",
    "MDA": "MD",
    "MNE": "ME",
    "POL": "PL",
    "SRB": "RS",
    "ROU": "RO",
    "RUS": "RU",
    "SVK": "SK",
}


@dataclass(frozen=True)
class Text:
    """The strings of one language."""

    lang: str = DEFAULT_LANG

    def __post_init__(self) -> None:
        if self.lang not in available_languages():
            raise ValueError(f"no catalogue for language {self.lang!r}; known: {', '.join(available_languages())}")

    def __call__(self, text_key: str, /, **params: object) -> str:
        """The string for `text_key`, with `params` filled in (KeyError for an unknown key).

        A key of a plural entry (`count.record.one`) takes the form its `count`
        parameter asks for in this language (Ukrainian: one, few or many)."""
        template = self.template(text_key, params.get("count"))
        return template.format(**params) if params else template

    def template(self, text_key: str, count: object = None) -> str:
        """The template of `text_key` in this language, placeholders unfilled."""
        source = en.CATALOGUE[text_key]
        if self.lang == SOURCE_LANG:
            return source
        catalogue = translations(self.lang)
        plural = is_plural_key(text_key, _PLURAL_BASES)
        if plural is None:
            return catalogue.pgettext(text_key, source)
        base, form = plural
        n = count if isinstance(count, int) and not isinstance(count, bool) else (1 if form == "one" else 2)
        return catalogue.npgettext(base, en.CATALOGUE[f"{base}.one"], en.CATALOGUE[f"{base}.other"], n)

    @cached_property
    def _patterns(self) -> tuple[str, str, str]:
        """CLDR patterns from the catalogue: day ("30 вер. 2022"), month ("вер. 2022") and percent."""
        return self("format.day"), self("format.month"), self("format.percent")

    def day(self, day: dt.date) -> str:
        """A day in words: "28 Feb 2023", "28 лют. 2023"."""
        return _format(day, self._patterns[0], self.lang)

    def partial(self, date: PartialDate) -> str:
        """A date at its precision: "28 Feb 2023", "Sep 2022" or "2014"."""
        if date.month is None:
            return str(date.year)
        if date.day is None:
            return _format(dt.date(date.year, date.month, 1), self._patterns[1], self.lang)
        return self.day(dt.date(date.year, date.month, date.day))

    def share(self, share: float) -> str:
        """A share (0-1) as a whole percentage, "72%" ("72 %" in Ukrainian); one decimal where rounding
        would mislead: a share under 1 never reads "100%" ("99.9%") and one above 0 never reads "0%"."""
        whole = self._patterns[2]
        tenths = whole.replace("#,##0", "#,##0.#", 1)
        pct = share * 100
        if 99.5 <= pct < 100:
            return _percent(math.floor(pct * 10) / 1000, tenths, self.lang)
        if 0 < pct < 0.5:
            return _percent(math.ceil(pct * 10) / 1000, tenths, self.lang)
        return _percent(share, whole, self.lang)

    def area(self, km2: float) -> str:
        """An area in words: "18,878 km²", "18 878 км²"."""
        return self("unit.km2", value=_decimal(round(km2), "#,##0", self.lang))

    def number(self, value: float, digits: int | None = None) -> str:
        """A number as written in this language, ungrouped: "26666.6", "26666,6". With `digits`,
        exactly that many decimals ("3.0"); without, as many as it has, from one to six."""
        pattern = "0." + "0" * digits if digits else "0" if digits == 0 else "0.0#####"
        return _decimal(value, pattern, self.lang)

    def country(self, iso_a3: str, fallback: str) -> str:
        """A neighbouring country's name in this language (CLDR), else `fallback`."""
        alpha2 = _COUNTRY_ALPHA2.get(iso_a3)
        return (_territories(self.lang).get(alpha2) if alpha2 else None) or fallback

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
        if not state.enrichment:
            who += self("state.article_only")
        return self(
            "state.describe", where=where, start=self.day(state.date_from), end=self.day(state.date_to), who=who
        )

    def citation(self, claim: Claim) -> str:
        """A record as one line to paste into notes or an article, e.g.
        `Dmitry Peskov, Kremlin spokesman, quoted in Reuters, “Title”, 28 Feb 2023, https://…: “…”`.

        Who said it comes first, so a quote is never pasted without its speaker;
        a record without a quote (an event) cites its summary; a publisher quoting its own
        assessment is named once.
        """
        from dashboard.text.source_words import publisher_words  # it builds on Text

        source = claim.source
        fields = {
            "publisher": publisher_words(self, source.publisher),
            "title": source.title,
            "published": self.partial(source.published),
        }
        said = (
            self("citation.source_url", url=source.url, **fields) if source.url else self("citation.source", **fields)
        )
        if not claim.quote:
            return self("citation.summary", source=said, summary=claim.summary)
        if claim.speaker and claim.speaker.casefold() != source.publisher.casefold():
            return self("citation.quoted", speaker=claim.speaker, source=said, quote=claim.quote)
        return self("citation.quote", source=said, quote=claim.quote)

    def plural(self, key: str, count: int, /, **params: object) -> str:
        """ "1 record", "3 records"; "1 запис", "3 записи", "5 записів": `key.one` / `key.other` with {count}
        (and `params`), in as many forms as the language has."""
        return self(f"{key}.{'one' if count == 1 else 'other'}", **params, count=count)


@lru_cache(maxsize=4096)
def _format(day: dt.date, pattern: str, lang: str) -> str:
    """Babel's formatting, memoised: hover cards and lists format the same few days again and again."""
    return format_date(day, pattern, locale=lang)


@lru_cache(maxsize=4096)
def _decimal(value: float, pattern: str, lang: str) -> str:
    """Babel's numbers, memoised like `_format`: the same areas and shares come back on every hover card."""
    return format_decimal(value, pattern, locale=lang)


@lru_cache(maxsize=4096)
def _percent(value: float, pattern: str, lang: str) -> str:
    return format_percent(value, pattern, locale=lang)


@lru_cache(maxsize=16)
def _territories(lang: str) -> Mapping[str, str]:
    return Locale.parse(lang).territories


@lru_cache(maxsize=8)
def text_for(lang: str = DEFAULT_LANG) -> Text:
    return Text(lang)


#: Language -> key -> template in that language (a plural entry: its `one` and `other` keys as in English,
#: 1 and 2). For reading and checks; `Text` is the way to get a string.
CATALOGUES: Mapping[str, Mapping[str, str]] = {
    lang: {key: Text(lang).template(key) for key in en.CATALOGUE} for lang in LANGUAGES
}
