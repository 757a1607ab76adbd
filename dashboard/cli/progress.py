"""Progress of a long file import on stderr: a bar on a terminal, else one final line.

``--quiet`` turns both off. The bar is click's (no extra dependency).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

__all__ = ["file_progress"]


@contextmanager
def file_progress(label: str, *, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    """Yields progress(done, total); on a TTY draws a bar, and says 'read N file(s) in S s' at the end
    (when there were several)."""
    state = {"bar": None, "done": 0, "total": 0}
    started = time.perf_counter()
    tty = sys.stderr.isatty() and not quiet

    def progress(done: int, total: int) -> None:
        if tty and state["bar"] is None and total > 1:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        if state["bar"] is not None and done > state["done"]:
            state["bar"].update(done - state["done"])
        state["done"], state["total"] = done, total
        if state["bar"] is not None and done >= total:
            _close()  # at once, so what the import says next starts on a line of its own

    def _close() -> None:
        bar, state["bar"] = state["bar"], None
        bar.__exit__(None, None, None)

    try:
        yield progress
    finally:
        if state["bar"] is not None:
            _close()
    if not quiet and state["total"] > 1:
        seconds = time.perf_counter() - started
        rate = state["done"] / seconds if seconds > 0 else float("inf")
        click.echo(f"read {state['done']} file(s) in {seconds:.1f} s ({rate:.1f} files/s)", err=True)
