"""The claims timeline: schema, validating loader, filters and JSON export.

A claims file (YAML or JSON) holds records of three kinds: statements
(someone said), events (something happened) and assessments (a reporter's own
finding). The format is documented in the header of the bundled file,
`dashboard/data/claims.yaml`, and in the constants below.

The loader is strict and all-or-nothing: every problem in a file is collected,
each message names the file, the record (id and line), the field and what was
expected, and nothing is loaded if there is any problem. A half-loaded
timeline would silently drop claims, which is worse than an error for a tool
whose point is to show who claims what.

What `contested-map statements --format json` prints (`records_to_json_rows`)
is itself a valid claims file, so an export can be edited and loaded back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from dashboard.sources.claims_read import (  # the limits are re-exported: part of the format's description
    MAX_FILE_BYTES, MAX_NESTING, MAX_YAML_BYTES, Document, read_document)
from dashboard.core.dates import PRECISIONS, PartialDate, PartialDateError, resolve_relative, short_repr
from dashboard.core.errors import DashboardError, DataError, UnknownRegionError
from dashboard.sources.paths import bundled_claims_path
from dashboard.core.regions import UA_CODES

__all__ = [
    "BUNDLED_CLAIMS",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "MAX_YAML_BYTES",
    "EFFECTS",
    "CSV_KEYS",
    "EXPORT_KEYS",
    "KINDS",
    "PARTIES",
    "PRECISIONS",
    "SOURCE_KEYS",
    "ClaimsValidationError",
    "claims_from_records",
    "filter_claims",
    "load_claims",
    "records_to_csv_rows",
    "records_to_json_rows",
]

#: The dataset shipped with the package.
BUNDLED_CLAIMS: Path = bundled_claims_path()

#: statement: someone said; event: something happened; assessment: a reporter's own finding.
KINDS: tuple[str, ...] = ("statement", "event", "assessment")

#: The parties vocabulary: who makes the claim, holds the position or acts.
PARTIES: Mapping[str, str] = MappingProxyType({
    "russia": "The Russian state: Kremlin, president, government, armed forces and "
              "Russian-installed authorities.",
    "ukraine": "The Ukrainian state: president, government, armed forces (\"Kyiv\").",
    "west": "Western governments and alliances as a group (US, EU, NATO, G7 members).",
    "un": "United Nations bodies (General Assembly, Security Council, agencies).",
    "media": "News organisations speaking in their own voice (e.g. Reuters' own assessment).",
})

#: Effects an event can have on the region status (dashboard/status.py).
EFFECTS: tuple[str, ...] = ("annexation_declared",)

#: Keys of a source mapping, in export order.
SOURCE_KEYS: tuple[str, ...] = ("publisher", "title", "published", "url")

#: Keys of an exported record, in order: what `statements --format json` prints.
EXPORT_KEYS: tuple[str, ...] = (
    "id", "kind", "date", "date_precision", "date_end", "date_phrase", "about",
    "speaker", "parties", "regions", "quote", "summary", "effect", "enrichment",
    "refines", "note", "source",
)

#: Columns of `statements --format csv`: the export keys, with the source spread over
#: its own columns instead of one JSON cell (issue 10, item 15).
CSV_KEYS: tuple[str, ...] = tuple(key for key in EXPORT_KEYS if key != "source") + tuple(
    f"source_{key}" for key in SOURCE_KEYS)

#: Informational keys the CLI adds to exported rows; accepted (and checked, then
#: ignored) on load so an export still loads back. `data_ends`: the last day the
#: loaded records cover (issue 10, item 11).
OUTPUT_ONLY_KEYS: tuple[str, ...] = ("data_ends",)

#: Columns the loader adds for filtering: window bounds (datetime64) and the file a record came from.
DERIVED_COLUMNS: tuple[str, ...] = ("start", "end", "origin")

REQUIRED_KEYS: frozenset[str] = frozenset({"id", "kind", "date", "parties", "regions", "summary", "source"})

#: Years a date in a claims file may have. Year 1 or 9999 are typos, and the
#: timeline needs the year before the first record.
MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_ID_CHARS = 100
MAX_SHORT_TEXT = 200     # speaker, date_phrase, publisher
MAX_QUOTE_CHARS = 300    # "short verbatim sentences" only
MAX_SUMMARY_CHARS = 500
MAX_LONG_TEXT = 2000     # note, title, url
MAX_ERRORS_REPORTED = 200
#: Errors ClaimsValidationError's message shows; `.errors` keeps them all.
MAX_ERRORS_SHOWN = 20

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL = re.compile(r"https?://[^\s]+")
#: Names (field names, source keys) shown as they are in messages; others are shown escaped.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,60}")
#: Control characters (other than tab and line breaks) and lone surrogates: never valid text.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class ClaimsValidationError(DataError):
    """One or more invalid records; `errors` holds every message.

    `str()` starts with one self-contained line, the first message plus a count
    ("(and 29 more errors)"); the next up to MAX_ERRORS_SHOWN - 1 messages follow,
    one per line and indented, then "… and N more errors" if any are left
    (issue 10, item 15). The CLI prints it under `contested-map: error:`.
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
    label: str                     # "record 'peskov-x'" or "record #3" or "source 'reuters'"
    line: int | None = None        # 1-based line of the record (YAML only)
    field_lines: Mapping[str, int] = field(default_factory=dict)
    index: int | None = None       # 1-based position in the list (when there are no lines)

    def position(self, field_name: str | None = None) -> str:
        line = self.field_lines.get(field_name, self.line) if field_name else self.line
        if line is not None:
            return f"line {line}"
        return f"#{self.index}" if self.index is not None else "?"

    def message(self, field_name: str | None, text: str) -> str:
        where = f"{self.origin}: {self.label} ({self.position(field_name)})"
        return f"{where}: field {_quoted(field_name)}: {text}" if field_name else f"{where}: {text}"


