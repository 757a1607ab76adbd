"""The claims file format: limits, field validators and per-record checks.

Every check appends a message that names the file, the record (id and line),
the field and what was expected; nothing raises until a whole file has been
checked, so a user sees every problem at once (`ClaimsValidationError`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from dashboard.core.claims import CONFIDENCES, DRAFT_KEYS, EFFECTS, EXPORT_KEYS, KINDS, SOURCE_KEYS, Source
from dashboard.core.dates import PRECISIONS, PartialDate, PartialDateError
from dashboard.core.errors import DataError
from dashboard.sources.claims_fields import (
    _PLAIN_NAME,
    MAX_LONG_TEXT,
    MAX_QUOTE_CHARS,
    MAX_SHORT_TEXT,
    MAX_SUMMARY_CHARS,
    _about,
    _bool,
    _choice,
    _FieldError,
    _partial_date,
    _party,
    _quoted,
    _region,
    _show,
    _slug,
    _string_list,
    _text,
    _url,
)
from dashboard.sources.claims_review import (
    check_evidence,
    check_review,
    placeholder_summary,
    review_message,
)
from dashboard.sources.date_phrases import resolve_phrase

REQUIRED_KEYS: frozenset[str] = frozenset({"id", "kind", "date", "parties", "regions", "summary", "source"})

MAX_ERRORS_REPORTED = 200
#: Errors ClaimsValidationError's message shows; `.errors` keeps them all.
MAX_ERRORS_SHOWN = 20


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
