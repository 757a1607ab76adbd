"""Read control files in any vector format GDAL knows, through pyogrio, into features in WGS 84.

Shapefile (``.shp``, or a ``.zip`` holding one), KML and KMZ (every folder read together),
GeoPackage (``.gpkg``, ``--layer`` when it holds several layers) and FlatGeobuf (``.fgb``). The
features then go through the same detection as GeoJSON (a ``date`` column: dated; a ``name`` label: raw;
else daily), so a column spelled ``Name`` or ``DATE`` (KML writes ``Name``) counts as ``name`` or ``date``.

Every failure is a DataError of one line that names the file.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.core.errors import DataError
from dashboard.sources.control_formats import FeatureFile, features_from_frame, first_line
from dashboard.sources.import_limits import ImportLimits, check_count, check_regular_file

__all__ = ["VECTOR_DRIVERS", "driver_for", "is_vector_file", "read_vector_file"]

#: Suffix -> (format named in messages, GDAL drivers that read it, any one will do).
VECTOR_DRIVERS: dict[str, tuple[str, tuple[str, ...]]] = {
    ".shp": ("Shapefile", ("ESRI Shapefile",)),
    ".zip": ("zipped Shapefile", ("ESRI Shapefile",)),
    ".kml": ("KML", ("LIBKML", "KML")),
    ".kmz": ("KMZ", ("LIBKML",)),
    ".gpkg": ("GeoPackage", ("GPKG",)),
    ".fgb": ("FlatGeobuf", ("FlatGeobuf",)),
}
#: Formats whose layers are folders of one map: read together unless --layer picks one.
_ALL_LAYERS = (".kml", ".kmz")
#: Property names the detection looks for, whatever their case in the file.
_DETECTED_COLUMNS = ("name", "date")


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def is_vector_file(path: Path) -> bool:
    return _suffix(path) in VECTOR_DRIVERS


def driver_for(path: Path) -> tuple[str, str]:
    """(format name, an available GDAL driver) for the file's suffix; one-line DataError if none."""
    import pyogrio

    kind, drivers = VECTOR_DRIVERS.get(_suffix(path), (path.suffix or "no suffix", ()))
    available = pyogrio.list_drivers(read=True)
    for driver in drivers:
        if driver in available:
            return kind, driver
    wanted = " or ".join(drivers) or "a known driver"
    raise DataError(
        f"{path}: this machine's GDAL cannot read {kind} files (no {wanted} driver); "
        "convert it to GeoJSON, GeoPackage or Shapefile"
    )


def _source(path: Path, driver: str) -> str:
    if _suffix(path) == ".zip":
        return f"/vsizip/{path}"
    if _suffix(path) == ".kmz" and driver != "LIBKML":
        return f"/vsizip/{path}/doc.kml"
    return str(path)


def _ogr_errors() -> tuple[type[Exception], ...]:
    """What GDAL, through pyogrio, raises for a file it cannot open or read (pyogrio is imported late)."""
    from pyogrio.errors import DataLayerError, DataSourceError

    return (DataSourceError, DataLayerError, ValueError, OSError)


def _pick_layers(source: str, path: Path, layer: str | None) -> list[str]:
    """The layer(s) to read: the one asked for, the only one, or every folder of a KML/KMZ."""
    import pyogrio

    try:
        names = [str(n) for n in pyogrio.list_layers(source)[:, 0]]
    except _ogr_errors() as exc:
        raise DataError(f"{path}: cannot be read as a vector file: {first_line(exc)}") from None
    if layer is not None:
        if layer not in names:
            raise DataError(f"{path}: no layer {layer!r}; it holds {', '.join(repr(n) for n in names)}")
        return [layer]
    if len(names) > 1 and _suffix(path) not in _ALL_LAYERS:
        raise DataError(
            f"{path}: holds {len(names)} layers ({', '.join(repr(n) for n in names)}); pick one with --layer NAME"
        )
    return names


def _check_size(path: Path, limits: ImportLimits) -> None:
    """The file's size, and for a .zip or .kmz the sizes its members say they inflate to."""
    import zipfile

    size = check_regular_file(path).st_size
    if size > limits.max_bytes:
        raise limits.refuse(path, "max_bytes", f"the file is {size:,} bytes")
    if _suffix(path) in (".zip", ".kmz") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
        if inflated > limits.max_bytes:
            raise limits.refuse(path, "max_bytes", f"the archive inflates to {inflated:,} bytes")


def _count_rows(source: str, path: Path, layers: list[str], limits: ImportLimits) -> None:
    """Features in the layers from GDAL's metadata, before any row is read."""
    import pyogrio

    total = 0
    for name in layers:
        try:
            total += max(int(pyogrio.read_info(source, layer=name, force_feature_count=True)["features"]), 0)
        except _ogr_errors() as exc:
            raise DataError(f"{path}: cannot be read as a vector file: {first_line(exc)}") from None
    check_count(total, path, limits)


def read_vector_file(path: Path, *, layer: str | None = None, limits: ImportLimits | None = None) -> FeatureFile:
    """Features of one layer of a vector file, reprojected to WGS 84 from the file's CRS."""
    import pyogrio

    if not path.exists():
        raise DataError(f"{path}: no such file")
    limits = limits or ImportLimits.from_env()
    _check_size(path, limits)
    kind, driver = driver_for(path)
    source = _source(path, driver)
    chosen = _pick_layers(source, path, layer)
    if not chosen:
        raise DataError(f"{path}: holds no layer")
    _count_rows(source, path, chosen, limits)
    frames = []
    for name in chosen:
        try:
            frame = pyogrio.read_dataframe(source, layer=name)
        except _ogr_errors() as exc:
            raise DataError(f"{path}: cannot be read as {kind}: {first_line(exc)}") from None
        if not hasattr(frame, "geometry"):
            raise DataError(f"{path}: layer {name!r} has no geometry")
        frames.append(frame)
    if len(frames) > 1:
        import pandas as pd

        frame = pd.concat([f.to_crs(frames[0].crs) if f.crs != frames[0].crs else f for f in frames], ignore_index=True)
    renames = {}
    for column in frame.columns:
        lower = str(column).lower()
        if lower in _DETECTED_COLUMNS and lower not in frame.columns and column != frame.geometry.name:
            renames[column] = lower
    if renames:
        frame = frame.rename(columns=renames)
    return features_from_frame(frame, path, kind, limits)