class _FieldError(ValueError):
    """A field value is invalid; the text says what was expected and what was found."""


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
        raise _FieldError(f"expected text without control characters, got {_show(bad.group())} "
                          f"at character {bad.start() + 1}")
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


_RECORD_FIELDS: Mapping[str, Callable[[Any], Any]] = MappingProxyType({
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
})

_SOURCE_FIELDS: Mapping[str, Callable[[Any], Any]] = MappingProxyType({
    "publisher": lambda v: _text(v, MAX_SHORT_TEXT, nullable=False, one_line=True),
    "title": lambda v: _text(v, MAX_LONG_TEXT, nullable=False, one_line=True),
    "published": _partial_date,
    "url": _url,
})


# ---------------------------------------------------------------------------
# Validated records


@dataclass(frozen=True)
class _Source:
    publisher: str
    title: str
    published: PartialDate
    url: str | None

    def as_json(self) -> dict[str, Any]:
        return {"publisher": self.publisher, "title": self.title,
                "published": self.published.isoformat(), "url": self.url}


@dataclass
class _Record:
    """A record that passed the per-file checks, with where it came from."""

    values: dict[str, Any]
    where: _Where
    window: tuple[date, date]

    @property
    def id(self) -> str:
        return self.values["id"]


def _check_keys(raw: Mapping[Any, Any], known: Mapping[str, Any], expected: Sequence[str], where: _Where,
                errors: list[str]) -> bool:
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


def _check_source(raw: Any, where: _Where, errors: list[str]) -> _Source | None:
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
    return _Source(**found) if ok else None


def _resolve_source(raw: Any, sources: Mapping[str, _Source], where: _Where,
                    errors: list[str]) -> _Source | None:
    if isinstance(raw, str):
        if raw in sources:
            return sources[raw]
        known = ", ".join(name if _PLAIN_NAME.fullmatch(name) else _show(name)
                          for name in sorted(sources)) or "none defined"
        errors.append(where.message("source", f"unknown source {_show(raw)}; known sources: {known}"))
        return None
    if isinstance(raw, Mapping):
        nested = _Where(where.origin, f"{where.label} source", where.field_lines.get("source", where.line),
                        {}, where.index)
        return _check_source(raw, nested, errors)
    errors.append(where.message("source", f"expected a source key or a mapping with "
                                          f"{', '.join(SOURCE_KEYS)}, got {_show(raw)}"))
    return None


