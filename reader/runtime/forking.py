"""Running one piece of pure computation in a forked child, on the machine's other core.

`reader diff` on long articles spends much of its time on work that splits into
independent halves: loading each article (`pair`), scoring the left sentences'
candidates (`alignment.scoring`), the two directions of the clause search with the pairs'
highlights (`align`).  A forked child gets the parent's memory without copying it
(~2 ms to fork), computes one half while the parent computes the other, and pickles
its result back through a pipe.  The hidden cost is copy-on-write: each page either
process writes after the fork (reference counts make reads write too) is copied, at
~2.6 us a page here; a 2,000-sentence diff copies ~20,000 pages over its three forks,
~50 ms of CPU, which is why the forks are few and only for long inputs.

Only where forking is safe: Linux, more than one CPU, and a process with a single
thread (the command line).  The app runs the same code inline, because
forking a process with threads can deadlock the child.  If the child fails in any
way the parent simply computes the result itself, so an error surfaces exactly as
it would have without the child.  READER_NO_FORK=1 turns it off.
"""
from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


_disabled = False


def disable() -> None:
    """No forking in this process (e.g. a worker of a pool that already uses every core)."""
    global _disabled
    _disabled = True


def can_fork() -> bool:
    return (not _disabled and sys.platform.startswith("linux") and hasattr(os, "fork") and _cpus() > 1
            and threading.active_count() == 1 and not os.environ.get("READER_NO_FORK"))


def _cpus() -> int:
    """CPUs this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Forked(Generic[T]):
    """`fn(*args)`, started in a child now (when `worth` it and possible), collected by `result()`.

    Use it as a context manager: a child whose result is not collected (the parent
    failed meanwhile) is stopped and reaped on the way out.
    """

    def __init__(self, fn: Callable[..., T], *args, worth: bool = True) -> None:
        self._fn, self._args = fn, args
        self._pid: int | None = None
        self._read: int | None = None
        if not worth or not can_fork():
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running any exit handler
            code = 1
            try:
                os.close(read)
                data = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent recomputes and reports it
                pass
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        if self._pid is None:
            return self._fn(*self._args)
        with os.fdopen(self._read, "rb") as inp:
            data = inp.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status == 0 and data:
            try:
                return pickle.loads(data)
            except Exception:  # noqa: BLE001 - fall back to computing it here
                pass
        return self._fn(*self._args)

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Stop the child (the parent failed and will not collect it)."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, 9)
            os.waitpid(self._pid, 0)
        except OSError:
            pass
        if self._read is not None:
            os.close(self._read)
        self._pid = None


def in_halves(fn: Callable[[int, int], T], n: int, worth: bool = True) -> tuple[T, T]:
    """`fn(0, n // 2)` here while a forked child computes `fn(n // 2, n)`: the two halves
    of a loop over independent chunks (the folder index's bulk filters), on both cores.
    Both run here, one after the other, where forking is not possible or not `worth` it.

    The heap's free pages go back to the system first (`heap.give_back`): the child's
    allocations landed in them, and each page so written was copied, counted once in the
    child and again in the parent.  On the 5,000-article bench the prefilter's two
    processes held 745-750 MB together (Pss) without it and 685-740 with it: the run's peak."""
    mid = n // 2
    if worth and can_fork():
        from .heap import give_back

        give_back()
    with Forked(fn, mid, n, worth=worth) as other:
        first = fn(0, mid)
        return first, other.result()
