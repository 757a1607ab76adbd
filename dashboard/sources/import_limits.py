"""Limits that keep a hostile control file from exhausting the machine during `control import`.

Each limit is checked as early as the format allows (the file's type and size
before it is opened, a gzip trailer before inflating, Parquet and GDAL row counts
from their metadata before reading rows, crossings before a geometry is
repaired), and a file past one is refused in one line (LimitError, CLI exit
code 2) that names the file, the limit and how to raise it.

=====================  ====================================  ==================  ======================
limit                  default                               CLI option          environment variable
=====================  ====================================  ==================  ======================
bytes per file         512 MiB, after decompression           ``--max-bytes``     CONTESTED_MAP_MAX_BYTES
features/rows a file   1,000,000                              ``--max-features``  CONTESTED_MAP_MAX_FEATURES
vertices a file        20,000,000                                                 CONTESTED_MAP_MAX_VERTICES
edge crossings         1,000 in one feature, 10,000 a file                        CONTESTED_MAP_MAX_CROSSINGS
memory a file          4,096 MB (import_guard)                                    CONTESTED_MAP_IMPORT_MEMORY_MB
time a file            600 s (import_guard)                                       CONTESTED_MAP_IMPORT_SECONDS
=====================  ====================================  ==================  ======================
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import shapely

from dashboard.core.errors import DataError, LimitError
from dashboard.core.geometry_budget import MAX_CROSSINGS, count_crossings, repair_over_budget, vertex_count

__all__ = [
    "ENVIRONMENT",
    "FIRST_DAY",
    "ImportLimits",
    "check_count",
    "check_day",
    "check_geometries",
    "check_regular_file",
    "gzip_trailer_size",
    "open_limited",
    "read_limited",
]

#: Field -> (environment variable, CLI option or None, unit in messages).
ENVIRONMENT: dict[str, tuple[str, str | None, str]] = {
    "max_bytes": ("CONTESTED_MAP_MAX_BYTES", "--max-bytes", "bytes"),
    "max_features": ("CONTESTED_MAP_MAX_FEATURES", "--max-features", "features"),
    "max_vertices": ("CONTESTED_MAP_MAX_VERTICES", None, "vertices"),
    "max_crossings": ("CONTESTED_MAP_MAX_CROSSINGS", None, "edge crossings"),
    "memory_mb": ("CONTESTED_MAP_IMPORT_MEMORY_MB", None, "MB"),
    "seconds": ("CONTESTED_MAP_IMPORT_SECONDS", None, "s"),
}
#: Control data begins with the war in 2014; a day before it (or after today) is a mistake in the file.
FIRST_DAY = date(2014, 1, 1)
_CHUNK = 1 << 20
#: Crossings allowed between all the polygons of one file (they are unioned): this times max_crossings.
FILE_CROSSINGS_FACTOR = 10


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int = 512 * 1024 * 1024
    max_features: int = 1_000_000
    max_vertices: int = 20_000_000
    max_crossings: int = MAX_CROSSINGS
    memory_mb: int = 4096
    seconds: int = 600

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: int | None) -> ImportLimits:
        """Defaults, overridden by the environment, overridden by `given` values that are not None."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            variable = ENVIRONMENT[item.name][0]
            raw = environ.get(variable, "").strip().replace("_", "")
            if raw:
                if not raw.isdigit() or int(raw) < 1:
                    raise DataError(f"{variable}={environ[variable]!r} is not a whole number of at least 1")
                values[item.name] = int(raw)
            if given.get(item.name) is not None:
                values[item.name] = int(given[item.name])  # type: ignore[arg-type]
        return replace(cls(), **values)

    def refuse(self, path: Path, name: str, found: str) -> LimitError:
        """The one-line error for `path` past the limit `name` (a field), saying how to raise it."""
        variable, option, unit = ENVIRONMENT[name]
        how = f"{option} N or {variable}=N" if option else f"{variable}=N"
        return LimitError(
            f"{path}: {found}, past the import limit of {getattr(self, name):,} {unit} "
            f"(raise it with {how} if you trust the file)"
        )


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def check_regular_file(path: Path) -> os.stat_result:
    """The file's status; a FIFO, device or socket is refused before it is opened (reading /dev/zero never ends)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file or folder") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise LimitError(f"{path}: is {_kind(info.st_mode)}; control import reads regular files only")
    return info


def gzip_trailer_size(head: bytes, tail: bytes) -> int | None:
    """The size a gzip file says its (last) member inflates to, modulo 4 GiB: a lower bound of the truth."""
    if head[:2] != b"\x1f\x8b" or len(tail) < 4:
        return None
    return int.from_bytes(tail[-4:], "little")


class _Capped(io.RawIOBase):
    """A binary stream that refuses (LimitError) once more than the limit has been read through it."""

    def __init__(self, inner: Any, path: Path, limits: ImportLimits, what: str, file: Any = None) -> None:
        self._inner, self._path, self._limits, self._what, self._read = inner, path, limits, what, 0
        self._file = file  # the file under a GzipFile, which does not close it
        self.gzipped = isinstance(inner, gzip.GzipFile)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        self._read += len(data)
        if self._read > self._limits.max_bytes:
            raise self._limits.refuse(
                self._path, "max_bytes", f"{self._what} more than {self._limits.max_bytes:,} bytes"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        if self._file is not None:
            self._file.close()
        super().close()


def open_limited(path: Path, limits: ImportLimits) -> io.BufferedReader:
    """A regular file opened for reading, inflated when gzipped, refused past `max_bytes` read."""
    info = check_regular_file(path)
    try:
        handle = path.open("rb")
        head = handle.read(2)
        handle.seek(0)
    except OSError as exc:
        raise DataError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if head != b"\x1f\x8b":
        if info.st_size > limits.max_bytes:
            handle.close()
            raise limits.refuse(path, "max_bytes", f"the file is {info.st_size:,} bytes")
        return io.BufferedReader(_Capped(handle, path, limits, "holds"), _CHUNK)
    inflated = gzip.GzipFile(fileobj=handle)
    try:
        inflated.read(1)  # a damaged header is reported as such, not judged by its trailer
        inflated.seek(0)
        with path.open("rb") as tail:
            tail.seek(max(info.st_size - 4, 0))
            declared = gzip_trailer_size(head, tail.read(4))
    except (OSError, EOFError, zlib.error) as exc:
        handle.close()
        raise DataError(f"{path}: damaged gzip file: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    if declared is not None and declared > limits.max_bytes:
        handle.close()
        raise limits.refuse(path, "max_bytes", f"the gzip file says it inflates to {declared:,} bytes")
    return io.BufferedReader(_Capped(inflated, path, limits, "inflates to", handle), _CHUNK)


def read_limited(path: Path, limits: ImportLimits) -> tuple[bytes, bool]:
    """(content, was gzipped) of a regular file, inflated in chunks and refused past `max_bytes`."""
    with open_limited(path, limits) as stream:
        gzipped = stream.raw.gzipped  # type: ignore[attr-defined]
        try:
            return stream.read(), gzipped
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(f"{path}: damaged gzip file: {str(exc).splitlines()[0] if str(exc) else exc}") from None


def check_count(count: int, path: Path, limits: ImportLimits, what: str = "features") -> None:
    if count > limits.max_features:
        raise limits.refuse(path, "max_features", f"the file holds {count:,} {what}")


def check_geometries(geometries: list[Any], path: Path, limits: ImportLimits) -> None:
    """Vertices of the whole file, then each feature's edge crossings, before anything is repaired."""
    check_count(len(geometries), path, limits)
    total = 0
    for geometry in geometries:
        total += vertex_count(geometry)
    if total > limits.max_vertices:
        raise limits.refuse(path, "max_vertices", f"the file holds {total:,} vertices")
    for index, geometry in enumerate(geometries):
        crossings = repair_over_budget(geometry, limits.max_crossings)
        if crossings is not None:
            raise limits.refuse(
                path,
                "max_crossings",
                f"feature {index}: a self-intersecting polygon whose "
                f"edges cross at least {crossings:,} times (repairing it could take hours "
                "and gigabytes)",
            )
    shapes = [g for g in geometries if g is not None and not g.is_empty]
    if len(shapes) > 1:  # the features are unioned too: bound the crossings between them
        budget = limits.max_crossings * FILE_CROSSINGS_FACTOR
        crossings = count_crossings(shapely.GeometryCollection(shapes), budget)
        if crossings > budget:
            raise LimitError(
                f"{path}: the edges of its polygons cross each other at least {crossings:,} times, "
                f"past the import limit of {budget:,} for a file ({FILE_CROSSINGS_FACTOR} times "
                f"CONTESTED_MAP_MAX_CROSSINGS; raise that if you trust the file)"
            )


