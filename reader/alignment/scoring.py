"""Which sentence pairs to compare, and how alike they are.

Candidates: small inputs compare every pair sharing a content word; large inputs
use an inverted index of rare words and word bigrams, capped by document frequency
so that common words cannot make the work quadratic, and each sentence looks up
only its rarest keys.  Scores: rarity-weighted overlap (idf over the two articles,
so the story's own subject words count little), order-aware word similarity (Indel
on word ids, via rapidfuzz) and containment, combined by `options.combined_score`.
On long inputs the left sentences are scored in two halves, the second in a forked
child (`forking`): each half only reads the shared index, so the result is the same.
"""
from __future__ import annotations

from collections import Counter
from functools import partial
from itertools import chain, repeat
from operator import add, itemgetter, mul

from rapidfuzz.distance import Indel

from ..runtime.forking import Forked
from ..options import AlignOptions, combined_score, could_link, idf_by_count, rare_unit, shared_enough
from .prepared import Side, vocab_size

def _idf(left: Side, right: Side) -> dict[int, float]:
    df = Counter(chain.from_iterable(left.content + right.content))
    return idf_by_count(df, left.n + right.n)


def score_pairs(left: Side, right: Side, opt: AlignOptions) -> dict[tuple[int, int], tuple[float, float]]:
    """(score, containment) of the most promising pairs of each sentence, in (i, j) order."""
    idf = _idf(left, right)
    for side in (left, right):
        side.weight = [sum(map(idf.__getitem__, c)) for c in side.content]
    if left.n * right.n <= opt.full_matrix_limit:
        shared = _all_sharing(left, right, idf)
        prelim = _prelim(left, right, shared)
        return _scored(left, right, shared, prelim, sorted(_top_k(prelim, opt.max_candidates)), opt)
    keys_l, index, df = _key_index(left, right, opt)
    half = partial(_scored_range, left, right, idf, keys_l, index, df, opt)
    mid = left.n // 2
    with Forked(half, mid, left.n, worth=left.n + right.n >= FORK_SENTENCES) as rest:
        out = half(0, mid)
        out.update(rest.result())  # i >= mid: the order stays (i, j)
    return out


FORK_SENTENCES = 1000  # below this scoring takes a few ms: not worth a process


def _key_index(left: Side, right: Side, opt: AlignOptions) -> tuple[list[set], dict, Counter]:
    """Each left sentence's keys, the right sentences of each useful key, and key frequencies."""
    m = vocab_size() + 1
    keys_l = [_keys(seq, c, m) for seq, c in zip(left.seq, left.content)]
    keys_r = [_keys(seq, c, m) for seq, c in zip(right.seq, right.content)]
    df = Counter(chain.from_iterable(keys_l + keys_r))
    cap = max(opt.index_cap, int(opt.common_cap * (left.n + right.n) ** 0.5))
    # A key in one sentence only (df 1) can link nothing: most bigrams, on long inputs.
    useful = {k for k, c in df.items() if 1 < c <= cap}
    index: dict = {}
    for j, ks in enumerate(keys_r):
        for k in ks & useful:
            index.setdefault(k, []).append(j)
    return keys_l, index, df


def _scored_range(left: Side, right: Side, idf: dict[int, float], keys_l: list[set], index: dict,
                  df: Counter, opt: AlignOptions, lo: int, hi: int) -> dict[tuple[int, int], tuple[float, float]]:
    """Scores of left sentences lo..hi-1 with their top candidates from the index."""
    shared: dict[tuple[int, int], float] = {}
    q, k = opt.query_keys, opt.max_candidates
    indexed, weight, content_r = index.keys(), idf.__getitem__, right.content
    for i in range(lo, hi):
        rarest = sorted(keys_l[i] & indexed, key=df.__getitem__)[:q]
        hits = Counter(chain.from_iterable([index[key] for key in rarest]))
        if len(hits) > k:
            # = hits.most_common(k): a stable sort, so ties go to the sentence met first, through
            # the rarest key (a meaningful order: do not replace it by position); no heapq loop.
            hits = dict(sorted(hits.items(), key=itemgetter(1), reverse=True)[:k])
        ci = left.content[i]
        for j in hits:
            shared[(i, j)] = sum(map(weight, ci & content_r[j]))
    prelim = _prelim(left, right, shared)
    # The index kept at most max_candidates per left sentence: no top-k cut needed.
    return _scored(left, right, shared, prelim, sorted(prelim), opt)


