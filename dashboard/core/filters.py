"""The dashboard's filter state: parsed from the URL and written back to it.

The URL is the only place UI state lives (the server stays stateless), so
every value in it is untrusted: unknown or invalid values are dropped with a
specific `Notice` and never raise; the page says it in
words from the text catalogue.

Query parameters (public interface):
    from=YYYY-MM-DD   first day of the range (YYYY and YYYY-MM also accepted: their first day)
    to=YYYY-MM-DD     last day of the range (YYYY and YYYY-MM: their last day)
    regions=A,B       ISO 3166-2 codes or names of regions, comma-separated
    parties=a,b       party slugs, comma-separated
    enrichment=no     leave out the enrichment records (public-record additions): article
                      records only; absent means shown
    change=yes        draw the change of control over the range (map, ledger, timeline); absent means off
    q=TEXT            statements search: every word in the speaker, quote, summary, publisher or region names
    statement=ID      the record picked in the statements panel (its regions outlined on the map)
    place=ID          the place picked in "Find a place" (a GeoNames geonameid; a name is accepted too
                      and resolved to the best match, then written back as its id)
    source=SLUG       the control source the map's held layer, hover card, ledger and export use
                      (its name's slug, or its name); without it, the source covering the map's date
    compare=yes       the ledger shows one held column per loaded control source
    lang=uk           the page's language; without it, the browser's Accept-Language
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, quote

from dashboard.core.dates import PartialDate, PartialDateError, reversed_range
from dashboard.core.regions import widen_to_groups
from dashboard.core.search import clean_query

#: In the order the URL holds them (the browser writes them in this order too: url_format).
QUERY_KEYS: tuple[str, ...] = (
    "from",
    "to",
    "regions",
    "parties",
    "enrichment",
    "change",
    "q",
    "statement",
    "place",
    "source",
    "compare",
    "lang",
)
#: The one value of `enrichment` the URL writes: article records only.
ENRICHMENT_HIDDEN = "no"
#: What `enrichment=` accepts: "no" hides the enrichment records, "yes" (the default) shows them.
ENRICHMENT_VALUES = {"no": False, "yes": True}
#: The one value of `change` the URL writes (the change layer shown), and what `change=` accepts.
CHANGE_SHOWN = "yes"
CHANGE_VALUES = {"yes": True, "no": False}
#: What `compare=` accepts ("yes": one held column per source in the ledger); the URL writes only "yes".
COMPARE_VALUES = {"yes": True, "no": False}
COMPARE_SHOWN = "yes"
#: The URL's yes/no switches: key -> accepted values (the FilterState field has the key's name).
SWITCHES: dict[str, dict[str, bool]] = {
    "enrichment": ENRICHMENT_VALUES,
    "change": CHANGE_VALUES,
    "compare": COMPARE_VALUES,
}
#: Longer values are not parsed at all: no legitimate value comes near this.
MAX_VALUE_LENGTH = 500
MAX_ITEMS = 50
#: At most this many notices are shown; the last one says how many more there were.
MAX_NOTICES = 8


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Notice:
    """Something in the URL that was ignored or changed: a text key and its values.

    The words are the catalogue's (`dashboard.text`, "notice.<key>"); dates in
    `params` are `datetime.date`s, formatted in the reader's language.
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, notice_key: str, /, **params: object) -> Notice:
        return cls(notice_key, tuple(params.items()))