def check_day(day: date, path: Path, where: str = "") -> date:
    """A control day from 2014-01-01 to today (UTC); anything else is refused naming the file and day."""
    today = datetime.now(UTC).date()
    if not FIRST_DAY <= day <= today:
        raise LimitError(
            f"{path}: {where}day {day.isoformat()} is outside {FIRST_DAY.isoformat()} to "
            f"{today.isoformat()} (today, UTC); control data cannot be dated there"
        )
    return day


#: A --labels file is a short list of labels: read like a claims file, at most 1 MB.
MAX_LABEL_BYTES = 1_000_000


def read_label_text(path: Path) -> Any:
    """The parsed YAML or JSON of a --labels file, with the claims files' bounded YAML loader."""
    import yaml

    from dashboard.sources.claims_document import MAX_NESTING
    from dashboard.sources.claims_yaml import _ClaimsLoader, _TooDeep

    where = f"label mapping {path}"
    try:
        info = check_regular_file(path)
    except LimitError as exc:
        raise LimitError(f"label mapping {exc}") from None
    except DataError as exc:
        raise DataError(f"label mapping {exc}") from None
    if info.st_size > MAX_LABEL_BYTES:
        raise LimitError(
            f"{where}: the file is {info.st_size:,} bytes; a label mapping may hold at most {MAX_LABEL_BYTES:,}"
        )
    try:
        with path.open("rb") as handle:
            text = handle.read(MAX_LABEL_BYTES + 1).decode("utf-8")
        loader = _ClaimsLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except OSError as exc:
        raise DataError(f"{where}: cannot be read: {exc.strerror or exc}") from None
    except (RecursionError, _TooDeep):
        raise LimitError(f"{where}: nested more than {MAX_NESTING} levels deep") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()
        raise DataError(f"{where}: not YAML or JSON: {first[0] if first else type(exc).__name__}") from None
