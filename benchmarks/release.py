"""An earlier release of the dashboard, run beside the page now in the same benchmark run.

`checkout(commit)` writes the commit's tree into a temporary folder (`git archive`, so the
repository's worktrees and index are left alone); `server(folder)` starts that checkout's
`python -m dashboard serve` with this venv's Python, from that folder and with it first on
PYTHONPATH, so its own `dashboard` package is imported, not this one.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.testing import REPO, ServerProcess

#: Release 0.1.0: the page the speed targets are measured against.
RELEASE_0_1_0 = "72d2bfd"


@contextmanager
def checkout(commit: str = RELEASE_0_1_0) -> Iterator[Path]:
    """The tree of `commit` in a temporary folder, removed afterwards."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO, capture_output=True, check=True)
    with tempfile.TemporaryDirectory(prefix=f"contested-{commit}-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


def server(folder: Path, args: tuple[str, ...] = ()) -> ServerProcess:
    """That checkout's server on a free loopback port (it prints Werkzeug's "Running on" line)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")]).rstrip(":")}
    return ServerProcess([sys.executable, "-m", "dashboard", "serve", "--port", "{port}", *args], env=env, cwd=folder)