def _check_record(raw: Any, sources: Mapping[str, _Source], where: _Where,
                  errors: list[str]) -> _Record | None:
    """Validate one record; append every problem to `errors`; None if any."""
    if not isinstance(raw, Mapping):
        errors.append(where.message(None, f"expected a mapping of fields, got {_show(raw)}"))
        return None
    before = len(errors)
    values: dict[str, Any] = {}
    _check_keys(raw, _RECORD_FIELDS, EXPORT_KEYS, where, errors)
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
    source: _Source = values["source"]
    given = values.pop("date_precision")
    if given is not None and given != when.precision:
        errors.append(where.message("date_precision", f"expected {when.precision!r} for date "
                                                      f"{when.isoformat()!r}, got {given!r}"))
    end = when.end
    if values["date_end"] is not None:
        if values["date_end"].end <= when.end:
            errors.append(where.message("date_end", f"expected a date after {when.isoformat()!r}, "
                                                    f"got {values['date_end'].isoformat()!r}"))
        end = values["date_end"].end
    # A source cannot report what happened after it was published.
    for key in ("date", "date_end"):
        value = values[key]
        if value is not None and value.start > source.published.end:
            errors.append(where.message(key, f"{value.isoformat()!r} is after the source's "
                                             f"publication date {source.published.isoformat()!r}"))
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
    if len(errors) > before:
        return None
    values["date_precision"] = when.precision
    return _Record(values, where, (when.start, end))


def _check_date_phrase(phrase: str, when: PartialDate, source: _Source, where: _Where,
                       errors: list[str]) -> None:
    """The source's own words for the date must resolve, against its dateline, to `date`."""
    if source.published.precision != "day":
        errors.append(where.message("date_phrase", f"cannot check {phrase!r}: the source's publication "
                                                   f"date {source.published.isoformat()!r} is not a full date"))
        return
    try:
        resolved = resolve_relative(phrase, source.published)
    except PartialDateError as exc:
        errors.append(where.message("date_phrase", str(exc)))
        return
    if resolved != when:
        errors.append(where.message("date", f"date_phrase {phrase!r} resolves to {resolved.isoformat()!r} "
                                            f"(dateline {source.published.isoformat()}), got {when.isoformat()!r}"))


def _split_document(doc: Document, origin: str) -> tuple[list[Any], Mapping[Any, Any]]:
    """The record list and the sources mapping of a parsed file."""
    data = doc.data
    expected = "a list of records, or a mapping with a 'records' list (and optional 'sources')"
    if isinstance(data, list):
        return data, {}
    if not isinstance(data, Mapping):
        raise DataError(f"{origin}: expected {expected}, got {_show(data)}")
    unknown = [_quoted(key).strip("'") if _PLAIN_NAME.fullmatch(str(key)) else _show(key)
               for key in data if key not in {"records", "sources"}]
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise DataError(f"{origin}: unknown top-level key(s) {shown}; expected {expected}")
    twice = getattr(data, "duplicates", ())
    if twice:
        raise DataError(f"{origin}: top-level key(s) given more than once: {', '.join(map(_quoted, twice))}")
    records, sources = data.get("records"), data.get("sources", {})
    if not isinstance(records, list):
        raise DataError(f"{origin}: field 'records': expected a list of records, got {_show(records)}")
    if not isinstance(sources, Mapping):
        raise DataError(f"{origin}: field 'sources': expected a mapping of named sources, got {_show(sources)}")
    return records, sources


def _record_where(origin: str, raw: Any, index: int, doc: Document) -> _Where:
    raw_id = raw.get("id") if isinstance(raw, Mapping) else None
    label = f"record {raw_id!r}" if isinstance(raw_id, str) and _SLUG.fullmatch(raw_id) \
        and len(raw_id) <= MAX_ID_CHARS else f"record #{index}"
    if index - 1 < len(doc.record_lines):
        line, fields = doc.record_lines[index - 1]
        return _Where(origin, label, line, fields, index)
    return _Where(origin, label, None, {}, index)


def _validate_document(doc: Document, origin: str) -> list[_Record]:
    """Every record of one parsed file, or ClaimsValidationError listing every problem."""
    raw_records, raw_sources = _split_document(doc, origin)
    errors: list[str] = []
    sources: dict[str, _Source] = {}
    for key in getattr(raw_sources, "duplicates", ()):
        line, fields = doc.source_lines.get(key, (None, {}))
        errors.append(_Where(origin, f"source {_show(key)}", line, fields).message(
            None, "defined more than once; keep one"))
    for key, raw in raw_sources.items():
        if len(errors) >= MAX_ERRORS_REPORTED:
            break
        line, fields = doc.source_lines.get(str(key), (None, {}))
        where = _Where(origin, f"source {_show(str(key))}", line, fields)
        checked = _check_source(raw, where, errors)
        if checked is not None:
            sources[str(key)] = checked
    records: list[_Record] = []
    seen: dict[str, _Where] = {}
    for index, raw in enumerate(raw_records, start=1):
        if len(errors) >= MAX_ERRORS_REPORTED:
            break
        where = _record_where(origin, raw, index, doc)
        # Duplicates are checked on the raw id, so they are reported even when
        # the first record with that id has other problems.
        raw_id = raw.get("id") if isinstance(raw, Mapping) else None
        if isinstance(raw_id, str) and raw_id in seen:
            errors.append(where.message("id", f"duplicate id {_show(raw_id)}, first used at "
                                              f"{seen[raw_id].position('id')}"))
        elif isinstance(raw_id, str):
            seen[raw_id] = where
        record = _check_record(raw, sources, where, errors)
        if record is not None:
            records.append(record)
    if errors:
        raise ClaimsValidationError(errors)
    return records


