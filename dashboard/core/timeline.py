"""What the timeline panel draws, as plain data: record marks in lanes by party, control-share
series with their gaps, and the annexation declarations.

Pure: no words (render adds them through the text catalogue) and no colours.

Rules written down here once:
- A record is drawn on its date window: a point when the window is one day, a bar from its
  first to its last day when the source gives only a month or a year (or a `date_end`), so the
  precision stays visible. A record with several parties appears in each party's lane.
- Above `MAX_MARKS` marks the records are counted instead, per lane and per bin of equal days
  (about `BINS` bins over the axis): thousands of markers would be unreadable and too heavy to
  send. Narrowing the range (brushing) brings the single records back.
- A control series connects two snapshots only when they are at most `GAP_DAYS` apart: a longer
  stretch without data is drawn as a gap, never bridged. Points inside a run of equal values are
  dropped (the line is the same), which keeps a flat 100% line at two points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.core.claims import KINDS, PARTIES, ClaimSet
from dashboard.core.control import ControlShares
from dashboard.core.status import StatusTimeline

__all__ = [
    "BINS",
    "GAP_DAYS",
    "MAX_MARKS",
    "AnnexationRule",
    "annexation_rules",
    "control_series",
    "mark_count",
    "marks_of",
    "record_bins",
    "record_marks",
]

MAX_MARKS = 150
BINS = 60
GAP_DAYS = 7
_DAY = np.timedelta64(1, "D")


def record_marks(claims: ClaimSet) -> pd.DataFrame:
    """One row per record and party: id, kind, party, start, end (days), exact (a one-day window).

    In the claims' date order; empty with the same columns when there are no records.
    """
    frame = claims.frame
    marks = frame[["id", "kind", "parties", "start", "end"]].explode("parties").rename(columns={"parties": "party"})
    marks = marks.dropna(subset=["party"]).reset_index(drop=True)
    marks["exact"] = (marks["end"] - marks["start"]) < _DAY
    return marks


def marks_of(all_marks: pd.DataFrame, claims: ClaimSet) -> pd.DataFrame:
    """The rows of `all_marks` (record_marks of a whole set, made once) for the records of
    `claims`, a filtered subset: cheaper than exploding the subset again on every change."""
    return all_marks[all_marks["id"].isin(claims.frame["id"])]


def mark_count(claims: ClaimSet) -> int:
    """How many lane marks `record_marks` gives: one per record and party."""
    return int(claims.frame["parties"].map(len).sum()) if not claims.empty else 0


def record_bins(marks: pd.DataFrame, first_day: dt.date, last_day: dt.date, bins: int = BINS) -> pd.DataFrame:
    """Marks counted per lane and bin of equal days over [first_day, last_day]: columns party,
    start, end (the bin's first and last day), count, and one count column per kind (KINDS).
    Only bins that hold a mark are listed. Counted with numpy: a few ms for 10,000 records."""
    days = max((last_day - first_day).days + 1, 1)
    width = max(-(-days // bins), 1)
    n_bins = -(-days // width)
    origin = np.datetime64(first_day, "D")
    start = marks["start"].to_numpy().astype("datetime64[D]")
    index = np.clip((start - origin).astype(np.int64) // width, 0, n_bins - 1)
    party = pd.Categorical(marks["party"], categories=PARTIES).codes.astype(np.int64)
    kind = pd.Categorical(marks["kind"], categories=KINDS).codes.astype(np.int64)
    ok = (party >= 0) & (kind >= 0)
    key = (party[ok] * n_bins + index[ok]) * len(KINDS) + kind[ok]
    counts = np.bincount(key, minlength=len(PARTIES) * n_bins * len(KINDS)).reshape(len(PARTIES) * n_bins, len(KINDS))
    cells = np.flatnonzero(counts.sum(axis=1))
    table = pd.DataFrame(counts[cells], columns=list(KINDS))
    table.insert(0, "party", [PARTIES[c // n_bins] for c in cells])
    table["count"] = table[list(KINDS)].sum(axis=1)
    table["start"] = [first_day + dt.timedelta(days=int(c % n_bins) * width) for c in cells]
    table["end"] = [min(s + dt.timedelta(days=width - 1), last_day) for s in table["start"]]
    return table


def control_series(
    shares: ControlShares, codes: Sequence[str], gap_days: int = GAP_DAYS
) -> dict[str, tuple[list[dt.date | None], list[float | None]]]:
    """Per unit: (days, share held in %), with a None pair wherever snapshots are more than
    `gap_days` apart, and the inner points of runs of equal values (to 0.1 %) dropped."""
    frame = shares.frame
    out: dict[str, tuple[list[dt.date | None], list[float | None]]] = {}
    for code in codes:
        rows = frame.loc[frame["code"] == code, ["date", "occupied_share"]]
        if rows.empty:
            out[code] = ([], [])
            continue
        days = np.asarray([np.datetime64(d, "D") for d in rows["date"]])
        values = np.round(rows["occupied_share"].to_numpy(dtype=float) * 100, 1)
        breaks = np.diff(days).astype(np.int64) > gap_days
        xs: list[dt.date | None] = []
        ys: list[float | None] = []
        segment_start = 0
        for i in [*np.flatnonzero(breaks) + 1, len(days)]:
            if xs:
                xs.append(None)
                ys.append(None)
            keep = _turning_points(values[segment_start:i])
            xs.extend(pd.Timestamp(days[segment_start + k]).date() for k in keep)
            ys.extend(float(values[segment_start + k]) for k in keep)
            segment_start = i
        out[code] = (xs, ys)
    return out


def _turning_points(values: np.ndarray) -> list[int]:
    """Indices to keep: the ends, and every point that differs from its neighbour on either side."""
    n = len(values)
    if n <= 2:
        return list(range(n))
    same_before = np.r_[False, values[1:] == values[:-1]]
    same_after = np.r_[values[:-1] == values[1:], False]
    return [int(i) for i in np.flatnonzero(~(same_before & same_after))]


@dataclass(frozen=True)
class AnnexationRule:
    """One declared annexation: its narrowest window (one day for an exact date), the deciding
    records (the event first) and the regions it covers."""

    start: dt.date
    end: dt.date
    ids: tuple[str, ...]
    regions: tuple[str, ...]

    @property
    def exact(self) -> bool:
        return self.start == self.end


def annexation_rules(timeline: StatusTimeline, order: Iterable[str] = ()) -> list[AnnexationRule]:
    """The annexation occurrences of the status timeline (the one status rule), one per
    happening with all the regions it covers, in date order."""
    grouped: dict[tuple[dt.date, dt.date, str], tuple[set[str], list[str]]] = {}
    for code, occurrences in timeline.occurrences.items():
        for occurrence in occurrences:
            key = (occurrence.start, occurrence.end, occurrence.ids[0])
            regions, ids = grouped.setdefault(key, (set(), []))
            regions.add(code)
            ids.extend(i for i in occurrence.ids if i not in ids)
    rank: Mapping[str, int] = {code: i for i, code in enumerate(order)}
    return [
        AnnexationRule(start, end, tuple(ids), tuple(sorted(regions, key=lambda c: (rank.get(c, 99), c))))
        for (start, end, _), (regions, ids) in sorted(grouped.items(), key=lambda item: item[0][:2])
    ]