@dataclass(frozen=True)
class FilterState:
    """What the user has chosen: a closed date range, regions and parties (empty = all),
    whether enrichment records (public-record additions) are shown, a statements search
    (`q`, empty = all) and the record picked in the statements panel (`statement`; it
    selects, it does not filter).

    `lang` is the language the URL asks for (None: none asked, the browser's choice). It is part of
    the state because it is part of the shareable URL (to_query writes it back); no view filters by it.
    """

    date_from: dt.date
    date_to: dt.date
    regions: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    #: False: article records only (`enrichment=no`); the status then uses them alone too.
    enrichment: bool = True
    #: True: the change of control over the range is drawn (`change=yes`).
    change: bool = False
    q: str = ""
    statement: str | None = None
    lang: str | None = None
    #: The place picked in "Find a place" (its geonameid); it marks the map, it does not filter.
    place: int | None = None
    #: The picked control source's slug (None: the source covering the map's date).
    source: str | None = None
    #: The ledger compares the loaded control sources side by side.
    compare: bool = False

    def to_query(self) -> str:
        """`?from=...&to=...[&regions=...][&parties=...][&enrichment=no][&change=yes][&q=...][&statement=...]`,
        the shareable form.

        Percent-encoded as the browser's filtersToUrl writes it (encodeURIComponent, plus
        !'()*), so the two agree on one state's URL: lists keep their commas, text encodes
        everything but letters, digits and -_.~ (a space is %20).
        """
        pairs = [("from", self.date_from.isoformat()), ("to", self.date_to.isoformat())]
        if self.regions:
            pairs.append(("regions", ",".join(quote(r, safe="") for r in self.regions)))
        if self.parties:
            pairs.append(("parties", ",".join(quote(p, safe="") for p in self.parties)))
        if not self.enrichment:
            pairs.append(("enrichment", ENRICHMENT_HIDDEN))
        if self.change:
            pairs.append(("change", CHANGE_SHOWN))
        if self.q:
            pairs.append(("q", quote(self.q, safe="")))
        if self.statement:
            pairs.append(("statement", quote(self.statement, safe="")))
        if self.place is not None:
            pairs.append(("place", str(self.place)))
        if self.source:
            pairs.append(("source", quote(self.source, safe="")))
        if self.compare:
            pairs.append(("compare", COMPARE_SHOWN))
        if self.lang:
            pairs.append(("lang", quote(self.lang, safe="")))
        return "?" + "&".join(f"{key}={value}" for key, value in pairs)

    def record_link(self, record_id: str, start: dt.date, end: dt.date) -> str:
        """The permalink of a record seen under this state ("Link to this record").

        The map opens on the record's date (`to` = the last day of its date window) with the
        range reaching back to take it in, and the search and "article records only" are
        kept; the region and party filters are left out, so no filter of the moment hides the
        record in the link, and so is the language (the reader's browser chooses).
        """
        return replace(
            self,
            date_from=min(self.date_from, start),
            date_to=end,
            regions=(),
            parties=(),
            statement=record_id,
            lang=None,
        ).to_query()

    def with_region_toggled(self, codes: Sequence[str]) -> FilterState:
        """Toggle a region (or a group such as Crimea + Sevastopol) in the selection."""
        if all(code in self.regions for code in codes):
            regions = tuple(r for r in self.regions if r not in codes)
        else:
            regions = self.regions + tuple(c for c in codes if c not in self.regions)
        return replace(self, regions=regions)


@dataclass(frozen=True)
class QueryContext:
    """What a query is checked against: the slider's bounds and the known names."""

    first_day: dt.date
    last_day: dt.date
    lookup_region: Callable[[str], str]
    parties: Collection[str]
    #: Where the default range ends: the last record, which may be before last_day.
    default_to: dt.date | None = None
    #: The language a `lang=` value names, as the app spells it, or None when there is no catalogue
    #: for it (the text layer's negotiation; core knows no languages). None here: every `lang` is unknown.
    lookup_lang: Callable[[str], str | None] | None = None
    #: The languages there are, for the notice about an unknown one.
    languages: tuple[str, ...] = ()
    #: The ids `statement=` may name (the loaded records).
    statement_ids: Collection[str] = ()
    #: The geonameid a `place=` value (an id or a name) names, or None (the gazetteer's resolve).
    lookup_place: Callable[[str], int | None] | None = None
    #: The slug `source=` names for a control source's name or slug, None when no loaded source has it.
    lookup_source: Callable[[str], str | None] | None = None
    #: The loaded control sources' slugs, for the notice about an unknown one.
    sources: tuple[str, ...] = ()

    def default_state(self) -> FilterState:
        return FilterState(self.first_day, min(self.default_to or self.last_day, self.last_day))


def _parse_day(key: str, value: str, context: QueryContext, notices: list[Notice]) -> dt.date | None:
    try:
        partial = PartialDate.parse(value)
    except PartialDateError:
        notices.append(Notice.of("bad_date", key=key, value=_short(value)))
        return None
    day = partial.start if key == "from" else partial.end
    if not context.first_day <= day <= context.last_day:
        clamped = min(max(day, context.first_day), context.last_day)
        notices.append(
            Notice.of(
                "outside", key=key, value=_short(value), first=context.first_day, last=context.last_day, used=clamped
            )
        )
        day = clamped
    return day


