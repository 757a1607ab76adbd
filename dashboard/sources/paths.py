"""Where the bundled data lives, in a checkout and in an installed wheel.

A checkout (editable install) keeps geodata/ and assets/ at the repository
root; a wheel carries them inside the package as _geodata/ and _assets/
(see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

#: The `dashboard` package directory (this module lives in dashboard/sources/).
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def geodata_dir() -> Path:
    return _first_existing(PACKAGE_DIR / "_geodata", PACKAGE_DIR.parent / "geodata")


def assets_dir() -> Path:
    return _first_existing(PACKAGE_DIR / "_assets", PACKAGE_DIR.parent / "assets")


#: The partial plotly.js bundle: built by tools/plotly_bundle/build.py into assets/plotly/,
#: with bundle.json (its version and trace types) beside it.
PARTIAL_BUNDLE = "plotly/plotly-partial.min.js"
#: Dash's `assets_ignore` pattern that leaves the partial bundle out of the page.
PARTIAL_BUNDLE_PATTERN = r"plotly-partial\.min\.js$"


def plotlyjs_bundle() -> Path:
    """The partial plotly.js bundle that the page and image export load."""
    return assets_dir() / PARTIAL_BUNDLE


def plotlyjs_manifest() -> Path:
    """bundle.json: the partial bundle's plotly.js version and the trace types it holds."""
    return plotlyjs_bundle().parent / "bundle.json"


def bundled_claims_path() -> Path:
    return PACKAGE_DIR / "data" / "claims.yaml"


def bundled_control_dir() -> Path:
    """The bundled control layer (derived from cyterat/deepstate-map-data, GPL-3.0; see its NOTICE.md)."""
    return PACKAGE_DIR / "data" / "control"
