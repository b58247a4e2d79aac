"""Giving freed memory back to the system before a long wait.

The folder matrix's index stage builds numpy tables of hundreds of MB in the command,
then frees them; the command then only waits for its align workers, for most of the
run.  glibc's allocator keeps much of what was freed: blocks under its mmap threshold
(which rises to 32 MB once a larger block is freed) come from the heap, and freed heap
pages stay with the process unless asked for.  On the 5,000-article bench the command so
stayed at 210-235 MB (Pss) through the align stage; with `malloc_trim`, which hands the
free pages back at once (30 ms at most, measured), it stays at 40 MB.
"""
from __future__ import annotations

import ctypes
import functools
import sys


def give_back() -> None:
    """Return the heap's free pages to the system (glibc only; elsewhere nothing).

    No cycle collection first: what the index stage frees goes by reference counts, and
    in the app (which calls this from a worker thread) a collection walks every object
    the screen holds while the interface waits for the interpreter lock; the trim itself
    runs without it (ctypes releases the lock during the call)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's `malloc_trim`, found in the symbols the interpreter already has loaded (as
    `lifeline` finds prctl); None elsewhere (musl, macOS, Windows)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
