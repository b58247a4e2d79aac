"""One kind of cache for the per-sentence views (tokens, stems, clause views, evidence profiles).

A folder or an archive aligns each article with several others, so every sentence is
prepared once and then looked up.  The caches must be bounded: an archive has millions
of sentences.  The old rule, stop storing when full, meant that at 5,000 articles the
evidence profiles filled at 100,000 sentences and every later article was profiled again
for each of its pairs; starting over when full fixed that but dropped the article being
aligned with its next partners too, and, with bounds low enough for a small worker, cost
13% of the align stage.

`TextCache` keeps two generations: entries go into the new one; when it is full the new
becomes the old and the one before is dropped; a hit in the old generation moves the
entry back to the new.  What was used lately stays (an approximate LRU), at most
`limit` entries are held, and a hit in the new generation is one dict lookup.
The bound is a trade of memory for speed: over 10,000 pairs of the 20,000-article bench
(one worker's share, plan order), 200,000 sentences: 7.40 ms a pair, 1.48 GB resident;
120,000: 8.03 ms, 1.15 GB; 60,000: 9.09 ms, 0.77 GB.  The defaults stay at 200,000.
"""
from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TextCache(Generic[K, V]):
    """At most `limit` entries, the least recently used dropped first (in halves)."""

    __slots__ = ("limit", "_new", "_old")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._new: dict[K, V] = {}
        self._old: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        hit = self._new.get(key)
        if hit is None:
            hit = self._old.get(key)
            if hit is not None:
                self.put(key, hit)
        return hit

    def put(self, key: K, value: V) -> V:
        if len(self._new) >= max(1, self.limit // 2):
            self._old = self._new
            self._new = {}
        self._new[key] = value
        return value

    def __contains__(self, key: K) -> bool:
        return key in self._new or key in self._old

    def __len__(self) -> int:
        return len(self._new) + len(self._old)

    def clear(self) -> None:
        self._new = {}
        self._old = {}
