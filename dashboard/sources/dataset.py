"""Read everything the dashboard shows into one Dataset: region layers and claims files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from dashboard.core.dataset import Dataset
from dashboard.sources.claims_load import load_claims
from dashboard.sources.geodata import load_layers

__all__ = ["load_dataset"]


def load_dataset(geodata_dir: Path | None = None, claims_paths: Sequence[Path] | None = None,
                 today: dt.date | None = None) -> Dataset:
    """Layers from `geodata_dir` (None: bundled), claims from `claims_paths` (None: bundled).

    `today` extends the date axis to that day (the page passes its start-up day);
    the CLI leaves it None, so its axis ends where the records end.
    """
    return Dataset.build(load_layers(geodata_dir), load_claims(list(claims_paths) if claims_paths else None),
                         today=today)
