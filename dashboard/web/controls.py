"""The filter controls' values as a FilterState: one reading of untrusted browser input.

The browser can send anything, so every value is checked: a bad one becomes
"no change" or the default, never an exception.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboard.core.claims import PARTIES
from dashboard.core.dataset import Dataset
from dashboard.core.dates import in_order
from dashboard.core.filters import COMPARE_SHOWN, FilterState
from dashboard.core.regions import UA_CODES, widen_to_groups
from dashboard.core.search import clean_query


def region_codes(values: Any) -> tuple[str, ...]:
    """Region codes from a dropdown value, dropping anything that is not a Ukrainian code."""
    if not isinstance(values, list):
        return ()
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v in UA_CODES))


def party_slugs(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v in PARTIES))


#: The value of the "Article records only" checkbox (element id `article-only`) when ticked.
ARTICLE_ONLY_ON = "on"


def shows_enrichment(article_only: Any) -> bool:
    """False only when the "Article records only" box is ticked; anything else shows every record."""
    return not (isinstance(article_only, list) and ARTICLE_ONLY_ON in article_only)


#: The value of the "Show change over the range" checkbox (element id `change-layer`) when ticked.
CHANGE_ON = "on"


def shows_change(change: Any) -> bool:
    """True only when the "Show change over the range" box is ticked."""
    return isinstance(change, list) and CHANGE_ON in change


def state_from_controls(
    data: Dataset,
    dates: Any,
    regions: Any,
    parties: Any,
    article_only: Any = None,
    search: Any = "",
    *,
    change: Any = None,
    source: Any = None,
    compare: Any = None,
) -> FilterState:
    """The FilterState the controls show; malformed values fall back to the full range
    (and a search that is not text to no search; a source that is not a string to none)."""
    if not (isinstance(dates, list) and len(dates) == 2):
        dates = [0, data.axis.days]
    low, high = in_order(data.axis.day(dates[0]), data.axis.day(dates[1]))
    return FilterState(
        low,
        high,
        region_codes(regions),
        party_slugs(parties),
        shows_enrichment(article_only),
        shows_change(change),
        clean_query(search),
        source=source if isinstance(source, str) and 0 < len(source) <= 200 else None,
        compare=isinstance(compare, list) and COMPARE_SHOWN in compare,
    )


def clicked_codes(click: Any) -> tuple[str, ...]:
    """The region a map click hit, widened to its group (Crimea + Sevastopol)."""
    try:
        code = click["points"][0]["location"]
    except (TypeError, KeyError, IndexError):
        return ()
    if not isinstance(code, str) or code not in UA_CODES:
        return ()
    return widen_to_groups([code])


def brushed_days(selected: Any) -> tuple[dt.date, dt.date] | None:
    """The days a drag-select on the timeline covers (its x range, on any of its x axes):
    from the day the drag starts in to the day it ends in. None for anything else."""
    try:
        ranges = selected["range"]
        values = next(v for k, v in ranges.items() if isinstance(k, str) and k.startswith("x"))
        low, high = (dt.date.fromisoformat(str(v)[:10]) for v in values)
    except (TypeError, KeyError, StopIteration, ValueError, AttributeError):
        return None
    return in_order(low, high)


def clicked_record(click: Any) -> str | dict | None:
    """What a click on the timeline hit: a record id (a marker) or a bin's [first, last] day
    (as {"from": date, "to": date}); None for anything else."""
    try:
        data = click["points"][0]["customdata"]
    except (TypeError, KeyError, IndexError):
        return None
    if isinstance(data, str) and 0 < len(data) <= 200:
        return data
    if isinstance(data, list) and len(data) == 2:
        try:
            low, high = (dt.date.fromisoformat(str(v)[:10]) for v in data)
        except ValueError:
            return None
        low, high = in_order(low, high)
        return {"from": low, "to": high}
    return None


def regions_with_groups(new: Any, previous: Any) -> tuple[str, ...]:
    """The region filter's value with Crimea and Sevastopol kept together.

    Picking either unit in the dropdown adds both; removing either removes both,
    as a map click toggles both.
    """
    new_codes, old_codes = region_codes(new), region_codes(previous)
    removed = set(old_codes) - set(new_codes)
    removed_groups = set(widen_to_groups(removed))
    return widen_to_groups(c for c in new_codes if c not in removed_groups)
