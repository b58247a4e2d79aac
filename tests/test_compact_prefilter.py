"""The compact index's array helpers and its prefilter: fast paths that must not change answers.

`sorted_arrays.lookup` searches probes in the order given when the caller says they come
nearly sorted and sorts them otherwise; `prefilter.plausible` drops candidates that
`link_score` could never accept.  Both are only speed: the answers must be exactly what
the plain computation gives.
"""
from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.align import AlignOptions
from reader.articles import article_from_text, load_articles
from reader.folder.compact_index import CompactIndex, article_words
from reader.folder.prefilter import plausible
from reader.folder.sentence_index import link_score
from reader.folder.sorted_arrays import lookup, unique

codes = st.lists(st.integers(min_value=0, max_value=2**40), max_size=60)


@given(codes, codes, st.booleans())
@settings(max_examples=200, deadline=None)
def test_lookup_finds_exactly_the_probes_in_the_table(table, probe, ordered):
    t = np.array(sorted(set(table)), dtype=np.int64)
    p = np.array(probe, dtype=np.int64)
    at, found = lookup(t, p, ordered=ordered)
    assert found.tolist() == [x in set(table) for x in probe]
    assert all(t[i] == x for i, x, f in zip(at.tolist(), probe, found.tolist()) if f)


@given(codes)
def test_unique_is_numpys_unique(values):
    v = np.array(values, dtype=np.int64)
    assert unique(v).tolist() == np.unique(v).tolist()


def _edited(sentence: str, rng: random.Random) -> str:
    """The sentence with one to four words dropped, swapped or replaced."""
    ws = sentence.split()
    for _ in range(rng.randint(1, 4)):
        if len(ws) < 4:
            break
        i = rng.randrange(len(ws))
        move = rng.random()
        if move < 0.4:
            del ws[i]
        elif move < 0.7:
            ws[i] = rng.choice(["reportedly", "officials", "yesterday", "new", "the"])
        else:
            j = rng.randrange(len(ws))
            ws[i], ws[j] = ws[j], ws[i]
    return " ".join(ws)


def _corpus(seeds) -> list:
    """The seed articles plus 24 articles made of their sentences, copied, edited or
    shuffled across stories: many near-misses for the prefilter to judge."""
    arts, _ = load_articles([seeds], None)
    pool = [s.text for a in arts for s in a.sentences if s.kind != "title"]
    rng = random.Random(7)
    out = list(arts)
    for n in range(24):
        picked = rng.sample(pool, 12)
        body = [p if rng.random() < 0.3 else _edited(p, rng) for p in picked]
        out.append(article_from_text(f"Made article {n} on its own topic\n\n" + "\n\n".join(body) + "\n",
                                     f"made{n}", rules=[]))
    return out


@pytest.mark.parametrize("opt", [AlignOptions(), AlignOptions(rewrite=False), AlignOptions(clause=False),
                                 AlignOptions(clause=False, rewrite=False)],
                         ids=["default", "no-linker", "no-clauses", "neither"])
def test_the_prefilter_keeps_every_candidate_the_exact_rule_accepts(seeds, opt):
    arts = _corpus(seeds)
    idx = CompactIndex()
    for a in arts:
        idx.add(article_words(a))
    found, _ = idx.candidate_codes()
    k1 = (found >> 32).astype(np.int64)
    k2 = (found & 0xFFFFFFFF).astype(np.int64)
    keep = plausible(idx, k1, k2, opt, idx.options.margin)
    accepted = 0
    for x, y, kept in zip(k1.tolist(), k2.tolist(), keep.tolist()):
        s1, s2 = idx.sentence(x), idx.sentence(y)
        a, b = s1.article, s2.article
        score = link_score(s1.content, s2.content, s1.seq, s2.seq, idx.article_df(a), idx.article_df(b),
                           idx.sentences_in(a) + idx.sentences_in(b), opt, idx.options.margin,
                           lambda s=s1: idx.stems(s), lambda s=s2: idx.stems(s))
        if score > 0:
            accepted += 1
            assert kept, (x, y, score)
    assert accepted > 50                     # the corpus has links to keep ...
    assert keep.sum() < len(keep)            # ... and chance candidates to drop


