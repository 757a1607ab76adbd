"""The ledger: for each contested region on a day, what was declared beside what was held.

Pure domain. The two halves come from different data and stay in separate
fields: `status`, `declared_on` and `decided_by` come from the claims records
(the status rule in `dashboard.core.status`); `held` comes from control on the
ground (`dashboard.core.control`). Nothing here merges them into one number or
one status: an annexation declaration says nothing about who holds the ground,
and a share held says nothing about what was declared.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.core.control import ControlData, ShareRow
from dashboard.core.control_change import RegionChange
from dashboard.core.dataset import Dataset
from dashboard.core.dates import PartialDate
from dashboard.core.regions import CONTESTED_CODES
from dashboard.core.status import RegionStatus, Status

__all__ = ["LedgerRow", "declared_on", "held_at", "ledger_rows", "source_label"]


@dataclass(frozen=True)
class LedgerRow:
    """One contested region on one day: declared (status, date, records) and held (shares), apart."""

    code: str
    status: str  # a Status value: what the claims records say was declared
    declared_on: PartialDate | None  # date of the deciding record with the narrowest window
    decided_by: tuple[str, ...]  # ids of the deciding records (empty: nothing declared)
    held: ShareRow | None  # control on the ground; None: no snapshot on or before the day
    #: Change of control over the range (core/control_change.py); None: no range asked or no control data.
    change: RegionChange | None = None


def declared_on(data: Dataset, status: RegionStatus) -> PartialDate | None:
    """The date of the deciding record with the narrowest window (ties: the earliest).

    With the bundled records: 30 Sep 2022 for the four regions (the treaty
    record refines "Sep 2022"), 18 Mar 2014 for Crimea and Sevastopol (it
    refines "2014"). None when no record decided the status.
    """
    claims = [c for c in (data.claims.get(i) for i in status.decided_by) if c is not None]
    if not claims:
        return None
    return min(claims, key=lambda c: (c.end - c.start, c.start)).date


def held_at(
    control: ControlData | None, day: dt.date, codes: Iterable[str] = CONTESTED_CODES
) -> dict[str, ShareRow | None] | None:
    """Each unit's share held on `day` (its last snapshot on or before it); None: no control data.

    The same figures as `ControlShares.row`, read from one snapshot lookup
    rather than one per unit (the map asks on every date change).
    """
    if control is None:
        return None
    codes = tuple(codes)
    rows = control.shares.at(day)
    if rows is None:
        return dict.fromkeys(codes)
    by_code = {r.code: r for r in rows.itertuples(index=False)}
    return {code: _share_row(day, by_code[code]) if code in by_code else None for code in codes}


def _share_row(day: dt.date, r: Any) -> ShareRow:  # a row of ControlShares.at's frame
    def opt(value: float | None) -> float | None:
        return None if value is None or math.isnan(value) else float(value)  # NaN: no grey layer

    return ShareRow(
        date=day,
        code=str(r.code),
        occupied_km2=float(r.occupied_km2),
        occupied_share=float(r.occupied_share),
        occupied_share_raw=float(r.occupied_share_raw),
        grey_km2=opt(r.grey_km2),
        grey_share=opt(r.grey_share),
        coast_rule=bool(r.coast_rule),
        snapshot_date=r.snapshot_date,
        source=str(r.source),
    )


def ledger_rows(data: Dataset, day: dt.date, enrichment: bool = True, start: dt.date | None = None) -> list[LedgerRow]:
    """The six contested regions on `day`, in `CONTESTED_CODES` order (`enrichment=False`:
    the status from the article records alone). With `start` before `day`, each row also
    carries the change of control from `start` to `day`."""
    statuses: Mapping[str, RegionStatus] = data.status_at(day, enrichment)
    held = held_at(data.control, day) or {}
    meter = data.change_meter() if start is not None and start < day else None
    changes = {c.code: c for c in meter.change(start, day)} if meter is not None and start is not None else {}
    rows = []
    for code in CONTESTED_CODES:
        status = statuses.get(code, RegionStatus(code, Status.NO_ANNEXATION_DECLARED))
        rows.append(
            LedgerRow(
                code=code,
                status=status.status.value,
                declared_on=declared_on(data, status),
                decided_by=status.decided_by,
                held=held.get(code),
                change=changes.get(code),
            )
        )
    return rows


def source_label(name: str) -> str:
    """A source's short name for tight places (the hover card): the map it comes from.

    "DeepStateMap via cyterat/deepstate-map-data" -> "DeepStateMap";
    "DeepStateMap (raw snapshot)" -> "DeepStateMap". The full name stays in
    the ledger's caption.
    """
    short = name.split(" via ", 1)[0].split(" (", 1)[0].strip()
    return short or name
