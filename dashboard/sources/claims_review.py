"""The draft fields of a claims record (`contested-map draft`): review state and evidence.

A draft is loaded only once a person has reviewed it: `review: needed` is
refused with a message that says so. `evidence` holds the character offsets of
the quote in the article body, so a reviewer can check it; it is checked on
load and not kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard.core.claims import DRAFT_SUMMARY_MARKERS, REVIEW_STATES
from dashboard.sources.claims_document import _show

__all__ = ["FieldError", "check_evidence", "check_review", "placeholder_summary", "review_message"]


class FieldError(ValueError):
    """A field value is invalid; the text says what was expected and what was found."""


def check_review(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in REVIEW_STATES:
        raise FieldError(f"unknown review state {_show(value)}; expected one of: {', '.join(REVIEW_STATES)}")
    if value == "needed":
        raise FieldError(review_message())
    return value


def placeholder_summary(values: Mapping[str, Any]) -> str | None:
    """Why a record marked `review: done` is refused when its summary is still the draft's
    placeholder (in any language: DRAFT_SUMMARY_MARKERS), or None."""
    summary = values.get("summary")
    if (
        values.get("review") == "done"
        and isinstance(summary, str)
        and summary.lstrip().upper().startswith(DRAFT_SUMMARY_MARKERS)
    ):
        return "still the draft's placeholder, but review is done: write what the record says in one sentence"
    return None


def review_message() -> str:
    """Why a record marked `review: needed` is not loaded."""
    return "a draft to review (review: needed), not loaded: check it against the article, then set `review: done`"


def check_evidence(value: Any) -> dict[str, int] | None:
    """{start, end}: character offsets into the article body, end exclusive."""
    if value is None:
        return None
    expected = "a mapping {start: N, end: M} of character offsets with 0 <= start < end"
    if not isinstance(value, Mapping) or set(value) != {"start", "end"}:
        raise FieldError(f"expected {expected}, got {_show(value)}")
    start, end = value["start"], value["end"]
    if any(isinstance(v, bool) or not isinstance(v, int) for v in (start, end)) or not 0 <= start < end:
        raise FieldError(f"expected {expected}, got {_show(dict(value))}")
    return {"start": start, "end": end}
