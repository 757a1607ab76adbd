"""What an offline HTML map carries inline, read from the bundled assets (assets/ in a checkout)."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.core.errors import DashboardError
from dashboard.sources.paths import PARTIAL_BUNDLE

#: The basemap the map's geo subplot asks plotly.js for (scope europe, resolution 50).
TOPOJSON_NAMES = ("europe_50m",)


def read_embed_assets(assets: Path) -> tuple[str, dict[str, object]]:
    """(plotly.js bundle text, {topojson name: parsed topojson}) from an assets folder."""
    bundle = assets / PARTIAL_BUNDLE
    try:
        plotlyjs = bundle.read_text(encoding="utf-8")
        topojson = {
            name: json.loads((assets / "topojson" / f"{name}.json").read_text(encoding="utf-8"))
            for name in TOPOJSON_NAMES
        }
    except (OSError, ValueError) as exc:
        raise DashboardError(f"HTML export cannot read its bundled assets in {assets}: {exc}") from None
    return plotlyjs, topojson
