"""Which chunks each align worker gets, and which articles it may forget (`align_order.Shares`)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.folder.align_order import Shares, Stretches


def _deal(chunks, workers: int, turns: list[int]) -> list[list[int]]:
    """Hand out every chunk, worker `turns[i]` asking at turn i (then round robin), checking
    each answer against a plain recomputation; returns the chunks each worker got."""
    shares = Shares(chunks, workers)
    arts = [{x for p in c for x in p} for c in chunks]
    held: list[set[int]] = [set() for _ in range(workers)]
    got: list[list[int]] = [[] for _ in range(workers)]
    for turn in range(len(turns) + len(chunks) * workers + workers):
        w = turns[turn] % workers if turn < len(turns) else turn % workers
        given = shares.next(w)
        if given is None:
            continue
        k, forget = given
        lo, hi = shares.order.left[w]
        later = {x for j in range(lo, hi) for x in arts[j]}   # in chunks of its own stretch still to come
        assert set(forget) <= held[w]                    # only what it holds...
        assert not set(forget) & (arts[k] | later)       # ...and will not need again
        held[w] = (held[w] - set(forget)) | arts[k]
        assert held[w] <= arts[k] | later                # and everything else it is done with
        got[w].append(k)
    return got
pairs = st.tuples(st.integers(0, 12), st.integers(0, 12)).filter(lambda p: p[0] != p[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(pairs, min_size=1, max_size=4), max_size=14), st.integers(1, 3),
       st.lists(st.integers(0, 2), max_size=40))
def test_every_chunk_once_and_only_finished_articles_forgotten(chunks, workers, turns):
    got = _deal(chunks, workers, turns)
    assert sorted(k for ks in got for k in ks) == list(range(len(chunks)))


def test_a_worker_keeps_an_article_while_its_own_chunks_have_it():
    # worker 0's stretch: chunks 0-2; article 1 is in chunks 0 and 2, article 2 only in 0
    chunks = [[(1, 2)], [(3, 4)], [(1, 5)], [(6, 7)], [(8, 9)], [(9, 10)]]
    shares = Shares(chunks, 2)
    assert shares.next(0) == (0, [])
    assert shares.next(0) == (1, [2])                       # 2 done with, 1 still needed by chunk 2
    assert shares.next(0) == (2, [3, 4])
    assert shares.next(1) == (3, [])
    assert shares.next(1) == (4, [6, 7])
    assert shares.next(0) == (5, [1, 5])                    # helping: worker 1's last chunk
    assert shares.next(1) is None                           # its 8 and 9: forgotten with the next, if any
    assert shares.next(0) is None


def test_stretches_still_split_in_order():
    order = Stretches(4, 2)
    assert [order.next(0), order.next(1), order.next(1), order.next(1), order.next(0)] == [0, 2, 3, 1, None]


def test_a_worker_that_forgets_aligns_the_same_and_drops_what_it_is_done_with(seeds, monkeypatch):
    """A worker's loop run here: chunks of one pair, each after the articles `Shares` says to
    forget; every summary is the one aligned with warm caches, and a forgotten article's
    sentences are gone from the caches unless a held article has them too."""
    import itertools

    from reader.align import AlignOptions
    from reader.alignment import prepared
    from reader.articles import load_articles
    from reader.folder import align_pool
    from reader.folder.matrix import summarise_pair

    arts, _ = load_articles([seeds], None)
    opt = AlignOptions()
    pairs = list(itertools.combinations(range(len(arts)), 2))
    expected = {p: summarise_pair(arts[p[0]], arts[p[1]], opt) for p in pairs}
    monkeypatch.setattr(align_pool, "_WORKER_ARTICLES", align_pool.Working(align_pool.InMemory(arts).opener()))
    shares = Shares([[p] for p in pairs], 1)
    forgotten = 0
    while (given := shares.next(0)) is not None:
        k, forget = given
        out = align_pool._align_chunk([pairs[k]], opt, forget)
        assert out == [(pairs[k], expected[pairs[k]])]
        held = {s.text for i in range(len(arts)) if i in align_pool._WORKER_ARTICLES.holds
                for s in arts[i].sentences}
        for i in forget:
            forgotten += 1
            assert all(s.text not in prepared._PREPARED for s in arts[i].sentences if s.text not in held)
    assert forgotten == len(arts) - 2                 # all but the last pair's two
