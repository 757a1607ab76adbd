"""One writer at a time in a control cache directory, and the files a killed writer leaves.

The lock is ``.lock`` in the directory, held through filelock (fcntl on Linux
and macOS, msvcrt on Windows): the operating system drops it when its holder
dies, so a killed import never leaves the cache locked.

A ``control update`` keeps the files it fetched in ``.update-<pid>-<random>``
inside the directory and removes it however it ends, except when it is killed
outright (SIGKILL, which no process can catch). The next writer, holding the
lock, removes every such folder whose process is gone.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from dashboard.core.errors import DataError
from dashboard.sources.control_formats import first_line

__all__ = [
    "LOCK_FILE",
    "LOCK_TIMEOUT_S",
    "UPDATE_PREFIX",
    "cache_lock",
    "remove_orphans",
    "remove_stale_updates",
    "update_prefix",
]

LOCK_FILE = ".lock"
#: How long a writer waits for another one to finish before giving up (seconds).
LOCK_TIMEOUT_S = 300.0
#: Data files a commit writes; one of these no manifest entry names is an orphan.
#: Start of the name of a `control update` run's temporary folder; the run's pid follows.
UPDATE_PREFIX = ".update-"
_UPDATE_DIR = re.compile(re.escape(UPDATE_PREFIX) + r"(\d+)-.+")
_DATA_FILE = re.compile(r"(shares|geometry|places)-[0-9a-f]+\.parquet|\.manifest\.json\.[0-9a-f]+\.tmp")


@contextmanager
def cache_lock(directory: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the cache's exclusive writer lock; a one-line DataError when another writer keeps it
    longer than `timeout` seconds."""
    path = Path(directory) / LOCK_FILE
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"control cache {directory}: cannot create: {exc.strerror or first_line(exc)}") from None
    lock = FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise DataError(
            f"control cache {directory} is locked by another import or update "
            f"(lock file {path}) for more than {timeout:g} s; try again later"
        ) from None
    try:
        yield
    finally:
        lock.release()


def remove_orphans(directory: Path, named: set[str]) -> list[str]:
    """Remove the data files (and temporary manifests) in `directory` that no entry names: what a
    killed import leaves. The caller holds the lock, so no other writer's new files are there."""
    removed = []
    for path in directory.iterdir():
        if path.name not in named and _DATA_FILE.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return sorted(removed)


def update_prefix() -> str:
    """The name prefix of this process's update folder (`.update-<pid>-`)."""
    return f"{UPDATE_PREFIX}{os.getpid()}-"


def _running(pid: int) -> bool:
    """Whether a process `pid` exists (True when that cannot be told: the folder is then kept)."""
    if os.name != "posix":  # os.kill would end the process on Windows, not probe it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to another user
        return True
    return True


def remove_stale_updates(directory: Path) -> list[str]:
    """Remove the update folders in `directory` whose process is gone (a run killed by SIGKILL); their
    names. The caller holds the lock; a folder of a run still going is left alone."""
    removed = []
    for path in Path(directory).iterdir():
        found = _UPDATE_DIR.fullmatch(path.name)
        if found and path.is_dir() and not path.is_symlink() and not _running(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return sorted(removed)
