"""Worker processes that die with the process that started them, and SIGTERM as a clean stop.

`reader matrix` aligns large folders in a pool of spawned processes.  If the command
is killed outright (SIGKILL, the OOM killer, a closed terminal's group kill), nothing
of it runs again to stop the pool: each worker holds both ends of its task queue, so
it waits for work forever, and multiprocessing's resource tracker waits for the
workers.  So each worker asks the kernel to kill it when its parent dies (Linux's
PR_SET_PDEATHSIG, through ctypes; elsewhere a daemon thread that watches the parent
pid), and checks that the parent did not die before it asked.  The tracker ends by
itself once every worker is gone (it exits when the last holder of its pipe does).

SIGTERM (what `kill`, systemd and CI send first) is a request, not a crash: with
`sigterm_stops()` it interrupts the main thread like Ctrl-C, so the pool is torn
down and the cache closed on the way out, and the command exits with 143.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as on Ctrl-C (a KeyboardInterrupt, so every cleanup path runs)."""

    exit_code = 128 + signal.SIGTERM


def die_with_parent(parent_pid: int | None = None) -> None:
    """Make this process end when its parent does; call first thing in a worker.

    `parent_pid` defaults to the multiprocessing parent's pid (known even if the
    parent died a moment ago, when `os.getppid()` already names the reaper).
    """
    if parent_pid is None:
        import multiprocessing

        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None else os.getppid()
    if not _pdeathsig():
        threading.Thread(target=_watch, args=(parent_pid,), name="reader-lifeline", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before we asked
        os._exit(1)


def pool_worker() -> None:
    """Set up a pool worker (its pool's `initializer`): it dies with its parent
    (`die_with_parent`), SIGTERM ends it at once, and Ctrl-C leaves it to the parent.

    The parent stops a pool with SIGTERM (`Pool.terminate`, also on a normal end); a
    worker forked while the parent had `sigterm_stops` on inherited its handler and,
    stopped while idle, printed a `Terminated` traceback at the end of the command.
    Ctrl-C reaches every process of the terminal's foreground group: the parent
    stops the pool and says so once; the workers saying it too was only noise.
    """
    die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pdeathsig() -> bool:
    """Linux: SIGKILL this process when its parent dies.  False when unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    import time

    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


@contextmanager
def sigterm_stops() -> Iterator[None]:
    """Within the block (main thread only), SIGTERM raises `Terminated` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
