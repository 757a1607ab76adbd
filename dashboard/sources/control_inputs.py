"""What `control import` reads besides the data: the control files inside folders given, and a
label mapping (which raw label means occupied, grey or other)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dashboard.core.control_labels import ControlClass, normalise_label, parse_class
from dashboard.core.errors import DataError
from dashboard.sources.import_limits import check_regular_file, read_label_text

__all__ = ["expand_paths", "load_label_mapping"]

#: The file names a folder given to `control import` is searched for.
_SUFFIXES = (
    ".geojson",
    ".json",
    ".gz",
    ".parquet",
    ".geoparquet",
    ".csv",
    ".shp",
    ".zip",
    ".kml",
    ".kmz",
    ".gpkg",
    ".fgb",
)


def load_label_mapping(path: Path) -> dict[str, ControlClass]:
    """A YAML or JSON mapping ``label: occupied|grey|other``, keys normalised like the labels.

    Read like a claims file: at most 1 MB, nesting at most 50 levels deep (a deeper
    file is refused while it is scanned, before PyYAML recurses).
    """
    doc = read_label_text(path)
    if not isinstance(doc, dict) or not doc:
        raise DataError(f"label mapping {path}: expected a mapping of label to occupied, grey or other")
    mapping = {}
    for label, value in doc.items():
        try:
            mapping[normalise_label(label)] = parse_class(value)
        except ValueError as exc:
            raise DataError(f"label mapping {path}: label {label!r}: {exc}") from None
    return mapping


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files given, and the control files inside folders given (sorted by name)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(_SUFFIXES))
            if not inside:
                raise DataError(
                    f"{path}: folder holds no control file (.geojson, .geojson.gz, .parquet, .csv, "
                    ".shp, .zip, .kml, .kmz, .gpkg, .fgb)"
                )
            files.extend(inside)
        else:
            check_regular_file(path)  # a FIFO or /dev/zero is refused before it is opened
            files.append(path)
    return files