def _case_blind(known: Mapping[str, str]) -> Callable[[str], str | None]:
    """Looks a name up in `known` (keyed by lower case) whatever the case it is asked in."""

    def find(name: str) -> str | None:
        return known.get(name.lower())

    return find


def _parse_list(key: str, value: str, resolve: Callable[[str], str | None], notices: list[Notice]) -> tuple[str, ...]:
    items = [item.strip() for item in value.split(",") if item.strip()]
    if len(items) > MAX_ITEMS:
        notices.append(Notice.of("too_many", key=key, limit=MAX_ITEMS))
        return ()
    resolved: list[str] = []
    unknown: list[str] = []
    for item in items:
        code = resolve(item)
        if code is None:
            unknown.append(_short(item))
        elif code not in resolved:
            resolved.append(code)
    if unknown:
        notices.append(Notice.of("unknown_values", key=key, values=", ".join(repr(u) for u in unknown)))
    return tuple(resolved)


def parse_query(search: str | None, context: QueryContext) -> tuple[FilterState, list[Notice]]:
    """The state a URL query asks for, plus a notice for each value that was ignored or changed."""
    state = context.default_state()
    notices: list[Notice] = []
    if not isinstance(search, str) or not search.strip("?"):
        return state, notices
    if len(search) > 8 * MAX_VALUE_LENGTH:
        return state, [Notice.of("too_long_query")]

    seen: set[str] = set()
    for key, value in parse_qsl(search.lstrip("?"), keep_blank_values=True):
        if key not in QUERY_KEYS:
            notices.append(Notice.of("unknown_key", key=_short(key), known=", ".join(QUERY_KEYS)))
            continue
        if key in seen:
            notices.append(Notice.of("repeated_key", key=key))
            continue
        seen.add(key)
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(Notice.of("too_long_value", key=key, limit=MAX_VALUE_LENGTH))
            continue
        if key in ("from", "to"):
            day = _parse_day(key, value, context, notices)
            if day is not None:
                state = replace(state, date_from=day) if key == "from" else replace(state, date_to=day)
        elif key == "regions":
            # Crimea means the peninsula: a name or code of either unit selects both, as a click does.
            regions = _parse_list(key, value, _safe(context.lookup_region), notices)
            state = replace(state, regions=widen_to_groups(regions))
        elif key == "lang":
            lang = context.lookup_lang(value) if context.lookup_lang is not None else None
            if lang is None:
                notices.append(Notice.of("unknown_lang", value=_short(value), known=", ".join(context.languages)))
            else:
                state = replace(state, lang=lang)
        elif key in SWITCHES:
            shown = SWITCHES[key].get(value.strip().lower())
            if shown is None:
                notices.append(Notice.of("unknown_values", key=key, values=repr(_short(value))))
            else:
                switch: dict[str, Any] = {key: shown}  # a bool field named by the SWITCHES table
                state = replace(state, **switch)
        elif key == "source":
            slug = context.lookup_source(value) if context.lookup_source is not None else None
            if slug is None:
                notices.append(Notice.of("unknown_source", value=_short(value), known=", ".join(context.sources)))
            else:
                state = replace(state, source=slug)
        elif key == "q":
            state = replace(state, q=clean_query(value))
        elif key == "statement":
            if value in context.statement_ids:
                state = replace(state, statement=value)
            else:
                notices.append(Notice.of("unknown_statement", value=_short(value)))
        elif key == "place":
            place = context.lookup_place(value) if context.lookup_place is not None else None
            if place is None:
                notices.append(Notice.of("unknown_place", value=_short(value)))
            else:
                state = replace(state, place=place)
        else:
            known = {p.lower(): p for p in context.parties}
            state = replace(state, parties=_parse_list(key, value, _case_blind(known), notices))

    if reversed_range(state.date_from, state.date_to):
        notices.append(Notice.of("swapped", start=state.date_from, end=state.date_to))
        state = replace(state, date_from=state.date_to, date_to=state.date_from)
    if len(notices) > MAX_NOTICES:  # "?a&a&a&..." must not fill the page with notices
        notices = [*notices[: MAX_NOTICES - 1], Notice.of("more", count=len(notices) - MAX_NOTICES + 1)]
    return state, notices


def _safe(lookup: Callable[[str], str]) -> Callable[[str], str | None]:
    def resolve(name: str) -> str | None:
        try:
            return lookup(name)
        except LookupError:
            return None

    return resolve
