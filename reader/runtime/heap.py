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
import ctypes.util
import gc
import sys


def give_back() -> None:
    """Collect cycles, then return the heap's free pages to the system (glibc only;
    elsewhere the collection alone)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):   # not glibc (musl has no malloc_trim)
        return None