# ---------------------------------------------------------------------------
# Merging and cross-record checks


def _merge(batches: Sequence[list[_Record]]) -> list[_Record]:
    """All records of several files; duplicate ids and bad `refines` links are errors."""
    errors: list[str] = []
    by_id: dict[str, _Record] = {}
    for batch in batches:
        for record in batch:
            first = by_id.get(record.id)
            if first is not None:
                errors.append(record.where.message(
                    "id", f"duplicate id {record.id!r}, already defined in {first.where.origin} "
                          f"({first.where.position('id')})"))
                continue
            by_id[record.id] = record
    if not errors:
        for record in by_id.values():
            _check_refines(record, by_id, errors)
    if errors:
        raise ClaimsValidationError(errors)
    return list(by_id.values())


def _check_refines(record: _Record, by_id: Mapping[str, _Record], errors: list[str]) -> None:
    """A refining record dates the same happening more exactly, so it must sit inside it.

    Requiring the window, regions and parties to be inside the target's keeps
    any filtered export loadable: a filter that keeps the refining record
    always keeps its target too.
    """
    target_id = record.values["refines"]
    if target_id is None:
        return
    target = by_id.get(target_id)
    problem = None
    if target is None:
        problem = f"no record with id {target_id!r}"
    elif target.values["refines"] is not None:
        problem = f"{target_id!r} itself refines {target.values['refines']!r}; refine the original record"
    elif (target.values["kind"], target.values["effect"]) != (record.values["kind"], record.values["effect"]):
        problem = f"{target_id!r} has a different kind or effect"
    elif not (target.window[0] <= record.window[0] and record.window[1] <= target.window[1]):
        problem = f"the date must lie inside the date of {target_id!r} ({target.values['date'].isoformat()})"
    elif not set(record.values["regions"]) <= set(target.values["regions"]):
        problem = f"regions must be a subset of those of {target_id!r}"
    elif not set(record.values["parties"]) <= set(target.values["parties"]):
        problem = f"parties must be a subset of those of {target_id!r}"
    if problem:
        errors.append(record.where.message("refines", problem))


# ---------------------------------------------------------------------------
# DataFrame


def _row(record: _Record) -> dict[str, Any]:
    values = record.values
    row: dict[str, Any] = {key: values.get(key) for key in EXPORT_KEYS}
    row["date"] = values["date"].isoformat()
    row["date_end"] = values["date_end"].isoformat() if values["date_end"] is not None else None
    row["source"] = values["source"].as_json()
    row["start"], row["end"] = record.window
    row["origin"] = record.where.origin
    return row


def _frame(records: Sequence[_Record]) -> pd.DataFrame:
    """One row per record, sorted by date window; ties keep file order (the narrative order).

    Every column is built with an explicit dtype: pandas 3 would otherwise
    infer a string dtype and turn null quotes into NaN, which breaks the
    JSON export and the round trip.
    """
    rows = [_row(r) for r in records]
    columns: dict[str, pd.Series] = {}
    for key in EXPORT_KEYS + ("origin",):
        dtype = bool if key == "enrichment" else object
        columns[key] = pd.Series([row[key] for row in rows], dtype=dtype)
    for key in ("start", "end"):
        days = np.array([row[key].isoformat() for row in rows], dtype="datetime64[D]")
        columns[key] = pd.Series(days.astype("datetime64[s]"), dtype="datetime64[s]")
    frame = pd.DataFrame(columns, columns=list(EXPORT_KEYS + DERIVED_COLUMNS))
    return frame.sort_values(["start", "end"], kind="stable").reset_index(drop=True)


