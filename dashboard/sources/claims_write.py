"""Writing claims out: the rows `statements` prints as JSON and CSV.

The JSON rows are themselves a valid claims file, so an export can be edited
and loaded back (`claims_load.load_claims`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dashboard.core.claims import EXPORT_KEYS, SOURCE_KEYS, ClaimSet, Source

__all__ = ["records_to_csv_rows", "records_to_json_rows"]


def _plain(value: Any) -> Any:
    """A JSON-ready copy: lists and dicts copied, pandas/numpy missing values to None."""
    if isinstance(value, Source):
        return value.as_json()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.bool_):
        return bool(value)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value


def records_to_json_rows(claims: ClaimSet | pd.DataFrame) -> list[dict[str, Any]]:
    """The objects `statements --format json` prints, keys in EXPORT_KEYS order.

    `load_claims` accepts a JSON file holding exactly this list.
    """
    frame = claims.frame if isinstance(claims, ClaimSet) else claims
    return [
        {key: _plain(row[key]) for key in EXPORT_KEYS} for row in frame.loc[:, list(EXPORT_KEYS)].to_dict("records")
    ]


def records_to_csv_rows(claims: ClaimSet | pd.DataFrame) -> list[dict[str, Any]]:
    """The rows `statements --format csv` prints: CSV_KEYS, the source in its own columns."""
    rows = []
    for row in records_to_json_rows(claims):
        source = row.pop("source") or {}
        row.update({f"source_{key}": source.get(key) for key in SOURCE_KEYS})
        rows.append(row)
    return rows
