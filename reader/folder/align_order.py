"""Which pairs each align worker takes, in which order, and which articles it may then forget.

A worker keeps every sentence it prepares (tokens, stems, evidence profiles: several
kilobytes each) while its articles have pairs left, so both what it prepares and what
it holds follow the order of the pairs:

* `cache_friendly` orders the pairs so that an article's pairs come close together;
* `Stretches` gives each worker its own stretch of that order (then help at the end);
* `Shares` tells each worker, with each chunk, the articles none of its later chunks
  has: it drops their sentences from its caches (`runtime.text_cache.Holds`).

Only the order and the caches change: every pair is aligned on its own, the same way.
"""
from __future__ import annotations

from collections import Counter, deque


def cache_friendly(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The same pairs, in an order that keeps each worker's per-sentence caches warm.

    Articles are numbered in breadth-first order over the pairs (neighbours of an article
    get the next numbers), and pairs sorted by those numbers: an article's pairs, and its
    partners' pairs with each other, come close together instead of wherever the
    partners' ids fall.  Measured on one worker's share of the 20,000-article bench:
    7.40 -> 6.99 ms a pair (its caches at 200,000 sentences), 9.09 -> 8.13 (at 60,000).

    Sorted by the later-numbered article first: a pair is aligned when its second article
    comes, so the articles begun and not finished are those numbered before the current
    one with a partner after it.  Sorted by the earlier one first (as before), an article
    stayed begun from its first pair until its last partner's turn, far down the order:
    on the 5,000-article bench a worker had at most 1,420 articles begun against 833 so,
    and the two workers together prepared 7,341 articles instead of 6,357.
    """
    neighbours: dict[int, list[int]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    rank: dict[int, int] = {}
    for start in sorted(neighbours):
        if start in rank:
            continue
        rank[start] = len(rank)
        queue = deque([start])
        while queue:
            for y in sorted(neighbours[queue.popleft()]):
                if y not in rank:
                    rank[y] = len(rank)
                    queue.append(y)
    return sorted(pairs, key=lambda p: (max(rank[p[0]], rank[p[1]]), min(rank[p[0]], rank[p[1]])))


class Stretches:
    """Which chunk each worker takes next: worker w starts at the w-th of `workers` equal
    stretches of the chunks and goes through it in order; when its stretch is done, it takes
    the last chunk of the longest stretch left (so every worker keeps busy to the end)."""

    def __init__(self, n: int, workers: int):
        bounds = [n * w // workers for w in range(workers + 1)]
        self.left = [[bounds[w], bounds[w + 1]] for w in range(workers)]  # [next, end) of each

    def next(self, w: int) -> int | None:
        own = self.left[w]
        if own[0] < own[1]:
            own[0] += 1
            return own[0] - 1
        longest = self.longest()
        if longest is None:
            return None
        self.left[longest][1] -= 1
        return self.left[longest][1]

    def longest(self) -> int | None:
        """The worker with the most chunks of its stretch left (None: none left)."""
        w = max(range(len(self.left)), key=lambda v: self.left[v][1] - self.left[v][0])
        return None if self.left[w][0] == self.left[w][1] else w


class Shares:
    """`Stretches` over chunks of pairs, and with each chunk handed to a worker, the articles
    that worker holds and may forget before aligning it: none of the chunks it is still to
    get from its own stretch (nor this one) has them.

    A worker's chunks run in the order they are handed out, so an article named with chunk
    k is done with by then.  A chunk taken from another worker's stretch (the help at the
    end) no longer counts for that worker: what only it needed is forgotten with that
    worker's next chunk.  The helper forgets a helped-with chunk's articles with its next
    chunk unless that one has them too.  Cost: a few set operations per article of a chunk.
    """

    def __init__(self, chunks: list[list[tuple[int, int]]], workers: int):
        self.order = Stretches(len(chunks), workers)
        self.articles = [sorted({x for p in c for x in p}) for c in chunks]
        self.needs: list[Counter[int]] = []        # article -> chunks of the stretch not yet handed out
        for lo, hi in self.order.left:
            self.needs.append(Counter(x for k in range(lo, hi) for x in self.articles[k]))
        self.held: list[set[int]] = [set() for _ in range(workers)]
        self.done_with: list[set[int]] = [set() for _ in range(workers)]   # held, needed by no later chunk

    def next(self, w: int) -> tuple[int, list[int]] | None:
        """(chunk, articles to forget first) for worker w, or None when every chunk is out."""
        victim = None if self.order.left[w][0] < self.order.left[w][1] else self.order.longest()
        k = self.order.next(w)
        if k is None:
            return None
        owner = w if victim is None else victim
        mine = self.articles[k]
        needs = self.needs[owner]
        for x in mine:
            needs[x] -= 1
            if not needs[x]:
                del needs[x]
                if owner != w and x in self.held[owner]:
                    self.done_with[owner].add(x)
        here = set(mine)
        forget = sorted(self.done_with[w] - here)
        self.held[w].difference_update(forget)
        self.held[w] |= here
        own_needs = self.needs[w]
        self.done_with[w] = {x for x in here if x not in own_needs}
        return k, forget
