"""The claims file's field validators and limits: each validator takes a raw value and returns the
normalised one, or raises FieldError saying what was expected and what was found (bounded, escaped:
files may be hostile)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Literal, overload

from dashboard.core.claims import PARTIES
from dashboard.core.dates import PartialDate, PartialDateError, short_repr
from dashboard.core.plain_text import BAD_CHARS as _BAD_CHARS  # controls, lone surrogates: never valid text
from dashboard.core.regions import UA_CODES
from dashboard.sources.claims_review import FieldError

#: Years a date in a claims file may have. Year 1 or 9999 are typos, and the
#: timeline needs the year before the first record.
MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_ID_CHARS = 100
MAX_SHORT_TEXT = 200  # speaker, date_phrase, publisher
MAX_QUOTE_CHARS = 300  # "short verbatim sentences" only
MAX_SUMMARY_CHARS = 500
MAX_LONG_TEXT = 2000  # note, title, url
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL = re.compile(r"https?://[^\s]+")
#: Names (field names, source keys) shown as they are in messages; others are shown escaped.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,60}")


_FieldError = FieldError  # a field value is invalid; the text says what was expected and what was found


def _show(value: Any, limit: int = 60) -> str:
    """A short repr for messages: hostile files must not flood the terminal (nor hang it:
    a YAML alias bomb is bounded too)."""
    if isinstance(value, date):
        value = value.isoformat()
    return short_repr(value, limit)


def _quoted(name: Any) -> str:
    """A field or source name for a message: 'date', or escaped if the file made it strange.

    Names come from the file, so a hostile one (newlines, terminal escape
    sequences, a megabyte of text) must not reach the terminal as it is.
    """
    text = name if isinstance(name, str) else str(name) if isinstance(name, (int, float, bool)) else None
    if text is not None and _PLAIN_NAME.fullmatch(text):
        return f"'{text}'"
    return _show(name)


# ---------------------------------------------------------------------------
# Field validators: each takes the raw value and returns the normalised one.


@overload
def _text(value: Any, limit: int, *, nullable: Literal[False], one_line: bool = False) -> str: ...
@overload
def _text(value: Any, limit: int, *, nullable: bool, one_line: bool = False) -> str | None: ...
def _text(value: Any, limit: int, *, nullable: bool, one_line: bool = False) -> str | None:
    if value is None:
        if nullable:
            return None
        raise _FieldError("expected text, got null")
    if not isinstance(value, str) or not value.strip():
        raise _FieldError(f"expected non-empty text, got {_show(value)}")
    if len(value) > limit:
        raise _FieldError(f"expected at most {limit} characters, got {len(value)}")
    bad = _BAD_CHARS.search(value)
    if bad:
        raise _FieldError(
            f"expected text without control characters, got {_show(bad.group())} at character {bad.start() + 1}"
        )
    if one_line and ("\n" in value or "\r" in value):
        raise _FieldError("expected one line of text")
    return value


def _choice(value: Any, allowed: Iterable[str], what: str) -> str:
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise _FieldError(f"unknown {what} {_show(value)}; expected one of: {', '.join(allowed)}")
    return value


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value) or len(value) > MAX_ID_CHARS:
        raise _FieldError(
            f"expected a slug (lower-case letters, digits and single hyphens, at most "
            f"{MAX_ID_CHARS} characters), got {_show(value)}"
        )
    return value


def _partial_date(value: Any) -> PartialDate:
    try:
        parsed = PartialDate.parse(value)
    except PartialDateError as exc:
        raise _FieldError(str(exc)) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise _FieldError(f"expected a year from {MIN_YEAR} to {MAX_YEAR}, got {parsed.isoformat()!r}")
    return parsed


def _string_list(value: Any, check: Callable[[Any], str], *, min_items: int) -> list[str]:
    if not isinstance(value, list):
        raise _FieldError(f"expected a list, got {_show(value)}")
    if len(value) < min_items:
        raise _FieldError(f"expected at least {min_items} item(s), got an empty list")
    items = [check(item) for item in value]
    duplicates = sorted(item for item, count in Counter(items).items() if count > 1)
    if duplicates:
        raise _FieldError(f"duplicate item(s): {', '.join(duplicates)}")
    return items


def _party(value: Any) -> str:
    return _choice(value, PARTIES, "party")


def _region(value: Any) -> str:
    if not isinstance(value, str) or value not in UA_CODES:
        raise _FieldError(
            f"unknown region {_show(value)}; expected an ISO 3166-2 code of Ukraine such as "
            f"UA-43 (Crimea), UA-40 (Sevastopol), UA-14, UA-09, UA-65 or UA-23"
        )
    return value


def _about(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _FieldError(f"expected a list of dates, got {_show(value)}")
    return [_partial_date(item).isoformat() for item in value]


def _bool(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _FieldError(f"expected true or false, got {_show(value)}")
    return value


def _url(value: Any) -> str | None:
    text = _text(value, MAX_LONG_TEXT, nullable=True, one_line=True)
    # Only web addresses: the dashboard renders these as links, and a
    # javascript: or file: URL in a user's file must not become one.
    if text is not None and not _URL.fullmatch(text):
        raise _FieldError(f"expected an http:// or https:// address or null, got {_show(text)}")
    return text
