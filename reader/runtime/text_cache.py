"""One policy for the per-sentence caches (tokens, stems, clause views, evidence profiles).

A folder or an archive aligns each article with several others, so every sentence is
prepared once and then looked up.  The caches are bounded for memory; when one is full
it starts over instead of refusing new entries.  Refusing was the old rule: at 5,000
articles (205,000 sentences) the evidence profiles filled at 100,000, and every article
after that was profiled again for each of its pairs (7% of the matrix's align stage).
Pairs come in article order, so what was recently cached is what comes next.
"""
from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store `value` under `key`, emptying the cache first if it holds `limit` entries."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value
