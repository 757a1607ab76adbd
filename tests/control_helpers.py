"""Shared by tests/test_control_*.py: where the development data lives, and small builders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
DAILY = SHARED / "deepstate-daily"
RAW = SHARED / "deepstate-raw"


def need(path: Path) -> Path:
    """The path, or skip (fail under CI=true, where the shared data must be present)."""
    if not path.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"development data missing under CI: {path}")
        pytest.skip(f"development data not present: {path}")
    return path


def daily(day: str) -> Path:
    return need(DAILY / f"deepstatemap_data_{day.replace('-', '')}.geojson")


def copy_daily(days: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for day in days:
        shutil.copy(daily(day), folder)
    return folder


def geometry_of(path: Path) -> dict:
    return json.loads(path.read_text())["features"][0]["geometry"]
