"""Writing output files safely: atomically, never through a FIFO, device or symlink,
with the user's umask."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from dashboard.core.errors import DashboardError

__all__ = ["check_output_file", "check_target", "check_writable_dir", "make_output_dir", "write_atomic"]


def _lstat(path: Path, doing: str) -> os.stat_result | None:
    """The path's own status (a symlink is not followed), or None when nothing is there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise DashboardError(f"{doing} {path}: a parent of it is not a directory") from None
    except OSError as exc:
        raise DashboardError(f"{doing} {path}: {exc.strerror}") from None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISREG, "a regular file"),
    ):
        if test(mode):
            return name
    return "a special file"


def check_writable_dir(directory: Path) -> None:
    try:
        is_dir = stat.S_ISDIR(os.stat(directory).st_mode)
    except FileNotFoundError:
        raise DashboardError(f"output directory {directory} does not exist") from None
    except NotADirectoryError:
        raise DashboardError(f"output directory {directory}: a parent of it is not a directory") from None
    except OSError as exc:
        raise DashboardError(f"output directory {directory}: {exc.strerror}") from None
    if not is_dir:
        raise DashboardError(f"output directory {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise DashboardError(f"output directory {directory} is not writable")


def check_target(path: Path) -> None:
    """`path` may be written: a new name or a regular file, checked without following symlinks.

    Renaming over a FIFO, device or symlink would replace the node itself (as
    root, `-o /dev/null` would replace the system's /dev/null).
    """
    info = _lstat(path, "cannot write")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise DashboardError(f"refusing to replace {path}: it is {_kind(info.st_mode)}, not a regular file")


def check_output_file(path: Path) -> None:
    """Everything that can be checked before a render: the directory, then the file."""
    check_writable_dir(path.parent)
    check_target(path)


def make_output_dir(directory: Path) -> None:
    """A batch's -o: an existing directory (or a symlink to one), else made here (not its parents)."""
    info = _lstat(directory, "cannot use output directory")
    if info is None:
        try:
            os.mkdir(directory)
        except FileNotFoundError:
            raise DashboardError(
                f"cannot create output directory {directory}: {directory.parent} does not exist"
            ) from None
        except OSError as exc:
            raise DashboardError(f"cannot create output directory {directory}: {exc.strerror}") from None
    elif stat.S_ISLNK(info.st_mode) and not directory.is_dir():
        raise DashboardError(
            f"output directory {directory} is a symbolic link to "
            f"{'nothing' if not directory.exists() else 'something that is not a directory'}"
        )
    elif not stat.S_ISLNK(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise DashboardError(
            f"output {directory} is not a directory (it is {_kind(info.st_mode)}); "
            "with --dates or --each-event, -o names a directory"
        )
    check_writable_dir(directory)


def _umask() -> int:
    """The process umask, read without changing it where Linux allows (os.umask is
    process-wide, and the server writes nothing else, but other threads may)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a partial file."""
    check_output_file(path)
    try:
        # The name is cut so a long (valid) target name cannot make the temporary one too long.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise DashboardError(f"cannot write {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; an export is an ordinary new file
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        check_target(path)  # again, just before the rename
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DashboardError(f"cannot write {path}: {exc.strerror}") from None
        raise
