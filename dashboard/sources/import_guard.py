"""Each control file is imported in a child process with a memory and a time limit.

The budgets in ``import_limits`` (bytes, features, vertices, edge crossings)
stop the hostile files we know of before they cost anything; this guard bounds
the ones we do not: whatever one file's reading, repair, union and share
computation do, they run in a forked child whose address space may grow by at
most ``memory_mb`` (``RLIMIT_AS``, Linux) and which is killed after
``seconds`` (wall clock, and ``RLIMIT_CPU`` as a backstop). The parent then
refuses the file in one line naming it and the limit; nothing reaches the cache.

Files go to ``workers`` forked worker processes, one file at a time each (the memory
limit bounds what a worker may add to what it inherited, the time limit each file); results
come back in job order. Where
``fork`` is not available (Windows) files are imported in this process, bounded by
the budgets alone.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar, cast

from dashboard.core.errors import LimitError
from dashboard.sources.import_limits import ImportLimits

__all__ = ["CAN_GUARD", "guarded_map"]

CAN_GUARD = hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()

#: Files sent to a worker before it has answered (the one it reads and the next).
_AHEAD = 2

J = TypeVar("J")
R = TypeVar("R")


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), None where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_memory(limits: ImportLimits) -> None:
    import resource

    current = _address_space()
    if current is not None:  # RLIMIT_AS counts what the fork inherited: allow that plus the budget
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def _limit_cpu(limits: ImportLimits) -> None:
    """A backstop for a job stuck in C code: the kernel ends the worker `seconds` + 5 CPU seconds from now."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu = int(usage.ru_utime + usage.ru_stime) + limits.seconds + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))


def _out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or "bad_alloc" in str(exc)


def _worker(connection: Connection, fn: Callable[[Any], Any], jobs: Sequence[Any], limits: ImportLimits) -> None:
    """A forked worker: runs the jobs whose index it is sent (None: stop), answers each."""
    _limit_memory(limits)
    while True:
        index = connection.recv()
        if index is None:
            break
        try:
            _limit_cpu(limits)
            answer: tuple[str, Any] = ("ok", fn(jobs[index]))
        except BaseException as exc:  # noqa: BLE001 - the worker hands whatever failed back to the parent
            answer = ("memory", None) if _out_of_memory(exc) else ("error", exc)
        try:
            connection.send(answer)
        except Exception as exc:  # noqa: BLE001 - an answer that cannot be pickled goes back as its message
            connection.send(("error", RuntimeError(str(exc))))
    connection.close()


def _memory_error(path: Path, limits: ImportLimits) -> LimitError:
    return limits.refuse(path, "memory_mb", "importing it needed more memory")


def _time_error(path: Path, limits: ImportLimits) -> LimitError:
    return limits.refuse(path, "seconds", "importing it did not finish in time")


def guarded_map(
    fn: Callable[[J], R], jobs: Sequence[J], *, workers: int, limits: ImportLimits, path_of: Callable[[J], Path]
) -> Iterator[R]:
    """fn(job) for each job, in order, in `workers` guarded worker processes forked from this one."""
    if not CAN_GUARD or not jobs:
        for job in jobs:
            yield fn(job)
        return
    context = multiprocessing.get_context("fork")
    pool: list[tuple[Connection, Any]] = []
    queues: dict[Connection, deque[int]] = {}
    finished: dict[int, R] = {}
    waiting, next_out = 0, 0
    try:
        for _ in range(max(1, min(workers, len(jobs)))):
            mine, theirs = context.Pipe()
            process = context.Process(target=_worker, args=(theirs, fn, jobs, limits), daemon=True)
            process.start()
            theirs.close()
            pool.append((mine, process))
        processes = dict(pool)
        queues = {connection: deque() for connection, _ in pool}
        deadlines: dict[Connection, float] = {}  # of the file each worker is reading now
        while next_out < len(jobs):
            for connection, queue in queues.items():  # each worker a file ahead: no wait between files
                while waiting < len(jobs) and len(queue) < _AHEAD:
                    if not queue:
                        deadlines[connection] = time.monotonic() + limits.seconds
                    connection.send(waiting)
                    queue.append(waiting)
                    waiting += 1
            busy = [connection for connection, queue in queues.items() if queue]
            soonest = min(deadlines[connection] for connection in busy)
            # wait() hands back some of the connections it was given.
            for connection in cast(list[Connection], wait(busy, timeout=max(0.0, soonest - time.monotonic()))):
                index = queues[connection].popleft()
                path = path_of(jobs[index])
                try:
                    kind, payload = connection.recv()
                except EOFError:  # the worker died without answering: the kernel's OOM killer, or RLIMIT_CPU
                    process = processes[connection]
                    process.join()
                    raise (
                        _time_error(path, limits) if process.exitcode == -24 else _memory_error(path, limits)
                    ) from None
                if kind == "memory":
                    raise _memory_error(path, limits)
                if kind == "error":
                    raise payload
                finished[index] = payload
                deadlines[connection] = time.monotonic() + limits.seconds
            now = time.monotonic()
            for connection in busy:
                if queues[connection] and now >= deadlines[connection]:
                    raise _time_error(path_of(jobs[queues[connection][0]]), limits)
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
    finally:
        for connection, process in pool:
            if queues.get(connection) or not process.is_alive():
                process.kill()
            else:
                try:
                    connection.send(None)
                except OSError:
                    process.kill()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
            connection.close()
