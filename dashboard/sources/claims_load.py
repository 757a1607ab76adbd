"""Loading claims files: read, validate, merge, and build the typed `ClaimSet`.

The loader is strict and all-or-nothing: every problem in a file is collected,
each message names the file, the record (id and line), the field and what was
expected, and nothing is loaded if there is any problem. A half-loaded
timeline would silently drop claims, which is worse than an error for a tool
whose point is to show who claims what.

The format is documented in the header of the bundled file,
`dashboard/data/claims.yaml`. What `contested-map statements --format json`
prints (`claims_write.records_to_json_rows`) is itself a valid claims file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dashboard.core.claims import Claim, ClaimSet, Source
from dashboard.core.errors import DataError
from dashboard.sources.claims_document import (  # the limits are re-exported: part of the format's description
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_YAML_BYTES,
    Document,
)
from dashboard.sources.claims_fields import (
    _PLAIN_NAME,
    _SLUG,
    MAX_ID_CHARS,
    _quoted,
    _show,
)
from dashboard.sources.claims_read import read_document
from dashboard.sources.claims_schema import (
    MAX_ERRORS_REPORTED,
    ClaimsValidationError,
    _check_record,
    _check_source,
    _Record,
    _Where,
)
from dashboard.sources.paths import bundled_claims_path

__all__ = [
    "BUNDLED_CLAIMS",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "MAX_YAML_BYTES",
    "ClaimsValidationError",
    "claims_files",
    "claims_from_records",
    "load_claims",
]

#: The dataset shipped with the package.
BUNDLED_CLAIMS: Path = bundled_claims_path()


def _split_document(doc: Document, origin: str) -> tuple[list[Any], Mapping[Any, Any]]:
    """The record list and the sources mapping of a parsed file."""
    data = doc.data
    expected = "a list of records, or a mapping with a 'records' list (and optional 'sources')"
    if isinstance(data, list):
        return data, {}
    if not isinstance(data, Mapping):
        raise DataError(f"{origin}: expected {expected}, got {_show(data)}")
    unknown = [
        _quoted(key).strip("'") if _PLAIN_NAME.fullmatch(str(key)) else _show(key)
        for key in data
        if key not in {"records", "sources"}
    ]
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
    label = (
        f"record {raw_id!r}"
        if isinstance(raw_id, str) and _SLUG.fullmatch(raw_id) and len(raw_id) <= MAX_ID_CHARS
        else f"record #{index}"
    )
    if index - 1 < len(doc.record_lines):
        line, fields = doc.record_lines[index - 1]
        return _Where(origin, label, line, fields, index)
    return _Where(origin, label, None, {}, index)


def _validate_document(doc: Document, origin: str) -> list[_Record]:
    """Every record of one parsed file, or ClaimsValidationError listing every problem."""
    raw_records, raw_sources = _split_document(doc, origin)
    errors: list[str] = []
    sources: dict[str, Source] = {}
    for key in getattr(raw_sources, "duplicates", ()):
        line, fields = doc.source_lines.get(key, (None, {}))
        errors.append(
            _Where(origin, f"source {_show(key)}", line, fields).message(None, "defined more than once; keep one")
        )
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
            errors.append(
                where.message("id", f"duplicate id {_show(raw_id)}, first used at {seen[raw_id].position('id')}")
            )
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
                errors.append(
                    record.where.message(
                        "id",
                        f"duplicate id {record.id!r}, already defined in {first.where.origin} "
                        f"({first.where.position('id')})",
                    )
                )
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


def _claim(record: _Record) -> Claim:
    values = record.values
    return Claim(
        id=values["id"],
        kind=values["kind"],
        date=values["date"],
        parties=tuple(values["parties"]),
        regions=tuple(values["regions"]),
        summary=values["summary"],
        source=values["source"],
        start=record.window[0],
        end=record.window[1],
        date_end=values["date_end"],
        date_phrase=values["date_phrase"],
        about=tuple(values["about"]),
        speaker=values["speaker"],
        quote=values["quote"],
        effect=values["effect"],
        enrichment=values["enrichment"],
        refines=values["refines"],
        note=values["note"],
        origin=record.where.origin,
    )


def load_claims(paths: Sequence[Path | str] | None = None) -> ClaimSet:
    """Load and validate claims files; None means the bundled dataset.

    Several files are merged; an id defined in two files is an error naming
    both. On any problem a DataError (usually ClaimsValidationError, with
    every message in `.errors`) is raised and nothing is returned.
    """
    chosen = [BUNDLED_CLAIMS] if paths is None else [Path(p) for p in paths]
    if not chosen:
        raise DataError("no claims files given")
    batches = [_validate_document(read_document(path), str(path)) for path in chosen]
    return ClaimSet.of(_claim(r) for r in _merge(batches))


def claims_files(extra: Sequence[Path | str] = (), *, bundled: bool = True) -> list[Path]:
    """The files `--claims` and `--no-bundled` ask for: the bundled file (unless `bundled` is
    False) followed by each extra file, in order.

    A file named twice (or the bundled file named with `--claims`) is loaded
    once, so `--claims dashboard/data/claims.yaml` still just validates it.
    Nothing at all is an error: a timeline with no file has no dates to show;
    an empty claims file (`records: []`) can be given on purpose.
    """
    chosen = ([BUNDLED_CLAIMS] if bundled else []) + [Path(p) for p in extra]
    if not chosen:
        raise DataError("--no-bundled leaves no claims to load; give at least one --claims PATH")
    unique: dict[Path, Path] = {}
    for path in chosen:
        unique.setdefault(_same_file_key(path), path)
    return list(unique.values())


def _same_file_key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the read reports it with the file's name
        return path.absolute()


def claims_from_records(
    records: Sequence[Mapping[str, Any]], *, origin: str = "<records>", sources: Mapping[str, Any] | None = None
) -> ClaimSet:
    """Validate in-memory records exactly like a file (for tests and the app)."""
    doc = Document({"records": list(records), "sources": dict(sources or {})})
    return ClaimSet.of(_claim(r) for r in _merge([_validate_document(doc, origin)]))