def _keys(seq: tuple[int, ...], content: frozenset[int], m: int) -> set[int]:
    """Index keys of a sentence: its content word ids and its word-id bigrams.

    A bigram (a, b) is the one int (a + 1) * m + b, with every word id below m: it
    cannot equal a word id or another bigram, and ints hash faster than tuples
    (counting the keys is a third of the candidate search on long inputs).
    """
    return content.union(map(add, map(mul, map((1).__add__, seq), repeat(m)), seq[1:]))


def _all_sharing(left: Side, right: Side, idf: dict[int, float]) -> dict[tuple[int, int], float]:
    """Shared rare-word weight of every pair sharing a content word (small inputs)."""
    index: dict[int, list[int]] = {}
    for j, c in enumerate(right.content):
        for w in c:
            index.setdefault(w, []).append(j)
    shared: dict[tuple[int, int], float] = {}
    for i, c in enumerate(left.content):
        acc: dict[int, float] = {}
        for w in filter(index.__contains__, c):  # words in no right sentence add nothing: skipped in C
            wt = idf[w]
            for j in index[w]:
                acc[j] = acc.get(j, 0.0) + wt
        for j, v in acc.items():
            shared[(i, j)] = v
    return shared


def _prelim(left: Side, right: Side, shared: dict[tuple[int, int], float]) -> dict[tuple[int, int], tuple[float, float]]:
    """(dice, containment) of the shared weight, for pairs of compatible kinds."""
    titles_l = [s.kind == "title" for s in left.art.sentences]
    titles_r = [s.kind == "title" for s in right.art.sentences]
    prelim: dict[tuple[int, int], tuple[float, float]] = {}
    for (i, j), w in shared.items():
        if titles_l[i] != titles_r[j]:
            continue  # headlines are compared with headlines only (`options.kinds_compatible`)
        wi, wj = left.weight[i], right.weight[j]
        if wi <= 0 or wj <= 0:
            continue
        prelim[(i, j)] = (2 * w / (wi + wj), w / min(wi, wj))
    return prelim


def _scored(left: Side, right: Side, shared: dict, prelim: dict, keep: list[tuple[int, int]],
            opt: AlignOptions) -> dict[tuple[int, int], tuple[float, float]]:
    out: dict[tuple[int, int], tuple[float, float]] = {}
    unit = rare_unit(left.n + right.n)
    for (i, j) in keep:
        dice, contain = prelim[(i, j)]
        common = left.content[i] & right.content[j]
        # The same content words on both sides stand for themselves, unless there is
        # only one: "Is that right?" / "He is right." share a word, not a sentence.
        same = dice >= 0.999 and len(common) > 1
        if not same and not shared_enough(shared[(i, j)], unit, opt):
            continue
        if len(common & (left.facts[i] | right.facts[j])) < opt.min_facts and not same:
            continue  # only names in common: the same people, not the same sentence
        if not could_link(combined_score(dice, 1.0, contain, opt), contain, opt):
            continue  # cannot be linked even with identical word order
        seq = Indel.normalized_similarity(left.seq[i], right.seq[j])
        out[(i, j)] = (combined_score(dice, seq, contain, opt), contain)
    return out


def _top_k(prelim: dict[tuple[int, int], tuple[float, float]], k: int) -> set[tuple[int, int]]:
    """The pairs among each sentence's `k` best, on either side.  Usually every sentence has
    fewer (3.7 on average on the matrix bench's pairs): then that is all of them, found by counting."""
    if max(Counter(map(itemgetter(0), prelim)).values(), default=0) <= k and \
            max(Counter(map(itemgetter(1), prelim)).values(), default=0) <= k:
        return set(prelim)
    by_i: dict[int, list] = {}
    by_j: dict[int, list] = {}
    for (i, j), (d, c) in prelim.items():
        v = d + c
        by_i.setdefault(i, []).append((v, j))
        by_j.setdefault(j, []).append((v, i))
    keep = set()
    for i, lst in by_i.items():
        keep.update((i, j) for _, j in sorted(lst, reverse=True)[:k])
    for j, lst in by_j.items():
        keep.update((i, j) for _, i in sorted(lst, reverse=True)[:k])
    return keep


