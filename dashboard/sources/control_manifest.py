"""A control cache's manifest: its file name and format, reading it (a format 1 manifest as one
source entry), and finding one source's entry. The layout is described in
``dashboard.sources.control_cache``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dashboard.core.control_sources import source_slug
from dashboard.core.errors import DataError
from dashboard.sources.control_formats import first_line

__all__ = ["CACHE_FORMAT", "MANIFEST", "NOTICE_FILE", "READ_FORMATS", "find_entry", "read_manifest"]

CACHE_FORMAT = 2
#: Manifest formats this version reads (1: one source, written before control sources).
READ_FORMATS = (1, 2)
MANIFEST = "manifest.json"
NOTICE_FILE = "NOTICE.md"


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of the cache in `directory` as format 2 (a format 1 manifest is read as one source entry)."""
    manifest_path = directory / MANIFEST
    try:
        doc = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"control cache {directory}: no {MANIFEST}; import files first "
            "(contested-map control import PATH --control DIR)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"control cache file {manifest_path} is corrupt: {first_line(exc)}") from None
    if not isinstance(doc, dict) or doc.get("format") not in READ_FORMATS:
        raise DataError(
            f"control cache file {manifest_path} is corrupt or of another version (expected format {CACHE_FORMAT})"
        )
    if doc["format"] == 1:
        entry = {k: v for k, v in doc.items() if k not in ("format", "source", "sources", "updated")}
        entry.update(name=str(doc.get("source", "")), licence=str(doc.get("licence", "")))
        if (directory / NOTICE_FILE).is_file():
            entry["notice"] = NOTICE_FILE
        doc = {"format": CACHE_FORMAT, "sources": [entry], "updated": doc.get("updated")}
    entries = doc.get("sources")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("name"), str)
        and e["name"].strip()
        and isinstance(e.get("files"), dict)
        and isinstance(e.get("days"), list)
        for e in entries
    ):
        raise DataError(f"control cache file {manifest_path} is corrupt: bad source list")
    return doc


def find_entry(entries: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The entry of the source called `name` (or its slug), None when there is none."""
    slug = source_slug(name)
    return next((e for e in entries if e["name"] == name or source_slug(e["name"]) == slug), None)
