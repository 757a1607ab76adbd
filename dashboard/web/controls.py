"""The filter controls' values as a FilterState: one reading of untrusted browser input.

The browser can send anything, so every value is checked: a bad one becomes
"no change" or the default, never an exception.
"""

from __future__ import annotations

from typing import Any

from dashboard.core.claims import PARTIES
from dashboard.core.dataset import Dataset
from dashboard.core.dates import in_order
from dashboard.core.filters import FilterState
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


def state_from_controls(data: Dataset, dates: Any, regions: Any, parties: Any, search: Any = "") -> FilterState:
    """The FilterState the controls show; malformed values fall back to the full range
    (and a search that is not text to no search)."""
    if not (isinstance(dates, list) and len(dates) == 2):
        dates = [0, data.axis.days]
    low, high = in_order(data.axis.day(dates[0]), data.axis.day(dates[1]))
    return FilterState(low, high, region_codes(regions), party_slugs(parties), clean_query(search))


def clicked_codes(click: Any) -> tuple[str, ...]:
    """The region a map click hit, widened to its group (Crimea + Sevastopol)."""
    try:
        code = click["points"][0]["location"]
    except (TypeError, KeyError, IndexError):
        return ()
    if not isinstance(code, str) or code not in UA_CODES:
        return ()
    return widen_to_groups([code])


def regions_with_groups(new: Any, previous: Any) -> tuple[str, ...]:
    """The region filter's value with Crimea and Sevastopol kept together.

    Picking either unit in the dropdown adds both; removing either removes both,
    as a map click toggles both (issue 10, item 14).
    """
    new_codes, old_codes = region_codes(new), region_codes(previous)
    removed = set(old_codes) - set(new_codes)
    removed_groups = set(widen_to_groups(removed))
    return widen_to_groups(c for c in new_codes if c not in removed_groups)