def load_claims(paths: Sequence[Path | str] | None = None) -> pd.DataFrame:
    """Load and validate claims files; None means the bundled dataset.

    Several files are merged; an id defined in two files is an error naming
    both. On any problem a DataError (usually ClaimsValidationError, with
    every message in `.errors`) is raised and nothing is returned.
    """
    chosen = [BUNDLED_CLAIMS] if paths is None else [Path(p) for p in paths]
    if not chosen:
        raise DataError("no claims files given")
    batches = [_validate_document(read_document(path), str(path)) for path in chosen]
    return _frame(_merge(batches))


def claims_from_records(records: Sequence[Mapping[str, Any]], *, origin: str = "<records>",
                        sources: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Validate in-memory records exactly like a file (for tests and the app)."""
    doc = Document({"records": list(records), "sources": dict(sources or {})})
    return _frame(_merge([_validate_document(doc, origin)]))


# ---------------------------------------------------------------------------
# Filtering and export


def _bound(value: PartialDate | date | str | None, name: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    try:
        return PartialDate.parse(value)
    except PartialDateError as exc:
        raise DashboardError(f"{name}: {exc}") from None


def _checked_set(values: Iterable[str] | None, allowed: Iterable[str], what: str,
                 error: type[DashboardError] = DashboardError) -> frozenset[str] | None:
    if values is None:
        return None
    chosen = frozenset(values)
    allowed = frozenset(allowed)
    unknown = sorted(chosen - allowed)
    if unknown:
        raise error(f"unknown {what} {', '.join(map(repr, unknown))}; expected one of: "
                    f"{', '.join(sorted(allowed))}")
    return chosen


def _any_in(column: pd.Series, wanted: frozenset[str]) -> np.ndarray:
    """Per row: does the list in `column` share an item with `wanted`? (vectorised)"""
    lists = column.reset_index(drop=True)
    hits = lists.explode().isin(wanted)
    return hits.groupby(level=0).any().reindex(range(len(lists)), fill_value=False).to_numpy(dtype=bool)


def filter_claims(claims: pd.DataFrame,
                  date_from: PartialDate | date | str | None = None,
                  date_to: PartialDate | date | str | None = None,
                  regions: Iterable[str] | None = None,
                  parties: Iterable[str] | None = None,
                  kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """The records matching every given criterion; None means "any".

    Dates: a record is kept when its window overlaps [start of date_from, end
    of date_to]: "2022" is kept for --from 2022-09-15, because the source
    allows it to fall in the range. Regions, parties and kinds: a record is
    kept when it shares at least one value. Unknown values are errors rather
    than silently matching nothing.
    """
    low, high = _bound(date_from, "date_from"), _bound(date_to, "date_to")
    if low is not None and high is not None and low.start > high.end:
        raise DashboardError(f"date range is empty: from {low.isoformat()} is after to {high.isoformat()}")
    region_set = _checked_set(regions, UA_CODES, "region", UnknownRegionError)
    party_set = _checked_set(parties, PARTIES, "party")
    kind_set = _checked_set(kinds, KINDS, "kind")

    mask = np.ones(len(claims), dtype=bool)
    if low is not None:
        mask &= (claims["end"] >= np.datetime64(low.start, "s")).to_numpy()
    if high is not None:
        mask &= (claims["start"] <= np.datetime64(high.end, "s")).to_numpy()
    if region_set is not None:
        mask &= _any_in(claims["regions"], region_set)
    if party_set is not None:
        mask &= _any_in(claims["parties"], party_set)
    if kind_set is not None:
        mask &= claims["kind"].isin(kind_set).to_numpy()
    return claims.loc[mask].reset_index(drop=True)


def _plain(value: Any) -> Any:
    """A JSON-ready copy: lists and dicts copied, pandas/numpy missing values to None."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.bool_):
        return bool(value)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value


def records_to_json_rows(claims: pd.DataFrame) -> list[dict[str, Any]]:
    """The objects `statements --format json` prints, keys in EXPORT_KEYS order.

    `load_claims` accepts a JSON file holding exactly this list.
    """
    return [{key: _plain(row[key]) for key in EXPORT_KEYS}
            for row in claims.loc[:, list(EXPORT_KEYS)].to_dict("records")]


def records_to_csv_rows(claims: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows `statements --format csv` prints: CSV_KEYS, the source in its own columns."""
    rows = []
    for row in records_to_json_rows(claims):
        source = row.pop("source") or {}
        row.update({f"source_{key}": source.get(key) for key in SOURCE_KEYS})
        rows.append(row)
    return rows
