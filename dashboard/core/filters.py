"""The dashboard's filter state: parsed from the URL, written back to it, described in words.

The URL is the only place UI state lives (the server stays stateless), so
every value in it is untrusted: unknown or invalid values are dropped with a
specific notice and never raise (issue 4, "URL state").

Query parameters (public interface):
    from=YYYY-MM-DD   first day of the range (YYYY and YYYY-MM also accepted: their first day)
    to=YYYY-MM-DD     last day of the range (YYYY and YYYY-MM: their last day)
    regions=A,B       ISO 3166-2 codes or names of regions, comma-separated
    parties=a,b       party slugs, comma-separated
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

from dashboard.core.dates import PartialDate, PartialDateError
from dashboard.core.regions import widen_to_groups

QUERY_KEYS: tuple[str, ...] = ("from", "to", "regions", "parties")
#: Longer values are not parsed at all: no legitimate value comes near this.
MAX_VALUE_LENGTH = 500
MAX_ITEMS = 50
#: At most this many notices are shown; the last one says how many more there were.
MAX_NOTICES = 8


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_day(day: dt.date) -> str:
    return PartialDate.from_date(day).label()


@dataclass(frozen=True)
class FilterState:
    """What the user has chosen: a closed date range, regions and parties (empty = all)."""

    date_from: dt.date
    date_to: dt.date
    regions: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()

    def to_query(self) -> str:
        """`?from=...&to=...[&regions=...][&parties=...]`, the shareable form."""
        pairs = [("from", self.date_from.isoformat()), ("to", self.date_to.isoformat())]
        if self.regions:
            pairs.append(("regions", ",".join(self.regions)))
        if self.parties:
            pairs.append(("parties", ",".join(self.parties)))
        return "?" + urlencode(pairs, safe=",")

    def with_region_toggled(self, codes: Sequence[str]) -> FilterState:
        """Toggle a region (or a group such as Crimea + Sevastopol) in the selection."""
        if all(code in self.regions for code in codes):
            regions = tuple(r for r in self.regions if r not in codes)
        else:
            regions = self.regions + tuple(c for c in codes if c not in self.regions)
        return replace(self, regions=regions)

    def describe(self, region_name: Callable[[str], str]) -> str:
        """In words, for titles and notices: "Donetsk, Luhansk · 1 Jan 2014 – 28 Feb 2023"."""
        where = ", ".join(region_name(code) for code in self.regions) or "All contested regions"
        who = f" · parties: {', '.join(self.parties)}" if self.parties else ""
        return f"{where} · {format_day(self.date_from)} – {format_day(self.date_to)}{who}"


@dataclass(frozen=True)
class QueryContext:
    """What a query is checked against: the slider's bounds and the known names."""

    first_day: dt.date
    last_day: dt.date
    lookup_region: Callable[[str], str]
    parties: Collection[str]
    #: Where the default range ends: the last record, which may be before last_day.
    default_to: dt.date | None = None

    def default_state(self) -> FilterState:
        return FilterState(self.first_day, min(self.default_to or self.last_day, self.last_day))


def _parse_day(key: str, value: str, context: QueryContext, notices: list[str]) -> dt.date | None:
    try:
        partial = PartialDate.parse(value)
    except PartialDateError:
        notices.append(f"Ignored {key}={_short(value)!r}: expected a date like 2023-02-28.")
        return None
    day = partial.start if key == "from" else partial.end
    if not context.first_day <= day <= context.last_day:
        clamped = min(max(day, context.first_day), context.last_day)
        notices.append(
            f"{key}={value} is outside the timeline ({format_day(context.first_day)} – "
            f"{format_day(context.last_day)}); using {format_day(clamped)}."
        )
        day = clamped
    return day


def _parse_list(key: str, value: str, resolve: Callable[[str], str | None],
                notices: list[str]) -> tuple[str, ...]:
    items = [item.strip() for item in value.split(",") if item.strip()]
    if len(items) > MAX_ITEMS:
        notices.append(f"Ignored {key}: more than {MAX_ITEMS} values.")
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
        notices.append(f"Ignored unknown {key}: {', '.join(repr(u) for u in unknown)}.")
    return tuple(resolved)


def parse_query(search: str | None, context: QueryContext) -> tuple[FilterState, list[str]]:
    """The state a URL query asks for, plus a notice for each value that was ignored or changed."""
    state = context.default_state()
    notices: list[str] = []
    if not isinstance(search, str) or not search.strip("?"):
        return state, notices
    if len(search) > 8 * MAX_VALUE_LENGTH:
        return state, ["Ignored the URL's query: it is too long."]

    seen: set[str] = set()
    for key, value in parse_qsl(search.lstrip("?"), keep_blank_values=True):
        if key not in QUERY_KEYS:
            notices.append(f"Ignored unknown URL parameter {_short(key)!r}; "
                           f"known: {', '.join(QUERY_KEYS)}.")
            continue
        if key in seen:
            notices.append(f"Ignored repeated URL parameter {key!r}.")
            continue
        seen.add(key)
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(f"Ignored {key}: value longer than {MAX_VALUE_LENGTH} characters.")
            continue
        if key in ("from", "to"):
            day = _parse_day(key, value, context, notices)
            if day is not None:
                state = replace(state, **{"date_from" if key == "from" else "date_to": day})
        elif key == "regions":
            # Crimea means the peninsula: a name or code of either unit selects both, as a click does.
            regions = _parse_list(key, value, _safe(context.lookup_region), notices)
            state = replace(state, regions=widen_to_groups(regions))
        else:
            known = {p.lower(): p for p in context.parties}
            state = replace(state, parties=_parse_list(key, value, lambda s: known.get(s.lower()), notices))

    if state.date_from > state.date_to:
        notices.append(f"from ({format_day(state.date_from)}) was after to "
                       f"({format_day(state.date_to)}); the two were swapped.")
        state = replace(state, date_from=state.date_to, date_to=state.date_from)
    if len(notices) > MAX_NOTICES:  # "?a&a&a&..." must not fill the page with notices
        notices = notices[: MAX_NOTICES - 1] + [f"… and {len(notices) - MAX_NOTICES + 1} more values "
                                                "in the URL were ignored or changed."]
    return state, notices


def _safe(lookup: Callable[[str], str]) -> Callable[[str], str | None]:
    def resolve(name: str) -> str | None:
        try:
            return lookup(name)
        except LookupError:
            return None
    return resolve
