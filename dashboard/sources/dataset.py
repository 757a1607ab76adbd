"""Read everything the dashboard shows into one Dataset: region layers, claims files and control sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from dashboard.core.dataset import Dataset
from dashboard.sources.claims_load import load_claims
from dashboard.sources.control_cache import load_controls
from dashboard.sources.geodata import load_layers
from dashboard.sources.places import load_places

__all__ = ["load_dataset"]


def load_dataset(
    geodata_dir: Path | None = None,
    claims_paths: Sequence[Path] | None = None,
    today: dt.date | None = None,
    control_dir: Path | None = None,
    with_control: bool = True,
    bundled_control: bool = True,
    with_places: bool = True,
) -> Dataset:
    """Layers from `geodata_dir` (None: bundled), claims from `claims_paths` (None: bundled),
    control on the ground from the bundled layer AND the user cache `control_dir` (if any),
    each source apart, bundled first (`bundled_control` False: the cache's alone; `with_control`
    False: none).

    `today` extends the date axis to that day (the page passes its start-up day);
    the CLI leaves it None, so its axis ends where the data ends. The gazetteer (places) is
    the bundled one; `with_places` False leaves it out.
    """
    sources = load_controls(control_dir, bundled=bundled_control) if with_control else ()
    return Dataset.build(
        load_layers(geodata_dir),
        load_claims(list(claims_paths) if claims_paths else None),
        today=today,
        control_sources=sources,
        places=load_places() if with_places else None,
    )
