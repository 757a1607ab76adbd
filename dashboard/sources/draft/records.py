"""Drafts as a claims file: records in the claims format, marked `review: needed`, as YAML or JSON.

Every draft is `kind: statement` with the placeholder summary DRAFT_SUMMARY;
`review_reasons`, `note` and the summary are put into words by the caller's
text catalogue (`words(key, **params)`), so the file reads in the user's
language. Ids are stable: `<publisher>-<published>-<n>` in the order of the
text, so drafting the same article twice gives the same ids.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import yaml

from dashboard.core.dates import PartialDate
from dashboard.sources.draft.drafter import Draft

__all__ = ["FORMATS", "draft_document", "header_name", "render_document", "slug"]

FORMATS = ("yaml", "json")
Words = Callable[..., str]


class _Flow(list[Any]):
    """A short list written on one line ([russia], [UA-14, UA-09])."""


class _FlowMap(dict[str, Any]):
    """A small mapping written on one line ({start: 271, end: 292})."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))


def slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII letters, digits and single hyphens ("Kyiv Independent" -> "kyiv-independent")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:limit].strip("-") or "source"


def _record(draft: Draft, number: int, key: str, words: Words) -> dict[str, Any]:
    reasons = [words(f"draft.reason.{code}", **params) for code, params in draft.reasons]
    reasons.append(words("draft.reason.summary"))
    notes = []
    if draft.quote is None:
        notes.append(words("draft.note.reported"))
    if draft.date_phrase is None:
        notes.append(words("draft.note.dateline"))
    return {
        "id": f"{key}-{number:02d}",
        "review": "needed",
        "review_reasons": reasons,
        "confidence": draft.confidence,
        "kind": "statement",
        "date": draft.date.isoformat(),
        "date_phrase": draft.date_phrase,
        "speaker": draft.speaker,
        "parties": _Flow(draft.parties),
        "regions": _Flow(draft.regions),
        "quote": draft.quote,
        "evidence": _FlowMap(start=draft.evidence[0], end=draft.evidence[1]),
        "summary": words("draft.summary"),
        "note": " ".join(notes) or None,
        "source": key,
    }


def draft_document(
    drafts: list[Draft], *, publisher: str, title: str, published: PartialDate, url: str | None, words: Words
) -> dict[str, Any]:
    """The claims-file mapping: one named source and a record per draft."""
    key = f"{slug(publisher)}-{published.isoformat()}"
    return {
        "sources": {key: {"publisher": publisher, "title": title, "published": published.isoformat(), "url": url}},
        "records": [_record(draft, n, key, words) for n, draft in enumerate(drafts, start=1)],
    }


def header_name(name: str) -> str:
    """A file name as the YAML header comment (and the command's messages) show it: as it is when
    it is plain, else as a JSON string literal ("my\\narticle #1.txt") with every character that
    is not printable escaped, so a name can neither end the comment nor carry YAML, and
    `json.loads` gives the name back."""
    if name.isprintable() and name == name.strip() and not any(c in name for c in '"\\#:'):
        return name
    return '"' + "".join(ch if ch.isprintable() and ch not in '"\\' else json.dumps(ch)[1:-1] for ch in name) + '"'


def render_document(document: dict[str, Any], fmt: str, header: str) -> str:
    """YAML with `header` as a comment block on top, or JSON (which has no comments)."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return comment + "\n" + body