def test_two_processes_give_the_same_candidates_and_verdicts(seeds, monkeypatch):
    """The bulk filters split their candidates between this process and a forked child
    (`forking.in_halves`) from FORK_CANDIDATES on; here from the first candidate."""
    from reader.folder import sorted_arrays

    arts = _corpus(seeds)

    def run(workers: int):
        idx = CompactIndex()
        for a in arts:
            idx.add(article_words(a))
        found, _ = idx.candidate_codes(workers=workers)
        k1 = (found >> 32).astype(np.int64)
        k2 = (found & 0xFFFFFFFF).astype(np.int64)
        return found, plausible(idx, k1, k2, AlignOptions(), idx.options.margin, workers=workers)

    from reader.runtime import forking

    children = []
    real_init = forking.Forked.__init__

    def spy(self, *a, **kw):
        real_init(self, *a, **kw)
        children.append(self._pid is not None)

    monkeypatch.setattr(forking.Forked, "__init__", spy)
    monkeypatch.setattr(sorted_arrays, "FORK_CANDIDATES", 0)
    one = run(1)
    assert not any(children)                   # one worker: no child
    two = run(2)
    assert any(children) or not forking.can_fork()
    assert len(one[0]) > 100 and one[1].any() and not one[1].all()
    assert one[0].tolist() == two[0].tolist() and one[1].tolist() == two[1].tolist()


def test_in_halves_runs_both_halves_and_falls_back_without_a_child():
    from reader.runtime.forking import in_halves

    def part(lo, hi):
        return list(range(lo, hi))

    assert in_halves(part, 7) == ([0, 1, 2], [3, 4, 5, 6])
    assert in_halves(part, 7, worth=False) == ([0, 1, 2], [3, 4, 5, 6])
    assert in_halves(part, 0) == ([], [])


def test_cache_friendly_order_keeps_every_pair_and_groups_neighbours():
    from reader.folder.align_order import cache_friendly

    # two stories, {0, 7, 9} and {3, 5}, whose ids interleave
    pairs = [(0, 7), (0, 9), (3, 5), (7, 9)]
    out = cache_friendly(pairs)
    assert sorted(out) == sorted(pairs)
    assert out.index((7, 9)) < out.index((3, 5))   # the first story's pairs come together
    assert cache_friendly([]) == []


def test_each_worker_takes_its_own_stretch_then_helps_the_longest():
    from reader.folder.align_order import Stretches

    for n, workers in [(10, 2), (7, 3), (1, 2), (0, 2), (25, 4)]:
        order = Stretches(n, workers)
        taken: list[list[int]] = [[] for _ in range(workers)]
        w = 0
        while True:  # one worker at a time, round robin, until every chunk is out
            k = order.next(w)
            if k is None and all(order.next(v) is None for v in range(workers)):
                break
            if k is not None:
                taken[w].append(k)
            w = (w + 1) % workers
        assert sorted(k for ks in taken for k in ks) == list(range(n))   # each chunk once
    order = Stretches(10, 2)
    firsts = [order.next(0), order.next(1), order.next(0), order.next(1)]
    assert firsts == [0, 5, 1, 6]                     # each worker goes through its own stretch
    rest = [order.next(1) for _ in range(6)]
    assert rest == [7, 8, 9, 4, 3, 2]                 # then takes from the end of the other's


def test_workers_collect_cycles_only_when_it_costs_little_of_the_time_since(monkeypatch):
    from types import SimpleNamespace

    import reader.folder.align_pool as pool

    done = []
    clock = SimpleNamespace(now=100.0)
    fake_gc = SimpleNamespace(count=10_000_000, get_count=lambda: (fake_gc.count, 0, 0),
                              collect=lambda: done.append("collect"), freeze=lambda: done.append("freeze"))
    monkeypatch.setattr(pool, "gc", fake_gc)
    monkeypatch.setattr(pool, "time", SimpleNamespace(process_time=lambda: clock.now))
    monkeypatch.setattr(pool, "_last_collect", 0.0)
    pool._collect_now_and_then()          # 10 million objects to walk: ~5 s, more than 2% of 100 s
    assert done == []
    fake_gc.count = 1_000_000             # ~0.5 s: due
    pool._collect_now_and_then()
    assert done == ["collect", "freeze"] and pool._last_collect == 100.0
    clock.now = 110.0                     # 10 s later the same count is not due again
    pool._collect_now_and_then()
    assert done == ["collect", "freeze"]
