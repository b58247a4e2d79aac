"""Verifying the compact index's candidates: which article pairs are worth aligning.

Candidates (`CompactIndex.candidate_codes`) are grouped by article pair, and each
group is verified until one sentence pair passes the aligner's own rule
(`sentence_index.link_score`): the aligner will find the rest of that pair's links.
Most groups are one chance candidate that fails, so this is the index's Python-bound
stage; with `workers` > 1 (and a process that may fork: no other thread) slices of the
groups are verified in forked processes, which read the index's arrays without
copying them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..options import AlignOptions
from .prefilter import plausible
from .sentence_index import link_score

Progress = Callable[[int, int, str], None]
VERIFY_SLICE = 4096   # article-pair groups per task


@dataclass
class Groups:
    """Candidate sentence pairs sorted by article pair; group g is k1/k2[bounds[g]:bounds[g + 1]]."""

    k1: np.ndarray
    k2: np.ndarray
    bounds: np.ndarray
    opt: AlignOptions

    @property
    def count(self) -> int:
        return len(self.bounds) - 1


def linked_articles(index, opt: AlignOptions, progress: Progress | None = None,
                    should_stop: Callable[[], bool] | None = None,
                    workers: int = 1) -> tuple[list[tuple[int, int]], dict]:
    """Article pairs (a < b) of `index` with at least one verified candidate, plus counts."""
    codes, stats = index.candidate_codes(progress, workers)
    k1 = (codes >> 32).astype(np.int64)
    k2 = (codes & 0xFFFFFFFF).astype(np.int64)
    if not index.archive_scale():
        # Its tables hold every word of the candidates' sentences: at archive scale (word
        # triples, few chance candidates) that is most of the corpus, and more memory than
        # the exact checks it saves (measured: over 9 GB at 100,000 articles).
        keep = plausible(index, k1, k2, opt, index.options.margin, workers=workers)
        k1, k2 = k1[keep], k2[keep]
    index.keep_article_df()
    del index.content
    stats["plausible_candidates"] = int(len(k1))
    a1, a2 = index.article[k1].astype(np.int64), index.article[k2].astype(np.int64)
    pair = (np.minimum(a1, a2) << 32) | np.maximum(a1, a2)
    order = np.argsort(pair, kind="stable")
    pair = pair[order]
    start = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else np.zeros(0, np.int64)
    groups = Groups(k1[order], k2[order], np.r_[start, len(pair)].astype(np.int64), opt)
    del codes, k1, k2, a1, a2, pair
    slices = [(x, min(groups.count, x + VERIFY_SLICE)) for x in range(0, groups.count, VERIFY_SLICE)]
    found: list[tuple[int, int]] = []
    checked = verified = 0
    stop = should_stop or (lambda: False)
    for done, (part, c, v) in enumerate(_verify_all(index, groups, slices, workers), 1):
        found += part
        checked += c
        verified += v
        if stop():
            from .matrix import MatrixCancelled

            raise MatrixCancelled
        if progress is not None:
            progress(done, len(slices), "verify")
    stats.update(candidate_pairs=checked, verified_pairs=verified, candidate_article_pairs=groups.count)
    return sorted(found), stats


def verify_groups(index, groups: Groups, lo: int, hi: int) -> tuple[list[tuple[int, int]], int, int]:
    """Verify groups lo..hi-1: (article pairs that passed, candidates checked, pairs passed)."""
    bounds = groups.bounds[lo:hi + 1].tolist()
    first = bounds[0]
    k1l, k2l = groups.k1[first:bounds[-1]].tolist(), groups.k2[first:bounds[-1]].tolist()
    opt, margin = groups.opt, index.options.margin
    found = []
    checked = 0
    for g in range(hi - lo):
        for y in range(bounds[g] - first, bounds[g + 1] - first):
            s1, s2 = index.sentence(k1l[y]), index.sentence(k2l[y])
            checked += 1
            a, b = s1.article, s2.article
            score = link_score(s1.content, s2.content, s1.seq, s2.seq, index.article_df(a), index.article_df(b),
                               index.sentences_in(a) + index.sentences_in(b), opt, margin,
                               lambda s=s1: index.stems(s), lambda s=s2: index.stems(s))
            if score > 0:
                found.append((min(a, b), max(a, b)))
                break
    return found, checked, len(found)


_FORKED: tuple | None = None   # (index, groups) for the forked workers


def _verify_slice(bounds: tuple[int, int]):
    return verify_groups(*_FORKED, *bounds)


def _verify_all(index, groups: Groups, slices: list[tuple[int, int]], workers: int):
    """Results of `verify_groups` per slice, in order; forked workers when allowed."""
    import threading

    from ..runtime import forking

    if workers <= 1 or len(slices) < 4 or threading.active_count() > 1 or not forking.can_fork():
        for lo, hi in slices:
            yield verify_groups(index, groups, lo, hi)
        return
    import multiprocessing

    from ..runtime.heap import give_back

    give_back()  # free heap pages the children would write into are not copied (`forking.in_halves`)
    global _FORKED
    _FORKED = (index, groups)
    try:
        from ..runtime import lifeline

        with multiprocessing.get_context("fork").Pool(workers, initializer=lifeline.pool_worker) as pool:
            yield from pool.imap(_verify_slice, slices)
    finally:
        _FORKED = None
