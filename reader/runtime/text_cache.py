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

The bound is only a ceiling.  What a folder matrix's worker really needs is far less: the
sentences of the articles it has begun and not finished.  A worker is told which articles
it will not see again (`folder.align_order`), and `Holds` drops their sentences from every
cache of the process (`forget`) unless an article still held has the same sentence (a
copied one).  On the 5,000-article bench a worker so holds at most 833-969 articles'
sentences (about 35,000) instead of 195,000, nearly every sentence it ever met (its
resident size 250 MB instead of 700), and prepares as many: an entry of a finished article
was only ever used again for a sentence copied into an article not begun yet (simulated on
the bench's plan: 4 and 416 sentences prepared again, of 101,000 and 136,000).
"""
from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TextCache(Generic[K, V]):
    """At most `limit` entries, the least recently used dropped first (in halves)."""

    __slots__ = ("limit", "_new", "_old", "__weakref__")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._new: dict[K, V] = {}
        self._old: dict[K, V] = {}
        _ALL.add(self)

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

    def discard(self, key: K) -> None:
        self._new.pop(key, None)
        self._old.pop(key, None)


_ALL: weakref.WeakSet[TextCache] = weakref.WeakSet()   # every cache of this process


def forget(texts: Iterable[str]) -> None:
    """Drop these texts' entries from every `TextCache` of this process (caches keyed by
    something else, such as (text, n), keep theirs until their bound drops them)."""
    caches = list(_ALL)
    for text in texts:
        for c in caches:
            c.discard(text)


class Holds:
    """Which texts each owner (an article a worker still needs) holds, counted over owners.

    `hold(owner, texts)` once per owner (again after it was released); `release(owner)`
    forgets (`forget`) the owner's texts that no other held owner has.  Copied sentences
    are the same text in several articles: one article finished must not cost the others
    their entries."""

    def __init__(self) -> None:
        self._texts: dict[Hashable, tuple[str, ...]] = {}
        self._count: dict[str, int] = {}

    def __contains__(self, owner: Hashable) -> bool:
        return owner in self._texts

    def __len__(self) -> int:
        return len(self._texts)

    def hold(self, owner: Hashable, texts: Iterable[str]) -> None:
        if owner in self._texts:
            return
        mine = self._texts[owner] = tuple(set(texts))
        count = self._count
        for t in mine:
            count[t] = count.get(t, 0) + 1

    def release(self, owner: Hashable) -> list[str]:
        """Forget what only `owner` held; returns those texts."""
        mine = self._texts.pop(owner, ())
        count, gone = self._count, []
        for t in mine:
            left = count[t] - 1
            if left:
                count[t] = left
            else:
                del count[t]
                gone.append(t)
        forget(gone)
        return gone
