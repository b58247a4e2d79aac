"""The verification's rule, as necessary conditions computed for all candidates at once.

Most candidate sentence pairs of a large folder are chance: two sentences sharing a
few words, which `sentence_index.link_score` rejects after building both sentences,
their articles' word counts and their stems in Python (~0.1 ms a pair; 540,000 pairs
at 5,000 articles).  `plausible` computes the same quantities for every candidate in
numpy: the rarity-weighted shared weight with idf over the two articles, each
sentence's total weight, the upper bound of the combined score for any word order,
and, for the clause test, a run of `clause_run` stems in the same order.  A candidate
that could pass neither the score test nor the clause test is dropped; the survivors
are verified exactly as before, so the result is the same, only sooner.
"""
from __future__ import annotations

import numpy as np

from ..normalise import stem
from ..options import AlignOptions
from .sorted_arrays import lookup, ranges, unique, verdicts_in_order

TOLERANCE = 1e-6   # sums in another order: never drop a pair on rounding


class Items:
    """Distinct items (word or stem ids) of every sentence, with how often each occurs:
    `codes` sorted (sentence << 32 | item) and `times` for lookups; `items[first[k]:
    first[k] + count[k]]` (and `mult`) the items of sentence k."""

    def __init__(self, item: np.ndarray, sentence: np.ndarray, n_sentences: int):
        self.codes, self.times = np.unique((sentence.astype(np.int64) << 32) | item, return_counts=True)
        self.items, self.mult = self.codes & 0xFFFFFFFF, self.times
        self.count = np.bincount(self.codes >> 32, minlength=n_sentences)
        self.first = np.r_[0, np.cumsum(self.count)[:-1]].astype(np.int64)

    def common(self, k1: np.ndarray, k2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every item of each k1[i]: (i, times in k1[i], times in k2[i]).  Fastest with
        the candidates in order of k2 (the probes then come in table order)."""
        c = self.count[k1]
        owner = np.repeat(np.arange(len(k1)), c)
        if not len(owner):
            return owner, owner, owner
        at = ranges(self.first[k1][c > 0], c[c > 0])
        probe = (k2[owner] << 32) | self.items[at]
        where, found = lookup(self.codes, probe, ordered=True)
        other = np.where(found, self.times[where], 0)
        return owner, self.mult[at], other


def plausible(index, k1: np.ndarray, k2: np.ndarray, opt: AlignOptions, margin: float,
              chunk: int = 100_000, workers: int = 1) -> np.ndarray:
    """For each candidate (k1[i], k2[i]): whether `link_score` could be above 0 (the second
    half of the candidates in a forked child when `workers` > 1)."""
    # Tables only over the sentences (and, for word counts, the articles) of the candidates:
    # at 100,000 articles, tables of every word of every sentence took several GB.
    n = index.n_sentences
    involved = np.zeros(n, dtype=bool)
    involved[k1] = True
    involved[k2] = True
    table = index.content
    art_of = index.article.astype(np.int64)
    articles = np.zeros(index.n_articles, dtype=bool)
    articles[art_of[involved]] = True
    owner_article = art_of[table.codes >> 32]
    in_articles = articles[owner_article]
    df_codes, df_counts = np.unique(((owner_article << 32) | (table.codes & 0xFFFFFFFF))[in_articles],
                                    return_counts=True)
    del owner_article, in_articles
    n_sents = np.diff(np.r_[0, np.frombuffer(index.article_end, dtype=np.int64)])
    sent = np.repeat(np.arange(n, dtype=np.int32), np.diff(np.r_[0, index.seq_end]))
    tokens = involved[sent]
    seq, sent = index.seq[tokens].astype(np.int64), sent[tokens].astype(np.int64)
    del tokens
    every = Items(seq, sent, n)          # all words, with repeats: the order bound
    stems = _stem_of_word(index)
    content = table.codes[involved[table.codes >> 32]]
    content_stems = Items(stems[content & 0xFFFFFFFF], content >> 32, n)
    del content
    runs = _stem_runs(index, stems[seq] if len(seq) else seq, sent, opt.clause_run) if opt.clause else None
    del seq, sent
    lengths = np.diff(np.r_[0, index.seq_end])
    # by second sentence: the lookups then walk the tables in order
    return verdicts_in_order(np.argsort(k2, kind="stable"), lambda at: _plausible(
        index, table, k1[at], k2[at], art_of, df_codes, df_counts, n_sents, runs, opt, margin, every,
        content_stems, lengths), chunk, workers)


def _df(df_codes, df_counts, articles, words_) -> np.ndarray:
    probe = (articles << 32) | words_
    at, found = lookup(df_codes, probe)
    return np.where(found, df_counts[at], 0) if len(df_codes) else np.zeros(len(probe))


def _weights(table, k, a1, a2, lognp1, df_codes, df_counts):
    """(owner candidate, word, idf weight) of every content word of sentences `k`."""
    count = table.count[k]
    owner = np.repeat(np.arange(len(k)), count)
    if not len(owner):
        return owner, owner, np.zeros(0)
    w = table.words[ranges(table.first[k][count > 0], count[count > 0])]
    d = _df(df_codes, df_counts, a1[owner], w) + _df(df_codes, df_counts, a2[owner], w)
    return owner, w, lognp1[owner] - np.log(d + 0.5)


def _plausible(index, table, k1, k2, art_of, df_codes, df_counts, n_sents, runs, opt, margin,
               every: Items, content_stems: Items, lengths: np.ndarray) -> np.ndarray:
    a1, a2 = art_of[k1], art_of[k2]
    n = (n_sents[a1] + n_sents[a2]).astype(np.float64)
    lognp1 = np.log(n + 1)
    unit = np.log((n + 1) / 2.5)
    size = len(k1)
    own1, w1words, wt1 = _weights(table, k1, a1, a2, lognp1, df_codes, df_counts)
    own2, _, wt2 = _weights(table, k2, a1, a2, lognp1, df_codes, df_counts)
    w1 = np.bincount(own1, wt1, minlength=size)
    w2 = np.bincount(own2, wt2, minlength=size)
    probe = (k2[own1] << 32) | w1words
    hit = lookup(table.codes, probe, ordered=True)[1]
    shared = np.bincount(own1, wt1 * hit, minlength=size)
    n_shared = np.bincount(own1, hit, minlength=size)
    tol = TOLERANCE * (1 + np.abs(shared))
    with np.errstate(divide="ignore", invalid="ignore"):
        dice = np.where(w1 + w2 > 0, 2 * shared / (w1 + w2), 0.0)
        contain = np.where((w1 > 0) & (w2 > 0), shared / np.minimum(w1, w2), 0.0)
    # Indel similarity is 2 * LCS / (len1 + len2), and the longest common subsequence
    # holds each word at most as often as the sentence that has it fewer times
    owner, m1, m2 = every.common(k1, k2)
    lcs = np.bincount(owner, np.minimum(m1, m2), minlength=size)
    seq_bound = np.minimum(1.0, 2 * lcs / np.maximum(1, lengths[k1] + lengths[k2]) + TOLERANCE)
    bound = np.minimum(opt.w_dice * dice + opt.w_seq * seq_bound + opt.w_contain * contain, 1.0)
    could = (bound >= opt.link - margin - TOLERANCE) | (
        (bound >= opt.extra_link - margin - TOLERANCE) & (contain >= opt.extra_contain - margin - TOLERANCE))
    scored = (shared + tol >= opt.min_shared * unit - margin) & (w1 > 0) & (w2 > 0) & could
    keep = scored | (index.exact[k1] == index.exact[k2])
    if runs is not None:
        union = table.count[k1] + table.count[k2] - n_shared
        owner, m1, m2 = content_stems.common(k1, k2)
        shared_stems = np.bincount(owner, (m2 > 0), minlength=size)
        clause = ((union >= opt.clause_words) & (shared + tol >= opt.clause_shared * unit * 0.5 - margin)
                  & (shared_stems >= opt.clause_words))
        maybe = np.flatnonzero(clause & ~keep)
        if len(maybe):
            clause[maybe] = _share_a_run(runs, k1[maybe], k2[maybe])
        keep |= clause
    return keep


def _stem_of_word(index) -> np.ndarray:
    """The stem id of every word id (stems as `sentence_index` compares them)."""
    ids: dict[str, int] = {}
    return np.array([ids.setdefault(stem(w), len(ids)) for w in index.id_words] or [0], np.int64)


def _stem_runs(index, seq: np.ndarray, sent: np.ndarray, run: int):
    """Every run of `run` stems inside a sentence, hashed with its sentence: (sorted codes,
    per sentence its run hashes' first position and count, the hashes)."""
    n = len(seq) - run + 1
    if n <= 0:
        return np.zeros(0, np.int64), np.zeros(index.n_sentences, np.int64), np.zeros(index.n_sentences, np.int64), \
            np.zeros(0, np.int64)
    ok = sent[:n] == sent[run - 1:run - 1 + n]
    h = np.zeros(n, np.int64)
    for d in range(run):
        h = (h * np.int64(1_000_003)) ^ seq[d:d + n]
    h, owner = h[ok], sent[:n][ok]
    count = np.bincount(owner, minlength=index.n_sentences)
    first = np.r_[0, np.cumsum(count)[:-1]]
    return unique(_with_sentence(h, owner)), first, count, h


def _with_sentence(h: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    return ((h * np.int64(0x9E3779B1)) ^ (sentence * np.int64(0x85EBCA77))) & np.int64(0x7FFFFFFFFFFFFFFF)


def _share_a_run(runs, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    """Whether sentence k1[i] has a run of stems that k2[i] also has (hash equality: a
    collision only lets a pair through to the exact test)."""
    table, first, count, hashes = runs
    c = count[k1]
    owner = np.repeat(np.arange(len(k1)), c)
    if not len(owner) or not len(table):
        return np.zeros(len(k1), dtype=bool)
    probe = _with_sentence(hashes[ranges(first[k1][c > 0], c[c > 0])], k2[owner])
    return np.bincount(owner, lookup(table, probe)[1], minlength=len(k1)) > 0
