"""Shared by tests/test_control_*.py: where the development data lives, and small builders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SHARED, need_shared

REPO = Path(__file__).resolve().parents[1]
DAILY = SHARED / "data" / "deepstate-daily"
RAW = SHARED / "data" / "deepstate-raw"


def daily(day: str) -> Path:
    return need_shared(DAILY / f"deepstatemap_data_{day.replace('-', '')}.geojson")


def copy_daily(days: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for day in days:
        shutil.copy(daily(day), folder)
    return folder


def geometry_of(path: Path) -> dict:
    return json.loads(path.read_text())["features"][0]["geometry"]
