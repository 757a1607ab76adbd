"""The claims file format: limits, field validators and per-record checks.

Every check appends a message that names the file, the record (id and line),
the field and what was expected; nothing raises until a whole file has been
checked, so a user sees every problem at once (`ClaimsValidationError`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal, overload

from dashboard.core.claims import CONFIDENCES, DRAFT_KEYS, EFFECTS, EXPORT_KEYS, KINDS, PARTIES, SOURCE_KEYS, Source
from dashboard.core.dates import PRECISIONS, PartialDate, PartialDateError, short_repr
from dashboard.core.errors import DataError
from dashboard.core.plain_text import BAD_CHARS as _BAD_CHARS  # controls, lone surrogates: never valid text
from dashboard.core.regions import UA_CODES
from dashboard.sources.claims_review import (
    FieldError,
    check_evidence,
    check_review,
    placeholder_summary,
    review_message,
)
from dashboard.sources.date_phrases import resolve_phrase

REQUIRED_KEYS: frozenset[str] = frozenset({"id", "kind", "date", "parties", "regions", "summary", "source"})

#: Years a date in a claims file may have. Year 1 or 9999 are typos, and the
#: timeline needs the year before the first record.
MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_ID_CHARS = 100
MAX_SHORT_TEXT = 200  # speaker, date_phrase, publisher
MAX_QUOTE_CHARS = 300  # "short verbatim sentences" only
MAX_SUMMARY_CHARS = 500
MAX_LONG_TEXT = 2000  # note, title, url
MAX_ERRORS_REPORTED = 200
#: Errors ClaimsValidationError's message shows; `.errors` keeps them all.
MAX_ERRORS_SHOWN = 20

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL = re.compile(r"https?://[^\s]+")
#: Names (field names, source keys) shown as they are in messages; others are shown escaped.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,60}")


class ClaimsValidationError(DataError):
    """One or more invalid records; `errors` holds every message.

    `str()` starts with one self-contained line, the first message plus a count
    ("(and 29 more errors)"); the next up to MAX_ERRORS_SHOWN - 1 messages follow,
    one per line and indented, then "… and N more errors" if any are left.
    The CLI prints it under `contested-map: error:`.
    """

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: tuple[str, ...] = tuple(" ".join(e.splitlines()) for e in errors)
        extra = len(self.errors) - 1
        suffix = f" (and {extra} more error{'s' if extra > 1 else ''})" if extra > 0 else ""
        lines = [self.errors[0] + suffix] + [f"  {e}" for e in self.errors[1:MAX_ERRORS_SHOWN]]
        hidden = len(self.errors) - MAX_ERRORS_SHOWN
        if hidden > 0:
            lines.append(f"  … and {hidden} more error{'s' if hidden > 1 else ''}")
        super().__init__("\n".join(lines))


# ---------------------------------------------------------------------------
# Locations: where in which file a record is, for messages.


@dataclass(frozen=True)
class _Where:
    """The position of one record (or source) in a file, for error messages."""

    origin: str
    label: str  # "record 'peskov-x'" or "record #3" or "source 'reuters'"
    line: int | None = None  # 1-based line of the record (YAML only)
    field_lines: Mapping[str, int] = field(default_factory=dict)
    index: int | None = None  # 1-based position in the list (when there are no lines)

    def position(self, field_name: str | None = None) -> str:
        line = self.field_lines.get(field_name, self.line) if field_name else self.line
        if line is not None:
            return f"line {line}"
        return f"#{self.index}" if self.index is not None else "?"

    def message(self, field_name: str | None, text: str) -> str:
        where = f"{self.origin}: {self.label} ({self.position(field_name)})"
        return f"{where}: field {_quoted(field_name)}: {text}" if field_name else f"{where}: {text}"


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


_RECORD_FIELDS: Mapping[str, Callable[[Any], Any]] = MappingProxyType(
    {
        "id": _slug,
        "kind": lambda v: _choice(v, KINDS, "kind"),
        "date": _partial_date,
        "date_precision": lambda v: None if v is None else _choice(v, PRECISIONS, "precision"),
        "date_end": lambda v: None if v is None else _partial_date(v),
        "date_phrase": lambda v: _text(v, MAX_SHORT_TEXT, nullable=True, one_line=True),
        "about": _about,
        "speaker": lambda v: _text(v, MAX_SHORT_TEXT, nullable=True, one_line=True),
        "parties": lambda v: _string_list(v, _party, min_items=1),
        "regions": lambda v: _string_list(v, _region, min_items=1),
        "quote": lambda v: _text(v, MAX_QUOTE_CHARS, nullable=True),
        "summary": lambda v: _text(v, MAX_SUMMARY_CHARS, nullable=False, one_line=True),
        "effect": lambda v: None if v is None else _choice(v, EFFECTS, "effect"),
        "enrichment": _bool,
        "refines": lambda v: None if v is None else _slug(v),
        "note": lambda v: _text(v, MAX_LONG_TEXT, nullable=True),
        "source": lambda v: v,  # resolved against the file's sources in _resolve_source
        "data_ends": lambda v: None if v is None else _partial_date(v),  # output only: checked, not kept
        # Draft fields (`contested-map draft`): checked, not kept in the loaded Claim.
        "review": check_review,
        "review_reasons": lambda v: (
            []
            if v is None
            else _string_list(v, lambda item: _text(item, MAX_SHORT_TEXT, nullable=False, one_line=True), min_items=0)
        ),
        "evidence": check_evidence,
        "confidence": lambda v: None if v is None else _choice(v, CONFIDENCES, "confidence"),
    }
)

_SOURCE_FIELDS: Mapping[str, Callable[[Any], Any]] = MappingProxyType(
    {
        "publisher": lambda v: _text(v, MAX_SHORT_TEXT, nullable=False, one_line=True),
        "title": lambda v: _text(v, MAX_LONG_TEXT, nullable=False, one_line=True),
        "published": _partial_date,
        "url": _url,
    }
)


# ---------------------------------------------------------------------------
# Validated records


@dataclass
class _Record:
    """A record that passed the per-file checks, with where it came from."""

    values: dict[str, Any]
    where: _Where
    window: tuple[date, date]

    @property
    def id(self) -> str:
        return str(self.values["id"])


def _check_keys(
    raw: Mapping[Any, Any], known: Mapping[str, Any], expected: Sequence[str], where: _Where, errors: list[str]
) -> bool:
    """Report unknown keys and keys given twice (which YAML and JSON silently collapse)."""
    ok = True
    for key in getattr(raw, "duplicates", ()):
        errors.append(where.message(key, "given more than once (only the last would count); keep one"))
        ok = False
    for key in raw:
        if len(errors) >= MAX_ERRORS_REPORTED:
            return False
        if key not in known:
            errors.append(where.message(key, f"unknown field; expected one of: {', '.join(expected)}"))
            ok = False
    return ok


def _check_source(raw: Any, where: _Where, errors: list[str]) -> Source | None:
    if not isinstance(raw, Mapping):
        errors.append(where.message(None, f"expected a mapping with {', '.join(SOURCE_KEYS)}, got {_show(raw)}"))
        return None
    found: dict[str, Any] = {}
    ok = _check_keys(raw, _SOURCE_FIELDS, SOURCE_KEYS, where, errors)
    for key, check in _SOURCE_FIELDS.items():
        if key not in raw and key != "url":
            errors.append(where.message(key, "missing (required)"))
            ok = False
            continue
        try:
            found[key] = check(raw.get(key))
        except _FieldError as exc:
            errors.append(where.message(key, str(exc)))
            ok = False
    return Source(**found) if ok else None


def _resolve_source(raw: Any, sources: Mapping[str, Source], where: _Where, errors: list[str]) -> Source | None:
    if isinstance(raw, str):
        if raw in sources:
            return sources[raw]
        known = (
            ", ".join(name if _PLAIN_NAME.fullmatch(name) else _show(name) for name in sorted(sources))
            or "none defined"
        )
        errors.append(where.message("source", f"unknown source {_show(raw)}; known sources: {known}"))
        return None
    if isinstance(raw, Mapping):
        nested = _Where(
            where.origin, f"{where.label} source", where.field_lines.get("source", where.line), {}, where.index
        )
        return _check_source(raw, nested, errors)
    errors.append(
        where.message("source", f"expected a source key or a mapping with {', '.join(SOURCE_KEYS)}, got {_show(raw)}")
    )
    return None


def _check_record(raw: Any, sources: Mapping[str, Source], where: _Where, errors: list[str]) -> _Record | None:
    """Validate one record; append every problem to `errors`; None if any."""
    if not isinstance(raw, Mapping):
        errors.append(where.message(None, f"expected a mapping of fields, got {_show(raw)}"))
        return None
    if raw.get("review") == "needed":  # an unfinished draft: its other gaps are the reviewer's to fill
        errors.append(where.message("review", review_message()))
        return None
    before = len(errors)
    values: dict[str, Any] = {}
    _check_keys(raw, _RECORD_FIELDS, EXPORT_KEYS + DRAFT_KEYS, where, errors)
    for key, check in _RECORD_FIELDS.items():
        if key not in raw and key in REQUIRED_KEYS:
            errors.append(where.message(key, "missing (required)"))
            continue
        try:
            values[key] = check(raw.get(key))
        except _FieldError as exc:
            errors.append(where.message(key, str(exc)))
    if "source" in raw:
        values["source"] = _resolve_source(raw["source"], sources, where, errors)
    if len(errors) > before:
        return None
    return _check_consistency(values, where, errors)


def _check_consistency(values: dict[str, Any], where: _Where, errors: list[str]) -> _Record | None:
    """Checks between fields of one record; fills in the derived fields."""
    before = len(errors)
    when: PartialDate = values["date"]
    source: Source = values["source"]
    given = values.pop("date_precision")
    if given is not None and given != when.precision:
        errors.append(
            where.message("date_precision", f"expected {when.precision!r} for date {when.isoformat()!r}, got {given!r}")
        )
    end = when.end
    if values["date_end"] is not None:
        if values["date_end"].end <= when.end:
            errors.append(
                where.message(
                    "date_end", f"expected a date after {when.isoformat()!r}, got {values['date_end'].isoformat()!r}"
                )
            )
        end = values["date_end"].end
    # A source cannot report what happened after it was published.
    for key in ("date", "date_end"):
        value = values[key]
        if value is not None and value.start > source.published.end:
            errors.append(
                where.message(
                    key,
                    f"{value.isoformat()!r} is after the source's publication date {source.published.isoformat()!r}",
                )
            )
    if values["date_phrase"] is not None:
        _check_date_phrase(values["date_phrase"], when, source, where, errors)
    if values["kind"] in {"statement", "assessment"} and values["speaker"] is None:
        errors.append(where.message("speaker", f"required for a {values['kind']}: who said it?"))
    if values["quote"] is not None and values["speaker"] is None:
        errors.append(where.message("quote", "a quote needs a speaker"))
    if values["effect"] is not None and values["kind"] != "event":
        errors.append(where.message("effect", f"only events can have an effect, got kind {values['kind']!r}"))
    if values["refines"] == values["id"]:
        errors.append(where.message("refines", "a record cannot refine itself"))
    if (placeholder := placeholder_summary(values)) is not None:
        errors.append(where.message("summary", placeholder))
    if len(errors) > before:
        return None
    values["date_precision"] = when.precision
    return _Record(values, where, (when.start, end))


def _check_date_phrase(phrase: str, when: PartialDate, source: Source, where: _Where, errors: list[str]) -> None:
    """The source's own words for the date must resolve, against its dateline, to `date`."""
    if source.published.precision != "day":
        errors.append(
            where.message(
                "date_phrase",
                f"cannot check {phrase!r}: the source's publication "
                f"date {source.published.isoformat()!r} is not a full date",
            )
        )
        return
    try:
        resolved = resolve_phrase(phrase, source.published)
    except PartialDateError as exc:
        errors.append(where.message("date_phrase", str(exc)))
        return
    if resolved != when:
        errors.append(
            where.message(
                "date",
                f"date_phrase {phrase!r} resolves to {resolved.isoformat()!r} "
                f"(dateline {source.published.isoformat()}), got {when.isoformat()!r}",
            )
        )
