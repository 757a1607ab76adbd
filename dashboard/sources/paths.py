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


def bundled_claims_path() -> Path:
    return PACKAGE_DIR / "data" / "claims.yaml"
