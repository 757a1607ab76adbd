"""The claims timeline's domain: vocabulary, the typed record, and the set of records.

A record is a statement (someone said), an event (something happened) or an
assessment (a reporter's own finding). `Claim` and `Source` are the public,
typed records; `ClaimSet` holds them together with a columnar view (a pandas
DataFrame) that filters, counts and the status rule use where speed needs it.

Reading, validating and writing claims files lives in `dashboard.sources`;
the words shown for kinds and parties live in `dashboard.text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.core.dates import PartialDate, PartialDateError, reversed_range, windows_overlap
from dashboard.core.errors import DashboardError, UnknownRegionError
from dashboard.core.region_names import ALIASES
from dashboard.core.regions import UA_CODES
from dashboard.core.search import search_mask, search_text

__all__ = [
    "ANNEXATION_DECLARED",
    "CSV_KEYS",
    "EFFECTS",
    "EXPORT_KEYS",
    "KINDS",
    "OUTPUT_ONLY_KEYS",
    "PARTIES",
    "SOURCE_KEYS",
    "Claim",
    "ClaimSet",
    "Source",
    "filter_claims",
]

#: statement: someone said; event: something happened; assessment: a reporter's own finding.
KINDS: tuple[str, ...] = ("statement", "event", "assessment")

#: The parties vocabulary (slugs): who makes the claim, holds the position or acts.
#: What each means is said in the text catalogue (`dashboard.text`, "party.*").
PARTIES: tuple[str, ...] = ("russia", "ukraine", "west", "un", "media")

#: The one effect an event can have on a region's status (dashboard.core.status).
ANNEXATION_DECLARED = "annexation_declared"
EFFECTS: tuple[str, ...] = (ANNEXATION_DECLARED,)

#: Keys of a source mapping, in export order.
SOURCE_KEYS: tuple[str, ...] = ("publisher", "title", "published", "url")

#: Keys of an exported record, in order: what `statements --format json` prints.
EXPORT_KEYS: tuple[str, ...] = (
    "id",
    "kind",
    "date",
    "date_precision",
    "date_end",
    "date_phrase",
    "about",
    "speaker",
    "parties",
    "regions",
    "quote",
    "summary",
    "effect",
    "enrichment",
    "refines",
    "note",
    "source",
)

#: Optional keys of a draft record (`contested-map draft`), accepted on load and not
#: kept: `review` (needed or done; a record still `needed` is refused), `review_reasons`,
#: `evidence` ({start, end}: character offsets of the quote in the article body) and `confidence`.
DRAFT_KEYS: tuple[str, ...] = ("review", "review_reasons", "evidence", "confidence")
REVIEW_STATES: tuple[str, ...] = ("needed", "done")
#: How every language's placeholder summary of a draft begins (the catalogues' `draft.summary`;
#: tests/test_draft_rules.py keeps them in step): a reviewed record must say what it says.
DRAFT_SUMMARY_MARKERS: tuple[str, ...] = ("DRAFT:", "ЧЕРНЕТКА:")
CONFIDENCES: tuple[str, ...] = ("high", "low")

#: Columns of `statements --format csv`: the export keys, with the source spread over
#: its own columns instead of one JSON cell.
CSV_KEYS: tuple[str, ...] = tuple(key for key in EXPORT_KEYS if key != "source") + tuple(
    f"source_{key}" for key in SOURCE_KEYS
)

#: Informational keys the CLI adds to exported rows; accepted (and checked, then
#: ignored) on load so an export still loads back. `data_ends`: the last day the
#: loaded records cover.
OUTPUT_ONLY_KEYS: tuple[str, ...] = ("data_ends",)

#: Columns of the columnar view besides the export keys: window bounds
#: (datetime64), the file a record came from, and the normalised text the
#: statements search matches (`dashboard.core.search`).
DERIVED_COLUMNS: tuple[str, ...] = ("start", "end", "origin", "search")


@dataclass(frozen=True)
class Source:
    """Where a record comes from: publisher, title, publication date and (optional) address."""

    publisher: str
    title: str
    published: PartialDate
    url: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "publisher": self.publisher,
            "title": self.title,
            "published": self.published.isoformat(),
            "url": self.url,
        }


@dataclass(frozen=True)
class Claim:
    """One validated record. `start`..`end` is the window of days its date covers."""

    id: str
    kind: str
    date: PartialDate
    parties: tuple[str, ...]
    regions: tuple[str, ...]
    summary: str
    source: Source
    start: dt.date
    end: dt.date
    date_end: PartialDate | None = None
    date_phrase: str | None = None
    about: tuple[str, ...] = ()
    speaker: str | None = None
    quote: str | None = None
    effect: str | None = None
    enrichment: bool = False
    refines: str | None = None
    note: str | None = None
    origin: str = ""

    def row(self) -> dict[str, Any]:
        """The record as a row of the columnar view (EXPORT_KEYS + DERIVED_COLUMNS), JSON-ready
        (dates as ISO text, the source as a mapping) so exports need no conversion."""
        return {
            "id": self.id,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "date_precision": self.date.precision,
            "date_end": self.date_end.isoformat() if self.date_end is not None else None,
            "date_phrase": self.date_phrase,
            "about": list(self.about),
            "speaker": self.speaker,
            "parties": list(self.parties),
            "regions": list(self.regions),
            "quote": self.quote,
            "summary": self.summary,
            "effect": self.effect,
            "enrichment": self.enrichment,
            "refines": self.refines,
            "note": self.note,
            "source": self.source.as_json(),
            "start": self.start,
            "end": self.end,
            "origin": self.origin,
        }


def searchable_parts(row: Mapping[str, Any]) -> list[str | None]:
    """What the statements search looks in, for one record row: the speaker, quote and summary,
    the publisher, and the names of the regions it concerns in every spelling the region
    look-up knows (English, Ukrainian, Russian, transliterations: "херсон" finds a record about
    Kherson whose text is English)."""
    source = row.get("source") or {}
    parts: list[str | None] = [row["speaker"], row["quote"], row["summary"], source.get("publisher")]
    for code in row.get("regions") or ():
        parts.extend(ALIASES.get(code, ()))
    return parts


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """The columnar view: one row per record, sorted by date window; ties keep the given
    order (a file's narrative order).

    Every column is built with an explicit dtype: pandas 3 would otherwise
    infer a string dtype and turn null quotes into NaN.
    """
    rows = [claim.row() for claim in claims]
    columns: dict[str, pd.Series] = {}
    for key in (*EXPORT_KEYS, "origin"):
        dtype = bool if key == "enrichment" else object
        columns[key] = pd.Series([row[key] for row in rows], dtype=dtype)
    for key in ("start", "end"):
        days = np.array([row[key].isoformat() for row in rows], dtype="datetime64[D]")
        columns[key] = pd.Series(days.astype("datetime64[s]"), dtype="datetime64[s]")
    columns["search"] = pd.Series([search_text(searchable_parts(row)) for row in rows], dtype=object)
    frame = pd.DataFrame(columns, columns=list(EXPORT_KEYS + DERIVED_COLUMNS))
    return frame.sort_values(["start", "end"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class ClaimSet:
    """Records as typed `Claim`s (`by_id`) and as a columnar view (`frame`), in date order.

    A filtered set shares `by_id` with the set it came from; `frame` holds only
    its own rows. Treat both as read-only.
    """

    frame: pd.DataFrame
    by_id: Mapping[str, Claim]

    @classmethod
    def of(cls, claims: Iterable[Claim]) -> ClaimSet:
        claims = list(claims)
        return cls(claims_frame(claims), {claim.id: claim for claim in claims})

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Claim]:
        """The records in date order."""
        return (self.by_id[i] for i in self.frame["id"])

    @property
    def empty(self) -> bool:
        return bool(self.frame.empty)

    def get(self, claim_id: object) -> Claim | None:
        return self.by_id.get(claim_id) if isinstance(claim_id, str) else None

    def subset(self, frame: pd.DataFrame) -> ClaimSet:
        return ClaimSet(frame, self.by_id)

    def filter(
        self,
        date_from: PartialDate | dt.date | str | None = None,
        date_to: PartialDate | dt.date | str | None = None,
        regions: Iterable[str] | None = None,
        parties: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        enrichment: bool = True,
        text: str | None = None,
    ) -> ClaimSet:
        """The records matching every criterion (see `filter_claims`)."""
        return self.subset(filter_claims(self.frame, date_from, date_to, regions, parties, kinds, enrichment, text))

    def records_end(self) -> dt.date | None:
        """The last day any record's date window covers; None when there are no records."""
        return None if self.empty else _as_date(self.frame["end"].max())

    def records_start(self) -> dt.date | None:
        return None if self.empty else _as_date(self.frame["start"].min())


def _as_date(value: object) -> dt.date:
    day: dt.date = pd.Timestamp(value).date()
    return day


# ---------------------------------------------------------------------------
# Filtering: the columnar implementation every caller uses.


def _bound(value: PartialDate | dt.date | str | None, name: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    try:
        return PartialDate.parse(value)
    except PartialDateError as exc:
        raise DashboardError(f"{name}: {exc}") from None


def _checked_set(
    values: Iterable[str] | None, allowed: Iterable[str], what: str, error: type[DashboardError] = DashboardError
) -> frozenset[str] | None:
    if values is None:
        return None
    chosen = frozenset(values)
    allowed = frozenset(allowed)
    unknown = sorted(chosen - allowed)
    if unknown:
        raise error(f"unknown {what} {', '.join(map(repr, unknown))}; expected one of: {', '.join(sorted(allowed))}")
    return chosen


def _any_in(column: pd.Series, wanted: frozenset[str]) -> np.ndarray:
    """Per row: does the list in `column` share an item with `wanted`? (vectorised)"""
    lists = column.reset_index(drop=True)
    hits = lists.explode().isin(wanted)
    found: np.ndarray = hits.groupby(level=0).any().reindex(range(len(lists)), fill_value=False).to_numpy(dtype=bool)
    return found


def filter_claims(
    claims: pd.DataFrame,
    date_from: PartialDate | dt.date | str | None = None,
    date_to: PartialDate | dt.date | str | None = None,
    regions: Iterable[str] | None = None,
    parties: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    enrichment: bool = True,
    text: str | None = None,
) -> pd.DataFrame:
    """The rows matching every given criterion; None (or an empty text) means "any".

    Dates: a record is kept when its window overlaps [start of date_from, end
    of date_to] (`windows_overlap`, the one overlap rule): "2022" is kept for
    --from 2022-09-15, because the source allows it to fall in the range.
    Regions, parties and kinds: a record is kept when it shares at least one
    value. Unknown values are errors rather than silently matching nothing.
    `enrichment=False` leaves out records marked `enrichment: true` (public-record
    additions), keeping what the articles say ("Article records only").
    Text: every word occurs in the speaker, quote, summary, publisher or region names, ignoring case and
    accents (`dashboard.core.search`, the one search rule).
    """
    low, high = _bound(date_from, "date_from"), _bound(date_to, "date_to")
    if low is not None and high is not None and reversed_range(low, high):
        raise DashboardError(f"date range is empty: from {low.isoformat()} is after to {high.isoformat()}")
    region_set = _checked_set(regions, UA_CODES, "region", UnknownRegionError)
    party_set = _checked_set(parties, PARTIES, "party")
    kind_set = _checked_set(kinds, KINDS, "kind")

    mask = np.asarray(
        windows_overlap(
            claims["start"].to_numpy(),
            claims["end"].to_numpy(),
            None if low is None else np.datetime64(low.start, "s"),
            None if high is None else np.datetime64(high.end, "s"),
        ),
        dtype=bool,
    )
    if mask.ndim == 0:
        mask = np.full(len(claims), bool(mask))
    if region_set is not None:
        mask &= _any_in(claims["regions"], region_set)
    if party_set is not None:
        mask &= _any_in(claims["parties"], party_set)
    if kind_set is not None:
        mask &= claims["kind"].isin(kind_set).to_numpy()
    if not enrichment:
        mask &= ~claims["enrichment"].to_numpy(dtype=bool)
    if text:
        mask &= search_mask(claims["search"], text)
    return claims.loc[mask].reset_index(drop=True)
