"""The one timing helper every benchmark uses: median wall time of repeated runs."""
from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def median_time(fn: Callable[[], T], runs: int, *, collect: bool = False) -> tuple[float, T]:
    """Median seconds of `runs` calls of `fn`, and the last call's result.

    `collect=True` runs the garbage collector before each call, so garbage left by a
    previous large run is not charged to the next one.
    """
    times: list[float] = []
    out = None
    for _ in range(runs):
        if collect:
            gc.collect()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out
