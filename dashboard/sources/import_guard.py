"""Each control file is imported in a child process with a memory and a time limit.

The budgets in ``import_limits`` (bytes, features, vertices, edge crossings)
stop the hostile files we know of before they cost anything; this guard bounds
the ones we do not: whatever one file's reading, repair, union and share
computation do, they run in a forked child whose address space may grow by at
most ``memory_mb`` (``RLIMIT_AS``, Linux) and which is killed after
``seconds`` (wall clock, and ``RLIMIT_CPU`` as a backstop). The parent then
refuses the file in one line naming it and the limit; nothing reaches the cache.

Up to ``workers`` children run at once; results come back in job order. Where
``fork`` is not available (Windows) files are imported in this process, bounded by
the budgets alone.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

from dashboard.core.errors import LimitError
from dashboard.sources.import_limits import ImportLimits

__all__ = ["guarded_map", "CAN_GUARD"]

CAN_GUARD = hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()

J = TypeVar("J")
R = TypeVar("R")


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), None where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_self(limits: ImportLimits) -> None:
    import resource

    current = _address_space()
    if current is not None:  # RLIMIT_AS counts what the fork inherited: allow that plus the budget
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard),
                                                hard))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu = limits.seconds + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))


def _out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or "bad_alloc" in str(exc)


def _child(writer: Connection, fn: Callable[[Any], Any], job: Any, limits: ImportLimits) -> None:
    try:
        _limit_self(limits)
        answer: tuple[str, Any] = ("ok", fn(job))
    except BaseException as exc:  # noqa: BLE001  everything goes back to the parent, which decides
        answer = ("memory", None) if _out_of_memory(exc) else ("error", exc)
    try:
        writer.send(answer)
    except Exception as exc:  # noqa: BLE001  an exception that cannot be pickled: send its text
        writer.send(("error", RuntimeError(str(exc))))
    writer.close()


def _memory_error(path: Path, limits: ImportLimits) -> LimitError:
    return limits.refuse(path, "memory_mb", f"importing it needed more than {limits.memory_mb:,} MB")


def guarded_map(fn: Callable[[J], R], jobs: Sequence[J], *, workers: int, limits: ImportLimits,
                path_of: Callable[[J], Path]) -> Iterator[R]:
    """fn(job) for each job, in order, each in a guarded child (at most `workers` at once)."""
    if not CAN_GUARD:
        for job in jobs:
            yield fn(job)
        return
    context = multiprocessing.get_context("fork")
    waiting = list(enumerate(jobs))
    waiting.reverse()
    running: dict[Connection, tuple[int, Any, float]] = {}
    finished: dict[int, R] = {}
    next_out = 0
    try:
        while next_out < len(jobs):
            while waiting and len(running) < max(1, workers):
                index, job = waiting.pop()
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(writer, fn, job, limits), daemon=True)
                process.start()
                writer.close()
                running[reader] = (index, process, time.monotonic() + limits.seconds)
            soonest = min(deadline for _, _, deadline in running.values())
            for reader in wait(list(running), timeout=max(0.0, soonest - time.monotonic())):
                index, process, _ = running.pop(reader)
                path = path_of(jobs[index])
                try:
                    kind, payload = reader.recv()
                except EOFError:  # the child died without answering: killed by the kernel or RLIMIT_CPU
                    process.join()
                    raise _memory_error(path, limits) if process.exitcode != -24 else \
                        limits.refuse(path, "seconds", f"importing it took more than {limits.seconds:,} s")
                finally:
                    reader.close()
                process.join()
                if kind == "memory":
                    raise _memory_error(path, limits)
                if kind == "error":
                    raise payload
                finished[index] = payload
            now = time.monotonic()
            for reader, (index, process, deadline) in list(running.items()):
                if now >= deadline:
                    raise limits.refuse(path_of(jobs[index]), "seconds",
                                        f"importing it took more than {limits.seconds:,} s")
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
    finally:
        for reader, (_, process, _) in running.items():
            process.kill()
            process.join()
            reader.close()
